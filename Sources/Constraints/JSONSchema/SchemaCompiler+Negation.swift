extension SchemaConjunct {
    /// Internal keyword: the instance is none of the listed values (what `not` of an `enum`
    /// becomes). The leading space keeps it apart from any keyword a schema can spell usefully.
    static let notEnum = " notEnum"

    /// A conjunct of the given keywords, all attributed to `path`.
    init(_ keywords: [(String, JSONValue)], path: String) {
        self.init()
        for (key, value) in keywords { append(key, value, path) }
    }

    /// Whether no instance can match: a required property whose schema is `false`, or a
    /// `type` list that is empty.
    var isObviouslyEmpty: Bool {
        if case .array(let names)? = first("type"), names.isEmpty { return true }
        guard let properties = first("properties") else { return false }
        for (value, _) in all("required") {
            guard case .array(let names) = value else { continue }
            for case .string(let name) in names where properties[name] == .bool(false) { return true }
        }
        return false
    }
}

extension SchemaCompiler {
    /// The conjuncts with each `not` replaced by the negation it names (``negation(_:path:)``),
    /// except in conjuncts with an `enum`, where the validator decides `not` exactly.
    mutating func withoutNot(_ conjuncts: [SchemaConjunct], path: String) throws(JSONSchemaError) -> [SchemaConjunct] {
        var out: [SchemaConjunct] = []
        for conjunct in conjuncts {
            guard conjunct.has("not"), !conjunct.has("enum") else { out.append(conjunct); continue }
            var base = conjunct
            var result = [SchemaConjunct()]
            for (key, value, notPath) in base.removeAll(["not"]) {
                switch value {
                case .object, .bool: break
                default: throw .invalidKeyword(keyword: key, path: notPath + "/not", reason: "expected a schema")
                }
                result = try product(result, try negation(value, path: notPath + "/not"), path: path)
            }
            out += try product([base], result, path: path)
        }
        return out
    }

    /// A union of conjuncts whose instances all fail `schema`: exactly `¬schema` where every
    /// keyword has an expressible negation, a subset of it otherwise (then ``approximated`` is
    /// set). Never a superset: a schema whose own expansion was approximated negates to nothing.
    mutating func negation(_ schema: JSONValue, path: String) throws(JSONSchemaError) -> [SchemaConjunct] {
        switch schema {
        case .bool(let b): return b ? [] : [SchemaConjunct()]
        default: break
        }
        let saved = approximated
        approximated = false
        let branches = try expand(schema, path: path)
        let inexact = approximated
        approximated = saved
        if inexact {
            approximated = true
            return []
        }
        // ¬(B1 ∪ B2 ∪ …) = ¬B1 ∩ ¬B2 ∩ …
        var result = [SchemaConjunct()]
        for branch in branches {
            let terms = try negationTerms(branch)
            result = try product(result, terms, path: path)
            if result.isEmpty { break }
        }
        return result
    }

