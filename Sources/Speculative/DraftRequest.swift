/// Asks a drafter for the distributions after several tree slots in one call and checks what
/// comes back.
struct DraftRequest {
    /// Vocabulary of the target model (draft tokens must fall inside it).
    let vocabularySize: Int

    /// Fetches and records the draft distributions of `slots` in `tree`; returns how many
    /// positions were drafted (0 when `slots` is empty, which makes no call).
    ///
    /// - Throws: ``SpeculativeError/drafterReturnedWrongCount(expected:got:)``,
    ///   ``SpeculativeError/tokenOutOfRange(_:vocabularySize:)`` and the drafter's errors.
    @discardableResult
    func expand(_ slots: [Int], in tree: inout DraftTree, drafter: any Drafter) throws -> Int {
        guard !slots.isEmpty else { return 0 }
        let paths = slots.map { tree.pathTokens(to: $0 - 1) }
        let distributions = try drafter.draftDistributions(after: paths)
        guard distributions.count == slots.count else {
            throw SpeculativeError.drafterReturnedWrongCount(expected: slots.count, got: distributions.count)
        }
        for (slot, distribution) in zip(slots, distributions) {
            if let last = distribution.tokens.last, last >= vocabularySize {
                throw SpeculativeError.tokenOutOfRange(last, vocabularySize: vocabularySize)
            }
            if let first = distribution.tokens.first, first < 0 {
                throw SpeculativeError.tokenOutOfRange(first, vocabularySize: vocabularySize)
            }
            tree.setDistribution(distribution, atSlot: slot)
        }
        return slots.count
    }
}
