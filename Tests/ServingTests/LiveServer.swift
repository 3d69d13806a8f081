import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Serving

/// `decode serve`'s application on a free port of this machine, for tests that talk HTTP.
enum LiveServer {
    /// Runs `body` with a client of a server for the default model, then stops the server.
    static func run<Value: Sendable>(_ body: @Sendable (HTTPTestClient) async throws -> Value) async throws -> Value {
        let served = try ServedModelFixture.served
        let scheduler = try BatchScheduler(model: served.model, decoder: served.tokenDecoder)
        defer { scheduler.shutdown() }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        // Quiet: cancelling the service at the end is logged as an error by the server.
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let application = OpenAIServer(served: served, scheduler: scheduler)
            .makeApplication(host: "127.0.0.1", port: 0, logger: logger) { port in
                continuation.yield(port)
            }
        let server = Task { try await application.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ServedModelFixture.FixtureError("the server did not start") }
        return try await body(HTTPTestClient(base: "http://127.0.0.1:\(port)"))
    }
}

/// Requests to a ``LiveServer``.
struct HTTPTestClient: Sendable {
    /// `http://127.0.0.1:PORT`.
    let base: String

    /// A response: its status, content type and body.
    struct Reply: Sendable {
        let status: Int
        let contentType: String?
        let body: Data

        /// The body as a JSON object.
        func object() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw ServedModelFixture.FixtureError("not a JSON object: \(String(decoding: body, as: UTF8.self))")
            }
            return object
        }

        /// The `data:` payloads of a server-sent event stream.
        var events: [String] {
            String(decoding: body, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }
                .map { String($0.dropFirst("data: ".count)) }
        }
    }

    func post(_ path: String, _ body: String) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        return try await send(request)
    }

    func get(_ path: String) async throws -> Reply {
        try await send(URLRequest(url: URL(string: base + path)!))
    }

    private func send(_ request: URLRequest) async throws -> Reply {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let http = response as? HTTPURLResponse
                continuation.resume(returning: Reply(status: http?.statusCode ?? 0,
                                                     contentType: http?.value(forHTTPHeaderField: "Content-Type"),
                                                     body: data ?? Data()))
            }.resume()
        }
    }
}
