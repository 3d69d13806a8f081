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
