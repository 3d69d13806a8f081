import Constraints
import FuzzSupport

/// libFuzzer entry point: a regular expression, a NUL byte, then bytes fed through its
/// `RegexConstraint` (under the default match limits).
///
/// Oracle: compiling throws a `RegexError` or succeeds; advancing throws a `ConstraintError`
/// or walks the bytes, and the byte-by-byte walk agrees with `advance(_:by:)` and `accepts` (``walk(_:over:)``).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    guard let constraint = try? RegexConstraint(pattern: input.text) else { return 0 }
    walk(constraint, over: input.bytes)
    return 0
}
