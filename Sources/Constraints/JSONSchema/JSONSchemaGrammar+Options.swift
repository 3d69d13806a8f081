extension JSONSchemaGrammar {
    /// How a compiled grammar treats whitespace between JSON tokens.
    public enum Whitespace: Sendable, Hashable {
        /// No whitespace anywhere: `{"a":1}`.
        case compact
        /// Up to `maximumRun` of space, tab, CR, LF after each token (and none before the
        /// first), enough for pretty-printed instances nested `(maximumRun - 1) / 2` levels
        /// deep at a 2-space indent. The bound keeps a model from emitting endless blanks.
        case bounded(maximumRun: Int)
    }

    /// Choices that change what a compiled grammar accepts.
    public struct Options: Sendable, Hashable {
        /// Whitespace between tokens. Default: `.bounded(maximumRun: 20)` (as llama.cpp).
        public var whitespace: Whitespace
        /// When `true`, keywords the compiler cannot enforce are ignored instead of throwing
        /// ``JSONSchemaError/unsupported(keyword:path:reason:)``: the grammar then accepts
        /// instances the schema rejects. Default `false`.
        public var lenient: Bool
        /// Largest repetition count written into the grammar (`minLength`, `maxLength`,
        /// `minItems`, `maxItems`, pattern quantifiers). A lower bound above it throws
        /// ``JSONSchemaError/repetitionTooLarge(keyword:path:count:limit:)``; an upper bound
        /// above it is lowered to it, so the grammar rejects longer (valid) instances rather
        /// than growing without bound. Default 1000.
        public var repetitionLimit: Int
        /// Objects with at most this many declared properties accept their members in any
        /// order (each at most once), at the cost of 2^n rules; larger objects accept their
        /// required members (up to this many) in any order and their optional ones in
        /// `properties` order. Additional members may come anywhere. 0 makes every object
        /// ordered. Default 8.
        public var anyOrderLimit: Int
        /// Most alternatives `anyOf`/`oneOf`/`allOf` may expand a single schema into (the
        /// product of nested unions). Default 256.
        public var alternativeLimit: Int

        /// Options with the documented defaults, each overridable.
        public init(
            whitespace: Whitespace = .bounded(maximumRun: 20), lenient: Bool = false,
            repetitionLimit: Int = 1000, alternativeLimit: Int = 256, anyOrderLimit: Int = 8
        ) {
            self.anyOrderLimit = max(0, min(anyOrderLimit, 16))
            self.whitespace = whitespace
            self.lenient = lenient
            self.repetitionLimit = repetitionLimit
            self.alternativeLimit = alternativeLimit
        }
    }
}
