/// Errors the speculative decoder reports for input a caller can get wrong.
public enum SpeculativeError: Error, Equatable, Sendable {
    /// The drafter proposes tokens from a different vocabulary than the target model.
    case vocabularyMismatch(target: Int, draft: Int)
    /// A node budget outside `1...limit`.
    case invalidBudget(Int, limit: Int)
    /// A depth cap outside `1...limit`.
    case invalidDepth(Int, limit: Int)
    /// A static tree's branching factor at `depth` (0-based) outside `1...limit`.
    case invalidBranching(Int, depth: Int, limit: Int)
    /// A static tree whose shape would exceed the node limit.
    case treeTooLarge(nodes: Int, limit: Int)
    /// An n-gram drafter's orders must satisfy `1 <= minimum <= maximum <= limit`.
    case invalidNGramOrder(minimum: Int, maximum: Int, limit: Int)
    /// A smoothing or weighting parameter that is negative, zero where it must be positive, or NaN.
    case invalidParameter(name: String, value: Double)
    /// A temperature that is negative or NaN (zero means greedy).
    case invalidTemperature(Double)
    /// A drafter returned a different number of distributions than the paths it was asked about.
    case drafterReturnedWrongCount(expected: Int, got: Int)
    /// A probability row (target or draft) whose length is not the vocabulary size.
    case rowLengthMismatch(expected: Int, got: Int)
    /// A probability row with no positive, finite mass (all zero, NaN or infinite).
    case degenerateDistribution(where: String)
    /// A configuration asked for a model drafter but no draft model was given.
    case missingDraftModel
    /// A draft token outside `0..<vocabularySize`.
    case tokenOutOfRange(Int, vocabularySize: Int)
}

