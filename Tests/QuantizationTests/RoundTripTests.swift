import GGUF
import Quantization
import Testing

/// Quantize → dequantize on ggml's synthetic data (test-quantize-fns: 4096 values of
/// `0.1 + 2 cos(i + offset)`).
///
/// ggml's threshold is MAX_QUANTIZATION_TOTAL_ERROR = 0.002 on its `array_rmse`, which is
/// sqrt(Σ diff²) / n — for n = 4096 that allows a true RMS error of 0.128. We check that metric
/// and, tighter, the true RMS error against a per-type bound a little above what these quantizers
/// reach (half the quantization step over sqrt(3) for the uniform rounding error of the block's
/// range: ≈ 0.077 for 4 bits over a range of 4, 0.0045 for 8 bits).
@Suite struct RoundTripTests {
    static let cases: [(GGMLType, Double)] = [
        (.f32, 0),
        (.f16, 0.0005),
        (.bf16, 0.004),
        (.q8_0, 0.006),
        (.q4_0, 0.09),
        (.q4_1, 0.08),
        (.q5_0, 0.045),
        (.q5_1, 0.045),
        (.q4_K, 0.08),
        (.q5_K, 0.04),
        (.q6_K, 0.02),
    ]

    @Test(arguments: cases)
    func roundTripErrorIsBounded(type: GGMLType, rmsBound: Double) throws {
        let data = TestData.cosine(count: 4096, offset: 0)
        let bytes = try Quantizer.quantize(data, as: type)
        #expect(bytes.count == 4096 / type.blockSize * type.bytesPerBlock)
        let back = try bytes.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0, count: 4096) }
        let ggmlMetric = TestData.ggmlRMSE(data, back)
        let rms = TestData.rms(data, back)
        #expect(ggmlMetric <= 0.002, "ggml total quantization error \(ggmlMetric) for \(type)")
        #expect(rms <= rmsBound, "RMS error \(rms) for \(type)")
        print("round trip \(type): ggml metric \(ggmlMetric), RMS \(rms)")
    }

    /// Quantizing what was dequantized gives the same blocks back for the ggml-reference formats
    /// (their levels are fixed points of the quantizer), so quantizer and reader agree on layout.
    @Test(arguments: [GGMLType.q8_0, .q4_1, .q5_1, .f16, .bf16])
    func requantizingIsStable(type: GGMLType) throws {
        let data = TestData.uniform(count: 1024, scale: 3, seed: 7)
        let once = try Quantizer.quantize(data, as: type)
        let back = try once.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0, count: 1024) }
        let twice = try Quantizer.quantize(back, as: type)
        let again = try twice.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0, count: 1024) }
        #expect(TestData.rms(back, again) <= 1e-3 * 3)
    }
}
