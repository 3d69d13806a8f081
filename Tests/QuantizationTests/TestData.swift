import Decoding
import Foundation
import GGUF
import Quantization

enum TestData {
    /// ggml's test-quantize-fns synthetic data: `0.1 + 2 cos(i + offset)`.
    static func cosine(count: Int, offset: Float) -> [Float] {
        (0..<count).map { 0.1 + 2 * cos(Float($0) + offset) }
    }

    /// Uniform values in `-scale...scale`, seeded.
    static func uniform(count: Int, scale: Float = 1, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in Float.random(in: -scale...scale, using: &rng) }
    }

    /// Random bytes, seeded.
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// Dot product in Double.
    static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Double {
        zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Σ |a_i b_i| in Double: the scale the dot-product error bounds are relative to.
    static func absDot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Double {
        zip(a, b).reduce(0) { $0 + abs(Double($1.0) * Double($1.1)) }
    }

    /// The ggml test's "RMSE": sqrt(Σ diff²) / n (note: divided by n, not sqrt(n)).
    static func ggmlRMSE(_ a: [Float], _ b: [Float]) -> Double {
        sqrt(zip(a, b).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }) / Double(a.count)
    }

    /// The root mean square difference sqrt(Σ diff² / n).
    static func rms(_ a: [Float], _ b: [Float]) -> Double {
        sqrt(zip(a, b).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / Double(a.count))
    }
}

/// Weights quantized to a type, kept alive with a matrix view over them.
final class OwnedMatrix: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer
    let matrix: QuantizedMatrix
    let floats: [Float]  // the dequantized weights, row-major

    init(values: [Float], type: GGMLType, rows: Int, columns: Int) throws {
        let encoded = try Quantizer.quantize(values, as: type)
        bytes = .allocate(byteCount: max(encoded.count, 1), alignment: 64)
        bytes.copyBytes(from: encoded)
        matrix = try QuantizedMatrix(type: type, rows: rows, columns: columns, base: UnsafeRawPointer(bytes.baseAddress!), byteCount: encoded.count)
        floats = try Dequantizer.dequantize(type, bytes: UnsafeRawBufferPointer(bytes), count: values.count)
    }

    deinit { bytes.deallocate() }
}
