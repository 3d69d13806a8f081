import ArgumentParser
import Decoding
import Foundation
import Speculative

/// The tree shape asked for on the command line.
enum TreeKind: String, ExpressibleByArgument, CaseIterable {
    /// A chain of `--draft-depth` tokens.
    case chain
    /// A fixed tree with `--tree-branching` children per depth.
    case `static`
    /// A DySpec dynamic tree of `--tree-budget` nodes and `--draft-depth` levels.
    case dynamic
}

/// The speculative-decoding options of `decode generate`: where drafts come from
/// (`--speculative ngram|layerskip:K|model:PATH`) and the tree drafted each step.
struct SpeculativeArguments: ParsableArguments {
    @Option(name: .long, help: """
        Speculative decoding with this drafter: ngram (prompt lookup), layerskip:K (the model's own \
        first K layers, early exit: it pays only for a model trained for early exit, such as \
        LayerSkip checkpoints; on SmolLM2 about 1 % of drafts are accepted) or model:PATH (a smaller \
        GGUF model with the same vocabulary).
        """)
    var speculative: String?

    @Option(name: .long, help: "Draft tree: chain, static or dynamic (default: dynamic).")
    var tree: TreeKind?

    @Option(name: .long, parsing: .unconditional, help: "Dynamic tree: most nodes per step, or 'auto' (the default) to choose it each step from measured costs, up to \(SpeculativeArguments.autoBudgetCap).")
    var treeBudget: String?

    @Option(name: .long, parsing: .unconditional, help: "Deepest draft: chain length or dynamic tree depth (default: 6).")
    var draftDepth: Int?

    @Option(name: .long, help: "Static tree: children per depth, separated by commas (default: 4,2,2,1,1).")
    var treeBranching: String?

    /// The most nodes an `auto` budget may choose.
    static let autoBudgetCap = 64

    /// Where drafts come from.
    enum Source: Equatable {
        /// Prompt lookup.
        case ngram
        /// The target's first `layers` layers (self-draft by early exit).
        case layerSkip(layers: Int)
        /// A draft model file.
        case model(path: String)
    }

    /// Whether speculation was asked for.
    var isSpeculative: Bool { speculative != nil }

    /// The tree kind (dynamic unless given).
    var treeKind: TreeKind { tree ?? .dynamic }

    /// The dynamic tree's budget as given ("auto" unless a number was), nil for other trees.
    var treeBudgetName: String? { treeKind == .dynamic ? treeBudget ?? "auto" : nil }

    func validate() throws {
        guard isSpeculative else {
            for (flag, value) in [("--tree", tree as Any?), ("--tree-budget", treeBudget), ("--draft-depth", draftDepth),
                                  ("--tree-branching", treeBranching)] where value != nil {
                throw ValidationError("\(flag) applies only with --speculative.")
            }
            return
        }
        if treeBudget != nil && treeKind != .dynamic {
            throw ValidationError("--tree-budget applies only to --tree dynamic.")
        }
        if treeBranching != nil && treeKind != .static {
            throw ValidationError("--tree-branching applies only to --tree static.")
        }
        if draftDepth != nil && treeKind == .static {
            throw ValidationError("--draft-depth applies to --tree chain and dynamic; a static tree's depth is its --tree-branching.")
        }
        _ = try source()
        _ = try treeShape()
    }

    /// The drafter named by `--speculative`.
    ///
    /// - Throws: `ValidationError` for an unknown drafter, a missing path or a `K` that is not a
    ///   positive whole number (a `K` at or above the model's layer count is reported once the
    ///   model is loaded).
    func source() throws -> Source? {
        guard let speculative else { return nil }
        if speculative == "ngram" { return .ngram }
        if speculative.hasPrefix("model:") {
            let path = String(speculative.dropFirst("model:".count))
            guard !path.isEmpty else { throw ValidationError("--speculative model:PATH needs a path.") }
            return .model(path: path)
        }
        if speculative.hasPrefix("layerskip:") {
            let value = speculative.dropFirst("layerskip:".count)
            guard let layers = Int(value), layers >= 1 else {
                throw ValidationError("--speculative layerskip:K needs a whole number of layers K >= 1, got '\(value)'.")
            }
            return .layerSkip(layers: layers)
        }
        throw ValidationError("--speculative: unknown drafter '\(speculative)'; valid: ngram, layerskip:K, model:PATH.")
    }

    /// The validated tree shape and whether its budget adapts.
    func treeShape() throws -> (shape: TreeShape, adaptive: Bool) {
        var adaptive = false
        let shape: TreeShape
        let depth = draftDepth ?? 6
        switch treeKind {
        case .chain:
            shape = .chain(length: depth)
        case .static:
            let text = treeBranching ?? "4,2,2,1,1"
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            let branching = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, branching.count == parts.count else {
                throw ValidationError("--tree-branching must be whole numbers separated by commas, got '\(text)'.")
            }
            shape = .staticTree(branching: branching)
        case .dynamic:
            let budget: Int
            let text = treeBudget ?? "auto"
            if text == "auto" {
                adaptive = true
                budget = Self.autoBudgetCap
            } else if let value = Int(text) {
                budget = value
            } else {
                throw ValidationError("--tree-budget must be a number or 'auto', got '\(text)'.")
            }
            shape = .dynamic(budget: budget, depth: depth)
        }
        do {
            _ = try shape.validated()
        } catch let error as SpeculativeError {
            throw ValidationError("\(Self.flag(for: error)): \(error)")
        }
        return (shape, adaptive)
    }

    /// The flag whose value a tree-shape error is about.
    static func flag(for error: SpeculativeError) -> String {
        switch error {
        case .invalidBudget: return "--tree-budget"
        case .invalidBranching, .treeTooLarge: return "--tree-branching"
        case .invalidDepth: return "--draft-depth"
        default: return "--speculative"
        }
    }
}
