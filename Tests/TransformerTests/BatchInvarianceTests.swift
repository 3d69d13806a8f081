import Decoding
import Foundation
import GGUF
import Testing
import Transformer

/// The runtime's arithmetic contract, batch invariance, on the real models and every tiny model:
/// a token's logits are the same bits alone, in a batch of any size (1–17), at any place in a
/// tree, in a prefill of any chunking, and with any thread count, for both ``MatrixArithmetic``s.
struct BatchInvarianceTests {
    /// A model under test: the default model (SmolLM2, packed and llama.cpp arithmetic), Gemma 3
    /// 270M when fetched, and the tiny models.
    struct Subject: CustomTestStringConvertible, Sendable {
        var name: String
        var load: @Sendable (_ threads: Int) throws -> LlamaModel
        /// Token ids that every subject's vocabulary holds.
        var tokens: [Int]
        var testDescription: String { name }
    }

    static let smolTokens = [504, 3458, 282, 4649, 314, 7042, 30, 216, 28, 9596, 13, 198, 11, 2683, 4093, 1]
    static let tinyTokens = [1, 300, 17, 42, 260, 99, 381, 5, 77, 200, 13, 20, 21, 22, 23, 24]

    static let subjects: [Subject] = {
        var all: [Subject] = []
        if let url = DefaultModel.locate() {
            for arithmetic in [MatrixArithmetic.packed, .llamaCpp] {
                all.append(Subject(name: "SmolLM2 \(arithmetic)", load: { threads in
                    try LlamaModel(file: GGUFFile(contentsOf: url), threads: threads, arithmetic: arithmetic)
                }, tokens: smolTokens))
            }
        }
        if GemmaFixture.file != nil {
            all.append(Subject(name: "gemma3-270m", load: { threads in
                try LlamaModel(file: GemmaFixture.file!, threads: threads)
            }, tokens: smolTokens))
        }
        for name in TinyModels.names {
            all.append(Subject(name: "tiny \(name)", load: { threads in
                try LlamaModel(
                    file: GGUFFile(contentsOf: TinyModels.directory.appendingPathComponent("\(name).gguf")), threads: threads)
            }, tokens: tinyTokens))
        }
        return all
    }()

    static func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// Batches of 1–17 sessions with different histories, one step each: every session's logits
    /// are those of the same session stepped alone; with 1, 2 and 3 threads.
    @Test(arguments: subjects)
    func batchesOfEverySizeEqualSessionsAlone(subject: Subject) throws {
        let two = try subject.load(2), one = try subject.load(1)
        let t = subject.tokens
        let prompts = (0..<17).map { i in Array(t[(i % 5)..<(i % 5 + 2 + i % 4)]) }
        let next = (0..<17).map { t[($0 * 7 + 3) % t.count] }
        let bases = try prompts.map { try two.makeLlamaSession(prompt: $0) }
        var alone: [[Float]] = []
        for (i, base) in bases.enumerated() {
            let session = try base.fork()
            try session.append([next[i]])
            alone.append(session.logits)
        }
        for count in 1...17 {
            let batch = try bases.prefix(count).map { try $0.fork() }
            try two.appendBatch(batch, tokens: Array(next.prefix(count)))
            for i in 0..<count {
                #expect(Self.bits(batch[i].logits) == Self.bits(alone[i]), "\(subject.name): session \(i) of \(count)")
            }
        }
        // One thread: the same bits as two.
        for i in [0, 9, 16] {
            let session = try one.makeLlamaSession(prompt: prompts[i])
            try session.append([next[i]])
            #expect(Self.bits(session.logits) == Self.bits(alone[i]), "\(subject.name): 1 thread, session \(i)")
        }
        // Three threads, the whole batch of 17 (the pool caps its threads at the cores this process
        // may use: on a 2-core machine this runs on two).
        let three = try subject.load(3)
        let batch = try prompts.map { try three.makeLlamaSession(prompt: $0) }
        try three.appendBatch(batch, tokens: next)
        for (i, session) in batch.enumerated() {
            #expect(Self.bits(session.logits) == Self.bits(alone[i]), "\(subject.name): 3 threads, session \(i)")
        }
    }

    /// Trees of several shapes (a chain, a star of 16 roots, a binary tree, a lopsided one): every
    /// node's logits are those of its root-to-node path appended to the session.
    @Test(arguments: subjects)
    func treesEqualTheirPaths(subject: Subject) throws {
        let model = try subject.load(2)
        let t = subject.tokens
        let prompt = Array(t[..<6])
        let session = try model.makeLlamaSession(prompt: prompt)
        let shapes: [[Int]] = [
            (0..<16).map { $0 - 1 },
            [Int](repeating: -1, count: 16),
            (0..<15).map { $0 == 0 ? -1 : ($0 - 1) / 2 },
            [-1, 0, 1, 2, 0, 4, -1, 6, 6, 8, 9, 10, 3, 12, 12, 14],
        ]
        for (s, parents) in shapes.enumerated() {
            let tree = try TokenTree(tokens: parents.indices.map { t[($0 * 5 + s) % t.count] }, parents: parents)
            let logits = try model.evaluateTree(tree, after: session)
            for node in 0..<tree.count {
                let path = tree.path(to: node).map { tree.tokens[$0] }
                let sequential = try session.fork()
                try sequential.append(path)
                #expect(Self.bits(logits[node]) == Self.bits(sequential.logits), "\(subject.name): shape \(s) node \(node)")
            }
        }
    }

    /// A 40-token prompt evaluated whole, token by token and in chunks of 3, 7, 16 and 17 gives the
    /// same last logits and hidden state; with 1, 2 and 3 threads.
    @Test(arguments: subjects)
    func prefillChunkingChangesNothing(subject: Subject) throws {
        let two = try subject.load(2), one = try subject.load(1)
        let t = subject.tokens
        let prompt = (0..<40).map { t[($0 * 3 + $0 / 7) % t.count] }
        let whole = try two.makeLlamaSession(prompt: prompt)
        for chunk in [1, 3, 7, 16, 17] {
            let session = try two.makeLlamaSession(prompt: Array(prompt[..<chunk]))
            var at = chunk
            while at < prompt.count {
                try session.append(Array(prompt[at..<min(prompt.count, at + chunk)]))
                at += chunk
            }
            #expect(Self.bits(session.logits) == Self.bits(whole.logits), "\(subject.name): chunks of \(chunk)")
            #expect(Self.bits(session.hiddenState) == Self.bits(whole.hiddenState), "\(subject.name): chunks of \(chunk)")
        }
        let single = try one.makeLlamaSession(prompt: prompt)
        #expect(Self.bits(single.logits) == Self.bits(whole.logits), "\(subject.name): 1 thread")
        let three = try subject.load(3).makeLlamaSession(prompt: prompt)
        #expect(Self.bits(three.logits) == Self.bits(whole.logits), "\(subject.name): 3 threads")
    }
}
