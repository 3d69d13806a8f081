import CKernels
import GGUF

/// Expands GGUF tensor data into Float32.
///
/// Formats and block layouts are ggml's (`ggml-common.h`): F32, F16, BF16; Q4_0, Q4_1, Q5_0, Q5_1,
/// Q8_0 (blocks of 32 values with half-precision scale, and minimum for Q4_1 and Q5_1; Q5_0 and
/// Q5_1 keep the fifth bits of their 32 values in one little-endian 32-bit word); Q4_K, Q5_K
/// (super-blocks of 256 values, eight sub-blocks with 6-bit scales and minimums) and Q6_K
/// (sixteen sub-blocks of 16 with 8-bit scales).
///
/// ```swift
/// let row = try Dequantizer.dequantize(.q8_0, bytes: file.tensorBytes(named: "token_embd.weight"), count: 576)
/// ```
public enum Dequantizer {
    /// The types `dequantize` accepts.
    public static let supportedTypes: Set<GGMLType> = [
        .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K,
    ]

    /// Bytes that `count` values of `type` occupy.
    ///
    /// - Throws: `invalidCount` for a negative count, `countNotMultipleOfBlockSize`.
    public static func byteCount(of type: GGMLType, count: Int) throws(QuantizationError) -> Int {
        guard count >= 0 else { throw .invalidCount(what: "value count", value: count) }
        guard count % type.blockSize == 0 else {
            throw .countNotMultipleOfBlockSize(type: type, count: count, blockSize: type.blockSize)
        }
        let (bytes, overflow) = (count / type.blockSize).multipliedReportingOverflow(by: type.bytesPerBlock)
        guard !overflow else { throw .invalidCount(what: "value count", value: count) }
        return bytes
    }

    /// Writes the `count` values of `type` stored at `source` to `destination`.
    ///
    /// `source` must hold `byteCount(of: type, count: count)` bytes and `destination` room for
    /// `count` floats. No allocation; O(count).
    ///
    /// - Throws: `unsupportedType` for types outside `supportedTypes`, `invalidCount`,
    ///   `countNotMultipleOfBlockSize`.
    public static func dequantize(
        _ type: GGMLType, from source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>
    ) throws(QuantizationError) {
        guard supportedTypes.contains(type) else { throw .unsupportedType(type, operation: "dequantize") }
        _ = try byteCount(of: type, count: count)
        guard count > 0 else { return }
        let status = ck_dequantize(Int32(type.rawValue), source, destination, Int64(count))
        precondition(status == 0, "CKernels and Dequantizer.supportedTypes disagree on \(type)")
    }

    /// The first `count` values of `type` in `bytes`, as a new array.
    ///
    /// - Throws: as `dequantize(_:from:count:into:)`, and `bufferTooSmall` when `bytes` is short.
    public static func dequantize(_ type: GGMLType, bytes: UnsafeRawBufferPointer, count: Int) throws(QuantizationError) -> [Float] {
        let needed = try byteCount(of: type, count: count)
        guard bytes.count >= needed else { throw .bufferTooSmall(needed: needed, available: bytes.count) }
        guard let base = bytes.baseAddress, count > 0 else {
            guard supportedTypes.contains(type) else { throw .unsupportedType(type, operation: "dequantize") }
            return []
        }
        var result = [Float](repeating: 0, count: count)
        try result.withUnsafeMutableBufferPointer { (out) throws(QuantizationError) in
            // Non-empty, so baseAddress exists.
            try dequantize(type, from: base, count: count, into: out.baseAddress!)
        }
        return result
    }
}
