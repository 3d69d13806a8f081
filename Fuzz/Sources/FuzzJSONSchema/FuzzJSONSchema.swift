import Constraints
import FuzzSupport

/// libFuzzer entry point: JSON Schema text, a NUL byte, then instance bytes fed through the
/// constraint the schema compiles to (`JSONSchema(parsing:)` → `JSONSchemaGrammar.compile` →
/// `constraint()`).
///
/// Oracle: each stage throws its typed error or succeeds, and the byte-by-byte walk agrees with
/// `advance(_:by:)` and `accepts` (``walk(_:over:)``).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    guard let schema = try? JSONSchema(parsing: input.text),
          let grammar = try? JSONSchemaGrammar.compile(schema),
          let constraint = try? grammar.constraint()
    else { return 0 }
    walk(constraint, over: input.bytes)
    return 0
}
