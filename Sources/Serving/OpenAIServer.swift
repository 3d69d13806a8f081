import Foundation
import Hummingbird
import Logging

/// `decode serve`'s HTTP API: the routes of the OpenAI API (`POST /v1/completions`,
/// `POST /v1/chat/completions`, `GET /v1/models`) and `GET /health`, over one ``ServedModel``
/// whose generations a ``BatchScheduler`` runs together.
///
/// Errors are OpenAI's error bodies (``OpenAIErrorBody``) with the status of the
/// ``ServingError``. A streamed response is server-sent events (`data: {chunk}` … `data: [DONE]`);
/// when the client goes away, the next write fails and the request's generations are dropped
/// from the batch.
///
/// ```swift
/// let server = OpenAIServer(served: served, scheduler: scheduler)
/// try await server.makeApplication(host: "127.0.0.1", port: 8080).runService()
/// ```
public struct OpenAIServer: Sendable {
    /// The model served.
    public let served: ServedModel
    /// The scheduler running every generation.
    public let scheduler: BatchScheduler
    /// The largest request body read.
    public let maxBodyBytes: Int
    /// Whether a request that is not streamed watches its connection, so that a client that
    /// disconnects frees its generations at once (streamed ones notice at their next write).
    /// Watching needs a live connection: pass `false` to drive ``makeRouter()`` without a
    /// socket (HummingbirdTesting's `.router` mode). Hummingbird closes a watched connection
    /// after its response, which then says `Connection: close`.
    public let cancelsOnDisconnect: Bool
    private let started = Int(Date().timeIntervalSince1970)

    /// A server for `served` whose generations `scheduler` runs (on the same model).
    public init(served: ServedModel, scheduler: BatchScheduler, maxBodyBytes: Int = 16 << 20,
                cancelsOnDisconnect: Bool = true) {
        precondition(served.model === scheduler.model, "the scheduler must run the served model")
        self.served = served
        self.scheduler = scheduler
        self.maxBodyBytes = maxBodyBytes
        self.cancelsOnDisconnect = cancelsOnDisconnect
    }

