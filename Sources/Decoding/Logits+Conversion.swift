/// Logits from other runtimes' buffers: IEEE half precision, bfloat16, and int8 with a scale.
/// Each converts to Float32 exactly (every half, bfloat16 and `int8 × scale` value with a
/// finite product is representable) and then checks the same invariants as ``Logits/init(_:)``.
extension Logits {
    /// Logits from IEEE 754 binary16 bit patterns (as a runtime's `__fp16`/`Float16` buffer).
    ///
    /// - Throws: the errors of ``init(_:)`` (a half NaN or `+inf` is rejected).
    /// - Complexity: O(n).
    public init(float16Bits bits: some Collection<UInt16>) throws {
        try self.init(bits.map(Logits.float(fromHalfBits:)))
    }

    /// Logits from bfloat16 bit patterns (the upper 16 bits of a Float32).
    ///
    /// - Throws: the errors of ``init(_:)``.
    public init(bfloat16Bits bits: some Collection<UInt16>) throws {
        try self.init(bits.map { Float(bitPattern: UInt32($0) << 16) })
    }

    /// Logits from symmetric int8 quantization: `logit[i] = Float(values[i]) * scale`.
    ///
    /// - Throws: ``SamplingError/invalidParameter(_:)`` unless `scale` is finite and positive.
    public init(int8 values: some Collection<Int8>, scale: Float) throws {
        guard scale.isFinite && scale > 0 else {
            throw SamplingError.invalidParameter("int8 logits scale must be finite and positive, got \(scale)")
        }
        try self.init(values.map { Float($0) * scale })
    }

    #if !(os(macOS) && arch(x86_64))
    /// Logits from a buffer of `Float16` (where the platform has the type).
    public init(_ values: some Collection<Float16>) throws {
        try self.init(values.map { Float($0) })
    }
    #endif

    /// Decodes one IEEE binary16 value, subnormals and specials included, without relying on
    /// the platform's `Float16`.
    static func float(fromHalfBits h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        case 31:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}
