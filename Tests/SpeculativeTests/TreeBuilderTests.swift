import Decoding
import Foundation
import Speculative
import Testing

/// Tree construction: shapes, the DySpec value invariants, greedy optimality against brute force,
/// and the without-replacement order of children.
struct TreeBuilderTests {
    static let vocabulary = 4

    /// A draft distribution that depends on the last two tokens, with a zero somewhere.
    static func q(_ context: [Int]) -> [Double] {
        var p = Oracle(vocabularySize: vocabulary, salt: 5, sharpness: 3).probabilities(context)
        p[(context.last ?? 0) % vocabulary] = 0
        let total = p.reduce(0, +)
        return p.map { $0 / total }
    }

    static func checkInvariants(_ tree: DraftTree, drafter: FunctionDrafter, depthCap: Int) throws {
        for node in 0..<tree.count {
            #expect(tree.parents[node] < node)
            #expect(tree.depths[node] < depthCap)
            let slot = tree.parents[node] + 1
            let distribution = try #require(tree.distribution(atSlot: slot))
            let qt = distribution.probability(of: tree.tokens[node])
            #expect(qt > 0)
            #expect(abs(tree.values[node] - tree.value(ofSlot: slot) * qt) < 1e-12)
            // The slot's distribution is the drafter's after the node's path.
            let expected = q(drafter.context + tree.pathTokens(to: tree.parents[node]))
            #expect(abs(qt - expected[tree.tokens[node]]) < 1e-12)
        }
        for slot in 0...tree.count {
            let tokens = tree.children(ofSlot: slot).map { tree.tokens[$0] }
            #expect(Set(tokens).count == tokens.count, "children of a slot are distinct")
        }
    }

    @Test("static trees have the requested branching (capped by the support)",
          arguments: [[1, 1, 1], [3, 2, 1], [4, 2, 2, 1, 1], [2, 3]])
    func staticShape(branching: [Int]) throws {
        let drafter = FunctionDrafter(Self.q)
        try drafter.synchronize(context: [0, 1])
        var rng: SplitMix64? = SplitMix64(seed: 1)
        let built = try StaticTreeBuilder(shape: .staticTree(branching: branching))
            .build(drafter: drafter, vocabularySize: Self.vocabulary, depthLimit: 100, rng: &rng)
        try Self.checkInvariants(built.tree, drafter: drafter, depthCap: branching.count)
        #expect(built.tree.height == branching.count)
        for node in 0..<built.tree.count where built.tree.depths[node] + 1 < branching.count {
            // Each q has 3 tokens of support (one zeroed), so branching is min(b, 3).
            #expect(built.tree.children(ofSlot: node + 1).count == min(branching[built.tree.depths[node] + 1], 3))
        }
        #expect(drafter.calls == branching.count, "one batched drafter call per level")
    }

    @Test("dynamic trees respect budget and depth; values are products of q",
          arguments: [(1, 1), (5, 2), (12, 4), (30, 6), (60, 3)])
    func dynamicInvariants(budget: Int, depth: Int) throws {
        for seed in 0..<20 as Range<UInt64> {
            let drafter = FunctionDrafter(Self.q)
            try drafter.synchronize(context: [Int(seed % 4), 2])
            var rng: SplitMix64? = SplitMix64(seed: seed)
            let built = try DynamicTreeBuilder(budget: budget, depth: depth)
                .build(drafter: drafter, vocabularySize: Self.vocabulary, depthLimit: 100, rng: &rng)
            #expect(built.tree.count <= budget)
            // Support 3 per position: the full tree up to `depth` has 3 + 9 + … nodes.
            let full = (1...depth).reduce(0) { total, d in total + Int(pow(3.0, Double(d))) }
            #expect(built.tree.count == min(budget, full))
            try Self.checkInvariants(built.tree, drafter: drafter, depthCap: depth)
            // One call per batch of pending positions: never more than the positions expanded.
            let expanded = (0...built.tree.count).filter { built.tree.distribution(atSlot: $0) != nil }.count
            #expect(drafter.calls <= expanded)
            #expect(built.draftedPositions == expanded)
        }
    }

