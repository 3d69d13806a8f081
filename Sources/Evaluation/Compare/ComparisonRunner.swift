import Constraints
import Decoding
import Foundation
import Search
import Strategies

/// Runs strategies on tasks and records each outcome (`decode compare`'s engine): the task's
/// prompt is evaluated once, every strategy and seed continues a fork of that session, and each
/// output is scored by the task's own check and by the comparison's verifiers.
///
/// ```swift
/// let runner = ComparisonRunner(model: model, strategies: context, constrainedChain: chain, maxTokens: 64,
///                               verifiers: [VerifierSpecification(.task)])
/// let prefill = try runner.prefill(try task.promptTokens(tokenizer: tokenizer, template: template))
/// let record = try runner.run(StrategySpecification(.greedy), task: task, prefill: prefill, seed: 0)
/// ```
public struct ComparisonRunner {
    /// The model every strategy runs on.
    public let model: any LanguageModel
    /// The judge verifier's model (`nil`: the policy model judges).
    public let judge: (any LanguageModel)?
    /// What every strategy is built from; each run sets its seed, prompt length, constraint and
    /// verifier.
    public let strategies: StrategyContext
    /// The chain of the strategies that need a constraint (lcd, awrs, smc:N): truncation before
    /// AWRS's and SMC's constraint can cut every allowed token (on Gemma 3's 262 144-token
    /// vocabulary, `"` and `yes` fell outside the top 40), so the usual choice is the temperature
    /// alone (`SamplingParameters.constrainedDefaults`).
    public let constrainedChain: LogitProcessorChain
    /// The most tokens a run generates.
    public let maxTokens: Int
    /// The verifiers that score each output (and guide the strategies that use a verifier).
    public let verifiers: [VerifierSpecification]
    /// How several verifiers combine.
    public let combine: CombinedVerifier.Method
    /// The command verifier's shell command.
    public let command: String?
    /// The command verifier's time limit in seconds.
    public let commandTimeout: Double

    /// A runner; see the properties.
    public init(model: any LanguageModel, judge: (any LanguageModel)? = nil, strategies: StrategyContext,
                constrainedChain: LogitProcessorChain, maxTokens: Int, verifiers: [VerifierSpecification],
                combine: CombinedVerifier.Method = .weightedSum, command: String? = nil, commandTimeout: Double = 30) {
        self.model = model
        self.judge = judge
        self.strategies = strategies
        self.constrainedChain = constrainedChain
        self.maxTokens = maxTokens
        self.verifiers = verifiers
        self.combine = combine
        self.command = command
        self.commandTimeout = commandTimeout
    }

    /// Evaluates `prompt` once, timed, for every strategy and seed of a task.
    ///
    /// - Throws: the model's errors (an over-long prompt).
    public func prefill(_ prompt: [Int]) throws -> TaskPrefill {
        let started = Date()
        let session = try model.makeSession(prompt: prompt)
        return TaskPrefill(prompt: prompt, session: session, seconds: Date().timeIntervalSince(started))
    }

    /// Runs `specification` on `task` with `seed` from a fork of `prefill`'s session and records
    /// the outcome. A failure of the run itself (a verifier that fails, a task without the
    /// constraint a strategy needs, a constraint's limit, an unsatisfiable constraint) is the
    /// record's `failure`, not thrown. The record counts the prefill (one call, the prompt's
    /// tokens, its time) as a standalone run would.
    ///
    /// - Throws: the model's errors, and a task's check that cannot be built.
    public func run(_ specification: StrategySpecification, task: SearchTask, prefill: TaskPrefill,
                    seed: UInt64) throws -> ComparisonRecord {
        let started = Date()
        func failed(_ failure: String) -> ComparisonRecord {
            ComparisonRecord(strategy: specification.description, task: task.id, seed: seed, text: "", tokens: [],
                             taskScore: nil, verifierScore: nil, modelCalls: 0, tokensEvaluated: 0,
                             seconds: prefill.seconds + Date().timeIntervalSince(started), failure: failure)
        }
        let result: GenerationResult
        do {
            result = try generate(specification, task: task, session: try prefill.session.fork(), seed: seed)
        } catch let error as SearchError {
            return failed("\(error)")
        } catch let error as StrategyRegistryError {
            return failed("\(error); task \(task.id) has no schema or regex")
        } catch let error as ConstraintError {
            return failed("\(error)")
        } catch let error as ConstrainedSamplingError {
            return failed("\(error)")
        }
        let seconds = prefill.seconds + Date().timeIntervalSince(started)
        let candidate = VerifierCandidate(prompt: prefill.prompt, tokens: result.tokens, text: result.text, isFinished: true)
        var failure: String?
        let taskScore = try task.checker().map { try $0.score(candidate) }
        var verifierScore: Double?
        do {
            let report = try verifier(for: task, prompt: prefill.prompt, forReport: true)
            if let judge = report as? JudgeModelVerifier, judge.judge === model {
                // The policy's log-probability after the prompt's session: no second prefill.
                verifierScore = try judge.scores([candidate], after: prefill.session).first
            } else {
                verifierScore = try report.score(candidate)
            }
        } catch let error as SearchError {
            failure = "\(error)"
        }
        return ComparisonRecord(strategy: specification.description, task: task.id, seed: seed, text: result.text,
                                tokens: result.tokens, taskScore: taskScore, verifierScore: verifierScore,
                                modelCalls: result.statistics.modelCalls + 1,
                                tokensEvaluated: result.statistics.tokensEvaluated + prefill.prompt.count, seconds: seconds,
                                failure: failure)
    }

