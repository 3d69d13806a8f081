import Decoding
import Foundation

/// Turns a row of logits (and the sequence it follows) into next-token probabilities: the
/// processor chain plus softmax. Target and model drafter must use the same transform, so the
/// draft `q` and target `p` are the distributions plain sampling would use.
public struct ProbabilityTransform: Sendable {
    /// A short description, for logs.
    public let name: String
    private let body: @Sendable (_ logits: [Float], _ context: [Int]) throws -> [Double]
    /// The processor chain, when the transform is one (enables the sparse path).
    private let chain: LogitProcessorChain?

    /// A transform from a function of the logits and the tokens they follow.
    public init(name: String, _ body: @escaping @Sendable (_ logits: [Float], _ context: [Int]) throws -> [Double]) {
        self.name = name
        self.body = body
        self.chain = nil
    }

    /// The probabilities after `context` given its `logits`.
    public func probabilities(logits: [Float], context: [Int]) throws -> [Double] {
        try body(logits, context)
    }

    /// The distribution after `context` given its `logits`, stored sparsely: for a processor
    /// chain, the chain runs on `scratch` (a reused row: no allocation of a dense row in steady
    /// state) and only the tokens it leaves unmasked are exponentiated — after top-k, top-p,
    /// min-p or temperature 0 that is a handful, so the cost is one copy and one scan of the row.
    /// Other transforms go through ``probabilities(logits:context:)``.
    ///
    /// The probabilities are those of ``probabilities(logits:context:)`` (softmax in Double).
    ///
    /// - Throws: the chain's errors, ``SpeculativeError/degenerateDistribution(where:)``.
    public func distribution(logits row: [Float], context: [Int], scratch: inout Logits?) throws -> DraftDistribution {
        guard var copy = chain else { return try DraftDistribution(dense: probabilities(logits: row, context: context)) }
        return try Self.distribution(logits: row, context: context, chain: &copy, scratch: &scratch)
    }

    /// The distribution `chain` gives after `context` from its `logits`, applying `chain` itself
    /// (not a copy), so stages that cache along a growing history (a constraint's state) keep
    /// their caches from call to call; sparse as in ``distribution(logits:context:scratch:)``.
    ///
    /// - Throws: the chain's errors.
    public static func distribution(logits row: [Float], context: [Int], chain: inout LogitProcessorChain,
                                    scratch: inout Logits?) throws -> DraftDistribution {
        var logits = try Logits.loading(row, into: &scratch, vocabularySize: row.count)
        defer { scratch = logits }
        try chain.apply(to: &logits, history: context)
        let top = Double(logits.maxLogit)
        var tokens: [Int] = []
        var weights: [Double] = []
        var total = 0.0
        logits.forEachUnmasked { token, value in
            let weight = exp(Double(value) - top)
            tokens.append(token)
            weights.append(weight)
            total += weight
        }
        for i in weights.indices { weights[i] /= total }
        return DraftDistribution(uncheckedTokens: tokens, probabilities: weights)
    }

    /// The most probable token after the transform (greedy decoding's choice), from the
    /// processed row's ``Decoding/Logits/argmax`` without building the distribution: what a plain
    /// greedy step computes. O(vocabulary), no allocation in steady state.
    public func greedyToken(logits row: [Float], context: [Int], scratch: inout Logits?) throws -> Int {
        guard var copy = chain else {
            let p = try probabilities(logits: row, context: context)
            guard let best = p.indices.max(by: { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }) else {
                throw SpeculativeError.degenerateDistribution(where: "empty target row")
            }
            return best
        }
        return try Self.greedyToken(logits: row, context: context, chain: &copy, scratch: &scratch)
    }

    /// The most probable token after `chain` (applied itself, as in
    /// ``distribution(logits:context:chain:scratch:)``).
    ///
    /// - Throws: the chain's errors.
    public static func greedyToken(logits row: [Float], context: [Int], chain: inout LogitProcessorChain,
                                   scratch: inout Logits?) throws -> Int {
        var logits = try Logits.loading(row, into: &scratch, vocabularySize: row.count)
        defer { scratch = logits }
        try chain.apply(to: &logits, history: context)
        return logits.argmax
    }

    /// The processors of `chain`, applied to the row with the context as history, then softmax
    /// (in Double; masked tokens get probability 0) — the distribution ``SamplingStrategy`` with
    /// the same chain samples from.
    ///
    /// Each call applies a copy of the chain, so processors must read what they need from the
    /// history (every built-in processor does); ``LogitProcessor/accept(_:)`` state is not carried.
    public init(chain: LogitProcessorChain) {
        name = chain.name.isEmpty ? "softmax" : chain.name
        body = { row, context in
            var logits = try Logits(row)
            var copy = chain
            try copy.apply(to: &logits, history: context)
            return try ProbabilityTransform.softmax(logits.values, temperature: 1)
        }
        self.chain = chain
    }

    /// The chain of `parameters` (``SamplingParameters/makeChain()``) then softmax.
    ///
    /// - Throws: ``SamplingError/invalidParameter(_:)`` for a bad parameter.
    public init(parameters: SamplingParameters) throws {
        self.init(chain: try parameters.makeChain())
    }

    /// Softmax of `logits / temperature`.
    ///
    /// - Throws: ``SpeculativeError/invalidTemperature(_:)`` unless `temperature > 0` and finite
    ///   (temperature 0 is greedy decoding, which needs no transform).
    public static func temperature(_ temperature: Double) throws -> ProbabilityTransform {
        guard temperature > 0, temperature.isFinite else { throw SpeculativeError.invalidTemperature(temperature) }
        return ProbabilityTransform(name: "temperature \(temperature)") { logits, _ in
            try softmax(logits, temperature: temperature)
        }
    }

    /// Plain softmax (temperature 1).
    public static let softmax = ProbabilityTransform(name: "softmax") { logits, _ in
        try ProbabilityTransform.softmax(logits, temperature: 1)
    }

    /// Numerically stable softmax of `logits / temperature` in Double; `-infinity` logits get 0.
    ///
    /// - Throws: ``SpeculativeError/degenerateDistribution(where:)`` for NaN or `+infinity` logits
    ///   or a row that is `-infinity` everywhere.
    public static func softmax(_ logits: [Float], temperature: Double) throws -> [Double] {
        var maximum = -Double.infinity
        for l in logits {
            guard !l.isNaN, l != .infinity else {
                throw SpeculativeError.degenerateDistribution(where: "logit \(l)")
            }
            maximum = max(maximum, Double(l))
        }
        guard maximum > -.infinity else { throw SpeculativeError.degenerateDistribution(where: "all logits -infinity") }
        var result = [Double](repeating: 0, count: logits.count)
        var total = 0.0
        for i in logits.indices {
            let e = exp((Double(logits[i]) - maximum) / temperature)
            result[i] = e
            total += e
        }
        for i in result.indices { result[i] /= total }
        return result
    }
}
