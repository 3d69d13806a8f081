import Constraints
import Decoding
import Foundation
import Strategies
import Tokenizer

extension ServedModel {
    /// Validates a `/v1/completions` request and builds its jobs.
    ///
    /// - Throws: ``ServingError`` naming the first field at fault.
    public func prepare(_ request: CompletionRequest) throws(ServingError) -> PreparedRequest {
        if request.echo == true {
            throw .unsupported(field: "echo", reason: "repeating the prompt in the output is not supported")
        }
        let prompt: [Int]
        switch request.prompt {
        case .text(let text):
            do {
                prompt = try tokenizer.encode(text, parseSpecial: true, addBOS: tokenizer.addsBOSByDefault)
            } catch {
                throw .invalidField(field: "prompt", reason: "cannot be tokenized: \(error)")
            }
        case .tokens(let ids):
            if let bad = ids.first(where: { $0 < 0 || $0 >= model.vocabularySize }) {
                throw .invalidField(field: "prompt",
                                    reason: "holds token \(bad), outside the vocabulary 0..<\(model.vocabularySize)")
            }
            prompt = ids
        }
        if let logprobs = request.logprobs, logprobs < 0 || logprobs > model.vocabularySize {
            throw .invalidField(field: "logprobs",
                                reason: "must be in 0...\(model.vocabularySize) (the vocabulary), got \(logprobs)")
        }
        return try prepare(prompt: prompt, promptField: "prompt", fields: request.fields, logprobs: request.logprobs,
                           logprobsField: "logprobs", defaultMaxTokens: 16)
    }

    /// Validates a `/v1/chat/completions` request, renders its messages with the chat
    /// template, and builds its jobs.
    ///
    /// - Throws: ``ServingError`` naming the first field at fault.
    public func prepare(_ request: ChatCompletionRequest) throws(ServingError) -> PreparedRequest {
        guard !request.messages.isEmpty else { throw .invalidField(field: "messages", reason: "is empty") }
        var messages: [ChatMessage] = []
        for (index, message) in request.messages.enumerated() {
            let role: ChatRole
            switch message.role {
            case "system", "developer": role = .system
            case "user": role = .user
            case "assistant": role = .assistant
            default:
                throw .invalidField(field: "messages[\(index)].role",
                                    reason: "must be system, developer, user or assistant, got '\(message.role)'")
            }
            messages.append(ChatMessage(role: role, content: message.content))
        }
        let prompt: [Int]
        do {
            prompt = try tokenizer.encodeChat(messages, template: chatTemplate)
        } catch {
            throw .invalidField(field: "messages", reason: "cannot be rendered with the chat template: \(error)")
        }
        var logprobs: Int?
        if request.logprobs == true {
            let top = request.topLogprobs ?? 0
            guard top >= 0 && top <= model.vocabularySize else {
                throw .invalidField(field: "top_logprobs",
                                    reason: "must be in 0...\(model.vocabularySize) (the vocabulary), got \(top)")
            }
            logprobs = top
        } else if request.topLogprobs != nil {
            throw .invalidField(field: "top_logprobs", reason: "needs 'logprobs': true")
        }
        return try prepare(prompt: prompt, promptField: "messages", fields: request.fields, logprobs: logprobs,
                           logprobsField: "logprobs", defaultMaxTokens: nil)
    }

