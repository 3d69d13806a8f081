import Decoding
import DecodingTestSupport
import Foundation
import GGUF
import Testing
import Transformer

/// `ModelSession.commitTreePath(_:of:)`: committing a path of the last evaluated tree gives the
/// same session as appending its tokens — same tokens, logits and hidden state, and the same
/// logits at later steps (so the keys and values copied into the cache are the right ones) —
/// without evaluating the tokens again where the runtime keeps the tree.
struct TreeCommitTests {
    /// A tree with branching at the root and below: 0 → {1 → 3, 2 → {4 → 6, 5}}, plus a second root 7.
    static func tree(_ tokens: [Int]) throws -> TokenTree {
        try TokenTree(tokens: tokens, parents: [-1, 0, 0, 1, 2, 2, 4, -1])
    }

    static let paths: [[Int]] = [[0], [0, 2], [0, 2, 4, 6], [0, 1, 3], [7]]

    /// The exact test model, the tree over tokens 1 2 3 4 5 6 0 3, and a session of three tokens.
    static func exactSetup() throws -> (model: ExactTestModel, tree: TokenTree, session: any ModelSession) {
        let model = ExactTestModel(vocabularySize: 8, order: 3, seed: 5)
        return (model, try tree([1, 2, 3, 4, 5, 6, 0, 3]), try model.makeSession(prompt: [0, 1, 2]))
    }

    @Test("exact model: commit equals append and evaluates nothing", arguments: paths)
    func exactModel(path: [Int]) throws {
        let (model, tree, committed) = try Self.exactSetup()
        let appended = try committed.fork()
        _ = try model.evaluateTree(tree, after: committed)
        let evaluated = model.tokensEvaluated
        try committed.commitTreePath(path, of: tree)
        #expect(model.tokensEvaluated == evaluated)
        try appended.append(path.map { tree.tokens[$0] })
        #expect(committed.tokens == appended.tokens)
        #expect(committed.logits == appended.logits)
        try committed.append([4])
        try appended.append([4])
        #expect(committed.logits == appended.logits)
    }

    @Test("exact model: a path may be committed in parts")
    func exactModelInParts() throws {
        let (model, tree, session) = try Self.exactSetup()
        _ = try model.evaluateTree(tree, after: session)
        let evaluated = model.tokensEvaluated
        try session.commitTreePath([0], of: tree)
        try session.commitTreePath([2, 4], of: tree)
        try session.commitTreePath([6], of: tree)
        #expect(model.tokensEvaluated == evaluated)
        #expect(session.tokens == [0, 1, 2, 1, 3, 5, 0])
    }

    @Test("exact model: a stale tree or a path that does not continue is appended; a broken path is a typed error")
    func exactModelFallbacks() throws {
        let (model, tree, session) = try Self.exactSetup()
        _ = try model.evaluateTree(tree, after: session)
        #expect(throws: LanguageModelError.self) { try session.commitTreePath([0, 3], of: tree) }
        #expect(throws: LanguageModelError.self) { try session.commitTreePath([9], of: tree) }
        #expect(throws: LanguageModelError.self) { try session.commitTreePath([-1], of: tree) }
        #expect(session.tokens == [0, 1, 2])
        var evaluated = model.tokensEvaluated
        // Node 2 hangs below node 0, which is not in the session: appended (evaluated).
        try session.commitTreePath([2], of: tree)
        #expect(model.tokensEvaluated == evaluated + 1)
        #expect(session.tokens == [0, 1, 2, 3])
        _ = try model.evaluateTree(tree, after: session)
        try session.append([6])
        evaluated = model.tokensEvaluated
        try session.commitTreePath([0, 1], of: tree)
        #expect(model.tokensEvaluated == evaluated + 2)
        #expect(session.tokens == [0, 1, 2, 3, 6, 1, 2])
    }

    @Test("real model: commit equals append (logits, hidden state, later steps)",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func realModel() throws {
        let url = try #require(DefaultModel.locate(), "the default model is missing (set SKIP_MODEL_TESTS=1 to skip)")
        let model = try LlamaModel(file: GGUFFile(contentsOf: url), threads: 2)
        // `def fib(n):\n    return n if n < 2 else` (19 tokens: the last cache block is partly filled and shared after a fork).
        let prompt = [1604, 3987, 24, 94, 727, 472, 1003, 304, 585, 304, 2067, 216, 34, 1745, 3987, 24, 94, 29, 33]
        let tree = try Self.tree([25, 1232, 29, 3987, 24, 94, 34, 216])
        let base = try model.makeSession(prompt: prompt)
        let baseLogits = base.logits
        for path in Self.paths {
            let committed = try base.fork()
            let appended = try base.fork()
            _ = try model.evaluateTree(tree, after: committed)
            try committed.commitTreePath(path, of: tree)
            try appended.append(path.map { tree.tokens[$0] })
            #expect(committed.tokens == appended.tokens)
            #expect(Self.maximumDifference(committed.logits, appended.logits) < 1e-3, "path \(path)")
            #expect(Self.maximumDifference(committed.hiddenState, appended.hiddenState) < 1e-3, "path \(path)")
            for token in [304, 585] {
                try committed.append([token])
                try appended.append([token])
                #expect(Self.maximumDifference(committed.logits, appended.logits) < 1e-3, "path \(path) then \(token)")
            }
        }
        // In parts: the root, then the rest of the path.
        let parts = try base.fork()
        let whole = try base.fork()
        _ = try model.evaluateTree(tree, after: parts)
        try parts.commitTreePath([0], of: tree)
        try parts.commitTreePath([2, 4, 6], of: tree)
        try whole.append([0, 2, 4, 6].map { tree.tokens[$0] })
        #expect(parts.tokens == whole.tokens)
        #expect(Self.maximumDifference(parts.logits, whole.logits) < 1e-3)
        try parts.append([304])
        try whole.append([304])
        #expect(Self.maximumDifference(parts.logits, whole.logits) < 1e-3)
        #expect(base.logits == baseLogits)
        try base.append([25])
        #expect(base.tokens == prompt + [25])
    }

    static func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
