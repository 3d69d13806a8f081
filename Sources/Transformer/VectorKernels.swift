import CKernels
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

    /// `gate[i] = silu(gate[i]) · up[i]` (the SwiGLU activation, Shazeer 2020).
    static func swiGLU(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + exp(-g)) * up[i]
        }
    }

    /// Rounds each value to the nearest IEEE binary16 value (kept as Float32): what llama.cpp's
    /// default F16 key/value cache and F16 attention products do to keys, values and queries.
    /// (F16C through CKernels where the CPU has it: the same bits as `Float(Float16(x))`.)
    static func roundToHalf(_ x: UnsafeMutablePointer<Float>, count: Int) {
        ck_round_to_half(x, Int64(count))
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
        let half = headDim / 2
        for h in 0..<heads {
            let v = x + h * headDim
            for i in 0..<half {
                let x0 = v[2 * i], x1 = v[2 * i + 1]
                v[2 * i] = x0 * cos[i] - x1 * sin[i]
                v[2 * i + 1] = x0 * sin[i] + x1 * cos[i]
            }
        }
    }
}
