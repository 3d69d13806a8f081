import CPCRE2

extension PCRERegex {
    /// Runs one match on `subject` starting at byte `offset`.
    ///
    /// With `.partialHard` a subject that ends inside a possible match gives `.partial` (even when
    /// a shorter full match exists), which is what an incremental constraint needs; with
    /// `.anchored` the match must start at `offset`. Resource limits come from `limits` through
    /// a per-call match context; hitting one gives `.limitExceeded`, never a hang or an error.
    ///
    /// - Throws: ``PCREError/invalidUTF8(message:offset:)`` for invalid UTF-8 in a `.utf` pattern's
    ///   subject (unless compiled with `.matchInvalidUTF`), ``PCREError/match(code:message:)``
    ///   for an offset outside the subject or another PCRE2 failure.
    public func match(
        in subject: UnsafeBufferPointer<UInt8>, from offset: Int = 0,
        options: PCREMatchOptions = [], limits: PCREMatchLimits = PCREMatchLimits()
    ) throws(PCREError) -> PCREMatchResult {
        guard offset >= 0, offset <= subject.count else {
            throw .match(code: PCRE2_ERROR_BADOFFSET, message: PCRERegex.message(for: PCRE2_ERROR_BADOFFSET))
        }
        let session = MatchSession(code: code, limits: limits)
        return try session.run(subject, offset: offset, options: options.rawValue)
    }

    /// ``match(in:from:options:limits:)`` over an array of bytes.
    public func match(
        in subject: [UInt8], from offset: Int = 0,
        options: PCREMatchOptions = [], limits: PCREMatchLimits = PCREMatchLimits()
    ) throws(PCREError) -> PCREMatchResult {
        try subject.withUnsafeBufferPointer { (buffer) throws(PCREError) in
            try match(in: buffer, from: offset, options: options, limits: limits)
        }
    }

    /// Calls `body` with the byte range of every non-overlapping match in `subject`, left to right.
    ///
    /// Empty matches are reported and then skipped past by one character (as Perl's `/g`). One
    /// match data block serves the whole iteration. If the JIT runs out of stack, that match is
    /// retried with the interpreter.
    ///
    /// - Complexity: one PCRE2 match per reported range plus one, the subject's UTF-8 checked
    ///   once; no allocation per match.
    /// - Throws: what ``match(in:from:options:limits:)`` throws, and
    ///   ``PCREError/limitExceeded(_:)`` when a resource limit stops a match.
    public func forEachMatch(
        in subject: UnsafeBufferPointer<UInt8>, limits: PCREMatchLimits = PCREMatchLimits(),
        _ body: (Range<Int>) throws(PCREError) -> Void
    ) throws(PCREError) {
        let session = MatchSession(code: code, limits: limits)
        var offset = 0
        var extra: UInt32 = 0
        // PCRE2 checks UTF-8 from the start offset to the end of the subject on every call; the
        // first call has checked it all, and later offsets fall on character boundaries, so later
        // calls skip the check (otherwise iteration would be quadratic in the subject's length).
        var utfCheck: UInt32 = 0
        while offset <= subject.count {
            let result = try session.run(subject, offset: offset, options: extra | utfCheck)
            utfCheck = PCRE2_NO_UTF_CHECK
            switch result {
            case .full(let range):
                try body(range)
                if range.isEmpty {
                    extra = PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED
                    offset = range.upperBound
                } else {
                    extra = 0
                    offset = range.upperBound
                }
            case .noMatch, .partial:
                guard extra != 0 else { return }
                // An empty match was found here and no non-empty one: step one character.
                extra = 0
                offset = nextCharacter(in: subject, after: offset)
                if offset > subject.count { return }
            case .limitExceeded(let limit):
                throw .limitExceeded(limit)
            }
        }
    }

    /// The byte ranges of every non-overlapping match in `subject` (see ``forEachMatch(in:limits:_:)``).
    public func matches(in subject: [UInt8]) throws(PCREError) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        try subject.withUnsafeBufferPointer { (buffer) throws(PCREError) in
            try forEachMatch(in: buffer) { range in ranges.append(range) }
        }
        return ranges
    }

    /// The offset just past the character at `offset` (one byte, or one UTF-8 sequence in UTF mode).
    private func nextCharacter(in subject: UnsafeBufferPointer<UInt8>, after offset: Int) -> Int {
        var next = offset + 1
        if options.contains(.utf) {
            while next < subject.count, subject[next] & 0xC0 == 0x80 { next += 1 }
        }
        return next
    }
}

/// Match data and (when limits are set) a match context for one call or one iteration.
/// Not shared between threads: each call creates its own.
private final class MatchSession {
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
