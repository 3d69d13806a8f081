import Constraints
import FuzzSupport

/// libFuzzer entry point: GBNF grammar text, a NUL byte, then bytes fed through the grammar's
/// constraint.
///
/// Oracle: parsing throws a `GrammarError` or yields a constraint; advancing throws a
/// `ConstraintError` or walks the bytes, and the byte-by-byte walk agrees with `advance(_:by:)`
/// and `accepts`; a walk steered by the same bytes reaches no dead end, and every prefix of the
/// text it makes is live (``walkAndSteer(_:over:maxLength:approximate:)``).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    guard let constraint = try? GrammarConstraint(gbnf: input.text) else { return 0 }
    walkAndSteer(constraint, over: input.bytes, maxLength: 256)
    return 0
}