    /// The verifier for `task`: one verifier as it is, several combined. With `forReport` the
    /// `logprob` verifier is the model's log-probability of the output (recomputed: strategies
    /// that do not search record none); otherwise the mean log-probability the searches record.
    ///
    /// - Throws: ``SearchError/verifierFailed(verifier:reason:)`` for a `task` verifier on a task
    ///   with nothing to check; the verifiers' own construction errors.
    public func verifier(for task: SearchTask, prompt: [Int], forReport: Bool) throws -> any Verifier {
        let parts: [(verifier: any Verifier, weight: Double)] = try verifiers.map { specification in
            switch specification.kind {
            case .task:
                guard let checker = try task.checker() else {
                    throw SearchError.verifierFailed(verifier: "task", reason: "task \(task.id) has no reference, schema or regex")
                }
                return (checker, specification.weight)
            case .command:
                var fields = ["id": task.id]
                if let reference = task.reference { fields["reference"] = reference }
                if let prompt = task.prompt { fields["prompt"] = prompt }
                return (try CommandVerifier(command: command ?? "", fields: fields, timeout: commandTimeout), specification.weight)
            case .judge:
                return (try JudgeModelVerifier(judge: judge ?? model, judgePrompt: prompt), specification.weight)
            case .logprob:
                let policy: any Verifier = forReport ? try JudgeModelVerifier(judge: model, judgePrompt: prompt)
                                                     : MeanLogProbabilityVerifier()
                return (policy, specification.weight)
            }
        }
        if parts.count == 1 && parts[0].weight == 1 { return parts[0].verifier }
        return try CombinedVerifier(parts, method: combine)
    }

    /// Builds `specification` through the registry for this task and seed (a strategy that
    /// needs a constraint runs under the task's schema or regex) and drives it to the end.
    private func generate(_ specification: StrategySpecification, task: SearchTask, session: any ModelSession,
                          seed: UInt64) throws -> GenerationResult {
        var context = strategies
        context.seed = seed
        context.promptLength = session.tokens.count
        context.answerExtraction = task.reference == nil ? .wholeText : task.extraction
        if specification.usesVerifier && verifiers.map(\.kind) != [.logprob] {
            context.verifier = try verifier(for: task, prompt: session.tokens, forReport: false)
        }
        if specification.needsConstraint {
            context.constraint = try task.constraint()
            context.chain = constrainedChain
        }
        let strategy = try StrategyRegistry.makeStrategy(specification, context: context)
        return try drive(strategy, session: session)
    }

    private func drive<S: DecodingStrategy>(_ strategy: S, session: any ModelSession) throws -> GenerationResult {
        var iterator = try Generator(model: model, strategy: strategy, decoder: strategies.decoder, maxTokens: maxTokens)
            .makeIterator(session: session)
        while let event = try iterator.next() {
            if case .finished(let result) = event { return result }
        }
        preconditionFailure("a generation always ends with a finished event")
    }
}

/// A task's prompt evaluated once: every strategy and seed continues a fork of `session`.
public struct TaskPrefill {
    /// The prompt's tokens.
    public let prompt: [Int]
    /// The session after the prompt.
    public let session: any ModelSession
    /// Wall time of the prefill, added to each record's time.
    public let seconds: Double
}
