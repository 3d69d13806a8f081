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
}
