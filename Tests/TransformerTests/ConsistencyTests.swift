import Decoding
import Foundation
import GGUF
import Testing
import Transformer

/// Every way of reaching the same sequence gives the same logits: prefill and token-by-token,
/// batches and single sessions, trees and the paths through them, forks and rollbacks and
/// fresh sessions.
@Suite(.enabled(if: DefaultModel.modelTestsEnabled))
struct ConsistencyTests {
    static let prompt = [504, 3458, 282, 4649, 314, 7042, 30, 216]
    static let tolerance: Float = 1e-3

    @Test func prefillEqualsTokenByToken() throws {
        let model = try ModelFixture.model()
        let batched = try model.makeSession(prompt: Self.prompt)
        let stepped = try model.makeSession(prompt: [Self.prompt[0]])
        for token in Self.prompt.dropFirst() { try stepped.append([token]) }
        #expect(batched.tokens == stepped.tokens)
        #expect(maxDifference(batched.logits, stepped.logits) <= Self.tolerance)
        #expect(maxDifference(batched.hiddenState, stepped.hiddenState) <= Self.tolerance)
    }

    @Test func prefillLongerThanOneChunkEqualsAppends() throws {
        let model = try ModelFixture.model()
        let long = (0..<300).map { 200 + ($0 * 37) % 5000 }
        let whole = try model.makeSession(prompt: long)
        let split = try model.makeSession(prompt: Array(long[..<150]))
        try split.append(Array(long[150...]))
        #expect(whole.count == 300)
        #expect(maxDifference(whole.logits, split.logits) <= Self.tolerance)
    }

    @Test func batchEqualsSessionsOneByOne() throws {
        let model = try ModelFixture.model()
        let prompts = [[504, 3458, 282], [1, 4093, 198, 2683, 314], [28, 9596], [504, 3458, 282]]
        let next = [4649, 30, 216, 11]
        let batch = try prompts.map { try model.makeSession(prompt: $0) }
        try model.appendBatch(batch, tokens: next)
        for (i, prompt) in prompts.enumerated() {
            let single = try model.makeSession(prompt: prompt)
            try single.append([next[i]])
            #expect(batch[i].tokens == prompt + [next[i]])
            #expect(maxDifference(batch[i].logits, single.logits) <= Self.tolerance)
            #expect(maxDifference(batch[i].hiddenState, single.hiddenState) <= Self.tolerance)
        }
        // A second step of the same batch keeps agreeing (caches were written correctly).
        try model.appendBatch(batch, tokens: [13, 13, 13, 13])
        let single = try model.makeSession(prompt: prompts[1] + [next[1], 13])
        #expect(maxDifference(batch[1].logits, single.logits) <= Self.tolerance)
    }

    @Test func batchOfForksSharingABlockEqualsFreshSessions() throws {
        let model = try ModelFixture.model()
        let parent = try model.makeSession(prompt: Array(Self.prompt[..<5]))
        let forks = try (0..<3).map { _ in try parent.fork() }
        try model.appendBatch(forks, tokens: [30, 216, 4649])
        for (fork, token) in zip(forks, [30, 216, 4649]) {
            let fresh = try model.makeSession(prompt: Array(Self.prompt[..<5]) + [token])
            #expect(maxDifference(fork.logits, fresh.logits) <= Self.tolerance)
        }
        #expect(parent.count == 5)
        let freshParent = try model.makeSession(prompt: Array(Self.prompt[..<5]))
        #expect(maxDifference(parent.logits, freshParent.logits) <= Self.tolerance)
    }

    @Test func treeEqualsEveryRootToNodePath() throws {
        let model = try ModelFixture.model()
        let session = try model.makeSession(prompt: Self.prompt)
        // Two roots; the first branches twice, one branch goes three deep.
        let tree = try TokenTree(
            tokens: [504, 28, 3458, 282, 13, 11, 198, 4649],
            parents: [-1, -1, 0, 0, 2, 4, 1, 3])
        let before = session.logits
        let logits = try model.evaluateTree(tree, after: session)
        #expect(logits.count == tree.count)
        #expect(session.tokens == Self.prompt)
        #expect(session.logits == before)
        for node in 0..<tree.count {
            let path = tree.path(to: node).map { tree.tokens[$0] }
            let sequential = try model.makeSession(prompt: Self.prompt + path)
            #expect(maxDifference(logits[node], sequential.logits) <= Self.tolerance, "node \(node)")
        }
    }

    @Test func forkAndRollbackEqualFreshSessions() throws {
        let model = try ModelFixture.model()
        let base = try model.makeSession(prompt: Self.prompt)
        let fork = try base.fork()
        try fork.append([13, 198, 504])
        try base.append([28])
        #expect(base.tokens == Self.prompt + [28])
        #expect(fork.tokens == Self.prompt + [13, 198, 504])
        let freshBase = try model.makeSession(prompt: Self.prompt + [28])
        let freshFork = try model.makeSession(prompt: Self.prompt + [13, 198, 504])
        #expect(maxDifference(base.logits, freshBase.logits) <= Self.tolerance)
        #expect(maxDifference(fork.logits, freshFork.logits) <= Self.tolerance)

        try fork.rollback(to: 4)
        let freshShort = try model.makeSession(prompt: Array(Self.prompt[..<4]))
        #expect(fork.tokens == Array(Self.prompt[..<4]))
        #expect(maxDifference(fork.logits, freshShort.logits) <= Self.tolerance)
        #expect(maxDifference(fork.hiddenState, freshShort.hiddenState) <= Self.tolerance)
        // Appending after a rollback overwrites the forgotten positions.
        try fork.append([11, 11])
        let freshAfter = try model.makeSession(prompt: Array(Self.prompt[..<4]) + [11, 11])
        #expect(maxDifference(fork.logits, freshAfter.logits) <= Self.tolerance)
        // The base never saw any of this.
        try base.rollback(to: base.count)
        #expect(maxDifference(base.logits, freshBase.logits) <= Self.tolerance)
    }

    @Test func forkAcrossABlockBoundaryEqualsFreshSession() throws {
        let model = try ModelFixture.model()
        let prompt = (0..<40).map { 300 + $0 * 11 }
        let base = try model.makeSession(prompt: prompt)
        let fork = try base.fork()
        try base.rollback(to: 20)
        try base.append([5, 6, 7])
        try fork.append([8])
        let freshFork = try model.makeSession(prompt: prompt + [8])
        let freshBase = try model.makeSession(prompt: Array(prompt[..<20]) + [5, 6, 7])
        #expect(maxDifference(fork.logits, freshFork.logits) <= Self.tolerance)
        #expect(maxDifference(base.logits, freshBase.logits) <= Self.tolerance)
    }
}
