extension SpeculativeError: CustomStringConvertible {
    /// One sentence that says which setting or input was wrong and what it must be.
    public var description: String {
        switch self {
        case .vocabularyMismatch(let target, let draft):
            return "the draft model's vocabulary (\(draft)) differs from the target's (\(target))"
        case .invalidBudget(let value, let limit): return "the tree's node budget must be in 1...\(limit), got \(value)"
        case .invalidDepth(let value, let limit): return "the draft depth must be in 1...\(limit), got \(value)"
        case .invalidBranching(let value, let depth, let limit):
            return "the static tree's branching at depth \(depth) must be in 1...\(limit), got \(value)"
        case .treeTooLarge(let nodes, let limit): return "the static tree would have \(nodes) nodes; the limit is \(limit)"
        case .invalidNGramOrder(let minimum, let maximum, let limit):
            return "n-gram orders must satisfy 1 <= \(minimum) <= \(maximum) <= \(limit)"
        case .invalidParameter(let name, let value): return "invalid \(name): \(value)"
        case .invalidTemperature(let value): return "the temperature must be finite and non-negative, got \(value)"
        case .drafterReturnedWrongCount(let expected, let got):
            return "the drafter returned \(got) distributions for \(expected) paths"
        case .rowLengthMismatch(let expected, let got): return "a probability row has \(got) entries, expected \(expected)"
        case .degenerateDistribution(let location): return "a probability row has no mass (\(location))"
        case .missingDraftModel: return "a model drafter needs a draft model"
        case .tokenOutOfRange(let token, let size): return "draft token \(token) is outside the vocabulary 0..<\(size)"
        }
    }
}
