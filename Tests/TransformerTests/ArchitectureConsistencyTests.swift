import Decoding
import Foundation
import Testing
import Transformer

/// The consistency suite on every architecture's tiny model: prefill equals token by token, a
/// batch equals its sessions one by one, a tree equals each root-to-node path, forks and
/// rollbacks equal fresh sessions, a committed tree path equals appending it — bit for bit (the
/// runtime's contract is batch invariance). Sequences run well past Gemma 3's sliding window of
/// 6 positions, so sliding-window layers are checked where the window cuts keys off.
struct ArchitectureConsistencyTests {
    static let prompt = [1, 300, 17, 42, 260, 99, 381, 5, 77, 200, 13]

    @Test(arguments: TinyModels.names)
    func prefillEqualsTokenByToken(name: String) throws {
        let model = try TinyModels.model(name)
        let batched = try model.makeSession(prompt: Self.prompt)
        let stepped = try model.makeSession(prompt: [Self.prompt[0]])
        for token in Self.prompt.dropFirst() { try stepped.append([token]) }
        #expect(batched.logits == stepped.logits)
        #expect(batched.hiddenState == stepped.hiddenState)
        // Split prefills, the second part longer than the window.
        let split = try model.makeSession(prompt: Array(Self.prompt[..<3]))
        try split.append(Array(Self.prompt[3...]))
        #expect(split.logits == batched.logits)
    }

    @Test(arguments: TinyModels.names)
    func batchEqualsSessionsOneByOne(name: String) throws {
        let model = try TinyModels.model(name)
        let prompts = [Self.prompt, [5, 6], Array(Self.prompt[..<8]) + [33, 34], [380]]
        let next = [11, 12, 13, 14]
        let batch = try prompts.map { try model.makeSession(prompt: $0) }
        for step in 0..<3 {
            try model.appendBatch(batch, tokens: next.map { $0 + step })
        }
        for (i, prompt) in prompts.enumerated() {
            let single = try model.makeSession(prompt: prompt + (0..<3).map { next[i] + $0 })
            #expect(batch[i].logits == single.logits, "session \(i)")
            #expect(batch[i].hiddenState == single.hiddenState, "session \(i)")
        }
    }

    @Test(arguments: TinyModels.names)
    func treeEqualsEveryPathAndCommitEqualsAppend(name: String) throws {
        let model = try TinyModels.model(name)
        let session = try model.makeSession(prompt: Self.prompt)
        // Two roots; one branch goes seven deep, past the window.
        let tree = try TokenTree(
            tokens: [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30],
            parents: [-1, -1, 0, 0, 2, 4, 5, 6, 7, 8, 1])
        let logits = try model.evaluateTree(tree, after: session)
        for node in 0..<tree.count {
            let path = tree.path(to: node).map { tree.tokens[$0] }
            let sequential = try model.makeSession(prompt: Self.prompt + path)
            #expect(logits[node] == sequential.logits, "node \(node)")
        }
        let path = tree.path(to: 9)
        try session.commitTreePath(path, of: tree)
        let appended = try model.makeSession(prompt: Self.prompt + path.map { tree.tokens[$0] })
        #expect(session.logits == appended.logits)
        try session.append([40, 41])
        try appended.append([40, 41])
        #expect(session.logits == appended.logits)
    }

    @Test(arguments: TinyModels.names)
    func forkAndRollbackEqualFreshSessions(name: String) throws {
        let model = try TinyModels.model(name)
        let long = Self.prompt + Array(100..<125)
        let base = try model.makeSession(prompt: long)
        let fork = try base.fork()
        try fork.append([3, 4, 5])
        try base.rollback(to: 9)
        try base.append([50, 51, 52, 53, 54, 55, 56, 57])
        let freshFork = try model.makeSession(prompt: long + [3, 4, 5])
        let freshBase = try model.makeSession(prompt: Array(long[..<9]) + [50, 51, 52, 53, 54, 55, 56, 57])
        #expect(fork.logits == freshFork.logits)
        #expect(base.logits == freshBase.logits)
        #expect(base.hiddenState == freshBase.hiddenState)
    }

    /// Gemma 3's sliding-window layers (window 6) keep their window and a margin of 256 positions,
    /// not the whole sequence; appends, trees and forks past that, rollbacks within the margin
    /// and beyond it (which evaluate the sequence again) all equal fresh sessions.
    @Test func slidingWindowCacheReleasesOldBlocksAndStaysExact() throws {
        let model = try TinyModels.model("gemma3")
        let long = (0..<420).map { 3 + ($0 * 37) % 380 }
        let session = try model.makeLlamaSession(prompt: Array(long[..<400]))
        // A block: 16 positions × 2 layers (of either kind) × keys and values × 64 floats.
        let blockBytes = 16 * 2 * 2 * 64 * 4
        // 25 blocks of full-attention layers; the sliding layers drop the 8 blocks wholly more
        // than 6 + 256 positions behind.
        #expect(session.keyValueCacheBytes == (25 + 17) * blockBytes)

        try session.append(Array(long[400..<410]))
        let fresh = try model.makeSession(prompt: Array(long[..<410]))
        #expect(session.logits == fresh.logits)
        let tree = try TokenTree(tokens: [20, 21, 22, 23], parents: [-1, 0, 1, -1])
        let fork = try session.fork()
        #expect(try model.evaluateTree(tree, after: fork) == model.evaluateTree(tree, after: fresh))
        try fork.append([5])
        #expect(fork.logits == (try model.makeSession(prompt: Array(long[..<410]) + [5])).logits)

        try session.rollback(to: 395)
        #expect(session.logits == (try model.makeSession(prompt: Array(long[..<395]))).logits)
        try session.rollback(to: 30)
        #expect(session.tokens == Array(long[..<30]))
        #expect(session.logits == (try model.makeSession(prompt: Array(long[..<30]))).logits)
        try session.append(Array(long[30..<40]))
        #expect(session.logits == (try model.makeSession(prompt: Array(long[..<40]))).logits)
    }
}