    /// The router with every route (tests may drive it without a socket through HummingbirdTesting,
    /// with ``cancelsOnDisconnect`` off).
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health") { _, _ in
            json(HealthReport(model: served.id, statistics: scheduler.currentStatistics))
        }
        router.get("/v1/models") { _, _ in
            json(ModelList(data: [ModelList.Entry(id: served.id, created: started, maxModelLength: served.maxContext)]))
        }
        router.post("/v1/completions") { request, _ in
            await respond(to: request, as: CompletionRequest.self) { (body: CompletionRequest) throws(ServingError) in
                let prepared = try served.prepare(body)
                return (prepared, CompletionFormatter(identity: ResponseIdentity(prefix: "cmpl-", model: served.id),
                                                      served: served, logprobs: prepared.logprobs,
                                                      tokensAsIDs: prepared.tokensAsIDs))
            }
        }
        router.post("/v1/chat/completions") { request, _ in
            await respond(to: request, as: ChatCompletionRequest.self) { (body: ChatCompletionRequest) throws(ServingError) in
                let prepared = try served.prepare(body)
                return (prepared, ChatFormatter(identity: ResponseIdentity(prefix: "chatcmpl-", model: served.id),
                                                served: served, logprobs: prepared.logprobs,
                                                tokensAsIDs: prepared.tokensAsIDs))
            }
        }
        return router
    }

    /// An application serving ``makeRouter()`` on `host:port`; `onRunning` gets the bound port
    /// (useful with port 0).
    public func makeApplication(host: String, port: Int, logger: Logger,
                                onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        Application(router: makeRouter(), configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
                    onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                    logger: logger)
    }

    // MARK: Requests

    /// Reads, validates and runs one generation request, answering with a whole response or a
    /// stream.
    private func respond<Body: OpenAIRequest>(
        to request: Request, as type: Body.Type,
        prepare: (Body) throws(ServingError) -> (PreparedRequest, any ResponseFormatter)
    ) async -> Response {
        var request = request
        let prepared: PreparedRequest
        let formatter: any ResponseFormatter
        let ticket: GenerationTicket
        do throws(ServingError) {
            let bytes = try await readBody(&request)
            (prepared, formatter) = try prepare(try OpenAIRequestDecoder.decode(Body.self, from: bytes))
            ticket = try scheduler.submit(prepared.jobs)
        } catch {
            return errorResponse(error)
        }
        if prepared.stream { return stream(ticket, prepared: prepared, formatter: formatter) }
        let keepTokens = prepared.logprobs != nil
        let collect = { @Sendable () async throws -> [ChoiceRecord] in
            var records = [ChoiceRecord](repeating: ChoiceRecord(), count: prepared.jobs.count)
            for try await update in ticket.updates {
                records[update.choice].record(update.event, keepTokens: keepTokens)
            }
            // The stream also ends, early, when the waiting task is cancelled.
            try Task.checkCancellation()
            return records
        }
        let records: [ChoiceRecord]
        do {
            // A client that disconnects before the whole response cancels the waiting task,
            // which ends the ticket's stream and drops its generations before the next step.
            records = cancelsOnDisconnect ? try await request.body.consumeWithCancellationOnInboundClose { _ in try await collect() }
                : try await collect()
        } catch {
            ticket.cancel()
            return closing(errorResponse(error is CancellationError ? .generationFailed("the client disconnected")
                                                                     : Self.servingError(error)))
        }
        return closing(json(formatter.response(records, usage: usage(records, prepared))))
    }

    /// A watched connection is closed after its response (Hummingbird's inbound-close watch
    /// consumes it): say so, so that clients open a new connection instead of reusing this one.
    private func closing(_ response: Response) -> Response {
        guard cancelsOnDisconnect else { return response }
        var response = response
        response.headers[.connection] = "close"
        return response
    }

    private func readBody(_ request: inout Request) async throws(ServingError) -> [UInt8] {
        do {
            return Array(try await request.collectBody(upTo: maxBodyBytes).readableBytesView)
        } catch {
            throw .bodyTooLarge(limit: maxBodyBytes)
        }
    }

    /// A server-sent event stream of the ticket's chunks; a generation error becomes an error
    /// event; a failed write (the client left) cancels the ticket.
    private func stream(_ ticket: GenerationTicket, prepared: PreparedRequest,
                        formatter: any ResponseFormatter) -> Response {
        let body = ResponseBody { writer in
            defer { ticket.cancel() }
            var counts = [Int](repeating: 0, count: prepared.jobs.count)
            for chunk in formatter.openingChunks(choices: prepared.jobs.count) {
                try await writer.write(Self.event(chunk))
            }
            var updates = ticket.updates.makeAsyncIterator()
            while true {
                let update: ChoiceUpdate?
                do {
                    update = try await updates.next()
                } catch {
                    try await writer.write(Self.event(OpenAIErrorBody(Self.servingError(error))))
                    break
                }
                guard let update else {
                    if prepared.includeUsage {
                        let usage = Usage(promptTokens: prepared.promptTokens, completionTokens: counts.reduce(0, +))
                        try await writer.write(Self.event(formatter.usageChunk(usage)))
                    }
                    break
                }
                if case .token = update.event { counts[update.choice] += 1 }
                if let chunk = formatter.chunk(for: update) { try await writer.write(Self.event(chunk)) }
            }
            try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
            try await writer.finish(nil)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: body)
    }

    private func usage(_ records: [ChoiceRecord], _ prepared: PreparedRequest) -> Usage {
        Usage(promptTokens: prepared.promptTokens, completionTokens: records.reduce(0) { $0 + $1.tokenCount })
    }

    /// A ticket's error as the client sees it.
    private static func servingError(_ error: any Error) -> ServingError {
        (error as? ServingError) ?? .generationFailed("\(error)")
    }

    private static func event(_ value: any Encodable) throws -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes(try encodeJSON(value))
        buffer.writeString("\n\n")
        return buffer
    }
}

/// `value` as compact JSON.
private func encodeJSON(_ value: any Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
}

/// A JSON response with status 200.
private func json(_ value: any Encodable) -> Response {
    jsonResponse(value, status: .ok)
}

/// The OpenAI error body of `error`, with its status.
private func errorResponse(_ error: ServingError) -> Response {
    jsonResponse(OpenAIErrorBody(error), status: HTTPResponse.Status(code: error.status))
}

private func jsonResponse(_ value: any Encodable, status: HTTPResponse.Status) -> Response {
    // Every value encoded here holds finite numbers only (log-probabilities are clamped), so
    // encoding cannot fail; the fallback keeps the response well-formed regardless.
    let data = (try? encodeJSON(value))
        ?? Data(#"{"error":{"message":"encoding failed","type":"server_error","param":null,"code":"encoding_failed"}}"#.utf8)
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
}
