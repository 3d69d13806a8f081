import Foundation

/// The small element-wise pieces of the llama forward pass, on raw Float32 buffers.
///
/// These run once per row per layer (norms, rotary embeddings, the SwiGLU gate) or once per key
/// (attention dot products), so they are written as SIMD loops without allocation.
enum VectorKernels {
    /// `Σ a[i]·b[i]` over `count` elements.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 16 <= count {
            acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        var sum = (acc0 + acc1).sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// `y[i] += alpha · x[i]` over `count` elements.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let a = SIMD8<Float>(repeating: alpha)
        while i + 8 <= count {
            let v = ry.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                + a * rx.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            ry.storeBytes(of: v, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            y[i] += alpha * x[i]
            i += 1
        }
    }

    /// `y = x / sqrt(mean(x²) + epsilon) · weight` (RMSNorm, Zhang & Sennrich 2019), in place
    /// allowed (`y == x`).
    static func rmsNorm(
        _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, epsilon: Float,
        into y: UnsafeMutablePointer<Float>, count: Int
    ) {
        // The sum of squares in Double, as ggml's rms_norm accumulates it.
        var sum = 0.0
        for i in 0..<count { sum += Double(x[i] * x[i]) }
        let meanSquare = Float(sum / Double(count))
        let scale = 1 / (meanSquare + epsilon).squareRoot()
        for i in 0..<count { y[i] = x[i] * scale * weight[i] }
    }

