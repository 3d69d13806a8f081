import ArgumentParser
import Decoding
import Foundation
import Search

/// One strategy of `decode compare`, parsed from `name[:argument]`.
struct StrategySpec {
    enum Kind {
        case greedy, sample, cautious
        case bestOfN(Int)
        case vote(Int)
        case beam(Int)
        case diverse
        case lookahead(Int)
    }

    let text: String
    let kind: Kind

    /// Whether the outcome depends on the seed: greedy, token beam search and lookahead do not,
    /// so they run once per task (seed 0) whatever `--seeds` says.
    var usesSeed: Bool {
        switch kind {
        case .greedy, .beam, .lookahead: return false
        case .sample, .cautious, .bestOfN, .vote, .diverse: return true
        }
    }

    static let valid = "greedy, sample, cautious, best-of-n:N, vote:N, beam:W, diverse, lookahead:L"

    /// Parses a comma-separated list.
    static func parseList(_ list: String) throws -> [StrategySpec] {
        let items = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw ValidationError("--strategies is empty; valid strategies: \(valid).") }
        return try items.map(parse)
    }

    static func parse(_ text: String) throws -> StrategySpec {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts[0]
        func number() throws -> Int {
            guard parts.count == 2, let value = Int(parts[1]), value >= 1 else {
                throw ValidationError("strategy '\(text)' needs a positive number after ':' (\(name):4).")
            }
            return value
        }
        func noArgument() throws {
            guard parts.count == 1 else { throw ValidationError("strategy '\(name)' takes no ':' argument.") }
        }
        switch name {
        case "greedy": try noArgument(); return StrategySpec(text: text, kind: .greedy)
        case "sample": try noArgument(); return StrategySpec(text: text, kind: .sample)
        case "cautious": try noArgument(); return StrategySpec(text: text, kind: .cautious)
        case "diverse": try noArgument(); return StrategySpec(text: text, kind: .diverse)
        case "best-of-n": return StrategySpec(text: text, kind: .bestOfN(try number()))
        case "vote": return StrategySpec(text: text, kind: .vote(try number()))
        case "beam": return StrategySpec(text: text, kind: .beam(try number()))
        case "lookahead": return StrategySpec(text: text, kind: .lookahead(try number()))
        default: throw ValidationError("unknown strategy '\(name)'; valid strategies: \(valid).")
        }
    }
}

/// One verifier of `--verifier`, `name[:weight]`.
struct VerifierSpec {
    static let names = ["logprob", "task", "command", "judge"]
    let name: String
    let weight: Double

    static func parseList(_ list: String) throws -> [VerifierSpec] {
        let items = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw ValidationError("--verifier is empty; valid verifiers: \(names.joined(separator: ", ")).") }
        return try items.map { item in
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard names.contains(parts[0]) else {
                throw ValidationError("unknown verifier '\(parts[0])'; valid verifiers: \(names.joined(separator: ", ")).")
            }
            var weight = 1.0
            if parts.count == 2 {
                guard let value = Double(parts[1]), value.isFinite else {
                    throw ValidationError("verifier weight '\(parts[1])' is not a number.")
                }
                weight = value
            }
            return VerifierSpec(name: parts[0], weight: weight)
        }
    }
}

/// Everything one run of a strategy on a task needs.
struct CompareContext {
    let model: any LanguageModel
    let judge: (any LanguageModel)?
    let decoder: any TokenDecoder
    let chain: LogitProcessorChain
    let delimiters: Set<Int>
    let maxTokens: Int
    let budget: Int?
    let verifiers: [VerifierSpec]
    let combine: CombinedVerifier.Method
    let command: String?
    let commandTimeout: Double

    /// The verifier for `task`; with `forReport` the policy log-probability is recomputed
    /// with the model (non-search strategies record none).
    func verifier(for task: SearchTask, prompt: [Int], forReport: Bool) throws -> any Verifier {
        let parts: [(verifier: any Verifier, weight: Double)] = try verifiers.map { spec in
            switch spec.name {
            case "task":
                guard let checker = try task.checker() else {
                    throw SearchError.verifierFailed(verifier: "task", reason: "task \(task.id) has no reference, schema or regex")
                }
                return (checker, spec.weight)
            case "command":
                var fields = ["id": task.id]
                if let reference = task.reference { fields["reference"] = reference }
                if let prompt = task.prompt { fields["prompt"] = prompt }
                return (try CommandVerifier(command: command ?? "", fields: fields, timeout: commandTimeout), spec.weight)
            case "judge":
                return (try JudgeModelVerifier(judge: judge ?? model, judgePrompt: prompt), spec.weight)
            default:
                let policy: any Verifier = forReport ? try JudgeModelVerifier(judge: model, judgePrompt: prompt)
                                                     : MeanLogProbabilityVerifier()
                return (policy, spec.weight)
            }
        }
        if parts.count == 1 && parts[0].weight == 1 { return parts[0].verifier }
        return try CombinedVerifier(parts, method: combine)
    }

