import Foundation
import Decoding

/// Beam search over tokens or segments, optionally with lookahead.
///
/// Each round expands every unfinished beam into ``candidatesPerBeam`` children — the C most
/// likely next tokens of the processed row (``Unit/token``), or C sampled segments ending at a
/// delimiter token, a stop token or string, or a length (``Unit/segment(delimiters:maxLength:)``)
/// — all children advanced together, one `appendBatch` per position. Token children are ranked
/// from their parent's row without being evaluated, so a round of plain token beam search
/// evaluates only the W survivors, in one `appendBatch`. Finished beams carry over.
/// Children with identical tokens are merged, and the ``width`` best of the pool survive by
/// ``Scoring``: cumulative log-probability under the model divided by `length^α`
/// (``lengthPenalty`` α, 0 = none), or a verifier on the partial text. The search ends when
/// every surviving beam is finished (or the budget is spent) and commits the best beam by the
/// final verifier when one is given, else by its beam score.
///
/// With ``lookahead`` L > 0 each child is scored after extending a copy of it by L greedy
/// tokens (batched), but only the child's own step is kept (Lookahead search; Snell et al.,
/// "Scaling LLM test-time compute optimally", 2024).
///
/// Width 1 with C ≥ 1 over tokens is greedy decoding. A width at least the number of distinct
/// prefixes at every depth (`V^(L−1)` for length L) makes the search exhaustive, so it returns
/// the exact top-W sequences.
public struct BeamSearchStrategy: SearchStrategy {
    /// What one expansion adds to a beam.
    public enum Unit: Sendable, Hashable {
        /// One token: the C most likely.
        case token
        /// A sampled segment ending after a token in `delimiters` or after `maxLength` tokens.
        case segment(delimiters: Set<Int>, maxLength: Int)
    }

    /// How beams are ranked during the search.
    public enum Scoring: Sendable {
        /// Cumulative model log-probability over `length^lengthPenalty`.
        case logProbability
        /// A verifier's score of the partial text (the mean log-probability when it does not
        /// score partial candidates).
        case verifier(any Verifier)
    }

    /// Beams kept per round (W).
    public let width: Int
    /// Children per beam per round (C).
    public let candidatesPerBeam: Int
    /// Token or segment steps.
    public let unit: Unit
    /// Ranking during the search.
    public let scoring: Scoring
    /// Length normalization exponent α (score = Σ log p / length^α); 0 turns it off.
    public let lengthPenalty: Double
    /// Greedy tokens of lookahead before scoring a child (0 = plain beam search).
    public let lookahead: Int
    /// Picks the committed beam among the final ones, when given.
    public let finalVerifier: (any Verifier)?
    /// Sampling (segments), stop strings, budget.
    public let options: SearchOptions
    /// Gives candidates their text.
    public let decoder: (any TokenDecoder)?
    /// The last step's final beams.
    public private(set) var lastResult: SearchResult?
    private var generators: [Int: Xoshiro256StarStar] = [:]

    /// A beam search.
    ///
    /// - Throws: ``SearchError/invalidParameter(name:value:requirement:)`` for a width,
    ///   candidate count or segment length below 1, a negative lookahead, a length penalty that
    ///   is negative or not finite, or bad options.
    public init(width: Int, candidatesPerBeam: Int, unit: Unit = .token, scoring: Scoring = .logProbability,
                lengthPenalty: Double = 0, lookahead: Int = 0, finalVerifier: (any Verifier)? = nil,
                options: SearchOptions = SearchOptions(), decoder: (any TokenDecoder)? = nil) throws {
        try SearchError.requirePositive(width, "beam width W")
        try SearchError.requirePositive(candidatesPerBeam, "candidates per beam C")
        if case .segment(_, let maxLength) = unit { try SearchError.requirePositive(maxLength, "segment length") }
        try SearchError.requireNonNegative(lookahead, "lookahead")
        try SearchError.requireFiniteNonNegative(lengthPenalty, "length penalty")
        try options.validate()
        self.width = width
        self.candidatesPerBeam = candidatesPerBeam
        self.unit = unit
        self.scoring = scoring
        self.lengthPenalty = lengthPenalty
        self.lookahead = lookahead
        self.finalVerifier = finalVerifier
        self.options = options
        self.decoder = decoder
    }

