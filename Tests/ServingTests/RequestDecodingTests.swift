import Serving
import Testing

/// Request bodies as clients send them, and the errors for the ones that are wrong.
struct RequestDecodingTests {
    static func decode<R: OpenAIRequest>(_ type: R.Type, _ text: String) throws(ServingError) -> R {
        try OpenAIRequestDecoder.decode(type, from: Array(text.utf8))
    }

    @Test func completionTakesTextOrTokenIDs() throws {
        let text = try Self.decode(CompletionRequest.self, #"{"model":"m","prompt":"Hi","max_tokens":5,"stop":"\n"}"#)
        #expect(text.prompt == .text("Hi"))
        #expect(text.fields.maxTokens == 5)
        #expect(text.fields.stop?.strings == ["\n"])
        let ids = try Self.decode(CompletionRequest.self, #"{"prompt":[1,2,3],"logprobs":5,"stop":["a","b"],"top_k":4}"#)
        #expect(ids.prompt == .tokens([1, 2, 3]))
        #expect(ids.logprobs == 5)
        #expect(ids.fields.stop?.strings == ["a", "b"])
        #expect(ids.fields.topK == 4)
    }

    @Test func chatTakesStringsAndTextParts() throws {
        let request = try Self.decode(ChatCompletionRequest.self, #"""
            {"messages":[{"role":"system","content":"Be brief."},
                         {"role":"user","content":[{"type":"text","text":"Hello "},{"type":"text","text":"there"}]}],
             "logprobs":true,"top_logprobs":2,"max_completion_tokens":7,"unknown_field":{"x":1}}
            """#)
        #expect(request.messages.map(\.content) == ["Be brief.", "Hello there"])
        #expect(request.logprobs == true && request.topLogprobs == 2)
        #expect(request.fields.maxTokens == 7)
    }

    @Test func schemaKeepsItsJSONText() throws {
        let request = try Self.decode(ChatCompletionRequest.self, #"""
            {"messages":[{"role":"user","content":"x"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"number","maximum":1.50}}}}
            """#)
        #expect(request.fields.responseFormat?.jsonSchema?.schema == #"{"type":"number","maximum":1.50}"#)
    }

    @Test(arguments: [
        (#"{"prompt": "x""#, ServingError.malformedBody("")),
        (#"[1, 2]"#, .malformedBody("")),
        (#"{"prompt":"x","temperature":"hot"}"#, .invalidField(field: "temperature", reason: "")),
        (#"{"prompt":"x","max_tokens":"5"}"#, .invalidField(field: "max_tokens", reason: "")),
        (#"{"prompt":{"a":1}}"#, .invalidField(field: "prompt", reason: "")),
        (#"{"prompt":["a","b"]}"#, .invalidField(field: "prompt", reason: "")),
        (#"{"prompt":"x","stop":[1]}"#, .invalidField(field: "stop[0]", reason: "")),
        (#"{"max_tokens":3}"#, .missingField("prompt")),
    ])
    func badCompletionBodies(body: String, expected: ServingError) {
        do {
            _ = try Self.decode(CompletionRequest.self, body)
            Issue.record("\(body) decoded")
        } catch {
            #expect(error.code == expected.code, "\(body): \(error)")
            #expect(error.param == expected.param, "\(body): \(error)")
            #expect(error.status == 400)
            #expect(!error.description.isEmpty)
        }
    }

    @Test func badChatBodies() {
        #expect(throws: ServingError.missingField("messages[0].role")) {
            _ = try Self.decode(ChatCompletionRequest.self, #"{"messages":[{"content":"x"}]}"#)
        }
        do {
            _ = try Self.decode(ChatCompletionRequest.self, #"{"messages":[{"role":"user","content":[{"type":"image_url"}]}]}"#)
            Issue.record("an image part decoded")
        } catch {
            #expect(error.param == "messages[0].content")
            #expect(error.description.contains("image_url"))
        }
    }

    @Test func errorBodyHasOpenAIsFields() {
        let body = OpenAIErrorBody(.queueFull(limit: 4))
        #expect(body.error.type == "rate_limit_error")
        #expect(body.error.code == "rate_limit_exceeded")
        #expect(body.error.param == nil)
        #expect(ServingError.queueFull(limit: 4).status == 429)
        #expect(body.error.message.contains("4"))
    }
}
