import Foundation
import Decoding

/// A tiny ``LanguageModel`` whose next-token distribution is a known, exact function of the
/// last few tokens, so the probability of every sequence can be computed and the whole
/// distribution of continuations up to a length enumerated. Use it to prove that a sampler,
/// a constraint, a speculative verifier or a search is exact.
///
/// The logit of token `t` after a context is a hash of (`seed`, the last `order` tokens, `t`)
/// mapped to a Float in `[-spread/2, spread/2)` (exactly representable); the hidden state is a
/// similar hash of the last `order` tokens. Sessions really hold their tokens, and
/// fork/rollback/``appendBatch(_:tokens:)``/``evaluateTree(_:after:)`` are implemented by
/// recomputing, so "batched == one by one" and "tree == paths" are checkable. The model counts
/// its calls and evaluated tokens.
///
/// ```swift
/// let model = ExactTestModel(vocabularySize: 8, seed: 1)
/// let exact = model.continuationDistribution(after: [0], length: 3)   // [[Int]: Double], sums to 1
/// let session = try model.makeSession(prompt: [0])
/// ```
public final class ExactTestModel: LanguageModel, TokenDecoder, @unchecked Sendable {
    /// Number of tokens (4...16); the last id is EOS.
    public let vocabularySize: Int
    /// The longest sequence a session may hold.
    public let contextLength: Int
    /// Width of ``ModelSession/hiddenState`` (4).
    public let hiddenSize = 4
    /// EOS is `vocabularySize - 1`; no BOS.
    public let specialTokens: SpecialTokens
    /// How many trailing tokens the distribution depends on.
    public let order: Int
    /// Seed of the hashed table.
    public let seed: UInt64
    /// Range of the logits (larger → peakier distributions).
    public let spread: Float
    /// The bytes each token stands for (EOS prints nothing). Includes `.`, `,`, `\n`, `!`, `?`
    /// (punctuation for CNTP) and the two halves of "é" (0xC3, 0xA9) to exercise UTF-8 holdback.
    public let tokenBytes: [[UInt8]]

    /// Pieces for ids `0..<vocabularySize - 1`, in order.
    public static let pieces: [[UInt8]] = [
        Array("a".utf8), Array("b".utf8), Array(" ".utf8), Array(".".utf8), Array(",".utf8), [0xC3], [0xA9],
        Array("c".utf8), Array("!".utf8), Array("?".utf8), Array("\n".utf8), Array("d".utf8), Array("é".utf8),
        Array("ab".utf8), Array(";".utf8),
    ]

    private let lock = NSLock()
    private var calls = 0
    private var evaluated = 0

    /// A model with `vocabularySize` tokens (4...16, EOS last) whose distribution depends on
    /// the last `order` tokens. Precondition-checked: these are a test author's constants.
    public init(vocabularySize: Int = 8, order: Int = 2, seed: UInt64 = 1, spread: Float = 4, contextLength: Int = 64) {
        precondition((4...16).contains(vocabularySize), "vocabularySize must be in 4...16")
        precondition(order >= 1 && contextLength >= 2 && spread > 0)
        self.vocabularySize = vocabularySize
        self.order = order
        self.seed = seed
        self.spread = spread
        self.contextLength = contextLength
        specialTokens = SpecialTokens(eos: vocabularySize - 1)
        tokenBytes = Array(ExactTestModel.pieces.prefix(vocabularySize - 1)) + [[]]
    }

    /// The EOS id.
    public var eos: Int { vocabularySize - 1 }

    // MARK: Exact distribution

    /// The logits after `context` (a pure function of its last ``order`` tokens).
    public func logits(after context: [Int]) -> [Float] {
        let key = contextKey(context)
        return (0..<vocabularySize).map { token in
            let h = SplitMix64.mix(key ^ SplitMix64.mix(UInt64(token) &+ 0x5151))
            return (Float(h >> 40) / Float(1 << 24) - 0.5) * spread
        }
    }

