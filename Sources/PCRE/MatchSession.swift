import CPCRE2

/// Match data and (when limits are set) a match context for one call or one iteration.
/// Not shared between threads: each call, iteration or ``PCREMatcher`` owns its own.
final class MatchSession {
    let code: OpaquePointer
    let data: OpaquePointer
    let context: OpaquePointer?

    init(code: OpaquePointer, limits: PCREMatchLimits) {
        self.code = code
        guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else {
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

    /// One `pcre2_match` of `subject` from `offset` (retried without the JIT if its stack runs
    /// out), its outcome as a ``PCREMatchResult``.
    func run(_ subject: UnsafeBufferPointer<UInt8>, offset: Int, options: UInt32) throws(PCREError)
        -> PCREMatchResult
    {
        // PCRE2 needs a non-null pointer even for an empty subject.
        let base = subject.baseAddress ?? UnsafePointer(bitPattern: 1)!
        var rc = pcre2_match_8(code, base, subject.count, offset, options, data, context)
        if rc == PCRE2_ERROR_JIT_STACKLIMIT {
            rc = pcre2_match_8(code, base, subject.count, offset, options | PCRE2_NO_JIT, data, context)
        }
        let ovector = pcre2_get_ovector_pointer_8(data)!
        switch rc {
        case let rc where rc >= 0:
            return .full(ovector[0]..<max(ovector[0], ovector[1]))
        case PCRE2_ERROR_PARTIAL:
            return .partial(ovector[0]..<subject.count)
        case PCRE2_ERROR_NOMATCH:
            return .noMatch
        case PCRE2_ERROR_MATCHLIMIT:
            return .limitExceeded(.match)
        case PCRE2_ERROR_DEPTHLIMIT:
            return .limitExceeded(.depth)
        case PCRE2_ERROR_HEAPLIMIT:
            return .limitExceeded(.heap)
        case PCRE2_ERROR_JIT_STACKLIMIT:
            return .limitExceeded(.jitStack)
        case PCRE2_ERROR_UTF8_ERR21...PCRE2_ERROR_UTF8_ERR1:
            throw .invalidUTF8(message: PCRERegex.message(for: rc), offset: pcre2_get_startchar_8(data))
        default:
            throw .match(code: rc, message: PCRERegex.message(for: rc))
        }
    }
}
