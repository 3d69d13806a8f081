import Decoding
import Foundation
import Speculative
import Testing

/// Lossless verification over plain probability rows: the target and draft are functions of
/// the context (`Oracle`), the decoding loop is written out here, and the distribution of the
/// first three emitted tokens is compared with the exact one computed by enumeration.
struct TreeVerifierTests {
    static let vocabulary = 5
    static let prompt = [0, 1, 2]
    static let target = Oracle(vocabularySize: vocabulary, salt: 1, sharpness: 2.5)

    enum DraftKind: String, CaseIterable, Sendable {
        case close, adversarial, identical, peaked
        func q(_ context: [Int]) -> [Double] {
            let p = TreeVerifierTests.target.probabilities(context)
            switch self {
            case .identical: return p
            case .close:
                let other = Oracle(vocabularySize: TreeVerifierTests.vocabulary, salt: 7, sharpness: 2.5).probabilities(context)
                return zip(p, other).map { 0.7 * $0 + 0.3 * $1 }
            case .adversarial:
                return Oracle(vocabularySize: TreeVerifierTests.vocabulary, salt: 99, sharpness: 6).probabilities(context)
            case .peaked:
                // Support on two tokens only, one of them never the target's favourite.
                let best = p.indices.max { p[$0] < p[$1] }!
                var q = [Double](repeating: 0, count: p.count)
                q[(best + 1) % p.count] = 0.8
                q[(best + 2) % p.count] = 0.2
                return q
            }
        }
    }

    static let shapes: [TreeShape] = [
        .chain(length: 1), .chain(length: 3), .staticTree(branching: [3, 2, 1]),
        .staticTree(branching: [4, 2, 2, 1, 1]), .dynamic(budget: 6, depth: 3), .dynamic(budget: 12, depth: 5),
    ]

    /// One speculative decoding run of at least `length` tokens; returns the first `length`.
    static func run(
        seed: UInt64, shape: TreeShape, drafter: any Drafter, length: Int, greedy: Bool = false
    ) throws -> (tokens: [Int], verifications: [TreeVerification], trees: [DraftTree]) {
        var rng = SplitMix64(seed: seed)
        var context = prompt
        var emitted: [Int] = []
        var verifications: [TreeVerification] = []
        var trees: [DraftTree] = []
        let verifier = TreeVerifier(vocabularySize: vocabulary)
        while emitted.count < length {
            try drafter.synchronize(context: context)
            var draftRNG: SplitMix64? = greedy ? nil : SplitMix64(seed: rng.next())
            let tree: DraftTree
            if case .dynamic(let budget, let depth) = shape {
                tree = try DynamicTreeBuilder(budget: budget, depth: depth)
                    .build(drafter: drafter, vocabularySize: vocabulary, depthLimit: 100, rng: &draftRNG).tree
            } else {
                tree = try StaticTreeBuilder(shape: shape)
                    .build(drafter: drafter, vocabularySize: vocabulary, depthLimit: 100, rng: &draftRNG).tree
            }
            let rows = { (slot: Int) -> [Double] in target.probabilities(context + tree.pathTokens(to: slot - 1)) }
            let verification = greedy
                ? try verifier.verifyGreedy(tree, target: rows)
                : try verifier.verify(tree, target: rows, using: &rng)
            verifications.append(verification)
            trees.append(tree)
            emitted += verification.tokens
            context += verification.tokens
        }
        return (Array(emitted.prefix(length)), verifications, trees)
    }

    static func histogram(shape: TreeShape, kind: DraftKind, runs: Int) throws -> [[Int]: Int] {
        let drafter = FunctionDrafter(kind.q)
        var histogram: [[Int]: Int] = [:]
        for seed in 0..<UInt64(runs) {
            histogram[try run(seed: seed, shape: shape, drafter: drafter, length: 3).tokens, default: 0] += 1
        }
        return histogram
    }

    static let exact = exactSequences(length: 3, vocabularySize: vocabulary, prompt: prompt, p: target.probabilities)

