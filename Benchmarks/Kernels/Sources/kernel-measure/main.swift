// Quick kernel measurements printed as tables: matrix × vector at each instruction-set level on
// the default model's shapes, a whole-model matvec pass, and the batched path (tiled integer
// kernel vs dequantize-rows + OpenBLAS sgemm), and the K-quant / Q5 integer kernels against the
// float path they replaced. Single thread; each figure is the best of several
// runs, timed in thread CPU time (CLOCK_THREAD_CPUTIME_ID) so that other processes on a shared
// machine do not count; and the ggml layout against the packed one, alternating.
// Run: swift run -c release kernel-measure [--kquants | --packed | --float]
import CBLAS
import Foundation
import GGUF
import Quantization

func threadCPUTime() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = threadCPUTime()
    try body()
    return threadCPUTime() - start
}

/// Best time per call in seconds: repeats `body` in runs of ≥ 30 ms, seven runs.
func bestTime(_ body: () throws -> Void) rethrows -> Double {
    try body()
    var iterations = 1
    while try seconds({ for _ in 0..<iterations { try body() } }) < 0.03 { iterations *= 2 }
    var best = Double.infinity
    for _ in 0..<7 { best = min(best, try seconds { for _ in 0..<iterations { try body() } } / Double(iterations)) }
    return best
}

func randomMatrix(_ type: GGMLType, rows: Int, columns: Int) throws -> (QuantizedMatrix, UnsafeMutableRawBufferPointer) {
    var rng = SystemRandomNumberGenerator()
    let values = (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &rng) }
    let bytes = try Quantizer.quantize(values, as: type)
    let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
    storage.copyBytes(from: bytes)
    return (try QuantizedMatrix(type: type, rows: rows, columns: columns, base: UnsafeRawPointer(storage.baseAddress!), byteCount: bytes.count), storage)
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
func fmt(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }

openblas_set_num_threads(1)
let levels = KernelLevel.allCases.filter { $0 <= KernelLevel.best }
print("kernel levels on this CPU: \(levels.map { "\($0)" }.joined(separator: ", "))")

// `--packed`: only the ggml-layout vs packed-layout A/B (6., Packed.swift).
if CommandLine.arguments.contains("--packed") {
    try measurePacked()
    exit(0)
}

// `--float`: only float weight files against OpenBLAS (FloatWeights.swift).
if CommandLine.arguments.contains("--float") {
    try measureFloatWeights()
    exit(0)
}

// `--kquants`: only the K-quant / Q5 section (5., KQuants.swift).
if CommandLine.arguments.contains("--kquants") {
    try measureKQuants(levels: levels)
    exit(0)
}

// 1. Matrix × vector, one token, hot in cache after the first call.
print("\n## matvec, one token (rows × columns, best of 7 in thread CPU time; GB/s of weight bytes read)\n")
print("| type | shape | " + levels.map { "\($0) µs | \($0) GB/s" }.joined(separator: " | ") + " |")
print("|---|---|" + levels.map { _ in "---|---" }.joined(separator: "|") + "|")
for type in [GGMLType.q4_1, .q8_0, .f32] {
    for (rows, columns) in [(576, 576), (1536, 576), (576, 1536), (49152, 576)] {
        if type == .f32 && rows == 49152 { continue }
        let (matrix, storage) = try randomMatrix(type, rows: rows, columns: columns)
        defer { storage.deallocate() }
        let acts = try QuantizedActivations(columns: columns)
        try acts.quantize((0..<columns).map { _ in Float.random(in: -1...1) })
        var y = [Float](repeating: 0, count: rows)
        var cells: [String] = []
        for level in levels {
            let t = try y.withUnsafeMutableBufferPointer { out in
                try bestTime { try matrix.multiply(acts, into: out.baseAddress!, rows: 0..<rows, level: level) }
            }
            cells.append("\(fmt(t * 1e6)) | \(fmt(Double(rows * matrix.bytesPerRow) / t / 1e9))")
        }
        print("| \(type) | \(rows)×\(columns) | " + cells.joined(separator: " | ") + " |")
    }
}