    /// Evaluates `prompt` once for every strategy and seed of a task, timing it.
    func prefill(_ prompt: [Int]) throws -> Prefill {
        let started = Date()
        let session = try model.makeSession(prompt: prompt)
        return Prefill(prompt: prompt, session: session, seconds: Date().timeIntervalSince(started))
    }

    /// Runs `spec` on `task` with `seed` from a fork of `prefill`'s session and records the
    /// outcome (a verifier failure is recorded as the task's failure, not thrown). The record
    /// counts the prefill (one call, the prompt's tokens, its time) as a standalone run would.
    func run(_ spec: StrategySpec, task: SearchTask, prefill: Prefill, seed: UInt64) throws -> ComparisonRecord {
        let prompt = prefill.prompt
        let started = Date()
        let result: GenerationResult
        do {
            result = try generate(spec, task: task, session: try prefill.session.fork(), seed: seed)
        } catch let error as SearchError {
            return ComparisonRecord(strategy: spec.text, task: task.id, seed: seed, text: "", tokens: [], taskScore: nil,
                                    verifierScore: nil, modelCalls: 0, tokensEvaluated: 0,
                                    seconds: prefill.seconds + Date().timeIntervalSince(started), failure: "\(error)")
        }
        let seconds = prefill.seconds + Date().timeIntervalSince(started)
        let candidate = VerifierCandidate(prompt: prompt, tokens: result.tokens, text: result.text, isFinished: true)
        var failure: String?
        let taskScore = try task.checker().map { try $0.score(candidate) }
        var verifierScore: Double?
        do {
            let report = try verifier(for: task, prompt: prompt, forReport: true)
            if let judge = report as? JudgeModelVerifier, judge.judge === model {
                // The policy's log-probability after the prompt's session: no second prefill.
                verifierScore = try judge.scores([candidate], after: prefill.session).first
            } else {
                verifierScore = try report.score(candidate)
            }
        } catch let error as SearchError {
            failure = "\(error)"
        }
        return ComparisonRecord(strategy: spec.text, task: task.id, seed: seed, text: result.text, tokens: result.tokens,
                                taskScore: taskScore, verifierScore: verifierScore,
                                modelCalls: result.statistics.modelCalls + 1,
                                tokensEvaluated: result.statistics.tokensEvaluated + prompt.count, seconds: seconds,
                                failure: failure)
    }

    private func generate(_ spec: StrategySpec, task: SearchTask, session: any ModelSession, seed: UInt64) throws -> GenerationResult {
        let prompt = session.tokens
        let options = SearchOptions(chain: chain, seed: seed, maxTokensEvaluated: budget)
        func search() throws -> any Verifier { try verifier(for: task, prompt: prompt, forReport: false) }
        func drive<S: DecodingStrategy>(_ strategy: S) throws -> GenerationResult {
            var iterator = try Generator(model: model, strategy: strategy, decoder: decoder, maxTokens: maxTokens)
                .makeIterator(session: session)
            while let event = try iterator.next() {
                if case .finished(let result) = event { return result }
            }
            throw CompareError("generation ended without a result")
        }
        switch spec.kind {
        case .greedy:
            return try drive(SamplingStrategy(chain: LogitProcessorChain(), sampler: GreedySampler()))
        case .sample:
            return try drive(SamplingStrategy(chain: chain, sampler: CategoricalSampler(seed: seed)))
        case .cautious:
            return try drive(try CautiousStrategy(chain: chain, seed: seed, punctuationTokens: delimiters))
        case .bestOfN(let n):
            return try drive(try BestOfNStrategy(count: n, verifier: try search(), options: options, decoder: decoder))
        case .vote(let n):
            let extraction = task.reference == nil ? AnswerExtraction.wholeText : task.extraction
            return try drive(try BestOfNStrategy(count: n, verifier: try search(), selection: .majorityVote(extraction),
                                                 options: options, decoder: decoder))
        case .beam(let width):
            let final: (any Verifier)? = verifiers.map(\.name) == ["logprob"] ? nil : try search()
            return try drive(try BeamSearchStrategy(width: width, candidatesPerBeam: width, finalVerifier: final,
                                                    options: options, decoder: decoder))
        case .diverse:
            return try drive(try DiverseSearchStrategy(delimiters: delimiters, maxSegmentLength: 8, verifier: try search(),
                                                       options: options, decoder: decoder))
        case .lookahead(let steps):
            return try drive(try BeamSearchStrategy(width: 2, candidatesPerBeam: 2, lookahead: steps, options: options,
                                                    decoder: decoder))
        }
    }
}

/// A task's prompt evaluated once: every strategy and seed continues a fork of `session`.
struct Prefill {
    let prompt: [Int]
    let session: any ModelSession
    /// Wall time of the prefill, added to each record's time.
    let seconds: Double
}
