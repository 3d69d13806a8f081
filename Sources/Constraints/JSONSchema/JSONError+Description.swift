extension JSONError: CustomStringConvertible {
    /// One sentence that says what the JSON parser expected and where (`line:column (byte n)`).
    public var description: String {
        switch self {
        case .unexpectedEnd(let expected, let at): return "\(at): the text ends where \(expected) was expected"
        case .unexpectedCharacter(let found, let expected, let at): return "\(at): found \(found) where \(expected) was expected"
        case .invalidEscape(let escape, let at): return "\(at): invalid escape: \(escape)"
        case .controlCharacterInString(let byte, let at):
            return "\(at): control character 0x\(String(byte, radix: 16, uppercase: true)) inside a string (escape it)"
        case .invalidUTF8(let at): return "\(at): bytes that are not well-formed UTF-8"
        case .invalidNumber(let text, let at): return "\(at): \(text) is not a JSON number"
        case .trailingContent(let at): return "\(at): text after the JSON value"
        case .nestingTooDeep(let limit, let at): return "\(at): arrays and objects nest deeper than \(limit)"
        }
    }
}
