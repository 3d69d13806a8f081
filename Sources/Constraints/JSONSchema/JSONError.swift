/// A position in a JSON text: byte offset from the start and 1-based line and column (in bytes).
public struct JSONPosition: Sendable, Hashable, CustomStringConvertible {
    /// Byte offset from the start of the text.
    public var offset: Int
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in bytes.
    public var column: Int

    /// A position; `line` and `column` are 1-based.
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `line:column (byte offset)`.
    public var description: String { "\(line):\(column) (byte \(offset))" }
}

/// Why a text is not JSON (RFC 8259), and where.
public enum JSONError: Error, Sendable, Hashable {
    /// The text ended where a value, or the rest of one, was expected.
    case unexpectedEnd(expected: String, at: JSONPosition)
    /// A byte that cannot start or continue what was expected.
    case unexpectedCharacter(found: String, expected: String, at: JSONPosition)
    /// A backslash escape that JSON does not define, or a malformed `\u` escape.
    case invalidEscape(String, at: JSONPosition)
    /// A raw control character (U+0000–U+001F) inside a string.
    case controlCharacterInString(UInt8, at: JSONPosition)
    /// Bytes that are not well-formed UTF-8.
    case invalidUTF8(at: JSONPosition)
    /// A number that does not follow JSON's number grammar (leading zeros, lone `-`, `1.`).
    case invalidNumber(String, at: JSONPosition)
    /// Non-whitespace text after the top-level value.
    case trailingContent(at: JSONPosition)
    /// Arrays and objects nested deeper than the parser's limit.
    case nestingTooDeep(limit: Int, at: JSONPosition)
}
