import Decoding
import GGUF
import Serving
import Testing

/// Requests that decode but cannot run get the error that names their field, on the default
/// model (its tokenizer, chat template and vocabulary); good ones become one job per choice.
@Suite(.enabled(if: DefaultModel.modelTestsEnabled))
struct RequestValidationTests {
    static func completion(_ body: String) throws(ServingError) -> CompletionRequest {
        try OpenAIRequestDecoder.decode(CompletionRequest.self, from: Array(body.utf8))
    }

    static func chat(_ body: String) throws(ServingError) -> ChatCompletionRequest {
        try OpenAIRequestDecoder.decode(ChatCompletionRequest.self, from: Array(body.utf8))
    }

    @Test(arguments: [
        (#"{"prompt":"Hi","max_tokens":0}"#, "max_tokens", "invalid_value"),
        (#"{"prompt":"Hi","max_tokens":-3}"#, "max_tokens", "invalid_value"),
        (#"{"prompt":"Hi","max_tokens":256}"#, "max_tokens", "context_length_exceeded"),
        (#"{"prompt":[1,2,49152]}"#, "prompt", "invalid_value"),
        (#"{"prompt":[]}"#, "prompt", "invalid_value"),
        (#"{"prompt":"Hi","model":"gpt-4"}"#, "model", "model_not_found"),
        (#"{"prompt":"Hi","n":5}"#, "n", "invalid_value"),
        (#"{"prompt":"Hi","temperature":2.5}"#, "temperature", "invalid_value"),
        (#"{"prompt":"Hi","top_p":0}"#, "top_p", "invalid_value"),
        (#"{"prompt":"Hi","presence_penalty":3}"#, "presence_penalty", "invalid_value"),
        (#"{"prompt":"Hi","repetition_penalty":0}"#, "repetition_penalty", "invalid_value"),
        (#"{"prompt":"Hi","stop":["a",""]}"#, "stop[1]", "invalid_value"),
        (#"{"prompt":"Hi","logprobs":49153}"#, "logprobs", "invalid_value"),
        (#"{"prompt":"Hi","echo":true}"#, "echo", "unsupported_parameter"),
        (#"{"prompt":"Hi","regex":"[a-"}"#, "regex", "invalid_constraint"),
        (#"{"prompt":"Hi","grammar":"root ::= missing"}"#, "grammar", "invalid_constraint"),
        (#"{"prompt":"Hi","response_format":{"type":"json_schema","json_schema":{"schema":{"type":"nope"}}}}"#,
         "response_format.json_schema.schema", "invalid_constraint"),
        (#"{"prompt":"Hi","response_format":{"type":"json_schema","json_schema":{"name":"x"}}}"#,
         "response_format.json_schema.schema", "missing_required_parameter"),
        (#"{"prompt":"Hi","response_format":{"type":"yaml"}}"#, "response_format.type", "invalid_value"),
        (#"{"prompt":"Hi","regex":"a","grammar":"root ::= \"a\""}"#, "grammar", "unsupported_parameter"),
        (#"{"prompt":"Hi","strategy":"warp:3"}"#, "strategy", "invalid_value"),
        (#"{"prompt":"Hi","strategy":"awrs"}"#, "strategy", "unsupported_parameter"),
        (#"{"prompt":"Hi","strategy":"smc:4+draft:ngram","regex":"a+"}"#, "strategy", "unsupported_parameter"),
        (#"{"prompt":"Hi","strategy":"smc:4","regex":"a+","temperature":0}"#, "strategy", "unsupported_parameter"),
        (#"{"prompt":"Hi","strategy":"beam:2","logprobs":1}"#, "logprobs", "unsupported_parameter"),
    ])
    func badCompletionRequests(body: String, param: String, code: String) throws {
        let served = try ServedModelFixture.served
        let request = try Self.completion(body)
        do {
            _ = try served.prepare(request)
            Issue.record("\(body) was accepted")
        } catch {
            #expect(error.param == param, "\(body): \(error)")
            #expect(error.code == code, "\(body): \(error)")
            #expect(error.status == 400 || error.status == 404)
            #expect(!error.description.isEmpty)
        }
    }

    @Test func aPromptLongerThanTheContextIsRefused() throws {
        let served = try ServedModelFixture.served
        let long = String(repeating: "word ", count: 400)
        do {
            _ = try served.prepare(try Self.completion(#"{"prompt":"\#(long)"}"#))
            Issue.record("a 400-word prompt fit a 256-token context")
        } catch {
            guard case .contextExceeded(let prompt, nil, 256, let field) = error, field == "prompt" else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(prompt >= 256)
            #expect(error.description.contains("\(prompt) tokens"))
        }
    }

    @Test func badChatRequests() throws {
        let served = try ServedModelFixture.served
        #expect(throws: ServingError.invalidField(field: "messages", reason: "is empty")) {
            _ = try served.prepare(try Self.chat(#"{"messages":[]}"#))
        }
        do {
            _ = try served.prepare(try Self.chat(#"{"messages":[{"role":"tool","content":"x"}]}"#))
            Issue.record("a tool message was accepted")
        } catch {
            #expect(error.param == "messages[0].role")
        }
        do {
            _ = try served.prepare(try Self.chat(#"{"messages":[{"role":"user","content":"x"}],"top_logprobs":2}"#))
            Issue.record("top_logprobs without logprobs was accepted")
        } catch {
            #expect(error.param == "top_logprobs")
        }
    }

    @Test func goodRequestsBecomeOneJobPerChoice() throws {
        let served = try ServedModelFixture.served
        let prepared = try served.prepare(try Self.completion(
            #"{"prompt":"The sky is","n":3,"max_tokens":5,"seed":1,"logprobs":2,"return_tokens_as_token_ids":true}"#))
        #expect(prepared.jobs.count == 3)
        #expect(prepared.jobs.allSatisfy { $0.maxTokens == 5 && $0.isTokenByToken && $0.logprobs == 2 })
        #expect(prepared.tokensAsIDs)
        let chat = try served.prepare(try Self.chat(
            #"{"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"},"stream":true}"#))
        #expect(chat.stream)
        // Chat without max_tokens may use the rest of the request's context.
        #expect(chat.jobs[0].maxTokens == served.maxContext - chat.promptTokens)
        let expectedPrompt = try served.tokenizer.encodeChat([.init(role: .user, content: "Hi")], template: served.chatTemplate)
        #expect(chat.jobs[0].prompt == expectedPrompt)
        for strategy in ["greedy", "sample", "cautious", "best-of-n:2", "beam:2", "lookahead:2", "diverse", "vote:2"] {
            let prepared = try served.prepare(try Self.completion(#"{"prompt":"Hi","strategy":"\#(strategy)"}"#))
            #expect(prepared.jobs[0].isTokenByToken == ["greedy", "sample"].contains(strategy))
        }
        for strategy in ["lcd", "awrs", "smc:2", "beam:2", "greedy"] {
            // A constraint applies to every strategy (beam:2 runs as beam:2+lcd, greedy as greedy+lcd).
            let prepared = try served.prepare(try Self.completion(#"{"prompt":"Hi","strategy":"\#(strategy)","regex":"[0-9]+"}"#))
            #expect(prepared.jobs[0].isTokenByToken == ["lcd", "awrs", "greedy"].contains(strategy))
        }
        // A speculative step verifies a tree, which the batch's deferred sessions cannot: it runs on its own.
        let speculative = try served.prepare(try Self.completion(#"{"prompt":"Hi","strategy":"sample+draft:ngram"}"#))
        #expect(!speculative.jobs[0].isTokenByToken)
    }
}
