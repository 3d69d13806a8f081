import ArgumentParser
import Foundation
import GGUF
import Serving
import Tokenizer
import Transformer

/// `decode serve`: the OpenAI HTTP API over the built-in runtime, every request's generations
/// batched together on one model (the library's ``OpenAIServer``; this command only reads flags).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the model over the OpenAI HTTP API (completions, chat, streaming, constraints, strategies).",
        discussion: """
            Routes: POST /v1/completions, POST /v1/chat/completions, GET /v1/models, GET /health. \
            Requests take OpenAI's fields (stream, max_tokens, temperature, top_p, seed, stop, n, \
            logprobs, response_format with a JSON Schema) and extensions: top_k, min_p, \
            repetition_penalty, regex, grammar (GBNF), strategy (the strategy language of \
            generate --strategy) and return_tokens_as_token_ids. Concurrent requests share the \
            model: token-by-token strategies (sample, greedy, lcd, awrs) advance in one batched \
            evaluation per step. The line "decode serve: MODEL on http://HOST:PORT" goes to stderr \
            once the server listens; SIGINT or SIGTERM stops it.
            """)

    @OptionGroup var modelArguments: ModelArguments

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0: a free port, printed at start).")
    var port = 8080

    @Option(name: .customLong("model-id"), help: "The model id clients send and /v1/models lists (default: the file's name without .gguf).")
    var modelID: String?

    @Option(name: .long, help: "Most generations advancing together in one batch.")
    var maxBatch = 16

    @Option(name: .long, help: "Most generations waiting for a place in the batch; beyond it requests get HTTP 429.")
    var maxQueued = 64

    @Option(name: .long, help: "Most prompt tokens evaluated per step, beside the running generations' next tokens (chunked prefill).")
    var prefillChunk = 64

    @Option(name: .long, help: "Threads that run the batched generations' sampling steps between model calls (default: --threads).")
    var stepThreads: Int?

    @Option(name: .long, help: "Most tokens (prompt and output) one request may use (default: the model's context).")
    var maxContext: Int?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535, got \(port).") }
        guard maxBatch >= 1 else { throw ValidationError("--max-batch must be at least 1, got \(maxBatch).") }
        if let stepThreads, stepThreads < 1 { throw ValidationError("--step-threads must be at least 1, got \(stepThreads).") }
        guard prefillChunk >= 1 else { throw ValidationError("--prefill-chunk must be at least 1, got \(prefillChunk).") }
        guard maxQueued >= 0 else { throw ValidationError("--max-queued must be at least 0, got \(maxQueued).") }
        if let maxContext, maxContext < 2 { throw ValidationError("--max-context must be at least 2, got \(maxContext).") }
        if modelID?.isEmpty == true { throw ValidationError("--model-id is empty.") }
    }

    func run() throws {
        let url = try modelArguments.modelURL()
        let file = try GGUFFile(contentsOf: url)
        let tokenizer = try Tokenizer(file: file)
        let template = try tokenizer.chatTemplate(architecture: try file.metadata.stringIfPresent("general.architecture"))
        let logger = modelArguments.logger
        let model = try LlamaModel(
            file: file, threads: modelArguments.threads, arithmetic: modelArguments.arithmetic.arithmetic, logger: logger)
        let served: ServedModel
        let scheduler: BatchScheduler
        do {
            served = try ServedModel(id: modelID ?? url.deletingPathExtension().lastPathComponent, model: model,
                                     tokenizer: tokenizer, chatTemplate: template, maxContext: maxContext)
            scheduler = try BatchScheduler(model: model, decoder: served.tokenDecoder,
                                           configuration: SchedulerConfiguration(
                                               maxBatchSize: maxBatch, maxQueued: maxQueued, prefillChunk: prefillChunk,
                                               stepThreads: stepThreads ?? modelArguments.threads),
                                           logger: logger)
        } catch let error as ServingError {
            throw ValidationError("\(error).")
        }
        let host = host
        let application = OpenAIServer(served: served, scheduler: scheduler)
            .makeApplication(host: host, port: port, logger: logger) { port in
                FileHandle.standardError.write(Data("decode serve: \(served.id) on http://\(host):\(port)\n".utf8))
            }
        // The command line's entry point is synchronous: wait here while the server runs.
        let outcome = ServiceOutcome()
        Task {
            do {
                try await application.runService()
            } catch {
                outcome.failure = error
            }
            outcome.done.signal()
        }
        outcome.done.wait()
        scheduler.shutdown()
        if let failure = outcome.failure { throw failure }
    }
}

/// How the server's task ended, handed to the waiting main thread (the semaphore orders the
/// write before the read).
private final class ServiceOutcome: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var failure: (any Error)?
}
