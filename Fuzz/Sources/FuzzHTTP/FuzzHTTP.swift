import Foundation
import FuzzSupport
import Serving

/// libFuzzer entry point: the low bit of the first byte picks the endpoint (0:
/// `POST /v1/completions`, 1: `POST /v1/chat/completions`), the rest is the request body. The
/// body goes the way `decode serve`'s routes take it, short of running the model:
/// `OpenAIRequestDecoder.decode` then `ServedModel.prepare` (tokenizing the prompt or rendering
/// the chat template, compiling a `regex`/`grammar`/`response_format` constraint, parsing the
/// strategy and building one strategy per choice) on the default model (``ServedFixture``).
///
/// Oracle: either a `ServingError` whose status is 4xx and whose OpenAI error body encodes to
/// `{"error":{"message":non-empty,"type":…,"param":string or null,"code":…}}`, or a prepared
/// request whose parameters are in range: `n` jobs (1 to the served maximum), each with the
/// prompt (not empty, ids inside the vocabulary, shorter than the context), a token budget of at
/// least 1 that fits the context beside the prompt, at most 16 non-empty stop strings, and
/// log-probabilities only from token-by-token strategies and within the vocabulary; the decoded
/// sampling fields inside the ranges the API documents.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let served = ServedFixture.served
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    do {
        let prepared: PreparedRequest
        let fields: SamplingFields
        if data[0] & 1 == 0 {
            let request = try OpenAIRequestDecoder.decode(CompletionRequest.self, from: body)
            fields = request.fields
            prepared = try served.prepare(request)
        } else {
            let request = try OpenAIRequestDecoder.decode(ChatCompletionRequest.self, from: body)
            fields = request.fields
            prepared = try served.prepare(request)
        }
        checkInRange(prepared, fields, served)
    } catch {
        checkErrorBody(error)
    }
    return 0
}

/// A rejected request: a client error with OpenAI's error body.
func checkErrorBody(_ error: ServingError) {
    check((400..<500).contains(error.status), "status \(error.status) for \(error)")
    let json: Any
    do {
        json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(OpenAIErrorBody(error)))
    } catch {
        fail("the error body of \(error) does not encode: \(error)")
    }
    guard let detail = (json as? [String: Any])?["error"] as? [String: Any],
          let message = detail["message"] as? String, !message.isEmpty,
          detail["type"] is String, detail["code"] is String,
          detail["param"] is String || detail["param"] is NSNull else {
        fail("malformed error body \(json) for \(error)")
    }
}

/// An accepted request: its jobs and the fields they came from are within the documented ranges.
func checkInRange(_ prepared: PreparedRequest, _ fields: SamplingFields, _ served: ServedModel) {
    let vocabulary = served.model.vocabularySize
    check(prepared.jobs.count == (fields.n ?? 1) && (1...served.maxChoices).contains(prepared.jobs.count),
          "\(prepared.jobs.count) jobs for n = \(String(describing: fields.n))")
    check(fields.model == nil || fields.model == served.id, "model \(String(describing: fields.model)) accepted")
    for job in prepared.jobs {
        check(!job.prompt.isEmpty && job.prompt.count == prepared.promptTokens, "prompt of \(job.prompt.count) tokens")
        check(job.prompt.allSatisfy { (0..<vocabulary).contains($0) }, "a prompt id outside the vocabulary")
        check(job.prompt.count < served.maxContext, "a prompt of \(job.prompt.count) tokens fills the context")
        check(job.maxTokens >= 1 && job.prompt.count + job.maxTokens <= served.maxContext,
              "max tokens \(job.maxTokens) beside a prompt of \(job.prompt.count)")
        check(job.stopStrings.count <= 16 && !job.stopStrings.contains(""), "stop strings \(job.stopStrings)")
        check(job.logprobs == prepared.logprobs, "a job's log-probabilities differ from the request's")
        if let top = job.logprobs {
            check((0...vocabulary).contains(top) && job.isTokenByToken, "logprobs \(top) on a \(job.isTokenByToken) job")
        }
    }
    func within(_ value: Float?, _ range: ClosedRange<Float>, _ name: String) {
        check(value.map(range.contains) ?? true, "\(name) \(value!) accepted")
    }
    within(fields.temperature, 0...2, "temperature")
    within(fields.topP, Float.leastNonzeroMagnitude...1, "top_p")
    within(fields.minP, 0...1, "min_p")
    within(fields.presencePenalty, -2...2, "presence_penalty")
    within(fields.frequencyPenalty, -2...2, "frequency_penalty")
    within(fields.repetitionPenalty, Float.leastNonzeroMagnitude...Float.greatestFiniteMagnitude, "repetition_penalty")
    check((fields.topK ?? 0) >= -1, "top_k \(fields.topK!) accepted")
    check((fields.maxTokens ?? 1) >= 1, "max_tokens \(fields.maxTokens!) accepted")
}
