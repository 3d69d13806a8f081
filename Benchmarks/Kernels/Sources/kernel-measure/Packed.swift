import Foundation
import GGUF
import Quantization

/// Same-run A/B of the two layouts at the best level: the ggml layout's tiles (llama.cpp's
/// arithmetic) against the packed layout (16 interleaved rows, one integer sum per (row, token,
/// block)), on the real models' weight types and shapes, for decode (n = 1), batches and trees
/// (4, 16, 17) and prefill chunks (64, 256). The two run alternately, seven rounds, and each
/// keeps its best round, in thread CPU time.
func measurePacked() throws {
    print("\n## ggml layout vs packed layout, best level, one thread (µs per call; ns per (row block, token) pair)\n")
    print("| type | shape (rows×columns) | n | ggml tiles | packed | packed faster |")
    print("|---|---|---|---|---|---|")
    let shapes: [(GGMLType, Int, Int)] = [
        (.q4_1, 576, 576), (.q4_1, 1536, 576), (.q4_1, 576, 1536), (.q8_0, 49152, 576),
        (.q5_0, 2048, 640), (.q4_K, 640, 2048), (.q6_K, 640, 2048), (.q4_K, 640, 1024), (.q8_0, 262144, 640),
    ]
    for (type, rows, columns) in shapes {
        let (matrix, storage) = try randomMatrix(type, rows: rows, columns: columns)
        defer { storage.deallocate() }
        let packed = try matrix.packed()
        let sizes = rows > 100_000 ? [1, 16] : [1, 4, 16, 17, 64, 256]
        for n in sizes {
            let acts = try QuantizedActivations(columns: columns, capacity: n)
            try acts.quantize((0..<(n * columns)).map { _ in Float.random(in: -1...1) })
            var y = [Float](repeating: 0, count: n * rows)
            let (a, b) = try y.withUnsafeMutableBufferPointer { out in
                try alternating(
                    { try matrix.multiply(acts, into: out.baseAddress!, rows: 0..<rows) },
                    { try packed.multiply(acts, into: out.baseAddress!, rows: 0..<rows) })
            }
            let pairs = Double(rows * columns / 32 * n)
            print("| \(type) | \(rows)×\(columns) | \(n) | \(fmt(a * 1e6)) (\(fmt(a * 1e9 / pairs, 2))) | \(fmt(b * 1e6)) (\(fmt(b * 1e9 / pairs, 2))) | ×\(fmt(a / b, 2)) |")
        }
    }
}

/// Best time per call of `first` and of `second`, run alternately: seven rounds of each, every
/// round repeating its body for ≥ 30 ms.
func alternating(_ first: () throws -> Void, _ second: () throws -> Void) rethrows -> (Double, Double) {
    try first()
    try second()
    var iterations = 1
    while try seconds({ for _ in 0..<iterations { try first() } }) < 0.03 { iterations *= 2 }
    var best = (Double.infinity, Double.infinity)
    for _ in 0..<7 {
        best.0 = min(best.0, try seconds { for _ in 0..<iterations { try first() } } / Double(iterations))
        best.1 = min(best.1, try seconds { for _ in 0..<iterations { try second() } } / Double(iterations))
    }
    return best
}
