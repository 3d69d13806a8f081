import Foundation

/// A JSON Schema document, parsed with member order and number text preserved: the first
/// stage of `JSONSchema(parsing:)` → ``JSONSchemaGrammar/compile(_:options:)`` → GBNF.
public struct JSONSchema: Sendable, Hashable {
    /// The schema document (an object or a boolean).
    public var root: JSONValue

    /// Wraps an already parsed schema document.
    public init(_ root: JSONValue) {
        self.root = root
    }

    /// Parses schema text.
    /// - Throws: ``JSONSchemaError/invalidJSON(_:)`` with the position of the first error, or
    ///   ``JSONSchemaError/invalidKeyword(keyword:path:reason:)`` when the document is neither an
    ///   object nor a boolean.
    public init(parsing data: Data) throws(JSONSchemaError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            throw .invalidJSON(error)
        }
        try self.init(checking: value)
    }

    /// Parses schema text given as a string; see ``init(parsing:)-(Data)``.
    public init(parsing text: String) throws(JSONSchemaError) {
        try self.init(parsing: Data(text.utf8))
    }

    private init(checking value: JSONValue) throws(JSONSchemaError) {
        switch value {
        case .object, .bool: self.root = value
        default:
            throw .invalidKeyword(keyword: "", path: "#", reason: "a schema is an object or a boolean, got \(value.typeName)")
        }
    }
}
