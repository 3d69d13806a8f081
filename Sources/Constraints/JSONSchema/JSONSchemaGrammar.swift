/// A JSON Schema compiled to a GBNF grammar (llama.cpp's grammar format) whose language is a
/// subset of the schema's instances: every string the grammar accepts is JSON that validates.
///
/// ```swift
/// let schema = try JSONSchema(parsing: #"{"type":"object","properties":{"n":{"type":"integer"}}}"#)
/// let grammar = try JSONSchemaGrammar.compile(schema)
/// print(grammar.gbnf)   // root ::= "{" ws …
/// ```
///
/// What it enforces and how ("a subset" below always means a *sound* under-approximation:
/// the grammar may reject some valid instances, never accept an invalid one):
/// - Objects: declared members present or absent (required ones present), each at most once,
///   additional members anywhere. With at most ``Options/anyOrderLimit`` declared members, any
///   order; above it, required members in any order and optional ones in `properties` order.
///   A schema-wide budget of automaton states bounds the grammar; past it, fewer members take
///   any order. Undeclared members follow `additionalProperties` (`false`, `true`/absent, or a
///   schema) with keys that are not declared names, written without escapes.
///   `patternProperties` when every pattern matches every key (`.*`, `^.+$`) or when a single
///   pattern stands next to `additionalProperties: false`. `minProperties`/`maxProperties`
///   exactly (a member counter). `dependentRequired`, `dependentSchemas` and draft 4–7
///   `dependencies` exactly, as (trigger absent) ∪ (trigger present ∩ its condition).
/// - Arrays: `items`, `prefixItems` (and draft-4 array `items` + `additionalItems`),
///   `minItems`/`maxItems` as exact counts. `uniqueItems` exactly when the items form a finite
///   set of values (`enum`, `const`, booleans, `null`): each value at most once, in any order
///   up to the any-order limit; otherwise a subset, arrays of at most one item.
/// - Strings: escapes as JSON allows, raw control characters never. `minLength`/`maxLength`
///   count code points (a surrogate-pair escape is not accepted in length-bounded strings).
///   `pattern` (ECMA-262 subset: literals, classes, groups, alternation, quantifiers, `^`/`$`
///   at the ends; searched, not anchored) and the formats `date`, `time`, `date-time`, `uuid`,
///   `email` (dot-atom local part @ host name), `ipv4`, `hostname` (at most four labels),
///   `uri` (scheme://authority form), `uri-reference`, `uri-template`: characters named by the
///   pattern are accepted raw or as `\"`, `\\`, `\/` and control escapes. Length bounds
///   beside a pattern: exact when one repetition varies; otherwise the repetitions share the
///   length budget evenly (a subset).
/// - Numbers: `integer` as `-?(0|[1-9][0-9]*)`, integer bounds exactly (digit ranges);
///   `number` bounds, integer or decimal, exactly as digit ranges over texts without exponent
///   (`-0.5`-style forms kept, `-0` itself rejected). `1.0` is not accepted as an integer.
/// - `enum`/`const`: the listed values that every sibling keyword accepts (checked by a
///   validator, so `not`, `uniqueItems`… beside an `enum` are exact), in canonical text with
///   whitespace between tokens; objects in the member order they are listed in.
/// - `anyOf` always; `allOf` by merging; local `$ref` (JSON Pointer) with recursion through
///   structure. `not S` as the union of the negations of S's keywords (type, `required`,
///   `properties`, bounds, lengths, counts, `contains`, `enum`/`const`, nested `not`): exact
///   for those; keywords with no expressible negation (`pattern`, `format`, `uniqueItems`,
///   `multipleOf`…) drop their part of the union (a subset), and values excluded by a negated
///   `enum` are kept only for strings (the complement of the listed strings) and booleans.
///   `if`/`then`/`else` as (if ∩ then) ∪ (¬if ∩ else). `oneOf`: provably disjoint branches
///   (different types, disjoint `enum`s, a required property with disjoint `const`s) as they
///   are; otherwise each branch is intersected with one term of every overlapping branch's
///   negation, the one that costs it least (exact for `oneOf [{required:[a]},{required:[b]}]`,
///   a subset in general), and a branch that no term separates is `unsupported`.
/// - Unsupported keywords throw ``JSONSchemaError/unsupported(keyword:path:reason:)`` unless
///   ``Options/lenient``: `contains`, `multipleOf` (except 1 on integers), `propertyNames`,
///   other `patternProperties`, `uniqueItems` with `minItems` above 1 on non-finite items,
///   `unevaluated*`, `$dynamicRef`, anchors, patterns with lookaround, backreferences or
///   `\b`, formats JSON Schema defines but the compiler does not enforce (`ipv6`, `duration`,
///   `iri`…). Annotations (`title`, `description`, `examples`, `default`, `$comment`,
///   `deprecated`, `readOnly`, `x-*`…) and unknown keywords are ignored as JSON Schema says;
///   so are format names it does not define (`int32`, `textarea`).
public struct JSONSchemaGrammar: Sendable, Hashable {
    /// The grammar in GBNF text; its start rule is `root`.
    public let gbnf: String
    /// The options it was compiled with.
    public let options: Options

    /// Compiles a schema.
    /// - Throws: ``JSONSchemaError`` for unsupported keywords, remote or cyclic `$ref`s,
    ///   malformed keywords and unsatisfiable schemas, with a JSON Pointer to the keyword.
    /// - Complexity: linear in the schema's size times the `anyOf` expansion (at most
    ///   ``Options/alternativeLimit`` alternatives per schema), plus the size of the bounded
    ///   repetitions it writes; object automata share one fixed budget of states.
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
