import Decoding
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A ``LanguageModel`` over an OpenAI-compatible completions endpoint — `decode serve`, vLLM,
/// llama.cpp's server — so this package's strategies drive an engine elsewhere.
///
/// Each evaluation is one `POST /v1/completions` with the sequence's token ids as `prompt`,
/// `max_tokens` 1, `logprobs` k and `return_tokens_as_token_ids` (vLLM's and `decode serve`'s
/// spelling, `token_id:N`, which keeps tokens that print alike apart). A session is a token
/// prefix (the engine's prefix cache makes re-sending it cheap); ``appendBatch(_:tokens:)``
/// sends its requests concurrently, and ``evaluateTree(_:after:)`` asks for each node's path.
///
/// **Truncation.** The row holds the engine's k most likely tokens' log-probabilities and
/// `-infinity` elsewhere; ``truncation`` records the mass each evaluation missed. Exact under
/// that truncation: greedy; sampling whose chain keeps at most k tokens (top-k ≤ k); beam search
/// of width ≤ k and best-of-N, vote and CNTP over such samplers, up to their scores' per-sequence
/// renormalization over the top-k (which vanishes with the missing mass). Approximations:
/// sampling without such a cut (it samples the renormalized top-k), AWRS and SMC (their weights
/// miss the lost mass) and LCD's masks (an allowed token outside the top-k cannot be drawn).
/// With `decode serve` and k the vocabulary size nothing is missing and every strategy is exact.
/// No hidden state is served (``hiddenSize`` 0), so diverse search does not run here.
///
/// HTTP through Foundation's `URLSession` (FoundationNetworking on Linux): it ships with the
/// toolchain, keeps connections alive and runs concurrent data tasks, and ``LanguageModel``'s
/// calls are synchronous anyway (each waits for its tasks). AsyncHTTPClient would bring SwiftNIO's
/// TLS stack (BoringSSL) into every build for no gain here.
///
/// A class: it owns the URL session (invalidated when the model is released).
public final class RemoteLanguageModel: LanguageModel, @unchecked Sendable {
    /// The vocabulary's size (from the local model file: the engine does not report it).
    public let vocabularySize: Int
    /// The longest sequence a session may hold.
    public let contextLength: Int
    /// 0: the engine serves no hidden state.
    public let hiddenSize = 0
    /// The special ids (from the local model file).
    public let specialTokens: SpecialTokens
    /// Where and how much to ask.
    public let configuration: RemoteModelConfiguration
    /// The mass each evaluation missed.
    public let truncation = TruncationLog()
    private let session: URLSession
    private let url: URL

