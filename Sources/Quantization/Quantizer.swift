import CKernels
import GGUF

/// Packs Float32 values into GGUF block formats.
///
/// Q4_0, Q4_1, Q5_0, Q5_1 and Q8_0 follow ggml's reference quantizers (`quantize_row_*_ref`: scale from the
/// block's extreme values, the same rounding). The K-quants (Q4_K, Q5_K, Q6_K) use a direct
/// min/max fit of each sub-block with quantized sub-block scales; they read back with ggml's
/// layout but are not bit-identical to llama.cpp's iterative quantizer (their error is a little
/// larger). F32, F16 and BF16 round to nearest even.
public enum Quantizer {
    /// The types `quantize` produces.
    public static let supportedTypes: Set<GGMLType> = Dequantizer.supportedTypes

    /// Quantizes `count` floats at `source` into `destination`, which must have room for
    /// `Dequantizer.byteCount(of: type, count: count)` bytes. No allocation; O(count).
    ///
    /// - Throws: `unsupportedType`, `invalidCount`, `countNotMultipleOfBlockSize`.
    public static func quantize(
        _ source: UnsafePointer<Float>, count: Int, as type: GGMLType, into destination: UnsafeMutableRawPointer
    ) throws(QuantizationError) {
        guard supportedTypes.contains(type) else { throw .unsupportedType(type, operation: "quantize") }
        _ = try Dequantizer.byteCount(of: type, count: count)
        guard count > 0 else { return }
        let status = ck_quantize(Int32(type.rawValue), source, destination, Int64(count))
        precondition(status == 0, "CKernels and Quantizer.supportedTypes disagree on \(type)")
    }

    /// `values` quantized to `type`, as bytes in GGUF layout.
    ///
    /// - Throws: as `quantize(_:count:as:into:)`.
    public static func quantize(_ values: [Float], as type: GGMLType) throws(QuantizationError) -> [UInt8] {
        guard supportedTypes.contains(type) else { throw .unsupportedType(type, operation: "quantize") }
        let bytes = try Dequantizer.byteCount(of: type, count: values.count)
        var result = [UInt8](repeating: 0, count: bytes)
        guard !values.isEmpty else { return result }
        try values.withUnsafeBufferPointer { (input) throws(QuantizationError) in
            try result.withUnsafeMutableBufferPointer { (output) throws(QuantizationError) in
                try quantize(input.baseAddress!, count: values.count, as: type, into: UnsafeMutableRawPointer(output.baseAddress!))
            }
        }
        return result
    }
}
