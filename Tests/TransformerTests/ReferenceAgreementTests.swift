import Decoding
import Foundation
import GGUF
import Testing
import Transformer

/// The forward pass against llama.cpp's logits for the same file (`Fixtures/logits.json`).
@Suite(.enabled(if: DefaultModel.modelTestsEnabled))
struct ReferenceAgreementTests {
    /// Our logits after every prompt position: the prompt's first token as a session, the rest
    /// as a chain evaluated in one tree pass.
    static func logitsPerPosition(_ model: LlamaModel, _ ids: [Int]) throws -> [[Float]] {
        let session = try model.makeSession(prompt: [ids[0]])
        let rest = Array(ids.dropFirst())
        let chain = try TokenTree(tokens: rest, parents: rest.indices.map { $0 - 1 })
        return [session.logits] + (try model.evaluateTree(chain, after: session))
    }

    /// The largest |Δ logit| allowed where we claim llama.cpp's arithmetic: the fixtures round
    /// logits to 4 decimals. The forward pass follows llama.cpp's CPU kernels operation by
    /// operation (fused multiply-adds, F16 rounding points, summation orders, ggml's `expf`), so
    /// its logits are llama.cpp's to the last bit; any departure, however small, is amplified
    /// by this model to tenths of a logit, so this bound catches a single changed rounding.
    static let sameArithmetic: Float = 1e-3

