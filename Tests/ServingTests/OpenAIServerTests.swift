import Decoding
import Foundation
import GGUF
import Serving
import Testing

/// The HTTP routes on the default model, through a live server on a free port: bodies,
/// streams and error bodies as a client sees them.
@Suite(.enabled(if: DefaultModel.modelTestsEnabled))
struct OpenAIServerTests {
    @Test func greedyCompletionIsTheLocalGreedyText() async throws {
        let served = try ServedModelFixture.served
        let prompt = try served.tokenizer.encode("The capital of France is", parseSpecial: true,
                                                 addBOS: served.tokenizer.addsBOSByDefault)
        let local = try Generator(model: served.model, strategy: SamplingParameters.greedy.makeStrategy(),
                                  decoder: served.tokenDecoder, maxTokens: 8).run(prompt: prompt)
        try await LiveServer.run { client in
            let response = try await client.post("/v1/completions",
                                                 #"{"prompt":"The capital of France is","max_tokens":8,"temperature":0}"#)
            #expect(response.status == 200)
            let body = try response.object()
            let choice = try #require((body["choices"] as? [[String: Any]])?.first)
            #expect(choice["text"] as? String == local.text)
            #expect(choice["finish_reason"] as? String == "length")
            let usage = try #require(body["usage"] as? [String: Int])
            #expect(usage["prompt_tokens"] == prompt.count && usage["completion_tokens"] == 8)
            #expect(body["object"] as? String == "text_completion")
        }
    }

    @Test func streamedChunksAddUpToTheWholeResponse() async throws {
        try await LiveServer.run { client in
            let request = #"{"messages":[{"role":"user","content":"Name a color."}],"max_tokens":12,"seed":7,"temperature":0.8"#
            let whole = try await client.post("/v1/chat/completions", request + "}").object()
            let message = try #require((whole["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
            let streamed = try await client.post("/v1/chat/completions",
                                                 request + #","stream":true,"stream_options":{"include_usage":true}}"#)
            #expect(streamed.contentType == "text/event-stream")
            let events = streamed.events
            #expect(events.last == "[DONE]")
            var text = ""
            var finish: String?
            var usage: [String: Int]?
            for event in events.dropLast() {
                let chunk = try #require(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
                #expect(chunk["object"] as? String == "chat.completion.chunk")
                if let counts = chunk["usage"] as? [String: Int] { usage = counts }
                for choice in chunk["choices"] as? [[String: Any]] ?? [] {
                    text += (choice["delta"] as? [String: Any])?["content"] as? String ?? ""
                    if let reason = choice["finish_reason"] as? String { finish = reason }
                }
            }
            #expect(text == message["content"] as? String)
            #expect(finish != nil)
            #expect(usage?["completion_tokens"] == (whole["usage"] as? [String: Int])?["completion_tokens"])
        }
    }

    @Test func jsonSchemaOutputFollowsTheSchema() async throws {
        try await LiveServer.run { client in
            let body = #"""
                {"messages":[{"role":"user","content":"Give a person's name and age as JSON."}],"temperature":0,
                 "max_tokens":60,"response_format":{"type":"json_schema","json_schema":{"name":"person","schema":
                 {"type":"object","properties":{"name":{"type":"string","maxLength":12},"age":{"type":"integer","minimum":0,"maximum":120}},
                  "required":["name","age"],"additionalProperties":false}}}}
                """#
            let response = try await client.post("/v1/chat/completions", body).object()
            let choice = try #require((response["choices"] as? [[String: Any]])?.first)
            let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
            #expect(choice["finish_reason"] as? String == "stop", "\(content)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any])
            #expect(object["name"] is String && object["age"] is Int, "\(content)")
            #expect(Set(object.keys) == ["name", "age"])
        }
    }

    @Test func logprobsAsTokenIDs() async throws {
        try await LiveServer.run { client in
            let response = try await client.post("/v1/completions", #"""
                {"prompt":[1,504,3258],"max_tokens":3,"temperature":0,"logprobs":5,"return_tokens_as_token_ids":true}
                """#).object()
            let logprobs = try #require((response["choices"] as? [[String: Any]])?.first?["logprobs"] as? [String: Any])
            let tokens = try #require(logprobs["tokens"] as? [String])
            let top = try #require(logprobs["top_logprobs"] as? [[String: Double]])
            let chosen = try #require(logprobs["token_logprobs"] as? [Double])
            #expect(tokens.count == 3 && top.count == 3 && chosen.count == 3)
            for (index, token) in tokens.enumerated() {
                #expect(token.hasPrefix("token_id:"))
                #expect(top[index].count == 5)
                // Greedy: the chosen token is the most likely one.
                #expect(top[index][token] == top[index].values.max())
                #expect(abs((top[index][token] ?? 0) - chosen[index]) < 1e-9)
            }
        }
    }

    @Test func errorsAreOpenAIErrorBodies() async throws {
        try await LiveServer.run { client in
            for (body, status, param) in [(#"{"prompt": "#, 400, nil), (#"{"prompt":"x","max_tokens":0}"#, 400, "max_tokens"),
                                          (#"{"prompt":"x","model":"other"}"#, 404, "model")] as [(String, Int, String?)] {
                let response = try await client.post("/v1/completions", body)
                #expect(response.status == status, "\(body)")
                let error = try #require(try response.object()["error"] as? [String: Any])
                #expect(error["message"] is String && error["type"] is String && error["code"] is String)
                #expect(error["param"] as? String == param)
            }
            let models = try await client.get("/v1/models").object()
            #expect((models["data"] as? [[String: Any]])?.first?["id"] as? String == "smollm2")
            let health = try await client.get("/health").object()
            #expect(health["status"] as? String == "ok")
        }
    }
}