// 2. The default model's matvec work for one token (30 layers × 7 matrices + tied output),
// streaming ~100 MB of weights from memory as the forward pass does.
if let url = DefaultModel.locate(from: URL(fileURLWithPath: #filePath)) {
    let file = try GGUFFile(contentsOf: url)
    let layers = (try? file.metadata.uint32("llama.block_count")).map(Int.init) ?? 30
    var matrices: [QuantizedMatrix] = []
    for layer in 0..<layers {
        for name in ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"] {
            matrices.append(try QuantizedMatrix(file: file, tensor: "blk.\(layer).\(name).weight"))
        }
    }
    matrices.append(try QuantizedMatrix(file: file, tensor: "token_embd.weight"))
    let inputs = try [576, 1536].map { columns in
        let acts = try QuantizedActivations(columns: columns)
        try acts.quantize((0..<columns).map { _ in Float.random(in: -1...1) })
        return acts
    }
    let totalBytes = matrices.reduce(0) { $0 + $1.rows * $1.bytesPerRow }
    var y = [Float](repeating: 0, count: 49152)
    print("\n## whole-model matvec pass, one token, one thread (\(matrices.count) matrices, \(fmt(Double(totalBytes) / 1e6)) MB)\n")
    print("| level | ms per token | GB/s |")
    print("|---|---|---|")
    for level in levels {
        let t = try y.withUnsafeMutableBufferPointer { out in
            try bestTime {
                for m in matrices { try m.multiply(m.columns == 576 ? inputs[0] : inputs[1], into: out.baseAddress!, rows: 0..<m.rows, level: level) }
            }
        }
        print("| \(level) | \(fmt(t * 1e3, 2)) | \(fmt(Double(totalBytes) / t / 1e9)) |")
    }
} else {
    print("\n(default model not found: whole-model pass skipped)")
}

// 3. Batches: tiled integer kernel (each weight row decoded once per 4 tokens, read once per
// batch) vs dequantizing 64-row panels into a reused scratch and calling cblas_sgemm.
print("\n## batched multiply, n tokens (µs per call; per-token cost in parentheses)\n")
print("| type | shape | n | tiled integer | dequantize + sgemm | faster |")
print("|---|---|---|---|---|---|")
for type in [GGMLType.q4_1, .q8_0] {
    for (rows, columns) in [(576, 576), (1536, 576), (576, 1536)] {
        let (matrix, storage) = try randomMatrix(type, rows: rows, columns: columns)
        defer { storage.deallocate() }
        for n in [4, 16, 64, 256] {
            let (tiled, sgemm) = try tiledAndSgemmSeconds(matrix, type: type, rows: rows, columns: columns, tokens: n)
            print("| \(type) | \(rows)×\(columns) | \(n) | \(fmt(tiled * 1e6)) (\(fmt(tiled * 1e6 / Double(n)))) | \(fmt(sgemm * 1e6)) (\(fmt(sgemm * 1e6 / Double(n)))) | \(tiled < sgemm ? "tiled ×\(fmt(sgemm / tiled, 2))" : "sgemm ×\(fmt(tiled / sgemm, 2))") |")
        }
    }
}

// 4. The tiled integer kernel at each SIMD level for the batch sizes the runtime meets: one token
// (decode), 4 and 16 (batched sequences, a 16-node tree) and 17 (a tree plus the token before it).
let simdLevels = levels.filter { $0 >= .avx2 }
print("\n## tiled integer kernel by level (µs per call; ns per (block, token) pair in parentheses)\n")
print("| type | shape | n | " + simdLevels.map { "\($0)" }.joined(separator: " | ") + " |")
print("|---|---|---|" + simdLevels.map { _ in "---" }.joined(separator: "|") + "|")
for (type, rows, columns) in [(GGMLType.q4_1, 1536, 576), (.q4_1, 576, 1536), (.q8_0, 49152, 576)] {
    let (matrix, storage) = try randomMatrix(type, rows: rows, columns: columns)
    defer { storage.deallocate() }
    for n in [1, 4, 16, 17] {
        let acts = try QuantizedActivations(columns: columns, capacity: n)
        try acts.quantize((0..<(n * columns)).map { _ in Float.random(in: -1...1) })
        var y = [Float](repeating: 0, count: n * rows)
        let pairs = Double(rows * columns / 32 * n)
        let cells = try simdLevels.map { level in
            let t = try y.withUnsafeMutableBufferPointer { out in
                try bestTime { try matrix.multiply(acts, into: out.baseAddress!, rows: 0..<rows, level: level) }
            }
            return "\(fmt(t * 1e6)) (\(fmt(t * 1e9 / pairs, 2)))"
        }
        print("| \(type) | \(rows)×\(columns) | \(n) | " + cells.joined(separator: " | ") + " |")
    }
}

// 5. The K-quants and Q5_0 / Q5_1 (KQuants.swift).
try measureKQuants(levels: levels)

// 6. The ggml layout against the packed one (Packed.swift).
try measurePacked()
