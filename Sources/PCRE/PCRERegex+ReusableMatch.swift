import CPCRE2

extension PCRERegex {
    /// A matcher for many matches in a row (a constraint's mask walk): one match data block and
    /// one match context, made once, instead of one per call.
    public func makeMatcher(limits: PCREMatchLimits = PCREMatchLimits()) -> PCREMatcher {
        PCREMatcher(regex: self, limits: limits)
    }
}

/// Runs matches of one ``PCRERegex`` reusing its match data and match context.
///
/// A class because it owns PCRE2 allocations (freed with it). Not `Sendable`: match data is
/// written by every match, so use a matcher from one task at a time; the regex itself may be
/// shared.
public final class PCREMatcher {
    /// The regex matched.
    public let regex: PCRERegex
    private let session: MatchSession

    init(regex: PCRERegex, limits: PCREMatchLimits) {
        self.regex = regex
        session = MatchSession(code: regex.code, limits: limits)
    }

    /// One match of the whole `subject` from offset 0, with the semantics of
    /// ``PCRERegex/match(in:from:options:limits:)`` (limits are the matcher's).
    ///
    /// - Throws: ``PCREError/invalidUTF8(message:offset:)``, ``PCREError/match(code:message:)``.
    public func match(_ subject: UnsafeBufferPointer<UInt8>, options: PCREMatchOptions = []) throws(PCREError) -> PCREMatchResult {
        try session.run(subject, offset: 0, options: options.rawValue)
    }
}
