import CKernels
import Foundation

/// The small element-wise pieces of the llama forward pass, on raw Float32 buffers.
///
/// These run once per row per layer (norms, rotary embeddings, residual additions, binary16
/// rounding), so they are written as SIMD loops without allocation. The attention and SwiGLU inner
/// loops are in `CKernels`.
enum VectorKernels {
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

    /// Rotates adjacent pairs `(x[2i], x[2i+1])` among the first `dimensions` of each
    /// `headDim`-wide head by the angles whose cosines and sines are given (`dimensions / 2`
    /// each; the rest of the head is left as it is): ggml's "normal" rotary mode, which GGUF
    /// llama files expect because their Q/K weights are stored permuted for it (RoFormer, Su et al. 2021).
    static func rotatePairs(
        _ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, dimensions: Int,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        // The first product of each line is fused with the sum, as the compiler contracts
        // ggml's rotation: x₀·cos − x₁·sin → fma(x₀, cos, −(x₁·sin)).
        let half = dimensions / 2
        for h in 0..<heads {
            let v = x + h * headDim
            for i in 0..<half {
                let x0 = v[2 * i], x1 = v[2 * i + 1]
                v[2 * i] = fused(x0, cos[i], -(x1 * sin[i]))
                v[2 * i + 1] = fused(x0, sin[i], x1 * cos[i])
            }
        }
    }

    /// Rotates the pairs `(x[i], x[i + dimensions/2])` among the first `dimensions` of each head
    /// by the given angles: ggml's NeoX rotary mode (Qwen, Gemma, Phi), with the fused products
    /// of ``rotatePairs(_:heads:headDim:dimensions:cos:sin:)``.
    static func rotateHalves(
        _ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, dimensions: Int,
        cos: UnsafePointer<Float>, sin: UnsafePointer<Float>
    ) {
        let half = dimensions / 2
        for h in 0..<heads {
            let v = x + h * headDim
            for i in 0..<half {
                let x0 = v[i], x1 = v[i + half]
                v[i] = fused(x0, cos[i], -(x1 * sin[i]))
                v[i + half] = fused(x0, sin[i], x1 * cos[i])
            }
        }
    }

    /// `gate[i] = gelu(gate[i]) · up[i]` (GeGLU, Shazeer 2020) with GELU's tanh approximation, as
    /// ggml's CPU kernel computes it: the input rounded to binary16, GELU of that in Float, the
    /// result rounded to binary16 (ggml reads it from a table of every binary16 value); inputs at
    /// or below −10 give 0 and at or above 10 pass through. The table is ``geluTable``; the
    /// element-wise loop is `ck_geglu_table`'s.
    static func geglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        geluTable.withUnsafeBufferPointer { table in
            ck_geglu_table(Int32(CK_ISA_AVX512), gate, up, table.baseAddress!, Int64(count))
        }
    }

    /// GELU (tanh approximation) of every binary16 value, as binary16 bit patterns indexed by the
    /// input's bit pattern: `0.5·h·(1 + tanh(√(2/π)·h·(1 + 0.044715·h²)))` in Float, rounded to
    /// binary16. Built once, on first use (65 536 evaluations).
    static let geluTable: [UInt16] = (0...UInt16.max).map { bits in
        let sqrtTwoOverPi: Float = 0.79788456080286535587989211986876, coefficient: Float = 0.044715
        let h = Float(Float16(bitPattern: bits))
        let gelu = 0.5 * h * (1 + tanh(sqrtTwoOverPi * h * (1 + coefficient * h * h)))
        return Float16(gelu).bitPattern
    }
}