    /// The exact next-token probabilities after `context`, in Double.
    public func probabilities(after context: [Int]) -> [Double] {
        let row = logits(after: context).map(Double.init)
        let top = row.max() ?? 0
        let weights = row.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// The exact probability of `continuation` following `prefix` (product of the next-token
    /// probabilities), optionally after a processor `chain` is applied at every position.
    public func probability(of continuation: [Int], after prefix: [Int], chain: LogitProcessorChain? = nil) throws -> Double {
        var context = prefix
        var probability = 1.0
        var chain = chain
        for token in continuation {
            probability *= try nextProbabilities(after: context, chain: &chain)[token]
            context.append(token)
        }
        return probability
    }

    /// Every continuation of `prompt` that ends at EOS or reaches `length` tokens, with its
    /// exact probability (after `chain` at every position, if given); the values sum to 1.
    /// Continuations of probability 0 are left out. O(V^length).
    public func continuationDistribution(after prompt: [Int], length: Int, chain: LogitProcessorChain? = nil,
                                         stopAtEOS: Bool = true) throws -> [[Int]: Double] {
        var result: [[Int]: Double] = [:]
        var chain = chain
        func extend(_ continuation: [Int], _ probability: Double) throws {
            if continuation.count == length || (stopAtEOS && continuation.last == eos) {
                result[continuation] = probability
                return
            }
            let next = try nextProbabilities(after: prompt + continuation, chain: &chain)
            for (token, p) in next.enumerated() where p > 0 {
                try extend(continuation + [token], probability * p)
            }
        }
        try extend([], 1)
        return result
    }

    /// Next-token probabilities after `context`, through `chain` when given.
    public func nextProbabilities(after context: [Int], chain: inout LogitProcessorChain?) throws -> [Double] {
        guard var stages = chain else { return probabilities(after: context) }
        let processed = try stages.processed(Logits(logits(after: context)), history: context)
        chain = stages
        return (0..<vocabularySize).map { processed.probability(of: $0) }
    }

    /// The hidden state after `context` (a hash of its last ``order`` tokens).
    public func hiddenState(after context: [Int]) -> [Float] {
        let key = contextKey(context)
        return (0..<hiddenSize).map { i in Float(SplitMix64.mix(key &+ UInt64(i) &* 0x9E37) >> 40) / Float(1 << 24) - 0.5 }
    }

    /// The bytes of `token`.
    public func bytes(for token: Int) throws -> [UInt8] {
        guard token >= 0 && token < vocabularySize else {
            throw LanguageModelError.tokenOutOfRange(token, vocabularySize: vocabularySize)
        }
        return tokenBytes[token]
    }

    private func contextKey(_ context: [Int]) -> UInt64 {
        var key = SplitMix64.mix(seed)
        for token in context.suffix(order) {
            key = SplitMix64.mix(key ^ UInt64(token + 1))
        }
        // Short contexts get their own rows.
        return key ^ UInt64(min(context.count, order))
    }

    // MARK: Counters

    /// Model calls so far (`makeSession`, `append`, `appendBatch`, `evaluateTree`).
    public var modelCalls: Int { lock.withLock { calls } }
    /// Tokens evaluated so far, across all sessions.
    public var tokensEvaluated: Int { lock.withLock { evaluated } }

    func record(tokens: Int) {
        lock.withLock {
            calls += 1
            evaluated += tokens
        }
    }

    func check(_ tokens: [Int], after length: Int) throws {
        for token in tokens where token < 0 || token >= vocabularySize {
            throw LanguageModelError.tokenOutOfRange(token, vocabularySize: vocabularySize)
        }
        if length + tokens.count > contextLength {
            throw LanguageModelError.contextFull(limit: contextLength, requested: length + tokens.count)
        }
    }

    // MARK: LanguageModel

    /// A session holding `prompt`.
    public func makeSession(prompt: [Int]) throws -> any ModelSession {
        guard !prompt.isEmpty else { throw LanguageModelError.emptyPrompt }
        try check(prompt, after: 0)
        record(tokens: prompt.count)
        return ExactTestSession(model: self, tokens: prompt)
    }

    /// Appends `tokens[i]` to `sessions[i]`; validates everything before changing anything.
    public func appendBatch(_ sessions: [any ModelSession], tokens: [Int]) throws {
        guard sessions.count == tokens.count else {
            throw LanguageModelError.batchMismatch(sessions: sessions.count, tokens: tokens.count)
        }
        let own = try sessions.map { session in
            guard let own = session as? ExactTestSession, own.model === self else { throw LanguageModelError.foreignSession }
            return own
        }
        for (session, token) in zip(own, tokens) { try check([token], after: session.tokens.count) }
        record(tokens: tokens.count)
        for (session, token) in zip(own, tokens) { session.tokens.append(token) }
    }

    /// The logits after every node of `tree`, computed from each node's path.
    public func evaluateTree(_ tree: TokenTree, after session: any ModelSession) throws -> [[Float]] {
        guard let own = session as? ExactTestSession, own.model === self else { throw LanguageModelError.foreignSession }
        let depths = tree.depths
        for (node, token) in tree.tokens.enumerated() {
            try check([token], after: own.tokens.count + depths[node])
        }
        record(tokens: tree.count)
        own.lastTree = (tree, own.tokens, [])
        return tree.tokens.indices.map { node in
            logits(after: own.tokens + tree.path(to: node).map { tree.tokens[$0] })
        }
    }
}

/// A session of an ``ExactTestModel``: its tokens; logits and hidden state recomputed on read.
///
/// Like a runtime that keeps a tree's keys and values, it remembers the last tree evaluated
/// after it, and ``commitTreePath(_:of:)`` of a path of that tree (from a root, or continuing
/// the path committed before) adds the tokens without counting them as evaluated; any other
/// tree or path, or a session changed otherwise, is appended and counted.
final class ExactTestSession: ModelSession {
    let model: ExactTestModel
    var tokens: [Int]
    /// The last tree evaluated after this session, the tokens the session held then, and the
    /// path committed from it so far.
    var lastTree: (tree: TokenTree, tokens: [Int], committed: [Int])?

    init(model: ExactTestModel, tokens: [Int]) {
        self.model = model
        self.tokens = tokens
    }

    var logits: [Float] { model.logits(after: tokens) }
    var hiddenState: [Float] { model.hiddenState(after: tokens) }

    func append(_ newTokens: [Int]) throws {
        guard !newTokens.isEmpty else { return }
        try model.check(newTokens, after: tokens.count)
        model.record(tokens: newTokens.count)
        tokens += newTokens
    }

    func fork() throws -> any ModelSession { ExactTestSession(model: model, tokens: tokens) }

    func commitTreePath(_ path: [Int], of tree: TokenTree) throws {
        let pathTokens = try tree.tokens(alongPath: path)
        guard let first = path.first else { return }
        guard let lastTree, lastTree.tree == tree,
              lastTree.tokens + lastTree.committed.map({ tree.tokens[$0] }) == tokens,
              tree.parents[first] == (lastTree.committed.last ?? -1)
        else {
            self.lastTree = nil
            try append(pathTokens)
            return
        }
        try model.check(pathTokens, after: tokens.count)
        tokens += pathTokens
        self.lastTree?.committed += path
    }

    func rollback(to count: Int) throws {
        guard count >= 1 && count <= tokens.count else {
            throw LanguageModelError.invalidRollback(to: count, length: tokens.count)
        }
        tokens.removeLast(tokens.count - count)
    }
}
