import CBLAS
import GGUF
import Quantization

/// Best times of `tokens` random activation rows through `matrix` two ways: the integer tiles
/// (quantizing the activations included) and dequantize-then-`cblas_sgemm` in 64-row panels of
/// `source` (ggml's layout of the same weights; default `matrix` itself).
func tiledAndSgemmSeconds(
    _ matrix: QuantizedMatrix, type: GGMLType, rows: Int, columns: Int, tokens n: Int, source: QuantizedMatrix? = nil
) throws -> (tiled: Double, sgemm: Double) {
    let source = source ?? matrix
    let x = (0..<(n * columns)).map { _ in Float.random(in: -1...1) }
    let acts = try QuantizedActivations(columns: columns, capacity: n)
    var y = [Float](repeating: 0, count: n * rows)
    let tiled = try y.withUnsafeMutableBufferPointer { out in
        try bestTime {
            try acts.quantize(x)
            try matrix.multiply(acts, into: out.baseAddress!, rows: 0..<rows)
        }
    }
    let panel = 64
    var scratch = [Float](repeating: 0, count: panel * columns)
    let sgemm = try y.withUnsafeMutableBufferPointer { out in
        try scratch.withUnsafeMutableBufferPointer { scratch in
            try x.withUnsafeBufferPointer { x in
                try bestTime {
                    for r0 in stride(from: 0, to: rows, by: panel) {
                        let count = min(panel, rows - r0)
                        try Dequantizer.dequantize(
                            type, from: source.base + r0 * source.bytesPerRow, count: count * columns,
                            into: scratch.baseAddress!)
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(count), Int32(columns), 1,
                                    x.baseAddress!, Int32(columns), scratch.baseAddress!, Int32(columns), 0,
                                    out.baseAddress! + r0, Int32(rows))
                    }
                }
            }
        }
    }
    return (tiled, sgemm)
}
