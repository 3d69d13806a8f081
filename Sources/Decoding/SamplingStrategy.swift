/// Plain sampling as a ``DecodingStrategy``: one token per step, drawn by `sampler` from the
/// session's logits after `chain`.
public struct SamplingStrategy<Sampler: TokenSampler>: DecodingStrategy {
    /// The processors applied to each row.
    public var chain: LogitProcessorChain
    /// The sampler (with the sequence's generator).
    public var sampler: Sampler
    /// Reused row, so a step does not allocate a vocabulary-sized buffer.
    private var scratch: Logits?

    /// A strategy sampling with `sampler` after `chain`.
    public init(chain: LogitProcessorChain, sampler: Sampler) {
        self.chain = chain
        self.sampler = sampler
    }

    /// Samples one token and evaluates it unless it ends generation. One model call.
    public mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        try .sampled(by: &sampler, chain: &chain, scratch: &scratch, session: &session, context: context)
    }

    /// Resets the chain's stages.
    public mutating func reset() {
        chain.reset()
    }
}

extension Logits {
    /// Copies `row` into `reused`'s storage when it can (no allocation in steady state) and
    /// checks it, taking `reused` out so the returned value is uniquely referenced.
    ///
    /// - Throws: ``SamplingError/vocabularyMismatch(expected:actual:)`` and the errors of
    ///   ``init(_:)``.
    package static func loading(_ row: [Float], into reused: inout Logits?, vocabularySize: Int) throws -> Logits {
        guard row.count == vocabularySize else {
            throw SamplingError.vocabularyMismatch(expected: vocabularySize, actual: row.count)
        }
        guard var logits = reused.take() else { return try Logits(row) }
        try Logits.validate(row)
        logits.withUncheckedMutableValues { values in
            if values.count == row.count {
                _ = values.update(fromContentsOf: row)
            }
        }
        if logits.storage.count != row.count { logits = try Logits(row) }
        return logits
    }
}
