/// A JSON Schema compiled to a GBNF grammar (llama.cpp's grammar format) whose language is a
/// subset of the schema's instances: every string the grammar accepts is JSON that validates.
///
/// ```swift
/// let schema = try JSONSchema(parsing: #"{"type":"object","properties":{"n":{"type":"integer"}}}"#)
/// let grammar = try JSONSchemaGrammar.compile(schema)
/// print(grammar.gbnf)   // root ::= "{" ws …
/// ```
///
/// What it enforces and how (see the DocC article *JSON Schema support* for the full list):
/// - Objects: members in `properties` order (required and optional interleaved as declared),
///   then additional members (keys that are not declared names, written without escapes) when
///   `additionalProperties` allows them. Instances with another member order are rejected.
/// - Strings: escapes as JSON allows; raw control characters never. `minLength`/`maxLength`
///   count code points (a surrogate-pair escape is not accepted in length-bounded strings).
///   `pattern` (an ECMA-262 subset) and the formats `date`, `time`, `date-time`, `uuid`,
///   `email` (dot-atom local part @ hostname), `ipv4`, `hostname`, `uri` (scheme://authority
///   form) accept characters written raw, or `\"` `\\` `\/` and control escapes.
/// - Numbers: `integer` as `-?(0|[1-9][0-9]*)`; integer bounds exactly; `number` bounds when
///   they are integers (then without exponent).
/// - Unsupported keywords throw ``JSONSchemaError/unsupported(keyword:path:reason:)`` unless
///   ``Options/lenient``; annotations (`title`, `description`, `examples`, `default`, …) and
///   unknown keywords are ignored, as JSON Schema says; formats JSON Schema does not define
///   (`int32`, `textarea`…) are annotations too.
public struct JSONSchemaGrammar: Sendable, Hashable {
    /// The grammar in GBNF text; its start rule is `root`.
    public let gbnf: String
    /// The options it was compiled with.
    public let options: Options

    /// Compiles a schema.
    /// - Throws: ``JSONSchemaError`` for unsupported keywords, remote or cyclic `$ref`s,
    ///   malformed keywords and unsatisfiable schemas, with a JSON Pointer to the keyword.
    /// - Complexity: linear in the schema's size times the `anyOf` expansion, plus the size of
    ///   the bounded repetitions it writes.
    public static func compile(_ schema: JSONSchema, options: Options = Options()) throws(JSONSchemaError) -> JSONSchemaGrammar {
        var compiler = SchemaCompiler(root: schema.root, options: options)
        let gbnf = try compiler.compileRoot()
        return JSONSchemaGrammar(gbnf: gbnf, options: options)
    }
}

extension JSONSchemaGrammar {
    /// The GBNF text compiled by the grammar engine (``Grammar``).
    /// - Throws: ``GrammarError`` when the grammar exceeds `limits` (e.g. long bounded
    ///   repetitions beyond ``GrammarLimits/maxElements``).
    public func grammar(limits: GrammarLimits = GrammarLimits()) throws(GrammarError) -> Grammar {
        try Grammar(gbnf: gbnf, limits: limits)
    }

    /// A byte-level ``Constraint`` accepting exactly the grammar's texts.
    public func constraint(limits: GrammarLimits = GrammarLimits()) throws(GrammarError) -> GrammarConstraint {
        try GrammarConstraint(try grammar(limits: limits))
    }
}