    /// The checks and the job building both endpoints share. `defaultMaxTokens` `nil`: up to
    /// the end of the request's context.
    private func prepare(prompt: [Int], promptField: String, fields: SamplingFields, logprobs: Int?,
                         logprobsField: String, defaultMaxTokens: Int?) throws(ServingError) -> PreparedRequest {
        if let requested = fields.model, requested != id { throw .unknownModel(requested: requested, served: id) }
        guard !prompt.isEmpty else { throw .invalidField(field: promptField, reason: "is empty") }
        if let maxTokens = fields.maxTokens, maxTokens <= 0 { throw .invalidMaxTokens(maxTokens) }
        guard prompt.count < maxContext else {
            throw .contextExceeded(promptTokens: prompt.count, maxTokens: nil, limit: maxContext, field: promptField)
        }
        if let maxTokens = fields.maxTokens, prompt.count + maxTokens > maxContext {
            throw .contextExceeded(promptTokens: prompt.count, maxTokens: maxTokens, limit: maxContext,
                                   field: "max_tokens")
        }
        let maxTokens = fields.maxTokens ?? min(defaultMaxTokens ?? .max, maxContext - prompt.count)
        let choices = fields.n ?? 1
        guard choices >= 1 && choices <= maxChoices else {
            throw .invalidField(field: "n", reason: "must be in 1...\(maxChoices), got \(choices)")
        }
        let stops = fields.stop?.strings ?? []
        if let index = stops.firstIndex(where: \.isEmpty) {
            throw .invalidField(field: "stop[\(index)]", reason: "is empty")
        }
        guard stops.count <= 16 else { throw .invalidField(field: "stop", reason: "holds \(stops.count) strings; at most 16") }

        let seed = fields.seed.map { UInt64(bitPattern: $0) } ?? UInt64.random(in: 0...UInt64.max)
        let parameters = try samplingParameters(fields)
        let constraint = try compileConstraint(fields)
        let specification = try strategy(fields, constrained: constraint != nil, temperature: parameters.temperature)
        let isTokenByToken = Self.isTokenByToken(specification)
        if logprobs != nil && !isTokenByToken {
            throw .unsupported(field: logprobsField, reason: "log-probabilities come with the token-by-token strategies "
                               + "(greedy, sample, lcd, awrs), not with '\(specification)'")
        }

        var jobs: [GenerationJob] = []
        for choice in 0..<choices {
            var context = baseContext
            context.seed = seed &+ UInt64(choice)
            context.promptLength = prompt.count
            context.constraint = constraint
            let strategy: any DecodingStrategy
            do {
                context.chain = try parameters.makeChain()
                strategy = try StrategyRegistry.makeStrategy(specification, context: context)
            } catch let error as SamplingError {
                throw Self.fieldError(error)
            } catch {
                throw .invalidField(field: "strategy", reason: "'\(specification)' cannot run with these settings: \(error)")
            }
            jobs.append(GenerationJob(prompt: prompt, strategy: strategy, isTokenByToken: isTokenByToken,
                                      maxTokens: maxTokens, stopStrings: stops, logprobs: logprobs))
        }
        return PreparedRequest(jobs: jobs, promptTokens: prompt.count, stream: fields.stream ?? false,
                               includeUsage: fields.streamOptions?.includeUsage ?? false, logprobs: logprobs,
                               tokensAsIDs: fields.returnTokensAsTokenIDs ?? false)
    }

    /// Whether every step of the strategy draws one token from the session's logits and ends
    /// by appending it (so the scheduler can batch the append).
    static func isTokenByToken(_ specification: StrategySpecification) -> Bool {
        // A speculative step verifies a draft tree, which the batch's deferring sessions cannot evaluate.
        guard specification.drafter == nil else { return false }
        switch specification.kind {
        case .greedy, .sample, .lcd, .awrs: return true
        default: return false
        }
    }

