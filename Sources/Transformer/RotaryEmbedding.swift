import Foundation

/// The RoPE angles of one family of layers (a model's global layers, or its sliding-window
/// layers): the cosines and sines that rotate the first ``dimensions`` of every query and key
/// head at a position, computed as ggml's `ggml_rope_cache_init` and `rope_yarn` do.
///
/// For pair `i` (of `dimensions / 2`), `θᵢ = base^(−2i/dimensions) · position / factorᵢ` built
/// by repeated multiplication in Float; the angle used is `scale · θᵢ`, or with YaRN a blend of
/// that and `θᵢ` by a ramp over `i`; cosine and sine are multiplied by ``magnitude``.
struct RotaryEmbedding: Sendable {
    /// Leading dimensions of a head that rotate (`rope.dimension_count`); the rest pass through.
    var dimensions: Int
    var base: Float
    /// Multiplier of every angle (`1 / factor` for linear and YaRN scaling).
    var scale: Float
    /// Per-pair divisors of the angles (`rope_freqs`, LongRoPE's factors), or nil.
    var factors: [Float]?
    /// YaRN's ramp: pairs below `low` interpolate fully, above `high` keep their angle; nil
    /// without YaRN.
    var ramp: (low: Float, high: Float)?
    /// Factor on every cosine and sine.
    var magnitude: Float

    /// The global layers' angles of a model with these options and frequency factors, as
    /// llama.cpp's context sets them up (`llama_context` constructor: `yarn_ext_factor`,
    /// `yarn_attn_factor`; `ggml_rope_yarn_corr_dims`).
    init(options: ArchitectureOptions, base: Float, factors: [Float]?) {
        dimensions = options.rotaryDimensions
        self.base = base
        scale = options.ropeScaling.frequencyScale
        self.factors = factors
        var magnitude: Float = 1
        if case .yarn(let factor) = options.ropeScaling {
            let original = Float(options.ropeOriginalContextLength)
            let corrected = { (rotations: Float) -> Float in
                Float(options.rotaryDimensions) * logf(original / (rotations * 2 * Float.pi)) / (2 * logf(base))
            }
            ramp = (max(0, floorf(corrected(32))), min(Float(options.rotaryDimensions - 1), ceilf(corrected(1))))
            // llama.cpp's attention factor for YaRN, which cancels the factor ggml's kernel applies.
            magnitude = factor <= 1 ? 1 : 0.1 * logf(factor) + 1
            magnitude *= 1 / (1 + 0.1 * logf(factor))
        } else {
            ramp = nil
        }
        self.magnitude = magnitude * options.ropeAttentionFactor
    }

    /// The sliding-window layers' angles: their own base, no scaling or factors, the same
    /// magnitude as the global layers'.
    func slidingLayers(base: Float) -> RotaryEmbedding {
        var sliding = self
        sliding.base = base
        sliding.scale = 1
        sliding.factors = nil
        return sliding
    }

    /// Writes the `dimensions / 2` cosines and sines of `position`.
    func fill(position: Int, cosines: UnsafeMutablePointer<Float>, sines: UnsafeMutablePointer<Float>) {
        let thetaScale = Float(pow(Double(base), -2 / Double(dimensions)))
        var angle = Float(position)
        for i in 0..<(dimensions / 2) {
            var extrapolated = angle
            if let factors { extrapolated /= factors[i] }
            var theta = scale * extrapolated
            var magnitude = self.magnitude
            if let ramp {
                let y = (Float(i) - ramp.low) / max(0.001, ramp.high - ramp.low)
                let mix = 1 - min(1, max(0, y))
                theta = theta * (1 - mix) + extrapolated * mix
                magnitude *= 1 + 0.1 * logf(1 / scale)
            }
            cosines[i] = cos(theta) * magnitude
            sines[i] = sin(theta) * magnitude
            angle *= thetaScale
        }
    }
}
