/// Every knob of plain sampling in one value, with llama.cpp's defaults and conventions
/// (`topK = 0`, `topP = 1`, `minP = 0`, `typicalP = 1`, penalties 1/0/0 disable their stage),
/// building a validated ``LogitProcessorChain``, sampler and ``SamplingStrategy``.
///
/// ```swift
/// var parameters = SamplingParameters(temperature: 0.7, topP: 0.9, seed: 42)
/// parameters.order = try SamplerStage.parseOrder("top_k;top_p;temperature")
/// let strategy = try parameters.makeStrategy()
/// ```
public struct SamplingParameters: Sendable, Hashable {
    /// Temperature; 0 is greedy.
    public var temperature: Float
    /// Top-k; 0 disables.
    public var topK: Int
    /// Top-p (nucleus); 1 disables.
    public var topP: Float
    /// Min-p; 0 disables.
    public var minP: Float
    /// Locally typical p; 1 disables.
    public var typicalP: Float
    /// Repetition penalty; 1 disables.
    public var repeatPenalty: Float
    /// Penalty window: 0 disables penalties, -1 is the whole sequence.
    public var repeatLastN: Int
    /// Presence penalty; 0 disables.
    public var presencePenalty: Float
    /// Frequency penalty; 0 disables.
    public var frequencyPenalty: Float
    /// Seed of the sequence's ``Xoshiro256StarStar`` generator.
    public var seed: UInt64
    /// Order of the configurable stages.
    public var order: [SamplerStage]
    /// Bias per token id, applied before the ordered stages.
    public var logitBias: [Int: Float]
    /// If set, only these tokens may be sampled (applied before the ordered stages).
    public var allowedTokens: Set<Int>?
    /// Tokens that may never be sampled (applied before the ordered stages).
    public var bannedTokens: Set<Int>

    /// Parameters with llama.cpp's defaults unless given.
    public init(temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
                typicalP: Float = 1, repeatPenalty: Float = 1, repeatLastN: Int = 64,
                presencePenalty: Float = 0, frequencyPenalty: Float = 0, seed: UInt64 = 0,
                order: [SamplerStage] = SamplerStage.defaultOrder, logitBias: [Int: Float] = [:],
                allowedTokens: Set<Int>? = nil, bannedTokens: Set<Int> = []) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.typicalP = typicalP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.seed = seed
        self.order = order
        self.logitBias = logitBias
        self.allowedTokens = allowedTokens
        self.bannedTokens = bannedTokens
    }

    /// The defaults under a constraint: llama.cpp's temperature and penalties with every
    /// truncating stage off (top-k 0, top-p 1, min-p 0, typical-p 1), so a constrained strategy
    /// samples the model's distribution restricted by the constraint. Truncation set on top of
    /// these acts on the constrained distribution in LCD (which masks first) but before the
    /// constraint in AWRS and SMC, where it can cut every allowed token.
    public static let constrainedDefaults = SamplingParameters(topK: 0, topP: 1, minP: 0)

    /// Greedy decoding: temperature 0 and nothing else.
    public static let greedy = SamplingParameters(temperature: 0, topK: 0, topP: 1, minP: 0)

    /// The validated chain: bias, allowed set, banned set, then the stages of ``order`` that are
    /// not disabled.
    ///
    /// - Throws: ``SamplingError/invalidParameter(_:)`` naming the first bad parameter.
    public func makeChain() throws -> LogitProcessorChain {
        try require(topK >= 0, "topK must be non-negative (0 disables), got \(topK)")
        var processors: [any LogitProcessor] = []
        if !logitBias.isEmpty { processors.append(try LogitBiasProcessor(logitBias)) }
        if let allowedTokens { processors.append(try AllowedTokensProcessor(allowedTokens)) }
        if !bannedTokens.isEmpty { processors.append(try BannedTokensProcessor(bannedTokens)) }
        // Validate every parameter, whether or not its stage is in the order.
        let penalties = try PenaltiesProcessor(repeatPenalty: repeatPenalty, frequencyPenalty: frequencyPenalty,
                                               presencePenalty: presencePenalty, lastN: repeatLastN)
        let typical = try TypicalProcessor(typicalP)
        let topP = try TopPProcessor(topP)
        let minP = try MinPProcessor(minP)
        let temperature = try TemperatureProcessor(temperature)
        for stage in order {
            switch stage {
            case .penalties where !penalties.isNeutral: processors.append(penalties)
            case .topK where topK > 0: processors.append(try TopKProcessor(topK))
            case .typicalP where typical.p < 1: processors.append(typical)
            case .topP where topP.p < 1: processors.append(topP)
            case .minP where minP.p > 0: processors.append(minP)
            case .temperature where temperature.temperature != 1: processors.append(temperature)
            default: break
            }
        }
        return LogitProcessorChain(processors)
    }

    /// A categorical sampler seeded with ``seed`` (for sequence `stream` of a batch).
    public func makeSampler(stream: UInt64 = 0) -> CategoricalSampler {
        CategoricalSampler(generator: stream == 0 ? Xoshiro256StarStar(seed: seed)
                                                  : Xoshiro256StarStar(seed: seed, stream: stream))
    }

    /// The chain and the sampler as a ``SamplingStrategy``.
    public func makeStrategy(stream: UInt64 = 0) throws -> SamplingStrategy<CategoricalSampler> {
        SamplingStrategy(chain: try makeChain(), sampler: makeSampler(stream: stream))
    }
}
