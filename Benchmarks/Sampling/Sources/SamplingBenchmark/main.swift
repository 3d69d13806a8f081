// Measures one token of plain sampling (load the row, run the chain, draw) through the
// public `SamplingStrategy.step`, on a model stand-in that returns a fixed row of logits.
// Usage: SamplingBenchmark LOGITS.f32 [iterations]   (raw little-endian Float32 rows)
// Prints one JSON line per configuration.
import Decoding
import Foundation

/// A "model" whose logits are a fixed row and whose appends cost nothing.
final class FixedRowModel: LanguageModel, @unchecked Sendable {
    let row: [Float]
    init(row: [Float]) { self.row = row }
    var vocabularySize: Int { row.count }
    var contextLength: Int { Int.max }
    var hiddenSize: Int { 0 }
    var specialTokens: SpecialTokens { SpecialTokens() }
    func makeSession(prompt: [Int]) throws -> any ModelSession { FixedRowSession(row: row, tokens: prompt) }
    func appendBatch(_ sessions: [any ModelSession], tokens: [Int]) throws {
        for (session, token) in zip(sessions, tokens) { try session.append([token]) }
    }
    func evaluateTree(_ tree: TokenTree, after session: any ModelSession) throws -> [[Float]] {
        Array(repeating: row, count: tree.count)
    }
}

final class FixedRowSession: ModelSession {
    let logits: [Float]
    var tokens: [Int]
    init(row: [Float], tokens: [Int]) {
        logits = row
        self.tokens = tokens
        self.tokens.reserveCapacity(1 << 16)
    }
    var hiddenState: [Float] { [] }
    func append(_ newTokens: [Int]) throws {
        if tokens.count > 60_000 { tokens.removeFirst(tokens.count - 64) }
        tokens += newTokens
    }
    func fork() throws -> any ModelSession { FixedRowSession(row: logits, tokens: tokens) }
    func rollback(to count: Int) throws { tokens.removeLast(tokens.count - count) }
}

/// CPU time of this thread in nanoseconds: unlike wall time, it excludes the time the thread
/// waited for a core, so it stays meaningful on a shared, loaded machine.
func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func readRow(_ path: String) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: SamplingBenchmark LOGITS.f32 [iterations]\n".utf8))
    exit(2)
}
let row = try readRow(arguments[1])
let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 200 : 200

let configurations: [(String, SamplingParameters)] = [
    ("default chain (top_k 40; top_p 0.95; min_p 0.05; temp 0.8)", SamplingParameters(seed: 1)),
    ("softmax + top_p 0.95 + draw", SamplingParameters(temperature: 1, topK: 0, topP: 0.95, minP: 0, seed: 1)),
    ("softmax + draw", SamplingParameters(temperature: 1, topK: 0, topP: 1, minP: 0, seed: 1)),
    ("greedy", SamplingParameters.greedy),
    ("penalties + default chain", SamplingParameters(repeatPenalty: 1.1, presencePenalty: 0.2, frequencyPenalty: 0.1, seed: 1)),
]

let model = FixedRowModel(row: row)
for (name, parameters) in configurations {
    var strategy = try parameters.makeStrategy()
    var session: any ModelSession = try model.makeSession(prompt: Array(0..<64))
    let context = StepContext(model: model, remainingTokens: Int.max)
    for _ in 0..<10 { _ = try strategy.step(&session, context: context) }  // warm-up
    var best = Double.infinity, bestCPU = Double.infinity
    var total = 0.0
    let rounds = 5
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        let startCPU = threadCPUNanoseconds()
        for _ in 0..<iterations { _ = try strategy.step(&session, context: context) }
        let perToken = Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(iterations)
        bestCPU = min(bestCPU, Double(threadCPUNanoseconds() - startCPU) / 1000 / Double(iterations))
        best = min(best, perToken)
        total += perToken
    }
    print("{\"name\": \"\(name)\", \"vocabulary\": \(row.count), \"best_us\": \(best), \"mean_us\": \(total / Double(rounds)), \"cpu_us\": \(bestCPU)}")
}
