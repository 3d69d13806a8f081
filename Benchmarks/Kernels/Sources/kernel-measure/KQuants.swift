// The integer kernels of the K-quants (Q4_K, Q5_K, Q6_K) and of Q5_0 / Q5_1 at the shapes of a
// Q4_K_M model whose width is not a multiple of 256 (Gemma 3 270M: width 640, FFN 2048, so its
// 640-column matrices fall back to Q5_0 and only the 2048-column ones are K-quants), with Q4_1 and
// Q8_0 at the same shapes for comparison, against the float path they replaced (each row expanded
// to Float32, then a float dot product; for batches dequantize + sgemm).
// Run alone with: swift run -c release kernel-measure --kquants
import CBLAS
import GGUF
import Quantization

func measureKQuants(levels: [KernelLevel]) throws {
    let cases: [(GGMLType, Int, Int)] = [
        (.q4_K, 640, 2048), (.q5_K, 640, 2048), (.q6_K, 640, 2048), (.q4_K, 2048, 2048), (.q6_K, 2048, 2048),
        (.q4_1, 640, 2048), (.q8_0, 640, 2048),
        (.q5_0, 2048, 640), (.q5_1, 2048, 640), (.q5_0, 640, 640), (.q4_1, 2048, 640), (.q8_0, 2048, 640),
    ]
    print("\n## K-quants and Q5: matvec, one token (µs, GB/s of weight bytes; float path = expand row + sdot)\n")
    print("| type | shape | " + levels.map { "\($0) µs | \($0) GB/s" }.joined(separator: " | ") + " | float path µs | integer ×faster |")
    print("|---|---|" + levels.map { _ in "---|---" }.joined(separator: "|") + "|---|---|")
    for (type, rows, columns) in cases {
        let (matrix, storage) = try randomMatrix(type, rows: rows, columns: columns)
        defer { storage.deallocate() }
        let x = (0..<columns).map { _ in Float.random(in: -1...1) }
        let acts = try QuantizedActivations(columns: columns)
        try acts.quantize(x)
        var y = [Float](repeating: 0, count: rows)
        var cells: [String] = []
        var best = Double.infinity
        for level in levels {
            let t = try y.withUnsafeMutableBufferPointer { out in
                try bestTime { try matrix.multiply(acts, into: out.baseAddress!, rows: 0..<rows, level: level) }
            }
            best = min(best, t)
            cells.append("\(fmt(t * 1e6)) | \(fmt(Double(rows * matrix.bytesPerRow) / t / 1e9))")
        }
        var scratch = [Float](repeating: 0, count: columns)
        let float = try y.withUnsafeMutableBufferPointer { out in
            try scratch.withUnsafeMutableBufferPointer { row in
                try x.withUnsafeBufferPointer { x in
                    try bestTime {
                        for r in 0..<rows {
                            try matrix.dequantizeRow(r, into: row.baseAddress!)
                            out[r] = cblas_sdot(Int32(columns), row.baseAddress!, 1, x.baseAddress!, 1)
                        }
                    }
                }
            }
        }
        print("| \(type) | \(rows)×\(columns) | " + cells.joined(separator: " | ") + " | \(fmt(float * 1e6)) | ×\(fmt(float / best, 2)) |")
    }

    print("\n## K-quants and Q5: batched, n = 16 (µs per call, best level; float path = dequantize 64-row panels + sgemm)\n")
    print("| type | shape | tiled integer | dequantize + sgemm | faster |")
    print("|---|---|---|---|---|")
    let n = 16
    for (type, rows, columns) in cases {
        let (matrix, storage) = try randomMatrix(type, rows: rows, columns: columns)
        defer { storage.deallocate() }
        let (tiled, sgemm) = try tiledAndSgemmSeconds(matrix, type: type, rows: rows, columns: columns, tokens: n)
        print("| \(type) | \(rows)×\(columns) | \(fmt(tiled * 1e6)) | \(fmt(sgemm * 1e6)) | \(tiled < sgemm ? "tiled ×\(fmt(sgemm / tiled, 2))" : "sgemm ×\(fmt(tiled / sgemm, 2))") |")
    }
}
