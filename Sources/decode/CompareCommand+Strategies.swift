import ArgumentParser
import Constraints
import Decoding
import Evaluation
import Foundation
import Search
import Strategies

extension StrategySpecification {
    /// The strategy language's names, for help texts.
    static let validList = syntax.joined(separator: ", ")

    /// Parses `--strategies`; a bad list is a usage error with the library's sentence.
    static func parseOption(_ list: String) throws -> [StrategySpecification] {
        do {
            return try parseList(list)
        } catch {
            throw ValidationError("--strategies: \(error).")
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
    /// What every strategy is built from; each run sets its seed, prompt, constraint and verifier.
    let strategies: StrategyContext
    /// The chain of the constrained strategies (lcd, awrs, smc:N): the temperature without
    /// truncation, as `generate` samples under a constraint. Truncation before AWRS's and SMC's
    /// constraint can cut every allowed token (on Gemma 3's 262 144-token vocabulary, `"` and
    /// `yes` fell outside the top 40).
    let constrainedChain: LogitProcessorChain
    let maxTokens: Int
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
    func run(_ spec: StrategySpecification, task: SearchTask, prefill: Prefill, seed: UInt64) throws -> ComparisonRecord {
        let prompt = prefill.prompt
        let started = Date()
        let result: GenerationResult
        do {
            result = try generate(spec, task: task, session: try prefill.session.fork(), seed: seed)
        } catch let error as SearchError {
            return failed(spec, task: task, seed: seed, seconds: prefill.seconds + Date().timeIntervalSince(started), "\(error)")
        } catch let error as StrategyRegistryError {
            return failed(spec, task: task, seed: seed, seconds: prefill.seconds + Date().timeIntervalSince(started),
                          "\(error); task \(task.id) has no schema or regex")
        } catch let error as ConstraintError {
            return failed(spec, task: task, seed: seed, seconds: prefill.seconds + Date().timeIntervalSince(started), "\(error)")
        } catch let error as ConstrainedSamplingError {
            return failed(spec, task: task, seed: seed, seconds: prefill.seconds + Date().timeIntervalSince(started), "\(error)")
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
        return ComparisonRecord(strategy: spec.description, task: task.id, seed: seed, text: result.text, tokens: result.tokens,
                                taskScore: taskScore, verifierScore: verifierScore,
                                modelCalls: result.statistics.modelCalls + 1,
                                tokensEvaluated: result.statistics.tokensEvaluated + prompt.count, seconds: seconds,
                                failure: failure)
    }

    /// The record of a run that failed before it produced an output.
    private func failed(_ spec: StrategySpecification, task: SearchTask, seed: UInt64, seconds: Double,
                        _ failure: String) -> ComparisonRecord {
        ComparisonRecord(strategy: spec.description, task: task.id, seed: seed, text: "", tokens: [], taskScore: nil,
                         verifierScore: nil, modelCalls: 0, tokensEvaluated: 0, seconds: seconds, failure: failure)
    }

    /// Builds `spec` through the library's registry for this task and seed (a constrained
    /// strategy under the task's schema or regex) and drives it to the end.
    private func generate(_ spec: StrategySpecification, task: SearchTask, session: any ModelSession,
                          seed: UInt64) throws -> GenerationResult {
        var context = strategies
        context.seed = seed
        context.promptLength = session.tokens.count
        context.answerExtraction = task.reference == nil ? .wholeText : task.extraction
        if spec.usesVerifier && verifiers.map(\.name) != ["logprob"] {
            context.verifier = try verifier(for: task, prompt: session.tokens, forReport: false)
        }
        if spec.needsConstraint {
            context.constraint = try task.constraint()
            context.chain = constrainedChain
        }
        let strategy = try StrategyRegistry.makeStrategy(spec, context: context)
        return try drive(strategy, session: session)
    }

    private func drive<S: DecodingStrategy>(_ strategy: S, session: any ModelSession) throws -> GenerationResult {
        var iterator = try Generator(model: model, strategy: strategy, decoder: strategies.decoder, maxTokens: maxTokens)
            .makeIterator(session: session)
        while let event = try iterator.next() {
            if case .finished(let result) = event { return result }
        }
        throw CompareError("generation ended without a result")
    }
}

/// A task's prompt evaluated once: every strategy and seed continues a fork of `session`.
struct Prefill {
    let prompt: [Int]
    let session: any ModelSession
    /// Wall time of the prefill, added to each record's time.
    let seconds: Double
}