    /// Runs the search to the end (or the step's limit) and commits the best beam.
    public mutating func step(_ session: inout any ModelSession, context: StepContext) throws -> DecodingStep {
        var engine = SearchEngine(options: options, context: context, decoder: decoder, prompt: session.tokens,
                                  generators: generators)
        var beams = [Branch(session: session, chain: options.chain, slot: 0)]
        var scores = [0.0]
        var tried = 0
        var rounds = 0
        while beams.contains(where: { !$0.finished }) && !engine.exhausted {
            var pool: [Branch] = []
            for beam in beams where beam.finished { pool.append(beam) }
            let open = beams.filter { !$0.finished }
            let children = try expand(open, engine: &engine)
            tried += children.count
            pool += children
            pool = SearchEngine.merged(pool)
            let poolScores = try rank(pool, engine: &engine)
            let order = pool.indices.sorted { poolScores[$0] > poolScores[$1] || (poolScores[$0] == poolScores[$1] && $0 < $1) }
            let kept = Array(order.prefix(width))
            beams = kept.map { pool[$0] }
            scores = kept.map { poolScores[$0] }
            rounds += 1
            if case .token = unit, lookahead == 0 {
                try engine.evaluate(&beams, Array(beams.indices))
            }
        }
        generators = engine.generators
        var chosen = 0
        var finalScores = scores
        if let finalVerifier {
            finalScores = try engine.score(beams, with: finalVerifier)
            chosen = finalScores.indices.max { finalScores[$0] < finalScores[$1] || (finalScores[$0] == finalScores[$1] && $0 > $1) } ?? 0
        }
        engine.statistics.branchesTried = tried
        engine.statistics.branchingSteps = rounds
        lastResult = SearchResult(candidates: zip(beams, finalScores).map { $0.candidate(score: $1) }, chosen: chosen,
                                  statistics: engine.statistics)
        return engine.commit(beams[chosen], to: &session)
    }

    /// The children of `open` beams, advanced by one unit.
    private func expand(_ open: [Branch], engine: inout SearchEngine) throws -> [Branch] {
        var children: [Branch] = []
        switch unit {
        case .token:
            for beam in open {
                // The chain runs on a copy: only the children take its state on.
                var probe = beam
                let top = try engine.withRows(of: &probe) { rawLogProbability, processed in
                    processed.topTokens(candidatesPerBeam).map { ($0, rawLogProbability($0)) }
                }
                // The children share the beam's session; the survivors get their own when
                // they are evaluated, the discarded ones never need one.
                for (token, logProbability) in top {
                    var child = beam
                    try engine.push(token, logProbability: logProbability, to: &child)
                    children.append(child)
                }
            }
            // A child's log-probability score is known from its parent's row, so without
            // lookahead only the survivors are evaluated (in `step`); lookahead extends the
            // children from their own rows.
            if lookahead > 0 { try engine.evaluate(&children, Array(children.indices)) }
        case .segment(let delimiters, let maxLength):
            // A beam's children share its session until their segments diverge.
            for (b, beam) in open.enumerated() {
                for c in 0..<candidatesPerBeam { children.append(withSlot(beam, b * candidatesPerBeam + c)) }
            }
            try engine.advanceSegment(&children, Array(children.indices), pick: .sample, delimiters: delimiters,
                                      maxLength: maxLength)
        }
        return children
    }

    private func withSlot(_ branch: Branch, _ slot: Int) -> Branch {
        var copy = branch
        copy.slot = slot
        return copy
    }

    /// Scores of `pool` (after lookahead when asked).
    private func rank(_ pool: [Branch], engine: inout SearchEngine) throws -> [Double] {
        var scored = pool
        if lookahead > 0 {
            // Extend forks of the open children greedily; the forks are thrown away.
            var probes = try pool.map { $0.finished ? $0 : try $0.forked(slot: $0.slot) }
            let open = probes.indices.filter { !probes[$0].finished }
            try engine.advanceSegment(&probes, open, pick: .greedy, delimiters: nil, maxLength: lookahead)
            engine.statistics.discardedTokens += open.reduce(0) { $0 + probes[$1].tokens.count - pool[$1].tokens.count }
            scored = probes
        }
        switch scoring {
        case .logProbability:
            return scored.map { branch in
                let total = branch.logProbabilities.reduce(0, +)
                return lengthPenalty == 0 ? total : total / pow(Double(max(branch.tokens.count, 1)), lengthPenalty)
            }
        case .verifier(let verifier):
            if verifier.scoresPartial { return try engine.score(scored, with: verifier) }
            return try engine.score(scored, with: MeanLogProbabilityVerifier())
        }
    }

    /// Forgets the generators' positions and the last result.
    public mutating func reset() {
        generators = [:]
        lastResult = nil
    }
}
