import CPCRE2

/// A compiled PCRE2 pattern over 8-bit code units (UTF-8 when compiled with `.utf`).
///
/// Compiled once, then JIT-compiled for both complete and hard-partial matching when PCRE2 has
/// a JIT for this machine; if JIT compilation fails, matching falls back to the interpreter.
///
/// ```swift
/// let regex = try PCRERegex(#"\p{L}+"#, options: [.utf, .ucp])
/// let words = regex.matches(in: Array("héllo wörld".utf8))  // [0..<6, 7..<13]
/// ```
///
/// Thread safety: a `PCRERegex` is `Sendable` because it is immutable after `init` and PCRE2
/// documents a compiled pattern (and its JIT code) as safe to share between threads for
/// matching; everything that a match writes (match data, match context) is created per call,
/// so concurrent matches never share mutable state. `deinit` frees the pattern.
public final class PCRERegex: @unchecked Sendable {
    /// The pattern as given.
    public let pattern: String
    /// The compile options used.
    public let options: PCRECompileOptions
    /// Whether PCRE2 JIT-compiled the pattern (otherwise the interpreter runs every match).
    public let isJITCompiled: Bool

    let code: OpaquePointer

    /// Compiles `pattern` (its UTF-8 bytes and their count are passed to PCRE2).
    ///
    /// - Parameters:
    ///   - pattern: PCRE2 syntax.
    ///   - options: compile options; `[.utf, .ucp]` for Unicode text.
    ///   - jit: try JIT compilation (complete and hard-partial modes).
    /// - Throws: ``PCREError/compile(message:offset:)`` with PCRE2's message and the byte offset
    ///   in the pattern where compilation stopped.
    public init(_ pattern: String, options: PCRECompileOptions = [.utf, .ucp], jit: Bool = true)
        throws(PCREError)
    {
        self.pattern = pattern
        self.options = options
        let bytes = Array(pattern.utf8)
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(
                buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count, options.rawValue,
                &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw .compile(message: PCRERegex.message(for: errorCode), offset: errorOffset)
        }
        code = compiled
        if jit {
            isJITCompiled = pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD) == 0
        } else {
            isJITCompiled = false
        }
    }

    deinit { pcre2_code_free_8(code) }

    /// PCRE2's text for an error code.
    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer {
            pcre2_get_error_message_8(code, $0.baseAddress, $0.count)
        }
        guard length > 0 else { return "unknown PCRE2 error \(code)" }
        return String(decoding: buffer[..<Int(length)], as: UTF8.self)
    }
}