    /// The negation of one conjunct as a union of conjuncts, one or more per keyword (¬(k1 ∧ k2)
    /// = ¬k1 ∪ ¬k2). Keywords whose negation is not expressible contribute nothing and set
    /// ``approximated``; unknown keywords and annotations hold for every instance and so
    /// contribute nothing exactly.
    mutating func negationTerms(_ conjunct: SchemaConjunct) throws(JSONSchemaError) -> [SchemaConjunct] {
        if conjunct.has("enum") { return try enumNegation(conjunct) }
        var terms: [SchemaConjunct] = []
        for (member, path) in zip(conjunct.keywords, conjunct.paths) {
            let value = member.value
            func term(_ keywords: [(String, JSONValue)]) { terms.append(SchemaConjunct(keywords, path: path)) }
            func count(_ v: JSONValue) -> Int? {
                guard case .number(let text) = v, let d = DecimalText(text), d.isInteger, !d.negative else { return nil }
                return Int(d.truncatedMagnitude)
            }
            switch member.key {
            case "type":
                let names = SchemaConjunct.typeNames(value)
                if names.contains("integer"), !names.contains("number") { approximated = true }
                let rest = Self.allTypes.filter { !names.contains($0) && !($0 == "number" && names.contains("integer")) }
                term([("type", .array(rest.map { .string($0) }))])
            case "required":
                guard case .array(let names) = value else { continue }
                for case .string(let name) in names {
                    term([("type", .array([.string("object")])), ("properties", .object([JSONMember(key: name, value: .bool(false))]))])
                }
            case "properties":
                for property in value.members ?? [] where property.value != .bool(true) && property.value != .object([]) {
                    let inner: JSONValue = property.value == .bool(false) ? .bool(true) : .object([JSONMember(key: "not", value: property.value)])
                    term([("type", .array([.string("object")])), ("required", .array([.string(property.key)])),
                          ("properties", .object([JSONMember(key: property.key, value: inner)]))])
                }
            case "minimum": term([("type", .array([.string("number")])), ("exclusiveMaximum", value)])
            case "maximum": term([("type", .array([.string("number")])), ("exclusiveMinimum", value)])
            case "exclusiveMinimum": term([("type", .array([.string("number")])), ("maximum", value)])
            case "exclusiveMaximum": term([("type", .array([.string("number")])), ("minimum", value)])
            case "minLength", "minItems", "minProperties":
                guard let n = count(value) else { approximated = true; continue }
                let type = member.key == "minLength" ? "string" : member.key == "minItems" ? "array" : "object"
                if n > 0 { term([("type", .array([.string(type)])), ("max" + member.key.dropFirst(3), .number("\(n - 1)"))]) }
            case "maxLength", "maxItems", "maxProperties":
                guard let n = count(value) else { approximated = true; continue }
                let type = member.key == "maxLength" ? "string" : member.key == "maxItems" ? "array" : "object"
                term([("type", .array([.string(type)])), ("min" + member.key.dropFirst(3), .number("\(n + 1)"))])
            case "contains":
                term([("type", .array([.string("array")])), ("items", .object([JSONMember(key: "not", value: value)]))])
            case "not":
                terms += try expand(value, path: path + "/not")
            case SchemaConjunct.notEnum:
                term([("enum", value)])
            case "additionalProperties", "items", "propertyNames", "unevaluatedProperties", "unevaluatedItems":
                if value != .bool(true), value != .object([]) { approximated = true }
            case "prefixItems":
                if case .array(let schemas) = value, schemas.allSatisfy({ $0 == .bool(true) || $0 == .object([]) }) { continue }
                approximated = true
            case "uniqueItems":
                if value == .bool(true) { approximated = true }
            case "patternProperties":
                if let members = value.members, !members.isEmpty { approximated = true }
            case "format":
                if case .string(let name) = value, StringFormat.patterns[name] != nil || StringFormat.unenforced.contains(name) {
                    approximated = true
                }
            case "pattern", "multipleOf", "dependentRequired", "dependentSchemas", "dependencies", "if",
                 "$dynamicRef", "$recursiveRef", "minContains", "maxContains":
                approximated = true
            default:
                continue
            }
        }
        return terms
    }

    /// ¬(enum V ∧ rest) = ¬(enum V′) with V′ the values of V that pass the rest (decided by the
    /// validator): other types entirely, the other boolean, and each remaining type minus V′.
    private mutating func enumNegation(_ conjunct: SchemaConjunct) throws(JSONSchemaError) -> [SchemaConjunct] {
        guard case .array(let list)? = conjunct.first("enum") else {
            throw .invalidKeyword(keyword: "enum", path: conjunct.path("enum") + "/enum", reason: "expected an array")
        }
        let validator = SchemaValidator(root: root)
        var kept: [JSONValue] = []
        for value in list where try validator.validate(value, members: conjunct.keywords, path: conjunct.path("enum")) {
            kept.append(value)
        }
        let path = conjunct.path("enum")
        var terms: [SchemaConjunct] = []
        let present = Set(kept.map { $0.typeName == "integer" ? "number" : $0.typeName })
        let absent = Self.allTypes.filter { !present.contains($0) }
        if !absent.isEmpty { terms.append(SchemaConjunct([("type", .array(absent.map { .string($0) }))], path: path)) }
        for type in Self.allTypes where present.contains(type) {
            switch type {
            case "null": continue
            case "boolean":
                let others = [JSONValue.bool(true), .bool(false)].filter { !kept.contains($0) }
                if !others.isEmpty { terms.append(SchemaConjunct([("enum", .array(others))], path: path)) }
            default:
                let values = kept.filter { ($0.typeName == "integer" ? "number" : $0.typeName) == type }
                terms.append(SchemaConjunct([("type", .array([.string(type)])), (SchemaConjunct.notEnum, .array(values))], path: path))
            }
        }
        return terms
    }
}
