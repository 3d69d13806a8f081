/// One decoding strategy written in the strategy language that `decode generate`,
/// `decode compare` and library users share: `name[:argument]` followed by modifiers
/// (`+lcd`, `+draft:ngram`, `+draft:model`), several separated by commas.
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
/// Modifiers compose a strategy with a constraint and a drafter:
///
/// | modifier | effect |
/// | --- | --- |
/// | `+lcd` | runs the strategy under the context's constraint, every distribution it samples or ranks masked by the constraint and renormalized (locally constrained decoding's form); `sample+lcd` is `lcd` |
/// | `+draft:ngram` | speculative decoding with prompt-lookup drafts, verified against the strategy's own (constrained) distribution, so the output distribution is unchanged |
/// | `+draft:model` | the same with a draft model (``StrategyContext/draftModel``) |
///
/// ```swift
/// let list = try StrategySpecification.parseList("greedy, beam:4+lcd, lcd+draft:ngram, smc:8")
/// list.map(\.description)   // ["greedy", "beam:4+lcd", "lcd+draft:ngram", "smc:8"]
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

    /// Where a speculative variant's drafts come from (`+draft:ngram`, `+draft:model`).
    public enum DraftSource: String, Sendable, Hashable, CaseIterable {
        /// Prompt lookup over the context.
        case ngram
        /// A smaller model with the same vocabulary (``StrategyContext/draftModel``).
        case model
    }

    /// The strategy.
    public var kind: Kind
    /// Whether a strategy that is not constrained by itself runs under the context's constraint
    /// (`+lcd`). Always false for lcd, awrs and smc:N, which are.
    public private(set) var isConstrained: Bool
    /// The drafter of the speculative variant (`+draft:…`), `nil` for none.
    public var drafter: DraftSource?

    /// A specification of `kind`, under the context's constraint when `constrained` (ignored for
    /// lcd, awrs and smc:N, constrained by themselves; `sample` constrained is `lcd`), speculative
    /// with `drafter`. A number `kind` carries must be at least 1.
    public init(_ kind: Kind, constrained: Bool = false, drafter: DraftSource? = nil) {
        precondition(kind.argument.map { $0 >= 1 } ?? true, "a strategy's number must be at least 1")
        self.kind = kind == .sample && constrained ? .lcd : kind
        isConstrained = constrained && !self.kind.isConstrainedByItself
        self.drafter = drafter
    }

    /// Every name with its argument's placeholder, in the order the table above lists them.
    public static let syntax = ["greedy", "sample", "cautious", "best-of-n:N", "vote:N", "beam:W", "diverse",
                                "lookahead:L", "lcd", "awrs", "smc:N"]

    /// Every modifier, as written after a name.
    public static let modifierSyntax = ["+lcd", "+draft:ngram", "+draft:model"]

    /// The name without its argument and modifiers (`beam` for `beam:4+lcd`).
    public var name: String { kind.name }

    /// The canonical text: `name` or `name:N`, then `+lcd`, then `+draft:SOURCE`.
    public var description: String {
        var text = kind.argument.map { "\(name):\($0)" } ?? name
        if isConstrained { text += "+lcd" }
        if let drafter { text += "+draft:\(drafter.rawValue)" }
        return text
    }

    /// Whether the strategy is speculative (has a drafter).
    public var isSpeculative: Bool { drafter != nil }

    /// Whether the outcome depends on the seed: greedy, token beam search and lookahead do not.
    public var usesSeed: Bool {
        switch kind {
        case .greedy, .beam, .lookahead: return false
        case .sample, .cautious, .bestOfN, .vote, .diverse, .lcd, .awrs, .smc: return true
        }
    }

    /// Whether the strategy runs only under a constraint (lcd, awrs, smc:N and every `+lcd`).
    public var needsConstraint: Bool { isConstrained || kind.isConstrainedByItself }

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
    /// lcd, awrs and smc:N: strategies that exist only under a constraint.
    var isConstrainedByItself: Bool {
        switch self {
        case .lcd, .awrs, .smc: return true
        default: return false
        }
    }

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
