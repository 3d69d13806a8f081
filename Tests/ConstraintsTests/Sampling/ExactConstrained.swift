import Constraints
import Decoding
import DecodingTestSupport
import Foundation

/// Exact distributions of constrained generation on an ``ExactTestModel``, by enumeration:
/// the global `p(y | c(y))` that AWRS-SMC targets and the locally constrained distribution of
/// LCD, over the outcomes of a generation with a token budget (sequences ending with EOS where
/// the constraint may stop, and budget-length sequences the constraint can still extend).
struct ExactConstrained<C: Constraint> {
    let model: ExactTestModel
    let constraint: C
    let prompt: [Int]
    let length: Int
    var table: TokenBytes { TokenBytes(model.tokenBytes) }

    /// The allowed tokens after `state` with their successor states (nil for EOS).
    func allowed(after state: C.State) throws -> [(token: Int, next: C.State?)] {
        var result: [(Int, C.State?)] = []
        for token in 0..<model.vocabularySize {
            if token == model.eos {
                if constraint.canStop(state) { result.append((token, nil)) }
            } else if let next = try constraint.advance(state, by: table[token]) {
                result.append((token, next))
            }
        }
        return result
    }

    /// Walks every valid outcome with its model probability `p(y)` and its LCD probability.
    func enumerate(_ visit: ([Int], Double, Double) -> Void) throws {
        func extend(_ y: [Int], _ state: C.State, _ p: Double, _ q: Double) throws {
            if y.count == length || y.last == model.eos {
                visit(y, p, q)
                return
            }
            let probabilities = model.probabilities(after: prompt + y)
            let options = try allowed(after: state)
            let z = options.reduce(0.0) { $0 + probabilities[$1.token] }
            for (token, next) in options {
                try extend(y + [token], next ?? state, p * probabilities[token], q * probabilities[token] / z)
            }
        }
        try extend([], constraint.start, 1, 1)
    }

    /// `Z = Σ_y p(y) c(y)` and the global distribution `p(y) c(y) / Z` (times `φ(y)` if given).
    func global(potential: ((([Int]) -> Double))? = nil) throws -> (z: Double, distribution: [[Int]: Double]) {
        var weights: [[Int]: Double] = [:]
        try enumerate { y, p, _ in weights[y] = p * (potential.map { exp($0(y)) } ?? 1) }
        let z = weights.values.reduce(0, +)
        return (z, weights.mapValues { $0 / z })
    }

    /// The locally constrained distribution.
    func local() throws -> [[Int]: Double] {
        var result: [[Int]: Double] = [:]
        try enumerate { y, _, q in result[y] = q }
        return result
    }

    /// The exact mass of the allowed next tokens after `generated`, and their locally
    /// constrained distribution.
    func nextToken(after generated: [Int]) throws -> (z: Double, local: [Int: Double]) {
        guard let state = try constraint.advance(constraint.start, by: generated.flatMap { table[$0] }) else {
            return (0, [:])
        }
        let probabilities = model.probabilities(after: prompt + generated)
        let options = try allowed(after: state)
        let z = options.reduce(0.0) { $0 + probabilities[$1.token] }
        return (z, Dictionary(uniqueKeysWithValues: options.map { ($0.token, probabilities[$0.token] / z) }))
    }
}

/// Total variation distance `½ Σ |p − q|`.
func totalVariation<K: Hashable>(_ p: [K: Double], _ q: [K: Double]) -> Double {
    var sum = 0.0
    for key in Set(p.keys).union(q.keys) { sum += abs((p[key] ?? 0) - (q[key] ?? 0)) }
    return sum / 2
}