    /// With `SWIFT_DECODING_LOGITS_DUMP=FILE` set, writes our full logits at every position of
    /// every reference prompt to FILE (raw little-endian Float32, prompt by prompt, position by
    /// position) for `Benchmarks/llama-cpp/reference_diff.py` to compare with llama.cpp.
    @Test func dumpLogitsWhenAsked() throws {
        guard let path = ProcessInfo.processInfo.environment["SWIFT_DECODING_LOGITS_DUMP"] else { return }
        let model = try ModelFixture.model()
        var data = Data()
        for reference in ReferencePrompt.all {
            for row in try Self.logitsPerPosition(model, reference.ids) {
                row.withUnsafeBytes { data.append(contentsOf: $0) }
            }
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test func fixtureIsPresent() {
        #expect(ReferencePrompt.all.count == 5)
    }

    /// The bound on |Δ logit| for the packed arithmetic (``MatrixArithmetic/packed``), which
    /// sums each block's products exactly as llama.cpp does but rounds its float accumulation in
    /// another order; this model amplifies such last-bit differences to tenths of a logit, as it
    /// does llama.cpp's own: its flash-attention and one-token-per-call paths differ from its batch
    /// path (the fixture's) by up to 0.96 and 0.66 (`reference_diff.py --llama flash|one-by-one`).
    /// So the packed arithmetic is held to llama.cpp's own spread, rounded up to 1.
    static let packedTolerance: Float = 1

    /// Where llama.cpp's best token leads its second by more than twice the tolerance, no error
    /// within the tolerance can change the argmax, so ours must be the same token; elsewhere ours
    /// must be one of llama.cpp's tokens within twice the tolerance of its best.
    static let decisiveGap: Float = 2 * packedTolerance

    @Test(arguments: [MatrixArithmetic.llamaCpp, .packed])
    func promptPositionsAgreeWithLlamaCpp(arithmetic: MatrixArithmetic) throws {
        let model = try ModelFixture.model(arithmetic)
        var positions = 0, topOneMatches = 0, worstOverlap = 10, decisive = 0
        var worstDifference: Float = 0, totalDifference: Float = 0
        for reference in ReferencePrompt.all {
            let ours = try Self.logitsPerPosition(model, reference.ids)
            for (position, expected) in reference.positions.enumerated() {
                let logits = ours[position]
                let ourTop = topIndices(logits, 10)
                let theirTop = Array(expected.top_ids.prefix(10))
                positions += 1
                if ourTop[0] == theirTop[0] {
                    topOneMatches += 1
                } else {
                    print("\(arithmetic): top-1 differs at \(reference.prompt.debugDescription) position \(position)")
                }
                let gap = expected.top_logits[0] - expected.top_logits[1]
                if gap > Self.decisiveGap {
                    decisive += 1
                    #expect(ourTop[0] == theirTop[0], "\(arithmetic) position \(position): gap \(gap)")
                } else {
                    let close = zip(expected.top_ids, expected.top_logits)
                        .filter { expected.top_logits[0] - $0.1 <= Self.decisiveGap }.map(\.0)
                    #expect(close.contains(ourTop[0]), "\(arithmetic) position \(position): \(ourTop[0]) not in \(close)")
                }
                worstOverlap = min(worstOverlap, Set(ourTop).intersection(theirTop).count)
                for (id, value) in zip(theirTop, expected.top_logits) {
                    worstDifference = max(worstDifference, abs(logits[id] - value))
                    totalDifference += abs(logits[id] - value)
                }
            }
        }
        let meanDifference = totalDifference / Float(positions * 10)
        print(
            "reference agreement (\(arithmetic)): top-1 \(topOneMatches)/\(positions) (\(decisive) decisive), "
                + "worst top-10 overlap \(worstOverlap)/10, max |Δ logit| \(worstDifference), mean |Δ logit| \(meanDifference)")
        #expect(positions == 39)
        // The bounds (issue #3), then the one each arithmetic earns. The packed arithmetic
        // parts from llama.cpp's top-1 only where llama.cpp's own top-2 gap is under
        // `decisiveGap` (checked above): measured 36/39, the three partings at gaps under 2.
        #expect(worstOverlap >= 8)
        switch arithmetic {
        case .llamaCpp:
            #expect(Double(topOneMatches) >= 0.95 * Double(positions))
            #expect(worstDifference <= Self.sameArithmetic, "no longer llama.cpp's arithmetic")
        case .packed:
            #expect(decisive >= 8)
            #expect(worstDifference <= Self.packedTolerance)
        }
    }

    /// llama.cpp's top-10 logits along the first 16 tokens of each reference continuation,
    /// prompt and continuation evaluated in one batch (`Fixtures/llama-cpp-batch-continuations.json`,
    /// made by `Benchmarks/llama-cpp/reference_diff.py --write-continuations`).
    struct BatchContinuation: Decodable {
        var prompt: String
        var continuation: [Int]
        var steps: [ReferencePrompt.Position]
    }

    static let batchContinuations: [String: BatchContinuation] = {
        let url = ModelFixture.fixtures.appendingPathComponent("llama-cpp-batch-continuations.json")
        guard let data = try? Data(contentsOf: url),
              let entries = try? JSONDecoder().decode([BatchContinuation].self, from: data)
        else { return [:] }
        return Dictionary(entries.map { ($0.prompt, $0) }, uniquingKeysWith: { a, _ in a })
    }()

    /// Decoding the reference continuation one token at a time gives, at every step, the logits
    /// llama.cpp computes for the same tokens in one batch: the KV cache, the positions past one
    /// 16-key block and the single-row path follow llama.cpp's arithmetic as the prompt does
    /// (``MatrixArithmetic/llamaCpp``).
    @Test(arguments: ReferencePrompt.all)
    func decodeStepsReproduceLlamaCppBatch(_ reference: ReferencePrompt) throws {
        let model = try ModelFixture.model(.llamaCpp)
        let expected = try #require(Self.batchContinuations[reference.prompt])
        let session = try model.makeSession(prompt: reference.ids)
        for (step, position) in expected.steps.enumerated() {
            let logits = session.logits
            #expect(topIndices(logits, 1)[0] == position.top_ids[0], "step \(step)")
            let worst = zip(position.top_ids, position.top_logits).map { abs(logits[$0] - $1) }.max() ?? 0
            #expect(worst <= Self.sameArithmetic, "step \(step): max |Δ logit| \(worst)")
            try session.append([expected.continuation[step]])
        }
    }

    /// llama.cpp's gap between its two best logits at each step of each greedy continuation
    /// (`Fixtures/llama-cpp-greedy-gaps.json`, made by `Benchmarks/llama-cpp/greedy_gaps.py`).
    static let llamaGaps: [String: [Float]] = {
        struct Entry: Decodable { var prompt: String; var greedy_top2_gaps: [Float] }
        let url = ModelFixture.fixtures.appendingPathComponent("llama-cpp-greedy-gaps.json")
        guard let data = try? Data(contentsOf: url), let entries = try? JSONDecoder().decode([Entry].self, from: data)
        else { return [:] }
        return Dictionary(entries.map { ($0.prompt, $0.greedy_top2_gaps) }, uniquingKeysWith: { a, _ in a })
    }()

    /// The reference continuations were generated one token per llama.cpp call. llama.cpp's
    /// single-token attention sums its F16 products in another order than its batch path
    /// (`ggml_vec_dot_f16` rather than tinyBLAS), and this model turns that last-bit difference
    /// into logit differences of up to ~0.2; our arithmetic is the batch path's for every row
    /// (prefill, steps, batches and trees agree exactly). So a parting is explained by a near-tie
    /// (top-2 gap under 0.05 in either engine, as the issue asks) or by llama.cpp's own batch
    /// evaluation of the same tokens parting there too. (``MatrixArithmetic/llamaCpp``; the
    /// packed arithmetic's positions are held to `packedTolerance` above.)
    @Test(arguments: ReferencePrompt.all)
    func greedyContinuationMatches(_ reference: ReferencePrompt) throws {
        let model = try ModelFixture.model(.llamaCpp)
        let theirGaps = try #require(Self.llamaGaps[reference.prompt])
        let batch = try #require(Self.batchContinuations[reference.prompt])
        let session = try model.makeSession(prompt: reference.ids)
        let steps = min(16, reference.greedy_continuation.count)
        for step in 0..<steps {
            let top = topIndices(session.logits, 2)
            let expected = reference.greedy_continuation[step]
            if top[0] != expected {
                let ourGap = session.logits[top[0]] - session.logits[expected]
                let theirGap = theirGaps[step]
                let batchParts = batch.steps[step].top_ids[0] != expected
                print(
                    "greedy parts at step \(step) of \(reference.prompt.debugDescription): ours \(top[0]), "
                        + "llama.cpp \(expected), gap ours \(ourGap), llama.cpp \(theirGap), "
                        + "llama.cpp's batch path parts too: \(batchParts)")
                #expect(
                    min(ourGap, theirGap) < 0.05 || batchParts,
                    "parted from llama.cpp at step \(step) without a near-tie")
                return
            }
            try session.append([expected])
        }
    }
}
