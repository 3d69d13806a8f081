/// Checks one JSON value against a schema: how the compiler decides which `enum`/`const`
/// values survive the keywords beside them (`not`, `patternProperties`, `uniqueItems`…), so
/// that such schemas compile exactly to the list of surviving values.
///
/// Follows draft 2020-12 (with the draft 4–7 spellings: array `items`, `additionalItems`,
/// boolean `exclusiveMinimum`, `dependencies`). `unevaluated*` and dynamic references throw
/// `unsupported`; unknown formats are annotations.
struct SchemaValidator {
    let root: JSONValue

    func validate(_ value: JSONValue, _ schema: JSONValue, path: String) throws(JSONSchemaError) -> Bool {
        switch schema {
        case .bool(let b): return b
        case .object(let members): return try validate(value, members: members, path: path)
        default: throw .invalidKeyword(keyword: "", path: path, reason: "a schema is an object or a boolean")
        }
    }

    /// All keywords of `members` hold for `value` (repeated keywords each apply).
    func validate(_ value: JSONValue, members: [JSONMember], path: String) throws(JSONSchemaError) -> Bool {
        let schema = JSONValue.object(members)
        for member in members {
            if try !check(member.key, member.value, value, schema, path: path) { return false }
        }
        return true
    }

    private func number(_ v: JSONValue) -> DecimalText? {
        if case .number(let t) = v { return DecimalText(t) }
        return nil
    }

