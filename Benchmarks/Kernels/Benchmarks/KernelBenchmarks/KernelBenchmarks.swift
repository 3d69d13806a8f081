// package-benchmark suites for the Quantization kernels at the default model's shapes:
// Q4_1 and Q8_0 matrix × vector (576×576, 1536×576, 576×1536, 49152×576) and the batched
// (tiled) path at n = 4 and 16, plus the 49152-row output head at n = 16 (a 16-node tree).
// Run from this folder: swift package benchmark
import Benchmark
import GGUF
import Quantization

/// A random matrix of `type` quantized once, kept alive for the process.
final class Weights: @unchecked Sendable {
    let matrix: QuantizedMatrix
    let storage: UnsafeMutableRawBufferPointer

    init(_ type: GGMLType, rows: Int, columns: Int) throws {
        var rng = SystemRandomNumberGenerator()
        let values = (0..<(rows * columns)).map { _ in Float.random(in: -1...1, using: &rng) }
        let bytes = try Quantizer.quantize(values, as: type)
        storage = .allocate(byteCount: bytes.count, alignment: 64)
        storage.copyBytes(from: bytes)
        matrix = try QuantizedMatrix(type: type, rows: rows, columns: columns, base: UnsafeRawPointer(storage.baseAddress!), byteCount: bytes.count)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(1))
    for type in [GGMLType.q4_1, .q8_0] {
        for (rows, columns) in [(576, 576), (1536, 576), (576, 1536), (49152, 576)] {
            Benchmark("matvec \(type) \(rows)x\(columns)") { (benchmark, context: (Weights, QuantizedActivations, UnsafeMutableBufferPointer<Float>)) in
                let (weights, acts, output) = context
                do {
                    for _ in benchmark.scaledIterations {
                        try weights.matrix.multiply(acts, into: output.baseAddress!, rows: 0..<rows)
                    }
                } catch {
                    benchmark.error("\(error)")
                }
            } setup: {
                let weights = try Weights(type, rows: rows, columns: columns)
                let acts = try QuantizedActivations(columns: columns)
                try acts.quantize((0..<columns).map { _ in Float.random(in: -1...1) })
                return (weights, acts, UnsafeMutableBufferPointer<Float>.allocate(capacity: rows))
            }
            // The output head (49152 rows) only at n = 16: a 16-node token tree's logits.
            for n in rows == 49152 ? [16] : [4, 16] {
                Benchmark("batch \(type) \(rows)x\(columns) n=\(n)") { (benchmark, context: (Weights, QuantizedActivations, [Float], UnsafeMutableBufferPointer<Float>)) in
                    let (weights, acts, x, output) = context
                    do {
                        for _ in benchmark.scaledIterations {
                            try acts.quantize(x)
                            try weights.matrix.multiply(acts, into: output.baseAddress!, rows: 0..<rows)
                        }
                    } catch {
                        benchmark.error("\(error)")
                    }
                } setup: {
                    let weights = try Weights(type, rows: rows, columns: columns)
                    let acts = try QuantizedActivations(columns: columns, capacity: n)
                    let x = (0..<(n * columns)).map { _ in Float.random(in: -1...1) }
                    return (weights, acts, x, UnsafeMutableBufferPointer<Float>.allocate(capacity: n * rows))
                }
            }
        }
    }
}
