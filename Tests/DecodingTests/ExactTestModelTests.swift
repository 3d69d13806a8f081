import Foundation
import Testing
import Decoding
import DecodingTestSupport

@Suite struct ExactTestModelTests {
    @Test func distributionsAreExactAndSumToOne() throws {
        let model = ExactTestModel(vocabularySize: 6, seed: 3)
        let distribution = try model.continuationDistribution(after: [0], length: 3)
        #expect(abs(distribution.values.reduce(0, +) - 1) < 1e-12)
        for (sequence, p) in distribution {
            #expect(abs(try model.probability(of: sequence, after: [0]) - p) < 1e-15)
            #expect(sequence.count == 3 || sequence.last == model.eos)
        }
        // The distribution depends on the context, and only on its last `order` tokens.
        #expect(model.probabilities(after: [0, 1]) != model.probabilities(after: [0, 2]))
        #expect(model.probabilities(after: [4, 0, 1]) == model.probabilities(after: [3, 0, 1]))
        var chain: LogitProcessorChain? = LogitProcessorChain([try TopKProcessor(2)])
        #expect(try model.nextProbabilities(after: [1], chain: &chain).filter { $0 > 0 }.count == 2)
    }

    @Test func sessionsFollowTheExactFunction() throws {
        let model = ExactTestModel(vocabularySize: 8)
        let session = try model.makeSession(prompt: [1, 2])
        try session.append([3, 4])
        #expect(session.tokens == [1, 2, 3, 4])
        #expect(session.logits == model.logits(after: [1, 2, 3, 4]))
        #expect(session.hiddenState == model.hiddenState(after: [3, 4]))
        #expect(session.hiddenState.count == model.hiddenSize)
    }

    @Test func forkAndRollbackAreConsistent() throws {
        let model = ExactTestModel()
        let session = try model.makeSession(prompt: [0, 1, 2])
        let fork = try session.fork()
        try fork.append([5])
        #expect(session.tokens == [0, 1, 2])
        #expect(fork.tokens == [0, 1, 2, 5])
        try fork.rollback(to: 3)
        #expect(fork.logits == session.logits)
        #expect(throws: LanguageModelError.invalidRollback(to: 0, length: 3)) { try fork.rollback(to: 0) }
        #expect(throws: LanguageModelError.invalidRollback(to: 4, length: 3)) { try fork.rollback(to: 4) }
    }

    @Test func batchEqualsOneByOne() throws {
        let model = ExactTestModel()
        let a = try model.makeSession(prompt: [0]), b = try model.makeSession(prompt: [1, 2])
        let a1 = try model.makeSession(prompt: [0]), b1 = try model.makeSession(prompt: [1, 2])
        let calls = model.modelCalls
        try model.appendBatch([a, b], tokens: [3, 4])
        #expect(model.modelCalls == calls + 1)
        try a1.append([3])
        try b1.append([4])
        #expect(a.logits == a1.logits && b.logits == b1.logits)
        #expect(throws: LanguageModelError.batchMismatch(sessions: 2, tokens: 1)) { try model.appendBatch([a, b], tokens: [1]) }
        #expect(throws: LanguageModelError.foreignSession) {
            try model.appendBatch([try ExactTestModel().makeSession(prompt: [0])], tokens: [1])
        }
        #expect(throws: LanguageModelError.tokenOutOfRange(8, vocabularySize: 8)) { try model.appendBatch([a], tokens: [8]) }
        #expect(a.tokens == [0, 3])
    }

    @Test func treeEqualsSequentialPaths() throws {
        let model = ExactTestModel()
        let session = try model.makeSession(prompt: [2, 3])
        let tree = try TokenTree(tokens: [1, 4, 5, 0, 6], parents: [-1, 0, 0, -1, 3])
        let rows = try model.evaluateTree(tree, after: session)
        #expect(session.tokens == [2, 3])
        for node in 0..<tree.count {
            let path = tree.path(to: node).map { tree.tokens[$0] }
            let sequential = try session.fork()
            for token in path { try sequential.append([token]) }
            #expect(rows[node] == sequential.logits)
        }
    }

    @Test func rejectsBadInput() throws {
        let model = ExactTestModel(contextLength: 4)
        #expect(throws: LanguageModelError.emptyPrompt) { try model.makeSession(prompt: []) }
        #expect(throws: LanguageModelError.contextFull(limit: 4, requested: 5)) { try model.makeSession(prompt: [0, 0, 0, 0, 0]) }
        let session = try model.makeSession(prompt: [0, 1, 2])
        #expect(throws: LanguageModelError.contextFull(limit: 4, requested: 5)) { try session.append([1, 1]) }
        #expect(throws: LanguageModelError.tokenOutOfRange(-1, vocabularySize: 8)) { try session.append([-1]) }
        #expect(throws: LanguageModelError.contextFull(limit: 4, requested: 5)) {
            try model.evaluateTree(try TokenTree(tokens: [1, 1], parents: [-1, 0]), after: session)
        }
    }
}
