/// Checks the shape of every keyword the compiler knows, at every schema position of a document,
/// before anything is compiled: what each draft's meta-schema (4, 6, 7, 2019-09, 2020-12)
/// requires of it, so that a schema no meta-schema accepts is refused even where the compiler
/// would never evaluate the keyword (a `type` under `not` beside an `enum`, an `else` an
/// always-true `if` never reaches, an unreferenced definition).
///
/// A value is accepted when some draft accepts it (`items` an array or a schema,
/// `exclusiveMinimum` a number or a boolean, schemas objects or booleans, counts `1.0`). Schema
/// positions are those of the keywords below, plus local `$ref` targets (each once). Unknown
/// keywords and annotations are not schemas, so what they hold is not checked.
struct SchemaKeywordShapes {
    /// Keywords whose value is one schema (`contentSchema` is an annotation, but the 2019-09 and
    /// 2020-12 meta-schemas require a schema there).
    static let schemaKeywords: Set<String> = [
        "not", "if", "then", "else", "additionalProperties", "additionalItems", "contains", "propertyNames",
        "unevaluatedProperties", "unevaluatedItems", "contentSchema",
    ]
    /// Keywords whose value is a non-empty array of schemas.
    static let schemaListKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]
    /// Keywords whose value is an object of schemas.
    static let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]
    /// Keywords whose value is a non-negative integer.
    static let countKeywords: Set<String> = [
        "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains",
    ]
    /// The type names of JSON Schema.
    static let typeNames: Set<String> = ["null", "boolean", "object", "array", "string", "number", "integer"]

    let root: JSONValue
    /// Canonical pointers of the `$ref` targets checked already.
    private var checkedTargets: Set<String> = []

    init(root: JSONValue) {
        self.root = root
        checkedTargets = ["#"]
    }

    /// Checks `root` and every schema inside it.
    /// - Throws: ``JSONSchemaError/invalidKeyword(keyword:path:reason:)`` for the first keyword
    ///   of the wrong shape, with its pointer.
    static func check(_ root: JSONValue) throws(JSONSchemaError) {
        var shapes = SchemaKeywordShapes(root: root)
        try shapes.check(schema: root, path: "#")
    }

    private mutating func check(schema: JSONValue, path: String) throws(JSONSchemaError) {
        switch schema {
        case .bool: return
        case .object(let members):
            for member in members { try check(member.key, member.value, path: path + "/" + pointerEscape(member.key)) }
        default:
            throw .invalidKeyword(keyword: "", path: path, reason: "a schema is an object or a boolean")
        }
    }

    private mutating func check(_ key: String, _ value: JSONValue, path: String) throws(JSONSchemaError) {
        func invalid(_ reason: String) -> JSONSchemaError { .invalidKeyword(keyword: key, path: path, reason: reason) }
        switch key {
        case _ where Self.schemaKeywords.contains(key):
            try check(schema: value, path: path)
        case _ where Self.schemaListKeywords.contains(key):
            guard case .array(let schemas) = value, !schemas.isEmpty else { throw invalid("expected a non-empty array of schemas") }
            for (i, schema) in schemas.enumerated() { try check(schema: schema, path: path + "/\(i)") }
        case _ where Self.schemaMapKeywords.contains(key):
            guard let members = value.members else { throw invalid("expected an object of schemas") }
            for member in members { try check(schema: member.value, path: path + "/" + pointerEscape(member.key)) }
        case "items":
            if case .array(let schemas) = value {
                for (i, schema) in schemas.enumerated() { try check(schema: schema, path: path + "/\(i)") }
            } else {
                try check(schema: value, path: path)
            }
        case "type":
            let names: [JSONValue]
            switch value {
            case .string: names = [value]
            case .array(let list) where !list.isEmpty: names = list
            default: throw invalid("expected a type name or a non-empty array of them")
            }
            try Self.checkUniqueStrings(names, invalid) { name in
                Self.typeNames.contains(name) ? nil : "unknown type \"\(name)\""
            }
        case "required":
            guard case .array(let names) = value else { throw invalid("expected an array of property names") }
            try Self.checkUniqueStrings(names, invalid) { _ in nil }
        case "dependentRequired", "dependencies":
            guard let members = value.members else { throw invalid("expected an object") }
            for member in members {
                let memberPath = path + "/" + pointerEscape(member.key)
                if case .array(let names) = member.value {
                    try Self.checkUniqueStrings(names, { .invalidKeyword(keyword: key, path: memberPath, reason: $0) }) { _ in nil }
                } else if key == "dependencies" {
                    try check(schema: member.value, path: memberPath)
                } else {
                    throw JSONSchemaError.invalidKeyword(keyword: key, path: memberPath, reason: "expected an array of property names")
                }
            }
        case "enum":
            guard case .array = value else { throw invalid("expected an array") }
        case "minimum", "maximum":
            guard case .number = value else { throw invalid("expected a number") }
        case "exclusiveMinimum", "exclusiveMaximum":
            switch value {
            case .number, .bool: break
            default: throw invalid("expected a number (or, in draft 4, a boolean)")
            }
        case "multipleOf":
            guard case .number(let text) = value, let number = DecimalText(text), !number.negative, !number.isZero else {
                throw invalid("expected a number above 0")
            }
        case _ where Self.countKeywords.contains(key):
            guard case .number(let text) = value, let number = DecimalText(text), number.isInteger,
                  !number.negative || number.isZero else {
                throw invalid("expected a non-negative integer")
            }
        case "pattern", "format", "$ref":
            guard case .string = value else { throw invalid("expected a string") }
            if key == "$ref" { try checkTarget(value, path: path) }
        case "uniqueItems", "nullable":
            guard case .bool = value else { throw invalid("expected a boolean") }
        default:
            return  // annotations, `const`, unknown keywords: any value
        }
    }

    /// Checks the schema object a local `$ref` points at, once; references the compiler cannot
    /// resolve (or that point at no schema object) are its to report where it evaluates them.
    private mutating func checkTarget(_ ref: JSONValue, path: String) throws(JSONSchemaError) {
        guard let (target, pointer) = try? SchemaCompiler(root: root, options: .init()).resolve(ref, path: path),
              target.members != nil, checkedTargets.insert(pointer).inserted else { return }
        try check(schema: target, path: pointer)
    }

    /// Each of `values` is a string, none twice, and `problem` finds nothing wrong with it.
    private static func checkUniqueStrings(_ values: [JSONValue], _ invalid: (String) -> JSONSchemaError,
                                           problem: (String) -> String?) throws(JSONSchemaError) {
        var seen: Set<String> = []
        for value in values {
            guard case .string(let name) = value else { throw invalid("expected strings") }
            if let problem = problem(name) { throw invalid(problem) }
            guard seen.insert(name).inserted else { throw invalid("\"\(name)\" appears twice (the items must be unique)") }
        }
    }
}
