import Constraints
import Decoding
import Search

/// Everything ``StrategyRegistry`` needs to build any strategy of the strategy language: the
/// model and its vocabulary's bytes, the processor chain and the seed, and the parts only some
/// strategies use (a constraint, a verifier, search and SMC settings). A value: set the
/// per-run fields (``seed``, ``promptLength``, ``constraint``, ``verifier``) on a copy.
public struct StrategyContext {
    /// The model the strategy runs on.
    public var model: any LanguageModel
    /// Token bytes for the searches' text (stop strings, answers, verifiers).
    public var decoder: any TokenDecoder
    /// Each token's bytes (control tokens empty), the vocabulary the constraints see.
    public var table: TokenBytes
    /// Processors applied before each draw (every strategy but greedy, which takes the argmax
    /// of the raw logits).
    public var chain: LogitProcessorChain
    /// The seed of every random draw.
    public var seed: UInt64
    /// Tokens before this position are the prompt, outside any constraint.
    public var promptLength: Int
    /// Tokens that end generation, allowed where a constraint may stop (default: the model's
    /// EOS and end-of-turn tokens).
    public var stopTokens: Set<Int>
    /// Settings of cautious next-token prediction.
    public var cautious: CautiousOptions
    /// Tokens that end a segment: cautious prediction's and diverse search's delimiters
    /// (default: the tokens of ``CautiousOptions/punctuation``).
    public var delimiters: Set<Int>
    /// The constraint of lcd, awrs and smc:N (the other strategies ignore it).
    public var constraint: CompiledConstraint?
    /// The verifier that ranks best-of-n's, vote's and diverse's candidates and picks beam's
    /// final beam; `nil`: the mean token log-probability, and beam's own score.
    public var verifier: (any Verifier)?
    /// Where vote finds the answer in a candidate's text.
    public var answerExtraction: AnswerExtraction
    /// Cap on the tokens a search step evaluates (`nil`: none).
    public var maxTokensEvaluated: Int?
    /// SMC settings; the particle count comes from `smc:N` and the seed from ``seed``.
    public var smc: SMCOptions

    /// A context for `model` whose vocabulary `decoder` spells, reading each token's bytes and
    /// finding the delimiters once (O(vocabulary)); the other settings at their defaults.
    ///
    /// - Throws: the decoder's errors.
    public init(model: any LanguageModel, decoder: any TokenDecoder, chain: LogitProcessorChain, seed: UInt64,
                promptLength: Int = 0, cautious: CautiousOptions = CautiousOptions()) throws {
        self.model = model
        self.decoder = decoder
        table = TokenBytes(try decoder.byteTable(vocabularySize: model.vocabularySize))
        self.chain = chain
        self.seed = seed
        self.promptLength = promptLength
        var stops = model.specialTokens.endOfTurn
        if let eos = model.specialTokens.eos { stops.insert(eos) }
        stopTokens = stops
        self.cautious = cautious
        delimiters = try cautious.punctuationTokens(vocabularySize: model.vocabularySize, decoder: decoder)
        constraint = nil
        verifier = nil
        answerExtraction = .wholeText
        maxTokensEvaluated = nil
        smc = SMCOptions()
    }

    /// The search strategies' options: the chain, the seed and the budget.
    var searchOptions: SearchOptions {
        SearchOptions(chain: chain, seed: seed, maxTokensEvaluated: maxTokensEvaluated)
    }
}
