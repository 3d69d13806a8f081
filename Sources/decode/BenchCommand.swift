import ArgumentParser
import Decoding
import Foundation
import GGUF
import Transformer

/// `decode bench` (hidden): the runtime's throughput figures as one JSON object, for
/// `Benchmarks/llama-cpp/compare.py` to set beside llama.cpp's.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prefill, decode, batched decode and tree evaluation speed (JSON).",
        shouldDisplay: false)

    @OptionGroup var modelArguments: ModelArguments

    @Option(name: .long, parsing: .unconditional, help: "Prompt length for the prefill measurement.")
    var promptTokens = 200

    @Option(name: .long, parsing: .unconditional, help: "Tokens decoded one by one (and steps of each batch).")
    var decodeTokens = 64

    @Option(name: .long, parsing: .unconditional, help: "Repetitions of the tree and single-token measurements (the best of them is reported).")
    var repetitions = 20

    @Flag(name: .long, help: "Measure prefill and single-sequence decode only (skip batches and the tree).")
    var decodeOnly = false

    func validate() throws {
        guard promptTokens >= 2, decodeTokens >= 1, repetitions >= 1 else {
            throw ValidationError("--prompt-tokens must be >= 2 and --decode-tokens, --repetitions >= 1.")
        }
    }

    func run() throws {
        let model = try LlamaModel(
            file: GGUFFile(contentsOf: try modelArguments.modelURL()), threads: modelArguments.threads,
            arithmetic: modelArguments.arithmetic.arithmetic, logger: modelArguments.logger)
        guard promptTokens + decodeTokens + 16 < model.contextLength else {
            throw ValidationError("--prompt-tokens plus --decode-tokens exceed the context.")
        }
        // A fixed, ordinary-looking token sequence (ids of common words and punctuation).
        let prompt = (0..<promptTokens).map { 200 + ($0 * 7919) % 20_000 }
        let clock = ContinuousClock()
        func seconds(_ body: () throws -> Void) rethrows -> Double {
            let start = clock.now
            try body()
            let (s, atto) = (clock.now - start).components
            return Double(s) + Double(atto) * 1e-18
        }

        _ = try model.makeSession(prompt: Array(prompt.prefix(16)))  // warm up pages and threads
        var session: (any ModelSession)!
        let prefill = try seconds { session = try model.makeSession(prompt: prompt) }

        // The greedy token, reading the logits once (as llama.cpp's side does with numpy's argmax).
        func argmax(_ logits: [Float]) -> Int { logits.indices.max { logits[$0] < logits[$1] } ?? 0 }
        var next = argmax(session.logits)
        let decode = try seconds {
            for _ in 0..<decodeTokens {
                try session.append([next])
                next = argmax(session.logits)
            }
        }

        var result: [String: Double] = [:]
        result["prefill_tokens"] = Double(promptTokens)
        result["prefill_tokens_per_second"] = Double(promptTokens) / prefill
        result["decode_tokens_per_second"] = Double(decodeTokens) / decode
        result["threads"] = Double(model.threadCount)
        if !decodeOnly {
            try measureBatchesAndTree(model: model, prompt: prompt, next: next, into: &result, seconds: seconds)
        }
        result["peak_memory_bytes"] = Double(peakMemoryBytes())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    /// Batches of 4 and 16 sequences, and a 16-node tree against one token.
    private func measureBatchesAndTree(
        model: LlamaModel, prompt: [Int], next: Int, into result: inout [String: Double],
        seconds: (() throws -> Void) throws -> Double
    ) throws {
        for size in [4, 16] {
            let sessions = try (0..<size).map { i in try model.makeSession(prompt: Array(prompt.prefix(32 + i))) }
            let time = try seconds {
                for step in 0..<decodeTokens {
                    try model.appendBatch(sessions, tokens: sessions.indices.map { 300 + ($0 * 31 + step * 17) % 10_000 })
                }
            }
            result["batch_\(size)_tokens_per_second"] = Double(size * decodeTokens) / time
        }

        // A 16-node tree after the prompt: 4 branches of 4, against one token appended.
        let tree = try TokenTree(
            tokens: (0..<16).map { 400 + $0 * 13 },
            parents: (0..<16).map { $0 % 4 == 0 ? -1 : $0 - 1 })
        let base = try model.makeSession(prompt: prompt)
        // Best of the repetitions (the machine may be shared: the minimum is the least disturbed).
        var treeTime = Double.infinity, single = Double.infinity
        for _ in 0..<repetitions {
            treeTime = min(treeTime, try seconds { _ = try model.evaluateTree(tree, after: base) })
            // A rollback re-evaluates one token, so each repetition here is two single-token passes.
            single = min(single, try seconds {
                try base.append([next])
                try base.rollback(to: prompt.count)
            } / 2)
        }

        result["tree_16_seconds"] = treeTime
        result["single_token_seconds"] = single
        result["tree_16_over_single"] = treeTime / single
    }
}
