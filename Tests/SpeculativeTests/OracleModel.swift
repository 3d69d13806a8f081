import Decoding
import Speculative

/// A `LanguageModel` whose logits are an `Oracle` function of the sequence: exact, tiny, and
/// with every seam operation (fork, rollback, appendBatch, evaluateTree) implemented literally.
final class OracleModel: LanguageModel, @unchecked Sendable {
    let oracle: Oracle
    let contextLength: Int
    let specialTokens: SpecialTokens
    var vocabularySize: Int { oracle.vocabularySize }
    var hiddenSize: Int { 1 }
    // Counters for tests (single-task use).
    private(set) var treeCalls = 0
    private(set) var treeNodes = 0

    init(oracle: Oracle, contextLength: Int = 512, specialTokens: SpecialTokens = SpecialTokens()) {
        self.oracle = oracle
        self.contextLength = contextLength
        self.specialTokens = specialTokens
    }

    func logits(_ context: [Int]) -> [Float] { oracle.logits(context).map { Float($0) } }

    func makeSession(prompt: [Int]) throws -> any ModelSession {
        guard !prompt.isEmpty else { throw LanguageModelError.emptyPrompt }
        let session = OracleSession(model: self)
        try session.append(prompt)
        return session
    }

    func appendBatch(_ sessions: [any ModelSession], tokens: [Int]) throws {
        guard sessions.count == tokens.count else {
            throw LanguageModelError.batchMismatch(sessions: sessions.count, tokens: tokens.count)
        }
        for (session, token) in zip(sessions, tokens) { try session.append([token]) }
    }

    func evaluateTree(_ tree: TokenTree, after session: any ModelSession) throws -> [[Float]] {
        guard session.count + tree.depths.max().map({ $0 + 1 }).unsafelyUnwrapped <= contextLength || tree.count == 0 else {
            throw LanguageModelError.contextFull(limit: contextLength, requested: session.count + tree.count)
        }
        treeCalls += 1
        treeNodes += tree.count
        return tree.tokens.indices.map { node in logits(session.tokens + tree.path(to: node).map { tree.tokens[$0] }) }
    }
}

final class OracleSession: ModelSession {
    let model: OracleModel
    private(set) var tokens: [Int] = []
    private(set) var logits: [Float] = []
    var hiddenState: [Float] { [0] }

    init(model: OracleModel) { self.model = model }

    func append(_ new: [Int]) throws {
        for t in new where !(0..<model.vocabularySize).contains(t) {
            throw LanguageModelError.tokenOutOfRange(t, vocabularySize: model.vocabularySize)
        }
        guard tokens.count + new.count <= model.contextLength else {
            throw LanguageModelError.contextFull(limit: model.contextLength, requested: tokens.count + new.count)
        }
        tokens += new
        logits = model.logits(tokens)
    }

    func fork() throws -> any ModelSession {
        let copy = OracleSession(model: model)
        copy.tokens = tokens
        copy.logits = logits
        return copy
    }

    func rollback(to count: Int) throws {
        guard count >= 1, count <= tokens.count else {
            throw LanguageModelError.invalidRollback(to: count, length: tokens.count)
        }
        tokens.removeLast(tokens.count - count)
        logits = model.logits(tokens)
    }
}
