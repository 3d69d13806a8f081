import Constraints
import FuzzSupport

/// libFuzzer entry point: a regular expression, a NUL byte, then bytes fed through its
/// `RegexConstraint` (under the default match limits).
///
/// Oracle: compiling throws a `RegexError` or succeeds; advancing throws a `ConstraintError`
/// or walks the bytes, and the byte-by-byte walk agrees with `advance(_:by:)` and `accepts`; a
/// walk steered by the same bytes reaches no dead end, and every prefix of the text it makes is
/// live (``walkAndSteer(_:over:maxLength:candidates:deadEndsKnown:approximate:)``; the steered
/// walk chooses among ASCII bytes, since each non-ASCII byte costs a search for completions of
/// the partial character). Answers after a PCRE2 match limit or an assumed UTF-8 completion
/// (``RegexStatistics``) are approximate by design and not checked.
///
/// Known finding (Fuzz/README.md): PCRE2's hard partial matching calls a prefix live whenever
/// the match reaches the end of the text before failing, so assertions that fail later (`$` and
/// `\Z` before a final newline, `\b`, lookarounds, a `^` after the start) and classes no
/// character can match leave live prefixes that can neither stop nor go on (`^a*$` after "\n",
/// `ab^c` after "a"). Dead ends are therefore not checked here until the regex constraint
/// decides liveness exactly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    guard let constraint = try? RegexConstraint(pattern: input.text) else { return 0 }
    let statistics = constraint.statistics
    let exact = statistics.limitHits + statistics.assumedCompletions
    walkAndSteer(constraint, over: input.bytes, maxLength: 64, candidates: asciiSteeringBytes, deadEndsKnown: true) {
        statistics.limitHits + statistics.assumedCompletions > exact
    }
    return 0
}
