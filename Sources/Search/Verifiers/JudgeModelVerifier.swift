import Decoding

/// Mean token log-probability of the candidate under a second model (a judge), given a judge
/// prompt: `(1/n) Σ log p_judge(tᵢ | judgePrompt, t₁…tᵢ₋₁)`. The judge must share the policy's
/// token ids. Each candidate costs one tree evaluation (a chain) after one shared prefill.
public struct JudgeModelVerifier: Verifier {
    /// The judge.
    public let judge: any LanguageModel
    /// The tokens the judge reads before each candidate (for example the task prompt).
    public let judgePrompt: [Int]

    /// A verifier scoring with `judge` after `judgePrompt` (non-empty).
    ///
    /// - Throws: ``SearchError/invalidParameter(name:value:requirement:)`` for an empty prompt.
    public init(judge: any LanguageModel, judgePrompt: [Int]) throws {
        guard !judgePrompt.isEmpty else {
            throw SearchError.invalidParameter(name: "judge prompt", value: "[]", requirement: "at least one token")
        }
        self.judge = judge
        self.judgePrompt = judgePrompt
    }

    /// "judge".
    public var name: String { "judge" }
    /// Partial candidates are scored the same way.
    public var scoresPartial: Bool { true }

    /// One mean log-probability per candidate (0 for an empty one).
    ///
    /// - Throws: ``SearchError/tokenOutOfJudgeVocabulary(_:vocabularySize:)`` and the judge's errors.
    public func scores(_ candidates: [VerifierCandidate]) throws -> [Double] {
        try scores(candidates, after: try judge.makeSession(prompt: judgePrompt))
    }

    /// ``scores(_:)`` after a session of `judge` that already holds ``judgePrompt`` (so callers
    /// scoring many candidates of one prompt pay its prefill once); the session is left as it
    /// was.
    ///
    /// - Throws: ``SearchError/invalidParameter(name:value:requirement:)`` when `session` does
    ///   not hold exactly the judge prompt, and the errors of ``scores(_:)``.
    public func scores(_ candidates: [VerifierCandidate], after session: any ModelSession) throws -> [Double] {
        guard session.tokens == judgePrompt else {
            throw SearchError.invalidParameter(name: "judge session", value: "\(session.tokens.count) tokens",
                                               requirement: "exactly the \(judgePrompt.count) tokens of the judge prompt")
        }
        let first = try Logits(session.logits)
        return try candidates.map { candidate in
            let tokens = candidate.tokens
            guard !tokens.isEmpty else { return 0 }
            for token in tokens where token < 0 || token >= judge.vocabularySize {
                throw SearchError.tokenOutOfJudgeVocabulary(token, vocabularySize: judge.vocabularySize)
            }
            var total = first.logProbability(of: tokens[0])
            if tokens.count > 1 {
                let chain = try TokenTree(tokens: Array(tokens.dropLast()), parents: (0..<tokens.count - 1).map { $0 - 1 })
                let rows = try judge.evaluateTree(chain, after: session)
                for (i, row) in rows.enumerated() { total += try Logits(row).logProbability(of: tokens[i + 1]) }
            }
            return total / Double(tokens.count)
        }
    }
}