    /// `gate[i] = silu(gate[i]) · up[i]` (the SwiGLU activation, Shazeer 2020), with
    /// `silu(g) = g / (1 + e^(−g))` and `e^x` from ``exponential(_:)``, as ggml computes it.
    static func swiGLU(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        var i = 0
        let rg = UnsafeMutableRawPointer(gate), ru = UnsafeRawPointer(up)
        while i + 8 <= count {
            let g = rg.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let u = ru.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            rg.storeBytes(of: g / (1 + exponential(0 - g)) * u, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            let g = gate[i]
            gate[i] = g / (1 + exponential(0 - g)) * up[i]
            i += 1
        }
    }

    /// `a · b + c` rounded once, as a fused multiply-add instruction computes it.
    ///
    /// The product of two floats is exact in Double and the sum is rounded to Double before it
    /// is rounded to Float; the two roundings differ from one only when the exact sum lies
    /// within 2⁻²⁹ ulp of a Float rounding boundary. Baseline x86-64 Swift has no FMA
    /// instruction, and the library call for `Float.addingProduct` costs several times more.
    @inline(__always)
    static func fused(_ a: Float, _ b: Float, _ c: Float) -> Float {
        Float(Double(a) * Double(b) + Double(c))
    }

    /// `e^x` by ggml's AVX-512 `ggml_v_expf` approximation (after ARM's optimized-routines
    /// `expf`: x = n·ln 2 + b, a degree-5 polynomial in b, scaled by 2ⁿ; at most ~1.5 ulp from
    /// the true value). llama.cpp's softmax and SiLU use it, and the model is sensitive enough
    /// to their last bits that matching it keeps its logits within llama.cpp's.
    @inline(__always)
    static func exponential(_ x: Float) -> Float {
        let shift: Float = 0x1.8p23
        let z = fused(x, 0x1.715476p+0, shift)
        let n = z - shift
        let b = fused(-n, 0x1.7f7d1cp-20, fused(-n, 0x1.62e4p-1, x))
        if n.magnitude > 192 { return n <= 0 ? 0 : .infinity }
        if n.isNaN { return n }
        let u = b * b
        let j = fused(
            fused(fused(0x1.0e4020p-7, b, 0x1.573e2ep-5), u, fused(0x1.555e66p-3, b, 0x1.fffdb6p-2)),
            u, fused(0x1.ffffecp-1, b, 1))
        // j · 2ⁿ rounded once (vscalefps): through a normal power of two in one or two steps.
        let e = Int32(n)
        if e >= -126 {
            return j * (e > 127 ? .infinity : Float(bitPattern: UInt32(e + 127) << 23))
        }
        return j * Float(bitPattern: UInt32(e + 126 + 127) << 23) * 0x1p-126
    }

    /// ``fused(_:_:_:)`` lane by lane.
    @inline(__always)
    static func fused(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
        SIMD8<Float>(SIMD8<Double>(a) * SIMD8<Double>(b) + SIMD8<Double>(c))
    }

    /// ``exponential(_:)`` lane by lane, bit for bit (about three times faster).
    @inline(__always)
    static func exponential(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let shift = SIMD8<Float>(repeating: 0x1.8p23)
        let z = fused(x, SIMD8(repeating: 0x1.715476p+0), shift)
        let n = z - shift
        // Where 2ⁿ is not a normal float (or x is NaN), the lanes take the scalar path.
        if any(n .< -126) || any(n .> 127) || any(n .!= n) {
            var result = SIMD8<Float>()
            for l in 0..<8 { result[l] = exponential(x[l]) }
            return result
        }
        let b = fused(-n, SIMD8(repeating: 0x1.7f7d1cp-20), fused(-n, SIMD8(repeating: 0x1.62e4p-1), x))
        let u = b * b
        let j = fused(
            fused(
                fused(SIMD8(repeating: 0x1.0e4020p-7), b, SIMD8(repeating: 0x1.573e2ep-5)), u,
                fused(SIMD8(repeating: 0x1.555e66p-3), b, SIMD8(repeating: 0x1.fffdb6p-2))),
            u, fused(SIMD8(repeating: 0x1.ffffecp-1), b, SIMD8(repeating: 1)))
        // z = 1.5·2²³ + n, so n sits in the low bits of z's pattern: shifted into the exponent
        // field and added to 1.0's pattern it makes 2ⁿ.
        let power = (unsafeBitCast(z, to: SIMD8<UInt32>.self) &<< 23) &+ 0x3f80_0000
        return j * unsafeBitCast(power, to: SIMD8<Float>.self)
    }

    /// `Σ a[i]·b[i]` in the order of ggml's AVX-512 F16 matrix product (llamafile's tinyBLAS):
    /// sixteen lanes, lane `l` summing the terms `i ≡ l (mod 16)` in order, then the lanes
    /// summed pairwise by halves (``sumLanes(_:)``). Products of binary16 values are exact in
    /// Float, so this equals the fused multiply-adds that kernel runs.
    @inline(__always)
    static func halfDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 16 <= count {
            acc += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        var lane = 0
        while i < count {
            acc[lane] += a[i] * b[i]
            i += 1; lane += 1
        }
        return sumLanes(acc)
    }

    /// The sum of sixteen lanes by halves (8 + 8, 4 + 4, 2 + 2, 1 + 1), the order of
    /// `_mm512_reduce_add_ps`.
    @inline(__always)
    static func sumLanes(_ v: SIMD16<Float>) -> Float {
        let eight = v.lowHalf + v.highHalf
        let four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// Rounds each value to the nearest IEEE binary16 value (kept as Float32): what llama.cpp's
    /// default F16 key/value cache and F16 attention products do to keys, values and queries.
    static func roundToHalf(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let raw = UnsafeMutableRawPointer(x)
        while i + 8 <= count {
            raw.storeBytes(
                of: roundToHalf(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)),
                toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            x[i] = Float(Float16(x[i]))
            i += 1
        }
    }

    /// `Float(Float16(v))` lane by lane, bit for bit (checked over every 37th Float32 bit
    /// pattern), without the library calls baseline x86-64 makes for each conversion.
    ///
    /// Adding and subtracting C = 1.5·2^(e+13), e the value's binary exponent (at least −14, the
    /// smallest normal binary16 exponent), rounds it to a multiple of 2^(e−10), binary16's
    /// spacing there, to nearest with ties to even; magnitudes past 65504 become infinities.
    @inline(__always)
    static func roundToHalf(_ v: SIMD8<Float>) -> SIMD8<Float> {
        let bits = unsafeBitCast(v, to: SIMD8<UInt32>.self)
        let exponent = pointwiseMin(pointwiseMax((bits &>> 23) & 0xff, SIMD8(repeating: 113)), SIMD8(repeating: 143))
        let magic = unsafeBitCast(((exponent &+ 13) &<< 23) | 0x40_0000, to: SIMD8<Float>.self)
        let sum = (v + magic) - magic
        // x + C − C loses the sign of a value that rounds to zero.
        let rounded = unsafeBitCast(
            unsafeBitCast(sum, to: SIMD8<UInt32>.self) | (bits & 0x8000_0000), to: SIMD8<Float>.self)
        let infinity = unsafeBitCast((bits & 0x8000_0000) | 0x7f80_0000, to: SIMD8<Float>.self)
        let magnitude = unsafeBitCast(
            unsafeBitCast(rounded, to: SIMD8<UInt32>.self) & 0x7fff_ffff, to: SIMD8<Float>.self)
        return rounded.replacing(with: infinity, where: magnitude .> 65504)
    }

    /// `x[i] += y[i]` (residual connection).
    static func add(_ y: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count: Int) {
        axpy(1, y, x, count: count)
    }

    /// Rotates adjacent pairs `(x[2i], x[2i+1])` of each `headDim`-wide head by the angles whose
    /// cosines and sines are given (`headDim / 2` each): ggml's "normal" rotary mode, which GGUF
    /// llama files expect because their Q/K weights are stored permuted for it (RoFormer, Su et al. 2021).
    static func rotatePairs(
        _ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        // The first product of each line is fused with the sum, as the compiler contracts
        // ggml's rotation: x₀·cos − x₁·sin → fma(x₀, cos, −(x₁·sin)).
        let half = headDim / 2
        for h in 0..<heads {
            let v = x + h * headDim
            for i in 0..<half {
                let x0 = v[2 * i], x1 = v[2 * i + 1]
                v[2 * i] = fused(x0, cos[i], -(x1 * sin[i]))
                v[2 * i + 1] = fused(x0, sin[i], x1 * cos[i])
            }
        }
    }
}
