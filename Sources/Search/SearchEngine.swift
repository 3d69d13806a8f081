import Decoding

/// The shared machinery of the search strategies: picking tokens for many branches and
/// evaluating them together with one `appendBatch` per position, under a token limit, stop
/// tokens and strings, and a cap on tokens evaluated; counts what it did.
struct SearchEngine {
    /// How a branch picks its next token.
    enum Pick {
        /// Sample from the processed row with the branch's slot generator.
        case sample
        /// The processed row's argmax.
        case greedy
    }

    let model: any LanguageModel
    let decoder: (any TokenDecoder)?
    let prompt: [Int]
    /// The most tokens a branch may hold.
    let limit: Int
    let stopStrings: [[UInt8]]
    let cap: Int?
    let tracksHiddenStates: Bool
    var generators: [Int: Xoshiro256StarStar] = [:]
    let options: SearchOptions
    var statistics = StepStatistics(steps: 1)
    /// Set once the cap stopped an evaluation.
    var exhausted = false
    /// This position's processed rows, one per distinct session (branches that hold identical
    /// tokens share a session until they diverge; see ``evaluateNow(_:_:)``).
    private var rows = SharedRows()

    init(options: SearchOptions, context: StepContext, decoder: (any TokenDecoder)?, prompt: [Int],
         generators: [Int: Xoshiro256StarStar]) {
        model = context.model
        self.decoder = decoder
        self.prompt = prompt
        limit = context.remainingTokens
        stopStrings = options.stopStrings.map { Array($0.utf8) }
        cap = options.maxTokensEvaluated
        tracksHiddenStates = options.tracksHiddenStates
        self.generators = generators
        self.options = options
    }

    /// Runs `body` on the row after `branch`'s tokens processed by the branch's chain, with a
    /// function giving a token's log-probability under the unprocessed row. A branch sharing
    /// its session with one already processed at this position gets that row (and the chain
    /// state it left) without recomputing it; buffers are reused from position to position, so
    /// a step allocates no vocabulary-sized buffer.
    mutating func withRows<R>(of branch: inout Branch,
                              _ body: (_ rawLogProbability: (Int) -> Double, _ processed: Logits) throws -> R) throws -> R {
        let processed = try rows.processed(for: branch.session, chain: &branch.chain, vocabularySize: model.vocabularySize)
        let session = branch.session
        var rows = self.rows
        self.rows = SharedRows()
        defer { self.rows = rows }
        return try body({ rows.rawLogProbability(of: $0, in: session) }, processed)
    }

    /// Records `token` with its log-probability under the unprocessed row on `branch` and
    /// decides whether the branch ended.
    func push(_ token: Int, logProbability: Double, to branch: inout Branch) throws {
        branch.tokens.append(token)
        branch.logProbabilities.append(logProbability)
        branch.chain.accept(token)
        branch.segmentLength += 1
        var added = 0
        if let decoder {
            let piece = try decoder.bytes(for: token)
            branch.bytes += piece
            added = piece.count
        }
        // A stop string that ends inside the new bytes.
        let stopString = added > 0 && stopStrings.contains { stop in
            branch.bytes.suffix(stop.count + added - 1).firstRange(of: stop) != nil
        }
        if model.specialTokens.isStop(token) || branch.tokens.count >= limit || stopString {
            branch.finished = true
            branch.lastEvaluated = false
        }
    }

    /// Picks one token for `branch` from its session's logits.
    mutating func pick(_ pick: Pick, for branch: inout Branch) throws {
        let token: Int
        let logProbability: Double
        switch pick {
        case .greedy:
            (token, logProbability) = try withRows(of: &branch) { rawLogProbability, processed in
                (processed.argmax, rawLogProbability(processed.argmax))
            }
        case .sample:
            var generator = generators[branch.slot] ?? options.generator(slot: branch.slot)
            (token, logProbability) = try withRows(of: &branch) { rawLogProbability, processed in
                let token = CategoricalSampler.draw(from: processed, using: &generator)
                return (token, rawLogProbability(token))
            }
            generators[branch.slot] = generator
        }
        try push(token, logProbability: logProbability, to: &branch)
    }

