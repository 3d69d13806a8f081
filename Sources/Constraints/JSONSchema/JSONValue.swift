/// A JSON value that keeps what JSON Schema compilation needs and Foundation loses: the exact
/// text of every number and the order of every object's members.
///
/// Produced by ``JSONValue/init(parsing:)`` (RFC 8259, strict); printed back with
/// ``JSONValue/compactText`` and ``JSONValue/prettyText(indent:)``.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as the exact text it was written with (e.g. `"1.50"`, `"-2e10"`).
    case number(String)
    /// A string, with escapes decoded.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object: members in document order (duplicate keys are kept as written).
    case object([JSONMember])

    /// The value of the first member named `key` when this is an object, else `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The members when this is an object, else `nil`.
    public var members: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The JSON Schema type name of the value (`"null"`, `"boolean"`, `"number"`, `"string"`,
    /// `"array"`, `"object"`); numbers are `"number"` even when integral.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// One member of a JSON object: a key and its value.
public struct JSONMember: Sendable, Hashable {
    /// The member's key, escapes decoded.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    /// Makes a member.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}
