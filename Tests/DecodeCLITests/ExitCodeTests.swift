import Foundation
import GGUF
import Testing

/// One exit-code convention for every command: a usage error (unknown flag, bad value,
/// arguments that are not UTF-8) exits 64 with one `error:` line, a failure while running (a
/// model file that does not exist) exits 1 with one `error:` line.
@Suite("decode: exit codes")
struct ExitCodeTests {
    static let commands: [[String]] = [
        ["generate", "hi"], ["compare"], ["tokenize", "hi"], ["inspect"], ["bench"],
    ]

    static func expectOneErrorLine(_ outcome: CommandRunner.Outcome, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(outcome.standardError)", sourceLocation: sourceLocation)
    }

    @Test("a usage error exits 64", arguments: commands)
    func usageError(command: [String]) throws {
        let outcome = try CommandRunner.run(command + ["--no-such-flag"])
        #expect(outcome.status == 64, "\(outcome.standardError)")
        Self.expectOneErrorLine(outcome)
    }

    @Test("a runtime failure exits 1", arguments: commands)
    func runtimeFailure(command: [String]) throws {
        let outcome = try CommandRunner.run(command + ["--model", "/nonexistent/model.gguf"])
        #expect(outcome.status == 1, "\(outcome.standardError)")
        Self.expectOneErrorLine(outcome)
    }

    @Test("an argument that is not UTF-8 is refused with the offset of its first bad byte")
    func nonUTF8Argument() throws {
        // A shell builds the argument: Process takes Strings, which cannot hold the byte 0xFF.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", #"exec "$0" generate --model /nonexistent/model.gguf "$(printf 'ab\377c')""#,
                             CommandRunner.executable().path]
        let error = Pipe()
        process.standardError = error
        process.standardOutput = Pipe()
        try process.run()
        let data = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 64, "\(text)")
        #expect(text.contains("argument 4") && text.contains("byte 0xFF at offset 2"), "\(text)")
    }
}
