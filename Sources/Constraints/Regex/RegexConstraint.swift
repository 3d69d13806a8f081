import PCRE

/// A ``Constraint`` whose language is the texts a regular expression matches completely
/// (anchored at both ends), decided with PCRE2 partial matching.
///
/// The state is the bytes read so far. A prefix is alive when PCRE2, matching
/// `(?:pattern)\z` anchored with `PCRE2_PARTIAL_HARD`, reports a partial or full match: the
/// prefix can still become a match. It may stop when the plain anchored match is full. A match
/// stopped by a resource limit is counted in ``statistics`` and treated as a rejection, so
/// regex bombs such as `(a+)+$` end quickly instead of hanging.
///
/// A prefix ending inside a UTF-8 character is alive when some completion of that character
/// keeps it alive: the missing continuation bytes are enumerated (at most 64 per missing byte,
/// stopping at the first success) up to ``completionBudget`` matches; past the budget the
/// completion is assumed (counted in ``RegexStatistics/assumedCompletions``). A pattern that
/// can only match ASCII (judged from its text) rejects partial characters without search.
///
/// Patterns use PCRE2 syntax in UTF mode; `\d`, `\w`, `\s` are ASCII unless the pattern says
/// `(*UCP)`. An empty prefix is always alive.
///
/// - Complexity: one PCRE2 match over the whole prefix per advance (JIT-compiled when
///   available), so advancing a long text byte by byte is quadratic; prefer ``advance(_:by:)``
///   with whole tokens.
public struct RegexConstraint: Constraint {
    /// The bytes read so far.
    public struct State: Sendable, Hashable {
        /// The prefix, as bytes (possibly ending inside a UTF-8 character).
        public internal(set) var bytes: [UInt8]
    }

    /// The pattern as given.
    public let pattern: String
    /// Per-match resource limits.
    public let limits: PCREMatchLimits
    /// Largest number of matches spent proving a trailing partial character can be completed.
    public let completionBudget: Int
    /// Counters shared by every copy of this constraint.
    public let statistics = RegexStatistics()
    let whole: PCRERegex
    let prefix: PCRERegex
    /// Whether the pattern provably matches only ASCII (then partial characters are dead).
    let asciiOnly: Bool

    /// Compiles `pattern` (anchored, UTF-8).
    ///
    /// - Parameters:
    ///   - limits: per-match limits; the defaults stop catastrophic backtracking in well under a
    ///     second.
    ///   - completionBudget: matches allowed for one trailing partial character.
    /// - Throws: ``RegexError/invalidPattern(pattern:message:offset:)`` with PCRE2's message and
    ///   the byte offset in `pattern`.
    public init(pattern: String, limits: PCREMatchLimits = PCREMatchLimits(match: 1_000_000, depth: 100_000, heapKiB: 65_536),
                completionBudget: Int = 4096) throws(RegexError) {
        self.pattern = pattern
        self.limits = limits
        self.completionBudget = completionBudget
        self.asciiOnly = Self.matchesASCIIOnly(pattern)
        do {
            whole = try PCRERegex(pattern, options: [.utf, .anchored, .endAnchored])
            prefix = try PCRERegex("(?:" + pattern + ")\\z", options: [.utf, .anchored])
        } catch {
            guard case .compile(let message, let offset) = error else {
                throw .invalidPattern(pattern: pattern, message: "\(error)", offset: 0)
            }
            throw .invalidPattern(pattern: pattern, message: message, offset: offset)
        }
    }

    /// The empty prefix.
    public var start: State { State(bytes: []) }

    /// Appends `byte` and runs one partial match (more for a trailing partial character).
    public func advance(from state: State, byte: UInt8, into next: inout State) throws(ConstraintError) -> Bool {
        next.bytes.removeAll(keepingCapacity: true)
        next.bytes.append(contentsOf: state.bytes)
        next.bytes.append(byte)
        var probe = RegexProbe(self)
        defer { probe.flush() }
        return probe.isAlive(next.bytes)
    }

    /// Appends all of `bytes` and checks once (a prefix of a live text is live, so checking
    /// the end is enough).
    public func advance(_ state: State, by bytes: [UInt8]) throws(ConstraintError) -> State? {
        let next = State(bytes: state.bytes + bytes)
        var probe = RegexProbe(self)
        defer { probe.flush() }
        return probe.isAlive(next.bytes) ? next : nil
    }

