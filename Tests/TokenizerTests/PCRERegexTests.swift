import PCRE
import Testing

@Suite struct PCRERegexTests {
    @Test func compileErrorCarriesMessageAndOffset() {
        #expect {
            _ = try PCRERegex("ab(c", options: [.utf])
        } throws: { error in
            guard case .compile(let message, let offset) = error as? PCREError else { return false }
            return offset == 4 && message.contains("missing closing parenthesis")
        }
        #expect {
            _ = try PCRERegex("é[z-a]", options: [.utf])
        } throws: { error in
            // Offset is in bytes ("é" is two): PCRE2 stops after "é[z-", at byte 5.
            guard case .compile(_, let offset) = error as? PCREError else { return false }
            return offset == 5
        }
    }

    @Test func iteratesUnicodeMatchesAsByteRanges() throws {
        let regex = try PCRERegex(#"\p{L}+"#, options: [.utf, .ucp])
        let text = Array("héllo, wörld 42 日本".utf8)
        let words = try regex.matches(in: text).map { String(decoding: text[$0], as: UTF8.self) }
        #expect(words == ["héllo", "wörld", "日本"])
    }

    @Test func emptyMatchesAdvanceByWholeCharacters() throws {
        let regex = try PCRERegex("x*", options: [.utf])
        let text = Array("éx".utf8)
        #expect(try regex.matches(in: text) == [0..<0, 2..<3, 3..<3])
        let empty = try PCRERegex("", options: [.utf])
        #expect(try empty.matches(in: text) == [0..<0, 2..<2, 3..<3])
        #expect(try empty.matches(in: []) == [0..<0])
    }

    @Test(arguments: [
        ("abc", PCREMatchResult.full(0..<3)),
        ("ab", PCREMatchResult.partial(0..<2)),
        // PCRE2 reports no partial match before it has inspected a character.
        ("", PCREMatchResult.noMatch),
        ("abx", PCREMatchResult.noMatch),
        ("x", PCREMatchResult.noMatch),
    ])
    func anchoredPartialHard(subject: String, expected: PCREMatchResult) throws {
        let regex = try PCRERegex("abc", options: [.utf, .anchored])
        #expect(try regex.match(in: Array(subject.utf8), options: [.partialHard]) == expected)
    }

    @Test func partialHardPrefersPartialOverShorterFullMatch() throws {
        let regex = try PCRERegex("a+", options: [.utf, .anchored])
        #expect(try regex.match(in: Array("aaa".utf8), options: [.partialHard]) == .partial(0..<3))
        #expect(try regex.match(in: Array("aaa".utf8)) == .full(0..<3))
        #expect(try regex.match(in: Array("aab".utf8), options: [.partialHard]) == .full(0..<2))
    }

    @Test(arguments: [true, false])
    func catastrophicBacktrackingHitsTheLimit(jit: Bool) throws {
        let regex = try PCRERegex("(a+)+$", options: [.utf], jit: jit)
        let subject = Array(String(repeating: "a", count: 40).utf8) + Array("!".utf8)
        let result = try regex.match(in: subject, limits: PCREMatchLimits(match: 100_000))
        #expect(result == .limitExceeded(.match))
    }

    @Test func depthLimitIsReportedInTheInterpreter() throws {
        let regex = try PCRERegex("(a|b)*d", options: [.utf], jit: false)
        let subject = Array((String(repeating: "ab", count: 5_000) + "cd").utf8)
        let result = try regex.match(in: subject, limits: PCREMatchLimits(depth: 10))
        #expect(result == .limitExceeded(.depth))
    }

    @Test func invalidUTF8IsATypedError() throws {
        let regex = try PCRERegex("a", options: [.utf])
        #expect(throws: PCREError.self) { try regex.match(in: [0x61, 0xFF, 0x61], from: 0) }
        #expect {
            try regex.match(in: [0x62, 0xC3], from: 0)
        } throws: { error in
            guard case .invalidUTF8(_, let offset) = error as? PCREError else { return false }
            return offset == 1
        }
        let tolerant = try PCRERegex("a", options: [.utf, .matchInvalidUTF])
        #expect(try tolerant.matches(in: [0x61, 0xFF, 0x61]) == [0..<1, 2..<3])
    }

    @Test func offsetOutsideSubjectIsAnError() throws {
        let regex = try PCRERegex("a")
        #expect(throws: PCREError.self) { try regex.match(in: [0x61], from: 2) }
    }

    @Test func jitAndInterpreterAgree() throws {
        let jit = try PCRERegex("a+b", jit: true)
        let interpreted = try PCRERegex("a+b", jit: false)
        #expect(!interpreted.isJITCompiled)
        #expect(try jit.matches(in: Array("aab ab".utf8)) == [0..<3, 4..<6])
        #expect(try interpreted.matches(in: Array("aab ab".utf8)) == [0..<3, 4..<6])
    }
}
