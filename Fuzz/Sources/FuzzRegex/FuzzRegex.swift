import Constraints
import FuzzSupport

/// libFuzzer entry point: a regular expression, a NUL byte, then bytes fed through its
/// `RegexConstraint` (under the default match limits).
///
/// Oracle: compiling throws a `RegexError` or succeeds; advancing throws a `ConstraintError`
/// or walks the bytes, and the byte-by-byte walk agrees with `advance(_:by:)` and `accepts`; a
/// walk steered by the same bytes reaches no dead end (a live state that can neither stop nor
/// go on; at the empty prefix only when the language is empty, `a\bb`), and every prefix of the
/// text it makes is live
/// (``walkAndSteer(_:over:maxLength:candidates:emptyLanguageAllowed:approximate:)``; the steered
/// walk chooses among ASCII bytes, since each non-ASCII byte costs a search for completions of
/// the partial character, but tries all 256 before calling a state a dead end). Answers after a
/// PCRE2 match limit or an assumed UTF-8 completion (``RegexStatistics``) are approximate by
/// design and not checked; a completion search that ran out of budget refuses its prefix, which
/// makes no dead end (a live state's search found a completion, whose first byte's search finds
/// it again), so those answers are checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    guard let constraint = try? RegexConstraint(pattern: input.text) else { return 0 }
    let statistics = constraint.statistics
    let exact = statistics.limitHits + statistics.assumedCompletions
    walkAndSteer(constraint, over: input.bytes, maxLength: 64, candidates: asciiSteeringBytes,
                 emptyLanguageAllowed: true) {
        statistics.limitHits + statistics.assumedCompletions > exact
    }
    return 0
}
