/// One decoding strategy written in the strategy language that `decode generate`,
/// `decode compare` and library users share: `name[:argument]`, several separated by commas.
///
/// | text | strategy | seed | constraint |
/// | --- | --- | --- | --- |
/// | `greedy` | the most likely token at each step | no | no |
/// | `sample` | one token per step from the processed distribution | yes | no |
/// | `cautious` | cautious next-token prediction (CNTP) | yes | no |
/// | `best-of-n:N` | N samples, the verifier's best | yes | no |
/// | `vote:N` | N samples, the most common answer | yes | no |
/// | `beam:W` | token beam search of width W | no | no |
/// | `diverse` | clustered search over segments | yes | no |
/// | `lookahead:L` | beam search scoring L tokens ahead | no | no |
/// | `lcd` | locally constrained decoding (a full mask per step) | yes | yes |
/// | `awrs` | adaptive weighted rejection sampling | yes | yes |
/// | `smc:N` | sequential Monte Carlo over N particles | yes | yes |
///
/// ```swift
/// let list = try StrategySpecification.parseList("greedy, beam:4, smc:8")
/// list.map(\.description)   // ["greedy", "beam:4", "smc:8"]
/// ```
/// ``description`` is the canonical text and parses back to the same value.
/// ``StrategyRegistry`` builds the strategy a specification names.
public struct StrategySpecification: Sendable, Hashable, CustomStringConvertible {
    /// Which strategy, with its number where it takes one.
    public enum Kind: Sendable, Hashable {
        /// The most likely token at each step, no processors.
        case greedy
        /// Plain sampling from the context's chain.
        case sample
        /// Cautious next-token prediction.
        case cautious
        /// Best of this many samples under the context's verifier.
        case bestOfN(Int)
        /// Majority vote over this many samples.
        case vote(Int)
        /// Token beam search of this width.
        case beam(Int)
        /// Diverse (clustered) search.
        case diverse
        /// Beam search of width 2 looking this many tokens ahead.
        case lookahead(Int)
        /// Locally constrained decoding.
        case lcd
        /// Adaptive weighted rejection sampling.
        case awrs
        /// Sequential Monte Carlo with this many particles.
        case smc(Int)
    }

    /// The strategy.
    public var kind: Kind

    /// A specification of `kind`; a number it carries must be at least 1.
    public init(_ kind: Kind) {
        precondition(kind.argument.map { $0 >= 1 } ?? true, "a strategy's number must be at least 1")
        self.kind = kind
    }

    /// Every name with its argument's placeholder, in the order the table above lists them.
    public static let syntax = ["greedy", "sample", "cautious", "best-of-n:N", "vote:N", "beam:W", "diverse",
                                "lookahead:L", "lcd", "awrs", "smc:N"]

    /// The name without its argument (`beam` for `beam:4`).
    public var name: String { kind.name }

    /// The canonical text, `name` or `name:N`.
    public var description: String { kind.argument.map { "\(name):\($0)" } ?? name }

    /// Whether the outcome depends on the seed: greedy, token beam search and lookahead do not.
    public var usesSeed: Bool {
        switch kind {
        case .greedy, .beam, .lookahead: return false
        case .sample, .cautious, .bestOfN, .vote, .diverse, .lcd, .awrs, .smc: return true
        }
    }

    /// Whether the strategy runs only under a constraint (lcd, awrs, smc:N).
    public var needsConstraint: Bool {
        switch kind {
        case .lcd, .awrs, .smc: return true
        default: return false
        }
    }

    /// Whether the strategy ranks candidates with the context's verifier (best-of-n, vote,
    /// beam's final choice, diverse).
    public var usesVerifier: Bool {
        switch kind {
        case .bestOfN, .vote, .beam, .diverse: return true
        default: return false
        }
    }
}

extension StrategySpecification.Kind {
    /// The name in the strategy language.
    var name: String {
        switch self {
        case .greedy: return "greedy"
        case .sample: return "sample"
        case .cautious: return "cautious"
        case .bestOfN: return "best-of-n"
        case .vote: return "vote"
        case .beam: return "beam"
        case .diverse: return "diverse"
        case .lookahead: return "lookahead"
        case .lcd: return "lcd"
        case .awrs: return "awrs"
        case .smc: return "smc"
        }
    }

    /// The number after `:`, for the kinds that take one.
    var argument: Int? {
        switch self {
        case .bestOfN(let n), .vote(let n), .beam(let n), .lookahead(let n), .smc(let n): return n
        case .greedy, .sample, .cautious, .diverse, .lcd, .awrs: return nil
        }
    }
}
