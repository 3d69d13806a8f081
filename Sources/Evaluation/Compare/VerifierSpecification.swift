import Foundation

/// One verifier of a comparison, `name[:weight]` (`decode compare --verifier`): what scores
/// each output beside the task's own check.
public struct VerifierSpecification: Sendable, Hashable {
    /// The verifiers a comparison can use.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The policy's mean log-probability of the output.
        case logprob
        /// The task's own check (its reference, schema or regex).
        case task
        /// An external command given the output (`CommandVerifier`).
        case command
        /// A judge model's log-probability of the output (`JudgeModelVerifier`).
        case judge
    }

    /// Which verifier.
    public var kind: Kind
    /// Its weight when several are combined.
    public var weight: Double

    /// A verifier of `kind` with `weight`.
    public init(_ kind: Kind, weight: Double = 1) {
        self.kind = kind
        self.weight = weight
    }

    /// The names `parseList` accepts.
    public static var names: [String] { Kind.allCases.map(\.rawValue) }

    /// Parses a comma-separated list of `name[:weight]` (spaces around items ignored).
    ///
    /// - Throws: ``ComparisonError/invalidVerifier(_:)`` for an empty list, an unknown name or a
    ///   weight that is not a finite number.
    public static func parseList(_ list: String) throws(ComparisonError) -> [VerifierSpecification] {
        let items = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw .invalidVerifier("the verifier list is empty; valid verifiers: \(names.joined(separator: ", "))") }
        var result: [VerifierSpecification] = []
        for item in items {
            let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let kind = Kind(rawValue: parts[0]) else {
                throw .invalidVerifier("unknown verifier '\(parts[0])'; valid verifiers: \(names.joined(separator: ", "))")
            }
            var weight = 1.0
            if parts.count == 2 {
                guard let value = Double(parts[1]), value.isFinite else {
                    throw .invalidVerifier("verifier weight '\(parts[1])' is not a number")
                }
                weight = value
            }
            result.append(VerifierSpecification(kind, weight: weight))
        }
        return result
    }
}
