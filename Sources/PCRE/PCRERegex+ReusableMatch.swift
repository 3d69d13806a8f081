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
/// A class because it owns PCRE2 allocations (freed in `deinit`). Not `Sendable`: match data is
/// written by every match, so use a matcher from one task at a time; the regex itself may be
/// shared.
public final class PCREMatcher {
    /// The regex matched.
    public let regex: PCRERegex
    private let data: OpaquePointer
    private let context: OpaquePointer?

    init(regex: PCRERegex, limits: PCREMatchLimits) {
        self.regex = regex
        guard let data = pcre2_match_data_create_from_pattern_8(regex.code, nil) else {
            preconditionFailure("PCRE2 could not allocate match data")
        }
        self.data = data
        if limits.isDefault {
            context = nil
        } else {
            guard let context = pcre2_match_context_create_8(nil) else {
                preconditionFailure("PCRE2 could not allocate a match context")
            }
            if let match = limits.match { pcre2_set_match_limit_8(context, match) }
            if let depth = limits.depth { pcre2_set_depth_limit_8(context, depth) }
            if let heap = limits.heapKiB { pcre2_set_heap_limit_8(context, heap) }
            self.context = context
        }
    }

    deinit {
        pcre2_match_data_free_8(data)
        if let context { pcre2_match_context_free_8(context) }
    }

    /// One match of the whole `subject` from offset 0, with the semantics of
    /// ``PCRERegex/match(in:from:options:limits:)`` (limits are the matcher's).
    ///
    /// - Throws: ``PCREError/invalidUTF8(message:offset:)``, ``PCREError/match(code:message:)``.
    public func match(_ subject: UnsafeBufferPointer<UInt8>, options: PCREMatchOptions = []) throws(PCREError) -> PCREMatchResult {
        let base = subject.baseAddress ?? UnsafePointer(bitPattern: 1)!
        var rc = pcre2_match_8(regex.code, base, subject.count, 0, options.rawValue, data, context)
        if rc == PCRE2_ERROR_JIT_STACKLIMIT {
            rc = pcre2_match_8(regex.code, base, subject.count, 0, options.rawValue | PCRE2_NO_JIT, data, context)
        }
        let ovector = pcre2_get_ovector_pointer_8(data)!
        switch rc {
        case let rc where rc >= 0: return .full(ovector[0]..<max(ovector[0], ovector[1]))
        case PCRE2_ERROR_PARTIAL: return .partial(ovector[0]..<subject.count)
        case PCRE2_ERROR_NOMATCH: return .noMatch
        case PCRE2_ERROR_MATCHLIMIT: return .limitExceeded(.match)
        case PCRE2_ERROR_DEPTHLIMIT: return .limitExceeded(.depth)
        case PCRE2_ERROR_HEAPLIMIT: return .limitExceeded(.heap)
        case PCRE2_ERROR_JIT_STACKLIMIT: return .limitExceeded(.jitStack)
        case PCRE2_ERROR_UTF8_ERR21...PCRE2_ERROR_UTF8_ERR1:
            throw .invalidUTF8(message: PCRERegex.message(for: rc), offset: pcre2_get_startchar_8(data))
        default:
            throw .match(code: rc, message: PCRERegex.message(for: rc))
        }
    }
}