    /// Whether the whole prefix matches the pattern.
    public func canStop(_ state: State) -> Bool {
        if UTF8Tail.incomplete(state.bytes) != nil { return false }
        var limitHits = 0
        defer { statistics.record(matches: 1, limitHits: limitHits) }
        let result: PCREMatchResult
        do {
            result = try whole.match(in: state.bytes, limits: limits)
        } catch {
            return false  // invalid UTF-8 never matches
        }
        if case .limitExceeded = result { limitHits = 1 }
        if case .full = result { return true }
        return false
    }

    /// The trie walk with one reusable PCRE2 matcher and one growing prefix buffer: one partial
    /// match per live trie node that ends a token or roots a large subtree, no allocation per
    /// node.
    public func allowedTokens(after state: State, trie: TokenTrie, stopTokens: Set<Int>) throws(ConstraintError) -> TokenMask {
        var mask = TokenMask(vocabularySize: trie.vocabularySize)
        var probe = RegexProbe(self)
        defer { probe.flush() }
        let base = state.bytes.count
        var path = state.bytes
        path.reserveCapacity(base + trie.maxDepth)
        let count = trie.nodeCount
        var node = 1
        while node < count {
            let depth = Int(trie.depths[node])
            path.removeSubrange((base + depth - 1)...)
            path.append(trie.bytes[node])
            let tokens = Int(trie.tokenOffsets[node])..<Int(trie.tokenOffsets[node + 1])
            // A node that ends no token and has a small subtree is not worth a match of its own:
            // its descendants are checked anyway (pruning is only an optimization).
            let worthChecking = !tokens.isEmpty || Int(trie.subtreeEnds[node]) - node > 16
            if !worthChecking || probe.isAlive(path) {
                for k in tokens { mask.insert(Int(trie.tokens[k])) }
                node += 1
            } else {
                node = Int(trie.subtreeEnds[node])
            }
        }
        if canStop(state) {
            for token in stopTokens where token >= 0 && token < trie.vocabularySize { mask.insert(token) }
        }
        return mask
    }
}

/// The viability checks of a ``RegexConstraint`` with one reusable matcher and local counters
/// (recorded into the shared statistics once, by ``flush()``).
struct RegexProbe {
    let constraint: RegexConstraint
    let matcher: PCREMatcher
    var matches = 0
    var limitHits = 0
    var assumed = 0

    init(_ constraint: RegexConstraint) {
        self.constraint = constraint
        matcher = constraint.prefix.makeMatcher(limits: constraint.limits)
    }

    func flush() {
        constraint.statistics.record(matches: matches, limitHits: limitHits, assumedCompletions: assumed)
    }

    /// Whether `bytes` can still be extended to a full match.
    mutating func isAlive(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        guard let tail = UTF8Tail.incomplete(bytes) else { return viable(bytes[...]) }
        if constraint.asciiOnly { return false }
        if tail.lead > 0, !viable(bytes[..<tail.lead]) { return false }
        var candidate = bytes
        var budget = constraint.completionBudget
        let result = complete(&candidate, missing: tail.missing, lead: tail.lead, budget: &budget)
        if result == nil { assumed += 1 }
        return result ?? true
    }

    /// Tries every well-formed completion of the partial character at the end of `bytes`;
    /// `nil` when the budget ran out first.
    private mutating func complete(_ bytes: inout [UInt8], missing: Int, lead: Int, budget: inout Int) -> Bool? {
        for byte in UTF8Tail.nextContinuations(after: bytes[lead...]) {
            bytes.append(byte)
            defer { bytes.removeLast() }
            if missing == 1 {
                guard budget > 0 else { return nil }
                budget -= 1
                if viable(bytes[...]) { return true }
            } else {
                switch complete(&bytes, missing: missing - 1, lead: lead, budget: &budget) {
                case true?: return true
                case nil: return nil
                case false?: break
                }
            }
        }
        return false
    }

    /// One partial match on complete UTF-8 `bytes`.
    private mutating func viable(_ bytes: ArraySlice<UInt8>) -> Bool {
        matches += 1
        let result: PCREMatchResult
        do {
            result = try bytes.withUnsafeBufferPointer { (buffer) throws(PCREError) in
                try matcher.match(buffer, options: .partialHard)
            }
        } catch {
            return false  // invalid UTF-8 can never become a match
        }
        switch result {
        case .full, .partial: return true
        case .noMatch: return false
        case .limitExceeded:
            limitHits += 1
            return false
        }
    }
}
