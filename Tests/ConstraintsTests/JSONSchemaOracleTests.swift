import Constraints
import Testing

/// Inputs found by the JSON Schema differential oracle (Scripts/fuzz-jsonschema-oracle.py: the
/// `jsonschema` fuzz target's accepted instances checked by Python `jsonschema`), each failing
/// before its fix.
@Suite struct JSONSchemaOracleTests {
    /// A mutated test-suite schema: an unknown type name under `not` compiled (as "not an
    /// integer"), although every validator rejects the schema; a `type` outside `not` was
    /// already an error. Type names are now checked wherever a `type` is read.
    @Test(arguments: [
        #"{"not":{"type":["integer","bloeoan"]}}"#,
        #"{"anyOf":[{"type":"string"},{"not":{"type":"strnig"}}]}"#,
        #"{"if":{"type":"arra{"},"then":{"minItems":1}}"#,
        #"{"type":"objcet"}"#,
    ])
    func unknownTypeNamesAreInvalidEverywhere(schema: String) {
        #expect {
            try JSONSchemaGrammar.compile(JSONSchema(parsing: schema))
        } throws: { error in
            guard case .invalidKeyword(let keyword, _, let reason) = error as? JSONSchemaError else { return false }
            return keyword == "type" && reason.hasPrefix("unknown type")
        }
    }

    /// From the oracle's quiet run: schemas no draft's meta-schema accepts compiled because the
    /// compiler never read the bad keyword — a duplicate `required` entry, a bad `type` under
    /// `not` beside an `enum` (the `enum` values were checked without that `type`). Every known
    /// keyword's shape is now checked at every schema position: here each bad value sits where
    /// nothing evaluates it (under `not` beside an `enum`, under the `else` of an always-true
    /// `if`, in an unreferenced definition, under `contentSchema`, an annotation whose value the
    /// meta-schemas still require to be a schema) and still refuses the schema.
    @Test(arguments: [
        ("required", #"["a","a"]"#), ("required", "[1]"), ("required", #""a""#),
        ("type", #""strnig""#), ("type", "[]"), ("type", #"["string","string"]"#), ("type", "5"),
        ("enum", "5"), ("minimum", #""1""#), ("maximum", "true"), ("exclusiveMinimum", #""x""#),
        ("multipleOf", "0"), ("multipleOf", "-2"), ("multipleOf", #""2""#),
        ("minLength", "-1"), ("minLength", "1.5"), ("maxItems", #""3""#), ("minProperties", "2.5"),
        ("pattern", "5"), ("format", "5"), ("$ref", "5"), ("uniqueItems", #""yes""#),
        ("properties", "5"), ("properties", #"{"a":5}"#), ("allOf", "[]"), ("anyOf", "{}"), ("oneOf", "[3]"),
        ("items", "5"), ("items", "[5]"), ("not", "5"), ("additionalProperties", "[]"),
        ("dependentRequired", #"{"a":[1]}"#), ("dependentRequired", #"{"a":["b","b"]}"#), ("dependencies", #"{"a":5}"#),
        ("$defs", "[]"),
    ])
    func malformedKeywordsAreRefusedWhereNothingEvaluatesThem(keyword: String, value: String) {
        for schema in [#"{"enum":[1],"not":{"\#(keyword)":\#(value)}}"#,
                       #"{"if":true,"then":{"type":"integer"},"else":{"\#(keyword)":\#(value)}}"#,
                       #"{"$defs":{"unused":{"\#(keyword)":\#(value)}},"type":"integer"}"#,
                       #"{"contentMediaType":"application/json","contentSchema":{"\#(keyword)":\#(value)}}"#] {
            #expect(Comment(rawValue: schema)) {
                try JSONSchemaGrammar.compile(JSONSchema(parsing: schema))
            } throws: { error in
                guard case .invalidKeyword(_, let path, _) = error as? JSONSchemaError else { return false }
                return path.contains("/" + keyword)
            }
        }
    }

    /// Shapes some draft accepts stay accepted: draft-4 boolean `exclusiveMinimum`, array `items`,
    /// `1.0` as a count, empty `required`, boolean schemas, both kinds of `dependencies`.
    @Test(arguments: [
        #"{"type":["string","null"]}"#, #"{"type":"number","minimum":0,"exclusiveMinimum":true}"#,
        #"{"type":"string","minLength":1.0}"#, #"{"type":"array","items":[{"type":"string"}]}"#,
        #"{"type":"object","required":[]}"#, #"{"$defs":{"a":true},"properties":{"b":false}}"#,
        #"{"type":"object","dependencies":{"a":["b"],"c":{"required":["d"]}}}"#,
        ##"{"$ref":"#/$defs/a","$defs":{"a":{"type":"integer"}}}"##, #"{"x-extension":{"type":"nonsense"},"type":"null"}"#,
    ])
    func shapesSomeDraftAcceptsCompile(schema: String) throws {
        _ = try JSONSchemaGrammar.compile(JSONSchema(parsing: schema))
    }
}