    /// OpenAI's defaults (temperature 1, no truncation, no penalties) with the request's
    /// settings; llama.cpp's 64-token window for the penalties.
    private func samplingParameters(_ fields: SamplingFields) throws(ServingError) -> SamplingParameters {
        func check(_ value: Float?, _ field: String, _ range: ClosedRange<Float>) throws(ServingError) {
            if let value, !(range.contains(value)) {
                throw .invalidField(field: field, reason: "must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
            }
        }
        try check(fields.temperature, "temperature", 0...2)
        try check(fields.topP, "top_p", 0...1)
        try check(fields.minP, "min_p", 0...1)
        try check(fields.presencePenalty, "presence_penalty", -2...2)
        try check(fields.frequencyPenalty, "frequency_penalty", -2...2)
        if let penalty = fields.repetitionPenalty, !(penalty > 0 && penalty.isFinite) {
            throw .invalidField(field: "repetition_penalty", reason: "must be positive and finite, got \(penalty)")
        }
        if let topK = fields.topK, topK < -1 {
            throw .invalidField(field: "top_k", reason: "must be -1 or 0 (off) or a positive count, got \(topK)")
        }
        if fields.topP == 0 { throw .invalidField(field: "top_p", reason: "must be above 0, got 0") }
        return SamplingParameters(
            temperature: fields.temperature ?? 1, topK: max(0, fields.topK ?? 0), topP: fields.topP ?? 1,
            minP: fields.minP ?? 0, repeatPenalty: fields.repetitionPenalty ?? 1, repeatLastN: 64,
            presencePenalty: fields.presencePenalty ?? 0, frequencyPenalty: fields.frequencyPenalty ?? 0,
            bannedTokens: fields.ignoreEOS == true ? stopTokens : [])
    }

    /// The constraint of `response_format`, `regex` or `grammar` (at most one), compiled.
    private func compileConstraint(_ fields: SamplingFields) throws(ServingError) -> CompiledConstraint? {
        var source: (field: String, compile: () throws -> CompiledConstraint)?
        var given: [String] = []
        if let format = fields.responseFormat {
            switch format.type {
            case "text": break
            case "json_object":
                given.append("response_format")
                source = ("response_format", { try CompiledConstraint(jsonSchema: #"{"type":"object"}"#) })
            case "json_schema":
                given.append("response_format")
                guard let schema = format.jsonSchema?.schema else {
                    throw .missingField("response_format.json_schema.schema")
                }
                source = ("response_format.json_schema.schema", { try CompiledConstraint(jsonSchema: schema) })
            default:
                throw .invalidField(field: "response_format.type",
                                    reason: "must be text, json_object or json_schema, got '\(format.type)'")
            }
        }
        if let regex = fields.regex {
            given.append("regex")
            source = ("regex", { try CompiledConstraint(regex: regex) })
        }
        if let grammar = fields.grammar {
            given.append("grammar")
            source = ("grammar", { try CompiledConstraint(gbnf: grammar) })
        }
        guard given.count <= 1 else {
            throw .unsupported(field: given[1], reason: "give one constraint; this request has \(given.joined(separator: ", "))")
        }
        guard let source else { return nil }
        do {
            return try source.compile()
        } catch {
            throw .invalidConstraint(field: source.field, message: "\(error)")
        }
    }

    /// The request's strategy: `strategy` when given, else `awrs` under a constraint and
    /// `sample` otherwise (temperature 0 makes either greedy). A constraint applies to every
    /// strategy, as in `decode generate`: `beam:4` under a schema runs as `beam:4+lcd`.
    private func strategy(_ fields: SamplingFields, constrained: Bool,
                          temperature: Float) throws(ServingError) -> StrategySpecification {
        var specification: StrategySpecification
        if let text = fields.strategy {
            do {
                specification = try StrategySpecification(parsing: text)
            } catch {
                throw .invalidField(field: "strategy", reason: "\(error)")
            }
            if constrained {
                specification = StrategySpecification(specification.kind, constrained: true, drafter: specification.drafter)
            }
        } else {
            specification = StrategySpecification(constrained ? .awrs : .sample)
        }
        do {
            try StrategyRegistry.checkComposition(specification, constrained: constrained)
        } catch {
            throw .unsupported(field: "strategy", reason: "\(error)")
        }
        if case .smc = specification.kind, temperature == 0 {
            throw .unsupported(field: "strategy", reason: "\(specification) at temperature 0: \(ConstrainedSamplingError.greedySMC)")
        }
        return specification
    }

    /// The tokens that end generation (banned by `ignore_eos`).
    private var stopTokens: Set<Int> {
        let special = model.specialTokens
        return special.endOfTurn.union(special.eos.map { [$0] } ?? [])
    }

    /// A sampling parameter's error under the request's field name.
    private static func fieldError(_ error: SamplingError) -> ServingError {
        let fields = [("temperature", "temperature"), ("topK", "top_k"), ("topP", "top_p"), ("minP", "min_p"),
                      ("repeatPenalty", "repetition_penalty"), ("frequencyPenalty", "frequency_penalty"),
                      ("presencePenalty", "presence_penalty")]
        if case .invalidParameter(let text) = error, let (_, field) = fields.first(where: { text.hasPrefix($0.0 + " ") }) {
            return .invalidField(field: field, reason: "\(error)")
        }
        return .invalidField(field: "strategy", reason: "\(error)")
    }
}