    /// Evaluates the last token of every branch in `indices` that has not ended, in one batch.
    /// When the cap is already reached, those branches drop that token instead (when they have
    /// another) and end as truncated.
    mutating func evaluate(_ branches: inout [Branch], _ indices: [Int]) throws {
        let pending = indices.filter { !branches[$0].finished }
        guard !pending.isEmpty else { return }
        if let cap, statistics.tokensEvaluated >= cap {
            exhausted = true
            for index in pending {
                if branches[index].tokens.count >= 2 {
                    branches[index].tokens.removeLast()
                    branches[index].logProbabilities.removeLast()
                    if let decoder {
                        branches[index].bytes = try branches[index].tokens.flatMap { try decoder.bytes(for: $0) }
                    }
                    branches[index].finished = true
                    branches[index].truncated = true
                    branches[index].lastEvaluated = true
                } else {
                    try evaluateNow(&branches, [index])
                    branches[index].finished = true
                    branches[index].truncated = true
                }
            }
            return
        }
        try evaluateNow(&branches, pending)
    }

    /// Appends the last token of every branch in `pending` in one batch. Branches that share a
    /// session (identical tokens) and append the same token keep sharing it, so the token is
    /// evaluated once for all of them (``SharedSessionBatch``); the others get forks. A session
    /// also held by a branch outside `pending` is left as it is.
    private mutating func evaluateNow(_ branches: inout [Branch], _ pending: [Int]) throws {
        rows.clear()
        let appending = Set(pending)
        var sessions = pending.map { branches[$0].session }
        let held = branches.indices.filter { !appending.contains($0) }.map { branches[$0].session }
        let evaluated = try SharedSessionBatch.append(pending.map { branches[$0].tokens.last ?? 0 }, to: &sessions,
                                                      held: held, model: model)
        statistics.modelCalls += 1
        statistics.tokensEvaluated += evaluated
        for (index, session) in zip(pending, sessions) { branches[index].session = session }
        for index in pending {
            branches[index].lastEvaluated = true
            if tracksHiddenStates {
                let hidden = branches[index].session.hiddenState
                if branches[index].hiddenSum.count != hidden.count {
                    branches[index].hiddenSum = [Float](repeating: 0, count: hidden.count)
                }
                for i in hidden.indices { branches[index].hiddenSum[i] += hidden[i] }
                branches[index].hiddenCount += 1
            }
        }
    }

    /// Advances every branch in `indices` by one segment: tokens picked with `pick` until a
    /// token in `delimiters` (when given), `maxLength` tokens, or the branch ends. One
    /// `appendBatch` per position across the branches.
    mutating func advanceSegment(_ branches: inout [Branch], _ indices: [Int], pick: Pick,
                                 delimiters: Set<Int>?, maxLength: Int) throws {
        for index in indices { branches[index].segmentLength = 0 }
        var active = indices.filter { !branches[$0].finished }
        while !active.isEmpty {
            for index in active { try self.pick(pick, for: &branches[index]) }
            try evaluate(&branches, active)
            active = active.filter { index in
                let branch = branches[index]
                guard !branch.finished else { return false }
                if let delimiters, let last = branch.tokens.last, delimiters.contains(last) { return false }
                return branch.segmentLength < maxLength
            }
        }
    }

    /// Verifier inputs for `branches`.
    func inputs(_ branches: [Branch]) -> [VerifierCandidate] {
        branches.map { $0.verifierInput(prompt: prompt) }
    }

    /// Scores `branches` with `verifier` (partial candidates included), checking the count.
    func score(_ branches: [Branch], with verifier: any Verifier) throws -> [Double] {
        let scores = try verifier.scores(inputs(branches))
        guard scores.count == branches.count else {
            throw SearchError.verifierFailed(verifier: verifier.name,
                                             reason: "returned \(scores.count) scores for \(branches.count) candidates")
        }
        return scores
    }

    /// Merges branches with identical tokens, keeping the first of each.
    static func merged(_ branches: [Branch]) -> [Branch] {
        var seen: Set<[Int]> = []
        return branches.filter { seen.insert($0.tokens).inserted }
    }

    /// The step for the committed branch; replaces `session` by its session.
    func commit(_ branch: Branch, to session: inout any ModelSession) -> DecodingStep {
        session = branch.session
        return DecodingStep(tokens: branch.tokens, lastTokenEvaluated: branch.lastEvaluated, statistics: statistics)
    }
}
