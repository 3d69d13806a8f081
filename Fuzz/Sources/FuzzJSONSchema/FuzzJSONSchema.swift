import Constraints
import Foundation
import FuzzSupport

/// libFuzzer entry point: JSON Schema text, a NUL byte, then instance bytes fed through the
/// constraint the schema compiles to (`JSONSchema(parsing:)` → `JSONSchemaGrammar.compile` →
/// `constraint()`).
///
/// Oracle: each stage throws its typed error or succeeds, the byte-by-byte walk agrees with
/// `advance(_:by:)` and `accepts`, and a walk steered by the same bytes makes an instance with
/// every prefix live and reaches no dead end (``walkAndSteer(_:over:maxLength:approximate:)``).
///
/// With `FUZZ_JSONSCHEMA_ACCEPTED` naming a folder, every instance the recognizer accepted (the
/// bytes as given, and the steered one) is written there as `schema NUL instance`, for the
/// independent validator of `Scripts/fuzz-jsonschema-oracle.py`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    guard let schema = try? JSONSchema(parsing: input.text),
          let grammar = try? JSONSchemaGrammar.compile(schema),
          let constraint = try? grammar.constraint()
    else { return 0 }
    let steered = walkAndSteer(constraint, over: input.bytes, maxLength: 512)
    if let folder = acceptedFolder {
        if (try? constraint.accepts(input.bytes)) == true { writePair(input.text, input.bytes, into: folder) }
        if let steered { writePair(input.text, steered, into: folder) }
    }
    return 0
}

/// `FUZZ_JSONSCHEMA_ACCEPTED`, read once.
let acceptedFolder: String? = ProcessInfo.processInfo.environment["FUZZ_JSONSCHEMA_ACCEPTED"]

/// Writes `schema NUL instance` into `folder`, named by its FNV-1a 64 hash (so a pair met again
/// overwrites itself).
func writePair(_ schema: String, _ instance: [UInt8], into folder: String) {
    let bytes = Array(schema.utf8) + [0] + instance
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let path = folder + "/" + String(hash, radix: 16)
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
}
