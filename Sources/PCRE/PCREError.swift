/// What can go wrong when compiling or running a PCRE2 pattern.
///
/// Resource limits reached while matching are not errors: `PCRERegex.match` reports them as
/// ``PCREMatchResult/limitExceeded(_:)``. Iteration APIs, which have no such result, throw
/// ``limitExceeded(_:)``.
public enum PCREError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pattern did not compile. `message` is PCRE2's own text; `offset` is the byte offset
    /// in the pattern's UTF-8 where PCRE2 stopped.
    case compile(message: String, offset: Int)
    /// The subject is not valid UTF-8 (pattern compiled with `.utf` but not `.matchInvalidUTF`);
    /// `offset` is the byte offset of the first invalid sequence.
    case invalidUTF8(message: String, offset: Int)
    /// A match could not run: the start offset is outside the subject, or PCRE2 reported
    /// another error (its code and message).
    case match(code: Int32, message: String)
    /// A match or iteration stopped at a resource limit.
    case limitExceeded(PCRELimit)

    /// One line saying what went wrong, for users.
    public var description: String {
        switch self {
        case .compile(let message, let offset):
            return "regex does not compile at byte \(offset): \(message)"
        case .invalidUTF8(let message, let offset):
            return "subject is not valid UTF-8 at byte \(offset): \(message)"
        case .match(let code, let message):
            return "regex match failed (PCRE2 error \(code)): \(message)"
        case .limitExceeded(let limit):
            return "regex match stopped at its \(limit) limit"
        }
    }
}

/// Which PCRE2 resource limit stopped a match.
public enum PCRELimit: String, Sendable, Equatable {
    /// The match limit: the number of times PCRE2's internal `match()` was entered (backtracking).
    case match
    /// The depth limit: how deeply backtracking may nest (interpreter only).
    case depth
    /// The heap limit, in kibibytes of backtracking memory (interpreter only).
    case heap
    /// The JIT machine stack ran out.
    case jitStack
}
