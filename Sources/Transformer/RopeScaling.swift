/// How a model stretches RoPE past the context it was pre-trained on, as its GGUF metadata says
/// (`rope.scaling.type`, `.factor`, `.original_context_length`) and llama.cpp applies it.
public enum RopeScaling: Sendable, Equatable {
    /// No scaling: the type is `none`, or no factor is given.
    case none
    /// Position interpolation: every angle is divided by `factor` (`linear`, the default type).
    case linear(factor: Float)
    /// YaRN (Peng et al. 2023, "YaRN: Efficient Context Window Extension"): frequencies that turn
    /// more than 32 times over the original context
    /// (``ArchitectureOptions/ropeOriginalContextLength``) keep their angles, those that turn less
    /// than once are interpolated by `factor`, with a linear ramp between; cosines and sines are
    /// multiplied by `1 + 0.1 ln factor`. The ramp's bounds are llama.cpp's defaults (β_fast 32,
    /// β_slow 1), which llama.cpp uses for these architectures whatever the file says.
    case yarn(factor: Float)
    /// LongRoPE named as the type (`longrope`): angles divided by per-frequency factors from
    /// `rope_factors_long` or `rope_factors_short`, as Phi-3 files use them without naming a type.
    case longRoPE

    /// The factor positions are multiplied by before interpolation: `1 / factor` for linear and
    /// YaRN scaling, 1 otherwise (llama.cpp's `freq_scale`).
    public var frequencyScale: Float {
        switch self {
        case .linear(let factor), .yarn(let factor): 1 / factor
        case .none, .longRoPE: 1
        }
    }
}