    private func check(_ key: String, _ k: JSONValue, _ v: JSONValue, _ schema: JSONValue, path: String) throws(JSONSchemaError) -> Bool {
        let here = path + "/" + key
        switch key {
        case "type":
            let names: [JSONValue] = { if case .array(let a) = k { a } else { [k] } }()
            return names.contains { name in
                guard case .string(let n) = name else { return false }
                if n == "integer" { return number(v)?.isInteger ?? false }
                return n == v.typeName
            }
        case "enum":
            guard case .array(let options) = k else { return false }
            return options.contains { Self.equal($0, v) }
        case "const": return Self.equal(k, v)
        case SchemaConjunct.notEnum:
            guard case .array(let excluded) = k else { return true }
            return !excluded.contains { Self.equal($0, v) }
        case "not": return !(try validate(v, k, path: here))
        case "allOf", "anyOf", "oneOf":
            guard case .array(let subs) = k else { throw .invalidKeyword(keyword: key, path: here, reason: "expected an array") }
            var count = 0
            for (i, sub) in subs.enumerated() where try validate(v, sub, path: here + "/\(i)") { count += 1 }
            return key == "allOf" ? count == subs.count : key == "anyOf" ? count > 0 : count == 1
        case "$ref":
            let (target, pointer) = try SchemaCompiler(root: root, options: .init()).resolve(k, path: here)
            return try validate(v, target, path: pointer)
        case "if":
            let branch = try validate(v, k, path: here) ? schema["then"] : schema["else"]
            return try branch.map { (b: JSONValue) throws(JSONSchemaError) -> Bool in try validate(v, b, path: here) } ?? true
        case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
            guard let x = number(v) else { return true }
            if case .bool(let flag) = k {
                guard flag, let bound = schema[key == "exclusiveMinimum" ? "minimum" : "maximum"].flatMap(number) else { return true }
                return key == "exclusiveMinimum" ? x.compare(bound) > 0 : x.compare(bound) < 0
            }
            guard let b = number(k) else { throw .invalidKeyword(keyword: key, path: here, reason: "expected a number") }
            let c = x.compare(b)
            let exclusiveFlag = schema[key == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum"] == .bool(true)
            switch key {
            case "minimum": return exclusiveFlag ? c > 0 : c >= 0
            case "maximum": return exclusiveFlag ? c < 0 : c <= 0
            case "exclusiveMinimum": return c > 0
            default: return c < 0
            }
        case "multipleOf":
            guard case .number(let xt) = v, case .number(let mt) = k, let x = Double(xt), let m = Double(mt), m > 0 else { return true }
            let q = x / m
            return q.isFinite && abs(q - q.rounded()) < 1e-9
        case "minLength", "maxLength":
            guard case .string(let s) = v, let n = number(k).flatMap({ Int($0.truncatedMagnitude) }) else { return true }
            return key == "minLength" ? s.unicodeScalars.count >= n : s.unicodeScalars.count <= n
        case "pattern":
            guard case .string(let s) = v, case .string(let p) = k else { return true }
            return try regex(p, here).search(s)
        case "format":
            guard case .string(let s) = v, case .string(let name) = k else { return true }
            if let p = StringFormat.patterns[name] { return try regex(p, here).search(s) }
            if StringFormat.unenforced.contains(name) {
                throw .unsupported(keyword: "format", path: here, reason: "format \"\(name)\" is not checked")
            }
            return true
        case "minItems", "maxItems":
            guard case .array(let a) = v, let n = number(k).flatMap({ Int($0.truncatedMagnitude) }) else { return true }
            return key == "minItems" ? a.count >= n : a.count <= n
        case "minProperties", "maxProperties":
            guard case .object(let o) = v, let n = number(k).flatMap({ Int($0.truncatedMagnitude) }) else { return true }
            return key == "minProperties" ? o.count >= n : o.count <= n
        case "uniqueItems":
            guard case .array(let a) = v, k == .bool(true) else { return true }
            for i in a.indices { for j in a.indices where j > i && Self.equal(a[i], a[j]) { return false } }
            return true
        case "required":
            guard case .object(let o) = v, case .array(let names) = k else { return true }
            return names.allSatisfy { name in o.contains { .string($0.key) == name } }
        case "properties", "patternProperties", "additionalProperties":
            guard case .object(let o) = v else { return true }
            return try checkMembers(key, k, o, schema, here)
        case "propertyNames":
            guard case .object(let o) = v else { return true }
            for m in o where try !validate(.string(m.key), k, path: here) { return false }
            return true
        case "dependentRequired", "dependentSchemas", "dependencies":
            guard case .object(let o) = v, let deps = k.members else { return true }
            for dep in deps where o.contains(where: { $0.key == dep.key }) {
                if case .array(let names) = dep.value {
                    if !names.allSatisfy({ n in o.contains { .string($0.key) == n } }) { return false }
                } else if try !validate(v, dep.value, path: here + "/" + pointerEscape(dep.key)) {
                    return false
                }
            }
            return true
        case "items", "prefixItems", "additionalItems", "contains":
            guard case .array(let a) = v else { return true }
            return try checkItems(key, k, a, schema, here)
        case "unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$recursiveRef":
            throw .unsupported(keyword: key, path: here, reason: "\(key) is not checked")
        default:
            return true
        }
    }

    private func regex(_ pattern: String, _ path: String) throws(JSONSchemaError) -> RegexNode {
        do {
            return try RegexParser.parse(pattern)
        } catch {
            switch error {
            case .invalid(let why): throw .invalidKeyword(keyword: "pattern", path: path, reason: why)
            case .unsupported(let why): throw .unsupported(keyword: "pattern", path: path, reason: why)
            }
        }
    }

    private func checkMembers(_ key: String, _ k: JSONValue, _ o: [JSONMember], _ schema: JSONValue, _ here: String) throws(JSONSchemaError) -> Bool {
        let declared = schema["properties"]?.members ?? []
        let patterns = schema["patternProperties"]?.members ?? []
        for m in o {
            switch key {
            case "properties":
                if let sub = declared.first(where: { $0.key == m.key }), try !validate(m.value, sub.value, path: here) { return false }
            case "patternProperties":
                for p in patterns where try regex(p.key, here).search(m.key) {
                    if try !validate(m.value, p.value, path: here) { return false }
                }
            default:
                if declared.contains(where: { $0.key == m.key }) { continue }
                var matched = false
                for p in patterns where try regex(p.key, here).search(m.key) { matched = true }
                if !matched, try !validate(m.value, k, path: here) { return false }
            }
        }
        return true
    }

    private func checkItems(_ key: String, _ k: JSONValue, _ a: [JSONValue], _ schema: JSONValue, _ here: String) throws(JSONSchemaError) -> Bool {
        switch key {
        case "prefixItems":
            guard case .array(let subs) = k else { return true }
            for (i, sub) in subs.enumerated() where i < a.count { if try !validate(a[i], sub, path: here) { return false } }
            return true
        case "items":
            if case .array(let subs) = k {
                for (i, sub) in subs.enumerated() where i < a.count { if try !validate(a[i], sub, path: here) { return false } }
                return true
            }
            let skip: Int = { if case .array(let p)? = schema["prefixItems"] { p.count } else { 0 } }()
            for item in a.dropFirst(skip) where try !validate(item, k, path: here) { return false }
            return true
        case "additionalItems":
            guard case .array(let subs)? = schema["items"] else { return true }
            for item in a.dropFirst(subs.count) where try !validate(item, k, path: here) { return false }
            return true
        default:
            var count = 0
            for item in a where try validate(item, k, path: here) { count += 1 }
            let minimum = schema["minContains"].flatMap(number).flatMap { Int($0.truncatedMagnitude) } ?? 1
            let maximum = schema["maxContains"].flatMap(number).flatMap { Int($0.truncatedMagnitude) }
            return count >= minimum && (maximum.map { count <= $0 } ?? true)
        }
    }

    /// JSON equality: numbers by value, objects regardless of member order.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            guard let dx = DecimalText(x), let dy = DecimalText(y) else { return x == y }
            return dx.compare(dy) == 0
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { m in y.contains { $0.key == m.key && equal($0.value, m.value) } }
        default: return a == b
        }
    }
}
