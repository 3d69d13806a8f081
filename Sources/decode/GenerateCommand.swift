import ArgumentParser
import Constraints
import Decoding
import Foundation
import GGUF
import RemoteModel
import Speculative
import Strategies
import Tokenizer
import Transformer

/// `decode generate`: runs the built-in transformer on a prompt and streams the continuation,
/// with any of the library's strategies: sampling, cautious sampling, constrained decoding
/// (LCD, AWRS, SMC) or speculative decoding.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a continuation of a prompt with the built-in CPU runtime.",
        discussion: """
            Text streams to stdout as it is produced (whole UTF-8 characters only); timing, memory \
            and strategy statistics go to stderr. Sampling follows llama.cpp's chain (--samplers \
            sets its order; --temp 0 is greedy). Generation stops at the model's EOS and \
            end-of-turn tokens, a --stop string, or --max-tokens; the reason is printed with the \
            statistics. A constraint (--regex, --grammar, --json-schema) is enforced with \
            --constrain awrs|lcd|smc (default awrs) and the output is checked against it; under a \
            constraint, truncation (--top-k, --top-p, --min-p) is off unless given, so the output \
            follows the model's distribution restricted by the constraint, and --temp 0 takes the \
            most likely allowed token at each step (awrs, lcd). --speculative drafts tokens that \
            the model verifies losslessly. Command-line text must be UTF-8 (an argument that is not \
            is rejected with the offset of its first bad byte).
            """)

    @Argument(help: "The prompt. Special-token text such as <|im_start|> is parsed as one token.")
    var prompt: String

    @OptionGroup var modelArguments: ModelArguments

    @OptionGroup(title: "Chat") var chat: ChatArguments

    @Option(name: .long, parsing: .unconditional, help: "Most tokens to generate.")
    var maxTokens = 128

    @OptionGroup(title: "Sampling") var sampling: SamplingArguments

    @OptionGroup(title: "Constraints") var constraints: ConstraintArguments

    @OptionGroup(title: "Speculative decoding") var speculation: SpeculativeArguments

    @Option(name: .long, help: ArgumentHelp(
        "Evaluate on an OpenAI-compatible completions server (decode serve, vLLM, llama.cpp's server) instead of the built-in runtime; --model still gives the tokenizer and vocabulary.",
        valueName: "URL"))
    var remote: String?

    @Option(name: .long, parsing: .unconditional, help: "With --remote: the most likely tokens read per evaluation; the rest of each distribution counts as impossible (decode serve returns up to the whole vocabulary).")
    var remoteTopLogprobs = 20

    @Option(name: .long, help: "Stop when the text contains this string (repeatable); it is not printed.")
    var stop: [String] = []

    @Flag(name: .long, help: "Print one JSON object (ids, text, log-probabilities, statistics) instead of streaming.")
    var json = false

    @Option(name: .long, parsing: .unconditional, help: "With --json: the K most likely tokens at each step, with their text and log-probabilities.")
    var topLogprobs = 0

    func validate() throws {
        if prompt.isEmpty { throw ValidationError("The prompt is empty.") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1, got \(maxTokens).") }
        if topLogprobs < 0 { throw ValidationError("--top-logprobs must be >= 0, got \(topLogprobs).") }
        if stop.contains("") { throw ValidationError("--stop strings must not be empty.") }
        if topLogprobs > 0 && !json { throw ValidationError("--top-logprobs needs --json (the log-probabilities are printed in its output).") }
        if remoteTopLogprobs < 1 { throw ValidationError("--remote-top-logprobs must be at least 1, got \(remoteTopLogprobs).") }
        if remote != nil && speculation.isSpeculative {
            throw ValidationError("--speculative drafts with the built-in runtime; it does not run with --remote.")
        }
        try checkStrategy()
    }

    func run() throws {
        do {
            try generate()
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(Self.describe(error))\n".utf8))
            throw ExitCode.failure
        }
    }

    private func generate() throws {
        // Everything a user can get wrong is checked before the model loads.
        // A bad pattern, grammar or schema, or a file that cannot be read, is a usage error
        // (compiled once, here, before the model loads).
        let constraint: CompiledConstraint?
        do {
            constraint = try constraints.makeConstraint()
        } catch let error as GenerateError {
            throw ValidationError(error.description)
        }
        let seed = sampling.resolvedSeed()
        let parameters = try sampling.parameters(seed: seed, constrained: constraints.isConstrained)
        let explicitTemplate = try chat.explicitTemplate()
        let specification = try strategySpecification()

        let file = try GGUFFile(contentsOf: try modelArguments.modelURL())
        let tokenizer = try Tokenizer(file: file)
        let promptIDs: [Int]
        if chat.isChat {
            let template = try explicitTemplate
                ?? tokenizer.chatTemplate(architecture: try file.metadata.stringIfPresent("general.architecture"))
            promptIDs = try chat.promptIDs(prompt, template: template, tokenizer: tokenizer)
        } else {
            promptIDs = try tokenizer.encode(prompt, parseSpecial: true, addBOS: tokenizer.addsBOSByDefault)
        }
        guard !promptIDs.isEmpty else { throw ValidationError("The prompt tokenizes to nothing.") }
        let model: any LanguageModel
        if let remote {
            model = try RemoteLanguageModel(
                configuration: RemoteModelConfiguration(baseURL: remote, topLogprobs: remoteTopLogprobs), describedBy: file)
        } else {
            model = try LlamaModel(
                file: file, threads: modelArguments.threads, arithmetic: modelArguments.arithmetic.arithmetic,
                logger: modelArguments.logger)
        }
        guard promptIDs.count < model.contextLength else {
            throw ValidationError(
                "The prompt is \(promptIDs.count) tokens; the model's context holds \(model.contextLength).")
        }

        var context = try StrategyContext(model: model, decoder: tokenizer, chain: try parameters.makeChain(), seed: seed,
                                          promptLength: promptIDs.count, cautious: sampling.cautiousOptions)
        context.constraint = constraint
        context.smc = constraints.smcOptions(seed: seed)
        let table = context.table
        let (strategyName, strategy) = try makeStrategy(specification, context: context, model: model)

        if case .smc = specification.kind, !json {
            FileHandle.standardError.write(Data(
                "smc: the text appears when every particle has finished (SMC picks the output among them at the end)\n".utf8))
        }
        let pipeline = GenerationPipeline(model: model, decoder: tokenizer, maxTokens: maxTokens, stopStrings: stop,
                                          logprobs: json ? try LogprobOptions(top: topLogprobs) : nil)
        let outcome: GenerationPipeline.Outcome
        do {
            outcome = try pipeline.run(strategy, prompt: promptIDs) { piece in
                if !json { FileHandle.standardOutput.write(Data(piece.utf8)) }
            }
        } catch where specification.kind != .lcd && sampling.setsTruncation
                        && (error is ConstraintError || error is ConstrainedSamplingError) {
            // The user's truncation acts before the constraint in AWRS and SMC: say so.
            throw GenerateError("\(Self.describe(error)) (with \(specification), "
                                + "--top-k/--top-p/--min-p/--typical act before the constraint and cut every allowed token; "
                                + "leave them out, or use --constrain lcd to truncate the constrained distribution)")
        }
        let result = outcome.result

        let stats = Stats(
            prompt_token_count: promptIDs.count,
            prompt_tokens_per_second: Double(promptIDs.count) / Self.seconds(outcome.prefill),
            generated_token_count: result.tokens.count,
            decode_tokens_per_second: result.tokens.isEmpty ? 0 : Double(result.tokens.count) / Self.seconds(outcome.decode),
            peak_memory_bytes: peakMemoryBytes(), threads: (model as? LlamaModel)?.threadCount ?? 0, seed: seed)
        let strategyReport = StrategyReport(name: strategyName, statistics: result.statistics)
        var constraintReport: ConstraintReport?
        var particles: [ParticleReport]?
        if let constraint {
            let verdict = try ConstraintVerdict(constraint, tokens: result.tokens, table: table,
                                                stopTokens: context.stopTokens)
            constraintReport = ConstraintReport(
                kind: constraint.kindName, method: specification.name, verdict: verdict,
                metrics: outcome.metrics, tokens: result.tokens.count)
            if !outcome.metrics.alternatives.isEmpty {
                particles = outcome.metrics.alternatives.map { particle in
                    ParticleReport(
                        tokens: particle.tokens,
                        text: String(decoding: particle.tokens.filter { !context.stopTokens.contains($0) }.flatMap { table[$0] },
                                     as: UTF8.self),
                        weight: particle.weight, log_weight: particle.logWeight.isFinite ? particle.logWeight : nil,
                        status: particle.status)
                }
            }
        }
        let speculativeReport = specification.isSpeculative
            ? SpeculativeReport(outcome.metrics, treeBudget: speculation.treeBudgetName) : nil

        if json {
            let output = Output(
                prompt_tokens: promptIDs, tokens: result.tokens, text: result.text,
                logprobs: outcome.logprobs.map { $0.model ?? -.infinity },
                top_logprobs: topLogprobs > 0 ? outcome.logprobs.map { $0.top.map {
                    TopLogprob(id: $0.token, token: String(decoding: table[$0.token], as: UTF8.self), logprob: $0.logprob)
                } } : nil,
                stop_reason: result.stopReason.name, stats: stats, strategy: strategyReport,
                constraint: constraintReport, particles: particles, speculative: speculativeReport)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        } else {
            // Unbuffered like the streamed pieces, so the newline lands before the statistics.
            FileHandle.standardOutput.write(Data("\n".utf8))
            var summary = "stopped: \(result.stopReason)\n" + stats.summary + strategyReport.summary
            if let remote = model as? RemoteLanguageModel {
                let missing = remote.truncation.missingMasses
                summary += String(format: "remote: %d evaluations, probability mass outside the top %d: largest %.4f, mean %.4f\n",
                                  missing.count, remoteTopLogprobs, missing.max() ?? 0,
                                  missing.isEmpty ? 0 : missing.reduce(0, +) / Double(missing.count))
            }
            if let constraintReport { summary += constraintReport.summary }
            if let speculativeReport { summary += speculativeReport.summary }
            FileHandle.standardError.write(Data(summary.utf8))
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (s, attoseconds) = duration.components
        return max(1e-9, Double(s) + Double(attoseconds) * 1e-18)
    }

    /// One line for an error: the library's sentence where it has one.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as SamplingError: return SamplingArguments.flagMessage(error)
        case TransformerError.invalidEarlyExit(let layers, _):
            // The library's sentence, with the flag that asked for it.
            return "--speculative layerskip:\(layers): \(error)"
        default: return "\(error)"
        }
    }

    struct TopLogprob: Encodable {
        let id: Int
        /// The token's text (bytes that are not whole UTF-8 shown as U+FFFD; control tokens empty).
        let token: String
        let logprob: Double
    }

    struct Stats: Encodable {
        let prompt_token_count: Int
        let prompt_tokens_per_second: Double
        let generated_token_count: Int
        let decode_tokens_per_second: Double
        let peak_memory_bytes: Int
        let threads: Int
        let seed: UInt64

        var summary: String {
            let mib = Double(peak_memory_bytes) / 1_048_576
            return """
                prompt: \(prompt_token_count) tokens, \(String(format: "%.1f", prompt_tokens_per_second)) tok/s
                generated: \(generated_token_count) tokens, \(String(format: "%.1f", decode_tokens_per_second)) tok/s
                peak memory: \(String(format: "%.1f", mib)) MiB, threads: \(threads), seed: \(seed)

                """
        }
    }

    struct Output: Encodable {
        let prompt_tokens: [Int]
        let tokens: [Int]
        let text: String
        let logprobs: [Double]
        let top_logprobs: [[TopLogprob]]?
        let stop_reason: String
        let stats: Stats
        let strategy: StrategyReport
        let constraint: ConstraintReport?
        let particles: [ParticleReport]?
        let speculative: SpeculativeReport?
    }
}