    @Test("greedy DySpec picks the B most valuable nodes (brute force), also with a drafter's confidence",
          arguments: 1...14, [false, true])
    func greedyOptimal(budget: Int, tempered: Bool) throws {
        for (contextSeed, depth) in [(0, 1), (1, 2), (2, 3), (3, 3)] {
            let base = FunctionDrafter(Self.q)
            let drafter: any Drafter = tempered ? TemperedDrafter(base) : base
            let context = [contextSeed, 1]
            try drafter.synchronize(context: context)
            var rng: SplitMix64? = nil
            let built = try DynamicTreeBuilder(budget: budget, depth: depth)
                .build(drafter: drafter, vocabularySize: Self.vocabulary, depthLimit: 100, rng: &rng)
            // A node's value: the product of confidence × q along its path.
            func confidence(_ path: [Int]) -> Double {
                tempered ? TemperedDrafter.confidences[(context + path).last! % TemperedDrafter.confidences.count] : 1
            }
            var values: [Double] = []
            func enumerate(_ path: [Int], _ value: Double) {
                guard path.count < depth else { return }
                for (t, qt) in Self.q(context + path).enumerated() where qt > 0 {
                    let child = value * confidence(path) * qt
                    values.append(child)
                    enumerate(path + [t], child)
                }
            }
            enumerate([], 1)
            let best = values.sorted(by: >).prefix(budget).reduce(0, +)
            let got = built.tree.values.reduce(0, +)
            #expect(abs(got - best) < 1e-12, "depth \(depth): \(got) vs optimum \(best)")
            for node in 0..<built.tree.count {
                let slot = built.tree.parents[node] + 1
                let qt = try #require(built.tree.distribution(atSlot: slot)).probability(of: built.tree.tokens[node])
                let expected = built.tree.value(ofSlot: slot) * confidence(built.tree.pathTokens(to: slot - 1)) * qt
                #expect(abs(built.tree.values[node] - expected) < 1e-12)
            }
        }
    }

    @Test("children come in without-replacement order: P(a then b) = q(a) q(b) / (1 − q(a))")
    func withoutReplacementOrder() throws {
        let q: [Double] = [0.5, 0.3, 0.15, 0.05]
        let drafter = FunctionDrafter { _ in q }
        try drafter.synchronize(context: [0])
        let runs = 20000
        var histogram: [[Int]: Int] = [:]
        for seed in 0..<UInt64(runs) {
            var rng: SplitMix64? = SplitMix64(seed: seed)
            let tree = try StaticTreeBuilder(shape: .staticTree(branching: [2]))
                .build(drafter: drafter, vocabularySize: 4, depthLimit: 10, rng: &rng).tree
            histogram[tree.tokens, default: 0] += 1
        }
        var exact: [[Int]: Double] = [:]
        for a in 0..<4 { for b in 0..<4 where b != a { exact[[a, b]] = q[a] * q[b] / (1 - q[a]) } }
        let comparison = Comparison(histogram: histogram, exact: exact, samples: runs)
        #expect(comparison.chiSquare < comparison.chiSquareBound, "\(comparison)")
    }

    @Test("a drafter returning foreign tokens or the wrong count is a typed error")
    func badDrafters() throws {
        let outOfRange = FunctionDrafter { _ in [0, 0, 0, 0, 0, 1] }
        var rng: SplitMix64? = SplitMix64(seed: 1)
        #expect(throws: SpeculativeError.tokenOutOfRange(5, vocabularySize: 4)) {
            try DynamicTreeBuilder(budget: 4, depth: 2).build(drafter: outOfRange, vocabularySize: 4, depthLimit: 10, rng: &rng)
        }
        final class Short: Drafter {
            var vocabularySize: Int? { nil }
            var costPerDraftToken: Double { 0 }
            func synchronize(context: [Int]) throws {}
            func draftDistributions(after paths: [[Int]]) throws -> [DraftDistribution] { [] }
        }
        #expect(throws: SpeculativeError.drafterReturnedWrongCount(expected: 1, got: 0)) {
            try StaticTreeBuilder(shape: .chain(length: 2)).build(drafter: Short(), vocabularySize: 4, depthLimit: 10, rng: &rng)
        }
        #expect(throws: SpeculativeError.self) { try DraftDistribution(dense: [0.5, -0.1]) }
        #expect(throws: SpeculativeError.self) { try DraftDistribution(dense: [0.5, .nan]) }
        #expect(try DraftDistribution(dense: [0, 0]).isEmpty)
    }
}
