import CBLAS
import GGUF
import Quantization

/// Issue 17, item 3: where would OpenBLAS win? Float weight files (F32, F16, BF16) at the default
/// model's shapes, n tokens at once, one thread, best of 7 in thread CPU time:
/// - `ours`: `QuantizedMatrix.multiply` (the float kernels: one dot product per (row, token) in
///   a fixed order, so batch invariant);
/// - `sgemm`: `cblas_sgemm` on an F32 copy of the weights made once (its best case: F16 and
///   BF16 files would need twice their memory for it). Debian's OpenBLAS 0.3.21 declares
///   `cblas_sbgemm` but is built without it (the symbol is not exported), so BF16 has no BLAS
///   path of its own here.
///
/// Then the packed integer kernels against dequantize + `cblas_sgemm` for long prefills of
/// quantized weights. And whether the BLAS results are batch invariant: the tokens of a batch whose outputs differ
/// in any bit from the same token multiplied alone (`n = 1`), with OpenBLAS on 1 and 2 threads.
func measureFloatWeights() throws {
    print("\n## float weights: ours against OpenBLAS (µs per call, one thread; ratio = ours / BLAS)\n")
    print("| type | shape | n | ours | sgemm (F32 copy) | ours / sgemm |")
    print("|---|---|---|---|---|---|")
    for type in [GGMLType.f32, .f16, .bf16] {
        for (rows, columns) in [(1536, 576), (576, 1536), (49152, 576)] {
            let (matrix, storage) = try randomMatrix(type, rows: rows, columns: columns)
            defer { storage.deallocate() }
            let weights = try Dequantizer.dequantize(
                type, bytes: UnsafeRawBufferPointer(start: matrix.base, count: rows * matrix.bytesPerRow),
                count: rows * columns)
            let ns = rows == 49152 ? [1, 16, 64] : [1, 16, 64, 256]
            for n in ns {
                let x = (0..<(n * columns)).map { _ in Float.random(in: -1...1) }
                let acts = try QuantizedActivations(columns: columns, capacity: n)
                var y = [Float](repeating: 0, count: n * rows)
                let ours = try y.withUnsafeMutableBufferPointer { out in
                    try bestTime {
                        try acts.quantize(x)
                        try matrix.multiply(acts, into: out.baseAddress!, rows: 0..<rows)
                    }
                }
                let sgemm = y.withUnsafeMutableBufferPointer { out in
                    bestTime { sgemmRows(weights, x, rows: rows, columns: columns, n: n, into: out.baseAddress!) }
                }
                print("| \(type) | \(rows)×\(columns) | \(n) | \(fmt(ours * 1e6)) | \(fmt(sgemm * 1e6)) | \(fmt(ours / sgemm, 2)) |")
            }
        }
    }

    print("\n## quantized weights in long prefills: packed integer kernel against dequantize + sgemm (µs per call, one thread)\n")
    print("| type | shape | n | packed | dequantize + sgemm | packed / sgemm |")
    print("|---|---|---|---|---|---|")
    for (type, rows, columns) in [(GGMLType.q4_1, 1536, 576), (.q4_1, 576, 1536), (.q4_K, 1536, 1536), (.q8_0, 49152, 576)] {
        let (matrix, storage) = try randomMatrix(type, rows: rows, columns: columns)
        defer { storage.deallocate() }
        let packed = try matrix.packed()
        for n in rows == 49152 ? [64, 256] : [64, 256, 512] {
            let (tiled, sgemm) = try tiledAndSgemmSeconds(packed, type: type, rows: rows, columns: columns, tokens: n, source: matrix)
            print("| \(type) | \(rows)×\(columns) | \(n) | \(fmt(tiled * 1e6)) | \(fmt(sgemm * 1e6)) | \(fmt(tiled / sgemm, 2)) |")
        }
    }

    print("\n## is cblas_sgemm batch invariant? tokens of a batch whose row differs in any bit from the token alone\n")
    print("| shape | n | OpenBLAS threads | tokens differing | max abs difference |")
    print("|---|---|---|---|---|")
    for (rows, columns) in [(1536, 576), (576, 1536)] {
        let weights = (0..<(rows * columns)).map { _ in Float.random(in: -1...1) }
        for threads in [1, 2] {
            openblas_set_num_threads(Int32(threads))
            for n in [4, 16, 64, 256] {
                let x = (0..<(n * columns)).map { _ in Float.random(in: -1...1) }
                var batch = [Float](repeating: 0, count: n * rows)
                batch.withUnsafeMutableBufferPointer { sgemmRows(weights, x, rows: rows, columns: columns, n: n, into: $0.baseAddress!) }
                var differing = 0
                var maxDifference: Float = 0
                var alone = [Float](repeating: 0, count: rows)
                for t in 0..<n {
                    let xt = Array(x[(t * columns)..<((t + 1) * columns)])
                    alone.withUnsafeMutableBufferPointer { sgemmRows(weights, xt, rows: rows, columns: columns, n: 1, into: $0.baseAddress!) }
                    let row = batch[(t * rows)..<((t + 1) * rows)]
                    if !zip(row, alone).allSatisfy({ $0.bitPattern == $1.bitPattern }) { differing += 1 }
                    maxDifference = max(maxDifference, zip(row, alone).map { abs($0 - $1) }.max() ?? 0)
                }
                print("| \(rows)×\(columns) | \(n) | \(threads) | \(differing) of \(n) | \(maxDifference) |")
            }
        }
    }
    openblas_set_num_threads(1)
}

/// `y[t · rows + r] = Σ_c W[r, c] · x_t[c]` by `cblas_sgemm`.
private func sgemmRows(_ weights: [Float], _ x: [Float], rows: Int, columns: Int, n: Int, into y: UnsafeMutablePointer<Float>) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(n), blasint(rows), blasint(columns), 1,
                x, blasint(columns), weights, blasint(columns), 0, y, blasint(rows))
}
