import Constraints
import Decoding
import Search
import Speculative

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
    /// Tokens before this position are the prompt, outside any constraint; 0: the constrained
    /// strategies learn it from the first sequence they see (see ``Constraints/ConstraintMatcher``).
    /// Give it for compositions whose first masked sequence may follow generated tokens (CNTP
    /// with a drafter).
    public var promptLength: Int
    /// Tokens that end generation, allowed where a constraint may stop (default: the model's
    /// EOS and end-of-turn tokens).
    public var stopTokens: Set<Int>
    /// Settings of cautious next-token prediction.
    public var cautious: CautiousOptions
    /// Tokens that end a segment: cautious prediction's and diverse search's delimiters
    /// (default: the tokens of ``CautiousOptions/punctuation``).
    public var delimiters: Set<Int>
    /// The constraint of lcd, awrs, smc:N and every `+lcd` strategy (the others ignore it).
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
    /// The draft model of `+draft:model` (same vocabulary as ``model``).
    public var draftModel: (any LanguageModel)?
    /// The token tree a speculative variant drafts each step.
    public var tree: TreeShape
    /// Whether a speculative variant's dynamic tree chooses its node count per step from measured
    /// costs (``Speculative/TreeBudgetPlanner``), up to the tree's budget.
    public var adaptiveBudget: Bool

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
        draftModel = nil
        tree = .dynamic(budget: 16, depth: 6)
        adaptiveBudget = false
    }

    /// ``chain`` after the constraint's mask when `constrained` (the chain of a `+lcd` strategy
    /// and of `lcd`).
    ///
    /// The mask's generated text starts at ``promptLength`` (when it is not 0).
    ///
    /// - Throws: ``StrategyRegistryError/needsConstraint(strategy:)`` (naming `strategy`) when
    ///   `constrained` and there is no ``constraint``, and the mask's ``ConstraintError``.
    func chain(constrained: Bool, strategy: StrategySpecification) throws -> LogitProcessorChain {
        guard constrained else { return chain }
        guard let constraint else { throw StrategyRegistryError.needsConstraint(strategy: strategy.description) }
        let mask = try constraint.mask(table: table, stopTokens: stopTokens,
                                       generationStart: promptLength > 0 ? promptLength : nil)
        return LogitProcessorChain([mask] + chain.processors)
    }

    /// The search strategies' options: `chain`, the seed and the budget.
    func searchOptions(chain: LogitProcessorChain) -> SearchOptions {
        SearchOptions(chain: chain, seed: seed, maxTokensEvaluated: maxTokensEvaluated)
    }
}