    @Test("speculative sampling reproduces the target's 3-token distribution", arguments: shapes, DraftKind.allCases)
    func exactness(shape: TreeShape, kind: DraftKind) throws {
        let runs = 8000
        let comparison = Comparison(histogram: try Self.histogram(shape: shape, kind: kind, runs: runs), exact: Self.exact, samples: runs)
        print("oracle exactness \(shape) \(kind): \(comparison)")
        #expect(comparison.chiSquare < comparison.chiSquareBound, "\(comparison)")
        #expect(comparison.totalVariation < comparison.totalVariationBound, "\(comparison)")
    }

    @Test("the χ² check has power: accepting the draft unverified is caught")
    func checkCanFail() throws {
        let runs = 8000
        var histogram: [[Int]: Int] = [:]
        for seed in 0..<UInt64(runs) {
            var rng = SplitMix64(seed: seed)
            var sequence: [Int] = []
            for _ in 0..<3 {
                let q = DraftKind.close.q(Self.prompt + sequence)
                var u = Double.random(in: 0..<1, using: &rng)
                var token = q.count - 1
                for (t, w) in q.enumerated() { if u < w { token = t; break }; u -= w }
                sequence.append(token)
            }
            histogram[sequence, default: 0] += 1
        }
        let comparison = Comparison(histogram: histogram, exact: Self.exact, samples: runs)
        #expect(comparison.chiSquare > comparison.chiSquareBound, "\(comparison)")
    }

    @Test("draft = target: every first child is accepted, down to a leaf", arguments: shapes)
    func identicalDraftAcceptsFullPath(shape: TreeShape) throws {
        let drafter = FunctionDrafter(DraftKind.identical.q)
        for seed in 0..<50 as Range<UInt64> {
            let result = try Self.run(seed: seed, shape: shape, drafter: drafter, length: 10)
            for (verification, tree) in zip(result.verifications, result.trees) {
                #expect(verification.acceptedNodes.count >= 1)
                var slot = 0
                for node in verification.acceptedNodes {
                    #expect(node == tree.children(ofSlot: slot).first)
                    slot = DraftTree.slot(after: node)
                }
                #expect(tree.children(ofSlot: slot).isEmpty)
                #expect(verification.tokens.count == verification.acceptedNodes.count + 1)
            }
        }
    }

    @Test("greedy speculative decoding equals greedy plain decoding", arguments: shapes, DraftKind.allCases)
    func greedyMatchesPlain(shape: TreeShape, kind: DraftKind) throws {
        var context = Self.prompt
        for _ in 0..<12 {
            let p = Self.target.probabilities(context)
            context.append(p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }!)
        }
        let plain = Array(context.dropFirst(Self.prompt.count))
        let speculative = try Self.run(seed: 0, shape: shape, drafter: FunctionDrafter(kind.q), length: 12, greedy: true)
        #expect(speculative.tokens == plain)
    }

    @Test("seeded runs are deterministic", arguments: shapes)
    func deterministic(shape: TreeShape) throws {
        let a = try Self.run(seed: 42, shape: shape, drafter: FunctionDrafter(DraftKind.close.q), length: 20)
        let b = try Self.run(seed: 42, shape: shape, drafter: FunctionDrafter(DraftKind.close.q), length: 20)
        #expect(a.tokens == b.tokens)
        #expect(a.verifications == b.verifications)
    }

    @Test("rows of the wrong length or without mass are rejected")
    func badRows() throws {
        let verifier = TreeVerifier(vocabularySize: 5)
        var rng = SplitMix64(seed: 1)
        #expect(throws: SpeculativeError.rowLengthMismatch(expected: 5, got: 3)) {
            try verifier.verify(DraftTree(), target: { _ in [0.2, 0.3, 0.5] }, using: &rng)
        }
        #expect(throws: SpeculativeError.self) {
            try verifier.verify(DraftTree(), target: { _ in [0, 0, 0, 0, 0] }, using: &rng)
        }
        #expect(throws: SpeculativeError.self) {
            try verifier.verify(DraftTree(), target: { _ in [0.5, .nan, 0, 0, 0.5] }, using: &rng)
        }
    }
}
