import ArgumentParser
import Decoding
import Strategies

/// The sampling options of `decode generate`, spelled as llama.cpp's `llama-cli` spells them:
/// the processor chain (`--temp`, `--top-k`, …, `--samplers`), the seed, and the settings of
/// cautious next-token prediction (`--cntp-*`). ``validate()`` builds the library's chain and
/// options, so every bad value is reported before the model loads.
struct SamplingArguments: ParsableArguments {
    @Option(name: .long, help: """
        Decoding strategy in the strategy language of decode compare: \(StrategySpecification.validList) \
        (default: sample, or the --constrain method under a constraint).
        """)
    var strategy: String?

    @Option(name: .customLong("temp"), parsing: .unconditional, help: "Temperature; 0 picks the most likely token.")
    var temperature: Float = 0.8

    @Option(name: .long, parsing: .unconditional, help: "Keep the k most likely tokens (0 disables; default 40, 0 under a constraint).")
    var topK: Int?

    @Option(name: .long, parsing: .unconditional, help: "Keep the smallest set of tokens with this much probability, in (0, 1] (1 disables; default 0.95, 1 under a constraint).")
    var topP: Float?

    @Option(name: .long, parsing: .unconditional, help: "Drop tokens below this fraction of the top probability, in [0, 1] (0 disables, 1 keeps only the most likely; default 0.05, 0 under a constraint).")
    var minP: Float?

    @Option(name: .long, parsing: .unconditional, help: "Locally typical sampling p, in (0, 1] (1 disables).")
    var typical: Float?

    @Option(name: .long, parsing: .unconditional, help: "Repetition penalty (1 disables).")
    var repeatPenalty: Float = 1

    @Option(name: .long, parsing: .unconditional, help: "Tokens the penalties look back over (0 disables, -1 the whole sequence).")
    var repeatLastN = 64

    @Option(name: .long, parsing: .unconditional, help: "Presence penalty (0 disables).")
    var presencePenalty: Float = 0

    @Option(name: .long, parsing: .unconditional, help: "Frequency penalty (0 disables).")
    var frequencyPenalty: Float = 0

    @Option(name: .long, parsing: .unconditional,
            help: "Random seed, a whole number in 0...\(UInt64.max) (-1 or none: drawn at random and reported, as llama.cpp's -1).",
            transform: SeedChoice.init(argument:))
    var seed: SeedChoice?

    @Option(name: .long, help: """
        Order of the sampler stages, separated by ';' (default: \
        \(SamplerStage.validNames.joined(separator: ";"))).
        """)
    var samplers: String?

    @Option(name: .long, parsing: .unconditional, help: "Cautious: trials at high entropy (M; default \(CautiousOptions().maxTrials)).")
    var cntpMaxTrials: Int?

    @Option(name: .long, parsing: .unconditional, help: "Cautious: entropy (nats) at or below which one trial is run (default \(CautiousOptions().entropyLow)).")
    var cntpEntropyLow: Double?

    @Option(name: .long, parsing: .unconditional, help: "Cautious: entropy (nats) at or above which the most trials are run (default \(CautiousOptions().entropyHigh)).")
    var cntpEntropyHigh: Double?

    func validate() throws {
        let chosen = try chosenStrategy()
        if chosen?.kind != .cautious {
            for (flag, value) in [("--cntp-max-trials", cntpMaxTrials as Any?), ("--cntp-entropy-low", cntpEntropyLow),
                                  ("--cntp-entropy-high", cntpEntropyHigh)] where value != nil {
                throw ValidationError("\(flag) applies only to --strategy cautious.")
            }
        }
        do {
            _ = try parameters(seed: 0, constrained: false).makeChain()
            if chosen?.kind == .cautious { try cautiousOptions.validate() }
        } catch let error as SamplingError {
            throw ValidationError(Self.flagMessage(error))
        }
    }

    /// The strategy `--strategy` names, or nil when it is not given.
    ///
    /// - Throws: `ValidationError` with the library's sentence for a bad name or argument.
    func chosenStrategy() throws -> StrategySpecification? {
        guard let strategy else { return nil }
        do {
            return try StrategySpecification(parsing: strategy)
        } catch {
            throw ValidationError("--strategy: \(error).")
        }
    }

    /// The seed to run with: the given one, or one drawn at random (`--seed -1` or none).
    func resolvedSeed() -> UInt64 {
        if case .fixed(let value) = seed { return value }
        return UInt64.random(in: 0...UInt64.max)
    }

    /// The sampler parameters, with `seed`: the library's defaults
    /// (``SamplingParameters/constrainedDefaults`` under a constraint, so truncation is off
    /// unless a flag sets it) with the flags given on top.
    ///
    /// - Throws: ``SamplingError/unknownStage(_:valid:)`` and the other order errors for a bad
    ///   `--samplers`.
    func parameters(seed: UInt64, constrained: Bool) throws -> SamplingParameters {
        var parameters = constrained ? SamplingParameters.constrainedDefaults : SamplingParameters()
        parameters.temperature = temperature
        if let topK { parameters.topK = topK }
        if let topP { parameters.topP = topP }
        if let minP { parameters.minP = minP }
        if let typical { parameters.typicalP = typical }
        parameters.repeatPenalty = repeatPenalty
        parameters.repeatLastN = repeatLastN
        parameters.presencePenalty = presencePenalty
        parameters.frequencyPenalty = frequencyPenalty
        parameters.seed = seed
        if let samplers { parameters.order = try SamplerStage.parseOrder(samplers) }
        return parameters
    }

    /// Whether a truncating stage (top-k, top-p, min-p, typical-p) was set on the command line.
    var setsTruncation: Bool { topK != nil || topP != nil || minP != nil || typical != nil }

    /// The CNTP settings from the `--cntp-*` options (others at the paper's defaults).
    var cautiousOptions: CautiousOptions {
        let defaults = CautiousOptions()
        return CautiousOptions(entropyLow: cntpEntropyLow ?? defaults.entropyLow,
                               entropyHigh: cntpEntropyHigh ?? defaults.entropyHigh,
                               maxTrials: cntpMaxTrials ?? defaults.maxTrials)
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
        } else if case .emptyOrder = error {
            message = "--samplers: \(error)"
        }
        return message
    }
}

/// `--seed`: a fixed seed, or a random one (`-1`, llama.cpp's spelling of "random").
enum SeedChoice {
    /// Draw a seed at random and report it.
    case random
    /// This seed.
    case fixed(UInt64)

    /// Parses `-1` or a whole number in `0...UInt64.max`.
    init(argument: String) throws {
        if argument == "-1" {
            self = .random
        } else if let value = UInt64(argument) {
            self = .fixed(value)
        } else {
            throw ValidationError(
                "--seed must be a whole number in 0...\(UInt64.max), or -1 for a random seed; got '\(argument)'.")
        }
    }
}
