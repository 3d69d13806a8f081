import Foundation

/// One branch of a schema after `$ref`, `allOf`, `anyOf` and `oneOf` have been expanded: a flat
/// list of keywords that all apply to the instance, each with the JSON Pointer it came from.
/// Keywords that may meet more than once after a merge (`minimum`, `pattern`…) are kept once
/// per source; the compiler combines them.
struct SchemaConjunct: Sendable {
    var keywords: [JSONMember] = []
    var paths: [String] = []

    /// Keywords that only annotate; dropped when a conjunct is built.
    static let annotations: Set<String> = [
        "title", "description", "examples", "example", "default", "$schema", "$id", "id", "$comment",
        "deprecated", "readOnly", "writeOnly", "readonly", "contentMediaType", "contentEncoding",
        "contentSchema", "$vocabulary", "$anchor", "$defs", "definitions", "markdownDescription",
        "enumNames", "$dynamicAnchor", "$recursiveAnchor",
    ]

    /// The conjunct of the plain keywords of a schema object (composition keywords excluded).
    init(object members: [JSONMember], path: String) throws(JSONSchemaError) {
        var nullable = false
        var exclusiveFlags: [String: Bool] = [:]
        for member in members {
            let key = member.key
            if Self.annotations.contains(key) || key.hasPrefix("x-") { continue }
            switch key {
            case "allOf", "anyOf", "oneOf", "$ref": continue
            case "nullable":
                guard case .bool(let flag) = member.value else {
                    throw .invalidKeyword(keyword: key, path: path + "/nullable", reason: "expected a boolean")
                }
                nullable = flag
            case "const":
                append("enum", .array([member.value]), path)
            case "type":
                let names: [JSONValue]
                switch member.value {
                case .string: names = [member.value]
                case .array(let list) where list.allSatisfy({ if case .string = $0 { true } else { false } }): names = list
                default:
                    throw .invalidKeyword(keyword: key, path: path + "/type", reason: "expected a type name or an array of them")
                }
                // Checked here, where every use (a conjunct, a negation, a merge) starts.
                for case .string(let name) in names where !(SchemaCompiler.allTypes + ["integer"]).contains(name) {
                    throw .invalidKeyword(keyword: key, path: path + "/type", reason: "unknown type \"\(name)\"")
                }
                append("type", .array(names), path)
            case "exclusiveMinimum", "exclusiveMaximum":
                if case .bool(let flag) = member.value { exclusiveFlags[key] = flag } else { append(key, member.value, path) }
            case "items":
                if case .array(let tuple) = member.value {
                    append("prefixItems", .array(tuple), path)
                    append("items", members.first { $0.key == "additionalItems" }?.value ?? .bool(true), path)
                } else {
                    append(key, member.value, path)
                }
            case "additionalItems": continue
            default: append(key, member.value, path)
            }
        }
        // Draft 4 boolean exclusive bounds turn their sibling bound exclusive.
        for (flagKey, boundKey) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")]
        where exclusiveFlags[flagKey] == true {
            if let index = keywords.firstIndex(where: { $0.key == boundKey }) { keywords[index].key = flagKey }
        }
        if nullable, let index = keywords.firstIndex(where: { $0.key == "type" }),
           case .array(var names) = keywords[index].value, !names.contains(.string("null")) {
            names.append(.string("null"))
            keywords[index].value = .array(names)
        }
    }

    init() {}

    mutating func append(_ key: String, _ value: JSONValue, _ path: String) {
        keywords.append(JSONMember(key: key, value: value))
        paths.append(path)
    }

    /// Every value given for `key`, with the path of the schema that gave it.
    func all(_ key: String) -> [(value: JSONValue, path: String)] {
        zip(keywords, paths).filter { $0.0.key == key }.map { ($0.0.value, $0.1) }
    }

    func first(_ key: String) -> JSONValue? { keywords.first { $0.key == key }?.value }

    func path(_ key: String) -> String { zip(keywords, paths).first { $0.0.key == key }?.1 ?? "#" }

    func has(_ key: String) -> Bool { keywords.contains { $0.key == key } }

    var keys: Set<String> { Set(keywords.map(\.key)) }

    /// Removes every keyword in `names` and returns them, in order, with their paths.
    mutating func removeAll(_ names: Set<String>) -> [(key: String, value: JSONValue, path: String)] {
        var removed: [(key: String, value: JSONValue, path: String)] = []
        var keptKeywords: [JSONMember] = []
        var keptPaths: [String] = []
        for (member, path) in zip(keywords, paths) {
            if names.contains(member.key) { removed.append((member.key, member.value, path)) } else {
                keptKeywords.append(member)
                keptPaths.append(path)
            }
        }
        keywords = keptKeywords
        paths = keptPaths
        return removed
    }
}

/// Escapes a key for use in a JSON Pointer (RFC 6901).
func pointerEscape(_ key: String) -> String {
    key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
}
