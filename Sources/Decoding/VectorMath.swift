/// The few vectorized loops the sampler core spends its time in, written with SIMD types so
/// they are fast and give the same bits on every platform (no libm `expf`, whose last bit
/// differs between C libraries).
enum VectorMath {
    /// `exp(x)` with the Cephes `expf` reduction (x = n·ln2 + r, degree-6 polynomial in r,
    /// 2ⁿ built in the exponent bits, n found with the 1.5·2²³ rounding trick); relative error
    /// below 2·10⁻⁷ on `x <= 0`. Inputs below -87.3 (including `-infinity`) give exactly 0.
    /// Branch-free scalar code (selects only), so the loops calling it vectorize; plain
    /// multiply and add (never fused), so every platform gets the same bits.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let underflow = x < -87.3
        let xc = underflow ? -87.3 : min(x, 88.0)
        let t = xc * 1.442_695_04 + 12_582_912.0
        let n = t - 12_582_912.0
        var v = xc - n * 0.693_359_375
        v = v - n * -2.121_944_4e-4
        let v2 = v * v
        var y: Float = 1.987_569_15e-4
        y = y * v + 1.398_199_950_7e-3
        y = y * v + 8.333_451_907_3e-3
        y = y * v + 4.166_579_589_4e-2
        y = y * v + 1.666_666_545_9e-1
        y = y * v + 5.000_000_120_1e-1
        y = y * v2 + v + 1
        let scale = Float(bitPattern: (t.bitPattern &+ 127) &<< 23)
        return underflow ? 0 : y * scale
    }

    /// Writes `exp(values[i] - shift)` into `out` (0 for `-infinity`) and returns the sum
    /// (in Double over blocks of 64).
    static func exponentials(_ values: UnsafeBufferPointer<Float>, shift: Float,
                             into out: UnsafeMutableBufferPointer<Float>) -> Double {
        for i in values.indices { out[i] = exp(values[i] - shift) }
        return sum(UnsafeBufferPointer(out))
    }

    /// The sum that ``exponentials(_:shift:into:)`` returns, without writing the exponentials
    /// out: each block of 64 goes through a small buffer on the stack and is summed exactly as
    /// ``sum(_:)`` sums it, so the result has the same bits.
    static func exponentialSum(_ values: UnsafeBufferPointer<Float>, shift: Float) -> Double {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { block in
            var total = 0.0
            var i = 0
            while i + 64 <= values.count {
                for j in 0..<64 { block[j] = exp(values[i + j] - shift) }
                total += sum(UnsafeBufferPointer(block))
                i += 64
            }
            while i < values.count {
                total += Double(exp(values[i] - shift))
                i += 1
            }
            return total
        }
    }

    /// The number of values above `-infinity` (unmasked entries), counted 16 at a time.
    static func countUnmasked(_ values: UnsafeBufferPointer<Float>) -> Int {
        guard let source = values.baseAddress else { return 0 }
        var counts = SIMD16<Int32>()
        var i = 0
        while i + 16 <= values.count {
            let x = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD16<Float>.self)
            counts &+= SIMD16<Int32>(repeating: 0).replacing(with: 1, where: x .> -.infinity)
            i += 16
        }
        var count = Int(counts.wrappedSum())
        while i < values.count {
            if values[i] > -.infinity { count += 1 }
            i += 1
        }
        return count
    }

    /// The sum of `values`, in Double over vectorized blocks of 64.
    static func sum(_ values: UnsafeBufferPointer<Float>) -> Double {
        guard let source = values.baseAddress else { return 0 }
        var total = 0.0
        var i = 0
        while i + 64 <= values.count {
            var block = SIMD16<Float>()
            for j in stride(from: i, to: i + 64, by: 16) {
                block += UnsafeRawPointer(source + j).loadUnaligned(as: SIMD16<Float>.self)
            }
            total += Double(block.sum())
            i += 64
        }
        while i < values.count {
            total += Double(values[i])
            i += 1
        }
        return total
    }

    /// Whether any value is NaN or `+infinity`, and whether any is finite.
    static func scan(_ values: UnsafeBufferPointer<Float>) -> (bad: Bool, anyFinite: Bool) {
        guard let source = values.baseAddress else { return (false, false) }
        var bad = SIMDMask<SIMD16<Int32>>(repeating: false)
        var finite = SIMDMask<SIMD16<Int32>>(repeating: false)
        var i = 0
        while i + 16 <= values.count {
            let x = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD16<Float>.self)
            bad = bad .| .!(x .< .infinity)
            finite = finite .| (x .> -.infinity)
            i += 16
        }
        var anyBad = any(bad), anyFinite = any(finite)
        while i < values.count {
            anyBad = anyBad || !(values[i] < .infinity)
            anyFinite = anyFinite || values[i] > -.infinity
            i += 1
        }
        return (anyBad, anyFinite)
    }

    /// The largest value (`-infinity` for none); eight independent maxima for speed.
    static func maximum(_ values: UnsafeBufferPointer<Float>) -> Float {
        var m0 = -Float.infinity, m1 = m0, m2 = m0, m3 = m0, m4 = m0, m5 = m0, m6 = m0, m7 = m0
        var i = 0
        while i + 8 <= values.count {
            m0 = max(m0, values[i]); m1 = max(m1, values[i + 1])
            m2 = max(m2, values[i + 2]); m3 = max(m3, values[i + 3])
            m4 = max(m4, values[i + 4]); m5 = max(m5, values[i + 5])
            m6 = max(m6, values[i + 6]); m7 = max(m7, values[i + 7])
            i += 8
        }
        var result = max(max(max(m0, m1), max(m2, m3)), max(max(m4, m5), max(m6, m7)))
        while i < values.count {
            result = max(result, values[i])
            i += 1
        }
        return result
    }
}
