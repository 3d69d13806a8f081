import Foundation

/// Writes the responses of one endpoint: whole responses and stream chunks, in the
/// endpoint's JSON shape (legacy completions or chat).
protocol ResponseFormatter: Sendable {
    /// The chunks a stream opens with (the chat API's role delta per choice).
    func openingChunks(choices: Int) -> [any Encodable & Sendable]
    /// The chunk for one event of a stream, if the event shows (a token that releases no text
    /// and carries no log-probabilities shows nothing).
    func chunk(for update: ChoiceUpdate) -> (any Encodable & Sendable)?
    /// A stream's last chunk, carrying only the usage counts.
    func usageChunk(_ usage: Usage) -> any Encodable & Sendable
    /// The whole response.
    func response(_ choices: [ChoiceRecord], usage: Usage) -> any Encodable & Sendable
}

/// The identity every chunk and response of one request shares.
struct ResponseIdentity: Sendable {
    let id: String
    let created: Int
    let model: String

    init(prefix: String, model: String) {
        id = prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        created = Int(Date().timeIntervalSince1970)
        self.model = model
    }
}

/// `/v1/completions`: `text_completion` objects, legacy log-probabilities.
struct CompletionFormatter: ResponseFormatter {
    let identity: ResponseIdentity
    let served: ServedModel
    let logprobs: Int?
    let tokensAsIDs: Bool

    func openingChunks(choices: Int) -> [any Encodable & Sendable] { [] }

    func chunk(for update: ChoiceUpdate) -> (any Encodable & Sendable)? {
        switch update.event {
        case .token(let token):
            guard !token.text.isEmpty || logprobs != nil else { return nil }
            var legacy: LegacyLogprobs?
            if logprobs != nil { legacy = self.legacy([token], offsets: [0]) }
            return wrap(CompletionResponse.Choice(index: update.choice, text: token.text, logprobs: legacy))
        case .finished(let completion):
            return wrap(CompletionResponse.Choice(index: update.choice, text: "", finishReason: completion.finishReason))
        }
    }

    func usageChunk(_ usage: Usage) -> any Encodable & Sendable {
        CompletionResponse(id: identity.id, created: identity.created, model: identity.model, choices: [], usage: usage)
    }

    func response(_ choices: [ChoiceRecord], usage: Usage) -> any Encodable & Sendable {
        CompletionResponse(
            id: identity.id, created: identity.created, model: identity.model,
            choices: choices.enumerated().map { index, record in
                CompletionResponse.Choice(index: index, text: record.text,
                                          logprobs: logprobs == nil ? nil : legacy(record.tokens, offsets: record.offsets),
                                          finishReason: record.finishReason)
            },
            usage: usage)
    }

    private func wrap(_ choice: CompletionResponse.Choice) -> CompletionResponse {
        CompletionResponse(id: identity.id, created: identity.created, model: identity.model, choices: [choice])
    }

    private func legacy(_ tokens: [ServedToken], offsets: [Int]) -> LegacyLogprobs {
        var result = LegacyLogprobs()
        for (token, offset) in zip(tokens, offsets) {
            result.tokens.append(served.render(token.id, asID: tokensAsIDs))
            result.tokenLogprobs.append(token.logprob ?? 0)
            var top: [String: Double] = [:]
            for alternative in token.topLogprobs {
                // Tokens that print alike share a key (as in OpenAI's format); keep the likeliest.
                let key = served.render(alternative.id, asID: tokensAsIDs)
                top[key] = max(top[key] ?? -.infinity, alternative.logprob)
            }
            result.topLogprobs.append(top)
            result.textOffset.append(offset)
        }
        return result
    }
}

/// `/v1/chat/completions`: `chat.completion` objects and `chat.completion.chunk` deltas.
struct ChatFormatter: ResponseFormatter {
    let identity: ResponseIdentity
    let served: ServedModel
    let logprobs: Int?
    let tokensAsIDs: Bool

    func openingChunks(choices: Int) -> [any Encodable & Sendable] {
        (0..<choices).map { chunk(ChatCompletionResponse.Choice(
            index: $0, delta: ChatCompletionResponse.Message(role: "assistant", content: ""))) }
    }

    func chunk(for update: ChoiceUpdate) -> (any Encodable & Sendable)? {
        switch update.event {
        case .token(let token):
            guard !token.text.isEmpty || logprobs != nil else { return nil }
            return chunk(ChatCompletionResponse.Choice(
                index: update.choice, delta: ChatCompletionResponse.Message(content: token.text),
                logprobs: logprobs == nil ? nil : entries([token])))
        case .finished(let completion):
            return chunk(ChatCompletionResponse.Choice(index: update.choice, delta: ChatCompletionResponse.Message(),
                                                       finishReason: completion.finishReason))
        }
    }

    func usageChunk(_ usage: Usage) -> any Encodable & Sendable {
        ChatCompletionResponse(id: identity.id, object: "chat.completion.chunk", created: identity.created,
                               model: identity.model, choices: [], usage: usage)
    }

    func response(_ choices: [ChoiceRecord], usage: Usage) -> any Encodable & Sendable {
        ChatCompletionResponse(
            id: identity.id, object: "chat.completion", created: identity.created, model: identity.model,
            choices: choices.enumerated().map { index, record in
                ChatCompletionResponse.Choice(
                    index: index, message: ChatCompletionResponse.Message(role: "assistant", content: record.text),
                    logprobs: logprobs == nil ? nil : entries(record.tokens), finishReason: record.finishReason)
            },
            usage: usage)
    }

    private func chunk(_ choice: ChatCompletionResponse.Choice) -> ChatCompletionResponse {
        ChatCompletionResponse(id: identity.id, object: "chat.completion.chunk", created: identity.created,
                               model: identity.model, choices: [choice])
    }

    private func entries(_ tokens: [ServedToken]) -> ChatLogprobs {
        ChatLogprobs(content: tokens.map { token in
            ChatLogprobs.Entry(
                token: served.render(token.id, asID: tokensAsIDs), logprob: token.logprob ?? 0,
                bytes: served.bytes(of: token.id),
                topLogprobs: token.topLogprobs.map {
                    ChatLogprobs.Alternative(token: served.render($0.id, asID: tokensAsIDs), logprob: $0.logprob,
                                             bytes: served.bytes(of: $0.id))
                })
        })
    }
}
