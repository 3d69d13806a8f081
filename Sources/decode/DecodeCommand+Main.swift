import ArgumentParser
import Foundation

extension DecodeCommand {
    /// Parses and runs the command, reporting every failure as one `error: …` line on stderr
    /// (usage errors and `validate()` failures included) with a non-zero exit; help and
    /// `--version` print as usual.
    static func main() {
        do {
            try requireUTF8Arguments()
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode { exit(withError: error) }
            let message = message(for: error)
                .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: " ")
            if !message.isEmpty { FileHandle.standardError.write(Data("error: \(message)\n".utf8)) }
            exit(withError: ExitCode(code.rawValue))
        }
    }
}

extension DecodeCommand {
    /// Rejects a command line whose arguments are not all UTF-8, naming the argument and the
    /// offset of its first bad byte. Swift's `CommandLine.arguments` would silently replace such
    /// bytes with U+FFFD, so a prompt would not be the bytes the user passed; raw bytes go
    /// through a file instead (`decode tokenize --file`).
    ///
    /// - Throws: `ValidationError` (a usage error, exit 64).
    static func requireUTF8Arguments() throws {
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                                  count: strlen(pointer)))
            if let offset = firstInvalidUTF8Offset(bytes) {
                let shown = String(decoding: bytes, as: UTF8.self)
                throw ValidationError(
                    "argument \(index) ('\(shown)') is not UTF-8: byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) "
                    + "at offset \(offset); pass raw bytes in a file (decode tokenize --file).")
            }
        }
    }

    /// The offset of the first byte of `bytes` that does not begin a well-formed UTF-8
    /// sequence, or nil when all of it is UTF-8.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
