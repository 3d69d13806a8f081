/// Counts and outcomes particular to one strategy, beyond the ``StepStatistics`` every strategy
/// reports: AWRS's constraint checks and rejections, LCD's mask-cache hits, SMC's resamplings,
/// its estimate `log Ẑ` and its particles, speculative decoding's drafted and accepted tokens.
/// A strategy fills in what it has (``DecodingStrategy/metrics``); a reader looks values up by
/// name, so a command-line tool or a server can print any strategy's without knowing its type.
///
/// ```swift
/// var iterator = try generator.makeIterator(prompt: prompt)
/// while let event = try iterator.next() { … }
/// if let checks = iterator.strategy.metrics["constraint_checks"]?.count { print(checks) }
/// ```
public struct StrategyMetrics: Sendable, Hashable {
    /// One value: a count, a real number, or a count per position (per draft depth, …).
    public enum Value: Sendable, Hashable {
        /// A count.
        case count(Int)
        /// A real number (a rate, an estimate, seconds).
        case number(Double)
        /// Counts by position.
        case counts([Int])

        /// The count, for ``count(_:)``.
        public var count: Int? {
            if case .count(let value) = self { return value }
            return nil
        }

        /// The value as a real number, for ``count(_:)`` and ``number(_:)``.
        public var number: Double? {
            switch self {
            case .count(let value): return Double(value)
            case .number(let value): return value
            case .counts: return nil
            }
        }

        /// The counts, for ``counts(_:)``.
        public var counts: [Int]? {
            if case .counts(let value) = self { return value }
            return nil
        }
    }

    /// A finished alternative the strategy weighed at the end (an SMC particle), with its
    /// normalized weight.
    public struct Alternative: Sendable, Hashable {
        /// Its generated tokens.
        public var tokens: [Int]
        /// Its normalized weight (the weights of all alternatives sum to 1).
        public var weight: Double
        /// Its unnormalized log weight (`-infinity` for a dead one).
        public var logWeight: Double
        /// How it ended ("finished", "dead", …).
        public var status: String

        /// An alternative.
        public init(tokens: [Int], weight: Double, logWeight: Double, status: String) {
            self.tokens = tokens
            self.weight = weight
            self.logWeight = logWeight
            self.status = status
        }
    }

    /// The named values, in the order the strategy reports them (snake-case names).
    public private(set) var entries: [(name: String, value: Value)] = []
    /// The alternatives the strategy chose its output among (empty for most strategies).
    public var alternatives: [Alternative] = []

    /// No values.
    public init() {}

    /// The value named `name`; setting one replaces it in place or appends it.
    public subscript(name: String) -> Value? {
        get { entries.first { $0.name == name }?.value }
        set {
            let index = entries.firstIndex { $0.name == name }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append((name, value))
            case (nil, nil): break
            }
        }
    }

    /// Whether the strategy reported nothing.
    public var isEmpty: Bool { entries.isEmpty && alternatives.isEmpty }

    /// Equal names and values in the same order, and equal alternatives.
    public static func == (lhs: StrategyMetrics, rhs: StrategyMetrics) -> Bool {
        lhs.entries.map(\.name) == rhs.entries.map(\.name) && lhs.entries.map(\.value) == rhs.entries.map(\.value)
            && lhs.alternatives == rhs.alternatives
    }

    /// Hashes the names, values and alternatives.
    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.name)
            hasher.combine(entry.value)
        }
        hasher.combine(alternatives)
    }
}
