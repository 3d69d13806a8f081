import Decoding

/// Locally constrained decoding as a ``DecodingStrategy``: at each step, mask the tokens the
/// constraint does not allow, apply the user's chain, sample, and advance the constraint.
///
/// The result follows the locally constrained distribution `q(t | prefix) ∝ p(t | prefix) ·
/// 1[t allowed]` (before the chain), which is not the model's distribution conditioned on the
/// whole text satisfying the constraint (see AWRS/SMC for that); it never leaves the
/// constraint's language and stops only where the constraint may stop.
public struct LocallyConstrainedStrategy<C: Constraint, Sampler: TokenSampler>: DecodingStrategy {
    /// The mask (first) followed by the caller's chain.
    public private(set) var chain: LogitProcessorChain
    /// The sampler.
    public var sampler: Sampler
    /// The constraint.
    public let constraint: C
    private var scratch: Logits?

    /// A strategy constraining to `constraint` with tokens' bytes from `table`. The generated
    /// text starts after the session's tokens at the first step (the prompt; see
    /// ``ConstraintMask``).
    ///
    /// - Parameters:
    ///   - stopTokens: tokens allowed where the constraint may stop (usually the model's EOS
    ///     and end-of-turn tokens).
    ///   - chain: processors applied after the mask (temperature, top-k, …).
    /// - Throws: the errors of ``TokenConstraint/init(constraint:table:trie:stopTokens:maskCacheCapacity:)``.
    public init(constraint: C, table: TokenBytes, trie: TokenTrie? = nil, stopTokens: Set<Int>,
                chain: LogitProcessorChain = LogitProcessorChain(), sampler: Sampler) throws(ConstraintError) {
        self.init(tokenConstraint: try TokenConstraint(constraint: constraint, table: table, trie: trie, stopTokens: stopTokens),
                  chain: chain, sampler: sampler)
    }

    /// A strategy over a shared ``TokenConstraint`` (its trie and mask cache).
    public init(tokenConstraint: TokenConstraint<C>, chain: LogitProcessorChain = LogitProcessorChain(), sampler: Sampler) {
        self.chain = LogitProcessorChain([ConstraintMask(tokenConstraint)] + chain.processors)
        self.sampler = sampler
        self.constraint = tokenConstraint.constraint
    }

    /// Samples one allowed token and evaluates it unless it ends generation.
    ///
    /// - Throws: ``ConstraintError/deadEnd(position:)`` when no token is allowed, and the
    ///   errors of the chain, the sampler and the model.
    public mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        try .sampled(by: &sampler, chain: &chain, scratch: &scratch, session: &session, context: context)
    }

    /// Forgets the constraint state and resets the chain.
    public mutating func reset() {
        chain.reset()
    }
}