    /// A model over `configuration`'s endpoint for a vocabulary of `vocabularySize` tokens.
    ///
    /// - Throws: ``RemoteModelError/invalidTopLogprobs(_:vocabularySize:)``,
    ///   ``RemoteModelError/invalidURL(_:)``.
    public init(configuration: RemoteModelConfiguration, vocabularySize: Int, contextLength: Int,
                specialTokens: SpecialTokens) throws {
        guard configuration.topLogprobs >= 1 && configuration.topLogprobs <= vocabularySize else {
            throw RemoteModelError.invalidTopLogprobs(configuration.topLogprobs, vocabularySize: vocabularySize)
        }
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        guard let parsed = URL(string: base + "/v1/completions"), parsed.scheme == "http" || parsed.scheme == "https" else {
            throw RemoteModelError.invalidURL(configuration.baseURL)
        }
        url = parsed
        self.configuration = configuration
        self.vocabularySize = vocabularySize
        self.contextLength = contextLength
        self.specialTokens = specialTokens
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = TimeInterval(configuration.timeoutSeconds)
        sessionConfiguration.httpMaximumConnectionsPerHost = 64
        session = URLSession(configuration: sessionConfiguration)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// A session holding `prompt`, after one request.
    public func makeSession(prompt: [Int]) throws -> any ModelSession {
        guard !prompt.isEmpty else { throw LanguageModelError.emptyPrompt }
        try check(prompt)
        return RemoteSession(model: self, tokens: prompt, logits: try rows(for: [prompt])[0])
    }

    /// Appends `tokens[i]` to `sessions[i]`, all requests in flight together.
    public func appendBatch(_ sessions: [any ModelSession], tokens: [Int]) throws {
        guard sessions.count == tokens.count else {
            throw LanguageModelError.batchMismatch(sessions: sessions.count, tokens: tokens.count)
        }
        let own = try sessions.map { session in
            guard let own = session as? RemoteSession, own.model === self else { throw LanguageModelError.foreignSession }
            return own
        }
        // A session listed twice gets its tokens in order.
        var prefixes: [ObjectIdentifier: [Int]] = [:]
        var order: [RemoteSession] = []
        for (session, token) in zip(own, tokens) {
            let id = ObjectIdentifier(session)
            if prefixes[id] == nil { order.append(session) }
            prefixes[id, default: session.tokens].append(token)
        }
        let extended = order.map { prefixes[ObjectIdentifier($0)]! }
        for prefix in extended { try check(prefix) }
        let rows = try self.rows(for: extended)
        for (session, (prefix, row)) in zip(order, zip(extended, rows)) { session.update(tokens: prefix, logits: row) }
    }

    /// The row after every node of `tree`: one request per node, all in flight together.
    public func evaluateTree(_ tree: TokenTree, after session: any ModelSession) throws -> [[Float]] {
        guard let own = session as? RemoteSession, own.model === self else { throw LanguageModelError.foreignSession }
        let prefixes = tree.tokens.indices.map { own.tokens + tree.path(to: $0).map { tree.tokens[$0] } }
        for prefix in prefixes { try check(prefix) }
        return try rows(for: prefixes)
    }

    /// Checks ids and length as a local runtime would.
    func check(_ tokens: [Int]) throws {
        if let bad = tokens.first(where: { $0 < 0 || $0 >= vocabularySize }) {
            throw LanguageModelError.tokenOutOfRange(bad, vocabularySize: vocabularySize)
        }
        guard tokens.count <= contextLength else {
            throw LanguageModelError.contextFull(limit: contextLength, requested: tokens.count)
        }
    }

    /// One row per prefix: the requests are sent together, then awaited.
    func rows(for prefixes: [[Int]]) throws -> [[Float]] {
        let requests = try prefixes.map(request(for:))
        let replies = Replies(count: prefixes.count)
        let group = DispatchGroup()
        for (index, request) in requests.enumerated() {
            group.enter()
            session.dataTask(with: request) { data, response, error in
                replies.set(index, data: data, response: response as? HTTPURLResponse, error: error)
                group.leave()
            }.resume()
        }
        group.wait()
        return try (0..<prefixes.count).map { index in
            let (data, response, error) = replies.get(index)
            if let error { throw RemoteModelError.transport("\(error)") }
            guard let response else { throw RemoteModelError.transport("no HTTP response") }
            return try row(status: response.statusCode, data: data ?? Data())
        }
    }

    private func request(for prefix: [Int]) throws -> URLRequest {
        var body: [String: Any] = ["prompt": prefix, "max_tokens": 1, "temperature": 0,
                                   "logprobs": configuration.topLogprobs, "return_tokens_as_token_ids": true]
        if let model = configuration.model { body["model"] = model }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        return request
    }

    /// The row of a completions response: `-infinity` but at the returned `token_id:N` keys.
    private func row(status: Int, data: Data) throws -> [Float] {
        guard status == 200 else {
            let message = (try? JSONDecoder().decode(ErrorReply.self, from: data))?.error.message
                ?? String(decoding: data.prefix(300), as: UTF8.self)
            throw RemoteModelError.http(status: status, message: message)
        }
        let reply: CompletionReply
        do {
            reply = try JSONDecoder().decode(CompletionReply.self, from: data)
        } catch {
            throw RemoteModelError.malformedResponse("\(error)")
        }
        guard let top = reply.choices.first?.logprobs?.topLogprobs.first, let top, !top.isEmpty else {
            throw RemoteModelError.malformedResponse("no top_logprobs for the first position")
        }
        var row = [Float](repeating: -.infinity, count: vocabularySize)
        var mass = 0.0
        for (key, logprob) in top {
            guard key.hasPrefix("token_id:"), let id = Int(key.dropFirst("token_id:".count)),
                  id >= 0, id < vocabularySize, logprob.isFinite else {
                throw RemoteModelError.malformedResponse("top_logprobs key '\(key)' is not token_id:N in the vocabulary")
            }
            row[id] = Float(logprob)
            mass += exp(logprob)
        }
        truncation.record(max(0, 1 - mass))
        return row
    }

    /// The part of a completions response read here.
    private struct CompletionReply: Decodable {
        struct Choice: Decodable {
            struct Logprobs: Decodable {
                let topLogprobs: [[String: Double]?]
                enum CodingKeys: String, CodingKey { case topLogprobs = "top_logprobs" }
            }
            let logprobs: Logprobs?
        }
        let choices: [Choice]
    }

    /// An OpenAI error body.
    private struct ErrorReply: Decodable {
        struct Detail: Decodable { let message: String }
        let error: Detail
    }
}

/// The answers of concurrent data tasks, filled in from URLSession's completion handlers
/// (guarded by a lock) and read after every task has finished.
private final class Replies: @unchecked Sendable {
    private let lock = NSLock()
    private var replies: [(Data?, HTTPURLResponse?, (any Error)?)]

    init(count: Int) {
        replies = Array(repeating: (nil, nil, nil), count: count)
    }

    func set(_ index: Int, data: Data?, response: HTTPURLResponse?, error: (any Error)?) {
        lock.withLock { replies[index] = (data, response, error) }
    }

    func get(_ index: Int) -> (Data?, HTTPURLResponse?, (any Error)?) {
        lock.withLock { replies[index] }
    }
}
