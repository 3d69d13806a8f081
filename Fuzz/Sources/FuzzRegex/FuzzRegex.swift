import Constraints
import FuzzSupport

/// libFuzzer entry point: a regular expression, a NUL byte, then bytes fed through its
/// `RegexConstraint` (under the default match limits).
///
/// Oracle: compiling throws a `RegexError` or succeeds; advancing throws a `ConstraintError`
/// or walks the bytes, and the byte-by-byte walk agrees with `advance(_:by:)` and `accepts`; a
/// walk steered by the same bytes reaches no dead end, and every prefix of the text it makes is
/// live (``walkAndSteer(_:over:maxLength:deadEndsKnown:approximate:)``). Answers after a PCRE2
/// match limit or an assumed UTF-8 completion (``RegexStatistics``) are approximate by design and
/// not checked.
///
/// Known finding (Fuzz/README.md): PCRE2's hard partial matching calls a prefix live when an
/// assertion cannot be decided at its end (`$` and `\Z` before a final newline, `\b`, `\B`,
/// lookarounds), so `^a*$` walks into "\n" and can neither stop nor go on. Patterns with such an
/// assertion are not checked for dead ends until the regex constraint handles them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    guard let constraint = try? RegexConstraint(pattern: input.text) else { return 0 }
    let statistics = constraint.statistics
    let exact = statistics.limitHits + statistics.assumedCompletions
    let assertions = ["$", "\\Z", "\\b", "\\B", "\\G", "(?=", "(?!", "(?<=", "(?<!", "(?(", "(*"]
    let undecidable = assertions.contains { input.text.contains($0) }
    walkAndSteer(constraint, over: input.bytes, maxLength: 128, deadEndsKnown: undecidable) {
        statistics.limitHits + statistics.assumedCompletions > exact
    }
    return 0
}
