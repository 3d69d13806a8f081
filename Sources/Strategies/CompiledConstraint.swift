import Constraints

/// A constraint ready for the constrained strategies (lcd, awrs, smc:N): a regular expression,
/// a GBNF grammar, or a JSON Schema compiled to a grammar (the schema kept, to check outputs).
///
/// ```swift
/// let constraint = try CompiledConstraint(jsonSchema: #"{"type":"integer"}"#)
/// ```
public enum CompiledConstraint: Sendable {
    /// A regular expression matched against the whole output.
    case regex(RegexConstraint)
    /// A GBNF grammar, or the grammar of `schema`.
    case grammar(GrammarConstraint, schema: JSONSchema?)

    /// Compiles a PCRE2 pattern.
    ///
    /// - Throws: ``RegexError`` with PCRE2's message and the offset.
    public init(regex pattern: String) throws(RegexError) {
        self = .regex(try RegexConstraint(pattern: pattern))
    }

    /// Compiles a grammar in llama.cpp's GBNF.
    ///
    /// - Throws: ``GrammarError``.
    public init(gbnf text: String) throws(GrammarError) {
        self = .grammar(try GrammarConstraint(gbnf: text), schema: nil)
    }

    /// Compiles a JSON Schema (its JSON text) to the grammar of the JSON values it accepts.
    ///
    /// - Throws: ``JSONSchemaError`` for a schema that does not parse or compile, and
    ///   ``GrammarError`` for a grammar over the recognizer's limits.
    public init(jsonSchema text: String) throws {
        let schema = try JSONSchema(parsing: text)
        self = .grammar(try JSONSchemaGrammar.compile(schema).constraint(), schema: schema)
    }

    /// "regex", "grammar" or "json-schema".
    public var kindName: String {
        switch self {
        case .regex: return "regex"
        case .grammar(_, let schema): return schema == nil ? "grammar" : "json-schema"
        }
    }
}
