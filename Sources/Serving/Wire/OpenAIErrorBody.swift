/// OpenAI's error body: `{"error":{"message":…,"type":…,"param":…,"code":…}}`.
public struct OpenAIErrorBody: Encodable, Sendable {
    /// The error's fields.
    public var error: Detail

    /// The fields of one error.
    public struct Detail: Encodable, Sendable {
        /// A sentence a user understands.
        public var message: String
        /// `invalid_request_error`, `rate_limit_error`, `not_found_error` or `server_error`.
        public var type: String
        /// The request field at fault, or `null`.
        public var param: String?
        /// A machine-readable code.
        public var code: String

        /// Encodes `param` as `null` when absent.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message, forKey: .message)
            try container.encode(type, forKey: .type)
            try container.encode(param, forKey: .param)
            try container.encode(code, forKey: .code)
        }

        enum CodingKeys: String, CodingKey {
            case message, type, param, code
        }
    }

    /// The body of `error`.
    public init(_ error: ServingError) {
        self.error = Detail(message: error.description, type: error.type, param: error.param, code: error.code)
    }
}

/// `GET /v1/models`: the one served model.
public struct ModelList: Encodable, Sendable {
    /// Always `list`.
    public var object = "list"
    /// The models.
    public var data: [Entry]

    /// One model.
    public struct Entry: Encodable, Sendable {
        /// Its id (what requests put in `model`).
        public var id: String
        /// Always `model`.
        public var object = "model"
        /// Seconds since 1970 when the server started.
        public var created: Int
        /// Always `swift-decoding`.
        public var ownedBy = "swift-decoding"
        /// The most tokens (prompt and output) one request may use.
        public var maxModelLength: Int

        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
            case maxModelLength = "max_model_len"
        }
    }
}

/// `GET /health`: the server is up, and how busy it is.
public struct HealthReport: Encodable, Sendable {
    /// Always `ok`.
    public var status = "ok"
    /// The served model's id.
    public var model: String
    /// Generations in the running batch.
    public var active: Int
    /// Generations waiting for a place in the batch.
    public var queued: Int
    /// Generations ended by their clients (cancelled or disconnected) so far.
    public var cancelled: Int
    /// Generations that ran to their end so far.
    public var completed: Int
    /// Batched model calls so far.
    public var batches: Int
    /// `batch_occupancy[b]`: the batched model calls that evaluated `b` generated tokens.
    public var batchOccupancy: [Int]
    /// Prompt tokens evaluated in those calls.
    public var prefillTokens: Int
    /// Seconds in those calls, and in the generations' own steps between them.
    public var modelSeconds: Double
    /// See `modelSeconds`.
    public var stepSeconds: Double

    /// The report of a scheduler's statistics.
    public init(model: String, statistics: SchedulerStatistics) {
        self.model = model
        active = statistics.active
        queued = statistics.queued
        cancelled = statistics.cancelled
        completed = statistics.completed
        batches = statistics.batches
        batchOccupancy = statistics.occupancy
        prefillTokens = statistics.prefillTokens
        modelSeconds = statistics.modelSeconds
        stepSeconds = statistics.stepSeconds
    }

    enum CodingKeys: String, CodingKey {
        case status, model, active, queued, cancelled, completed, batches
        case batchOccupancy = "batch_occupancy"
        case prefillTokens = "prefill_tokens"
        case modelSeconds = "model_seconds"
        case stepSeconds = "step_seconds"
    }
}
