/// Why a JSON Schema could not be compiled to a grammar. `path` is a JSON Pointer into the
/// schema document (`#/properties/name/maxLength`).
public enum JSONSchemaError: Error, Sendable, Hashable {
    /// The schema text is not JSON.
    case invalidJSON(JSONError)
    /// A keyword the compiler cannot enforce exactly; compiling on would accept instances the
    /// schema rejects. ``JSONSchemaGrammar/Options/lenient`` ignores these instead.
    case unsupported(keyword: String, path: String, reason: String)
    /// A `$ref` to another document (`http://…`, `other.json#…`); only `#…` references resolve.
    case remoteReference(String, path: String)
    /// A local `$ref` whose target does not exist.
    case unresolvedReference(String, path: String)
    /// `$ref`s that lead back to themselves without consuming any input (`{"$ref": "#"}` at
    /// the root, `a → b → a` through `allOf`/`anyOf`).
    case referenceCycle(String, path: String)
    /// A keyword whose value has the wrong shape (`"minLength": "3"`, `"required": 5`).
    case invalidKeyword(keyword: String, path: String, reason: String)
    /// No instance can satisfy the schema (`minItems` > `maxItems`, an empty `enum`, a
    /// required property forbidden by `additionalProperties: false`, recursion with no base).
    case unsatisfiable(path: String, reason: String)
    /// A repetition count (`minLength`, `minItems`, `{n}` in a pattern) above the limit in
    /// ``JSONSchemaGrammar/Options/repetitionLimit``.
    case repetitionTooLarge(keyword: String, path: String, count: Int, limit: Int)
}
