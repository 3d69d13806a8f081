import ArgumentParser
import Decoding

/// The decoding strategy `decode generate` runs when no constraint or speculation is asked for.
enum SamplingStrategyKind: String, ExpressibleByArgument, CaseIterable {
    /// One token per step from the processed distribution (``SamplingStrategy``).
    case sample
    /// Cautious next-token prediction (``CautiousStrategy``).
    case cautious
}

/// The sampling options of `decode generate`, spelled as llama.cpp's `llama-cli` spells them:
/// the processor chain (`--temp`, `--top-k`, …, `--samplers`), the seed, and the settings of
/// cautious next-token prediction (`--cntp-*`). ``validate()`` builds the library's chain and
/// options, so every bad value is reported before the model loads.
struct SamplingArguments: ParsableArguments {
    @Option(name: .long, help: "Decoding strategy: sample or cautious (cautious next-token prediction).")
    var strategy: SamplingStrategyKind = .sample

    @Option(name: .customLong("temp"), parsing: .unconditional, help: "Temperature; 0 picks the most likely token.")
    var temperature: Float = 0.8

    @Option(name: .long, parsing: .unconditional, help: "Keep the k most likely tokens (0 disables).")
    var topK = 40

    @Option(name: .long, parsing: .unconditional, help: "Keep the smallest set of tokens with this much probability, in (0, 1] (1 disables).")
    var topP: Float = 0.95

    @Option(name: .long, parsing: .unconditional, help: "Drop tokens below this fraction of the top probability, in [0, 1) (0 disables).")
    var minP: Float = 0.05

    @Option(name: .long, parsing: .unconditional, help: "Locally typical sampling p, in (0, 1] (1 disables).")
    var typical: Float = 1

    @Option(name: .long, parsing: .unconditional, help: "Repetition penalty (1 disables).")
    var repeatPenalty: Float = 1

    @Option(name: .long, parsing: .unconditional, help: "Tokens the penalties look back over (0 disables, -1 the whole sequence).")
    var repeatLastN = 64

    @Option(name: .long, parsing: .unconditional, help: "Presence penalty (0 disables).")
    var presencePenalty: Float = 0

    @Option(name: .long, parsing: .unconditional, help: "Frequency penalty (0 disables).")
    var frequencyPenalty: Float = 0

    @Option(name: .long, help: "Random seed (default: drawn at random and reported).")
    var seed: UInt64?

    @Option(name: .long, help: """
        Order of the sampler stages, separated by ';' (default: \
        \(SamplerStage.validNames.joined(separator: ";"))).
        """)
    var samplers: String?

    @Option(name: .long, parsing: .unconditional, help: "Cautious: trials at high entropy (M).")
    var cntpMaxTrials = CautiousOptions().maxTrials

    @Option(name: .long, parsing: .unconditional, help: "Cautious: entropy (nats) at or below which one trial is run.")
    var cntpEntropyLow = CautiousOptions().entropyLow

    @Option(name: .long, parsing: .unconditional, help: "Cautious: entropy (nats) at or above which the most trials are run.")
    var cntpEntropyHigh = CautiousOptions().entropyHigh

    func validate() throws {
        do {
            _ = try parameters(seed: 0).makeChain()
            if strategy == .cautious { try cautiousOptions.validate() }
        } catch let error as SamplingError {
            throw ValidationError(Self.flagMessage(error))
        }
    }

    /// The sampler parameters, with `seed` (the given one or a drawn one).
    ///
    /// - Throws: ``SamplingError/unknownStage(_:valid:)`` for a bad `--samplers`.
    func parameters(seed: UInt64) throws -> SamplingParameters {
        var parameters = SamplingParameters(
            temperature: temperature, topK: topK, topP: topP, minP: minP, typicalP: typical,
            repeatPenalty: repeatPenalty, repeatLastN: repeatLastN, presencePenalty: presencePenalty,
            frequencyPenalty: frequencyPenalty, seed: seed)
        if let samplers { parameters.order = try SamplerStage.parseOrder(samplers) }
        return parameters
    }

    /// The CNTP settings from the `--cntp-*` options (others at the paper's defaults).
    var cautiousOptions: CautiousOptions {
        CautiousOptions(entropyLow: cntpEntropyLow, entropyHigh: cntpEntropyHigh, maxTrials: cntpMaxTrials)
    }

    /// The library's message with the library's parameter names replaced by the flags a user typed.
    static func flagMessage(_ error: SamplingError) -> String {
        var message = "\(error)"
        let flags = [
            ("temperature", "--temp"), ("topK", "--top-k"), ("typicalP", "--typical"), ("topP", "--top-p"),
            ("minP", "--min-p"), ("repeatPenalty", "--repeat-penalty"), ("frequencyPenalty", "--frequency-penalty"),
            ("presencePenalty", "--presence-penalty"), ("repeatLastN", "--repeat-last-n"),
            ("entropyLow", "--cntp-entropy-low"), ("entropyHigh", "--cntp-entropy-high"),
            ("maxTrials", "--cntp-max-trials"),
        ]
        if case .invalidParameter(let text) = error, let (_, flag) = flags.first(where: { text.hasPrefix($0.0 + " ") }) {
            message = "\(flag): \(text)"
        } else if case .unknownStage = error {
            message = "--samplers: \(error)"
        } else if case .duplicateStage = error {
            message = "--samplers: \(error)"
        }
        return message
    }
}
