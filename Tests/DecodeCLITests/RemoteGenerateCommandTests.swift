import Foundation
import GGUF
import Testing

/// `decode generate --remote` against a `decode serve` this test starts: at temperature 0 the
/// text is the local runtime's, and the truncated mass is reported.
@Suite(.enabled(if: DefaultModel.modelTestsEnabled))
struct RemoteGenerateCommandTests {
    /// Starts `decode serve` on a free port and returns the process and its base URL (from the
    /// line it prints once listening).
    static func startServer() throws -> (Process, String) {
        let process = Process()
        process.executableURL = CommandRunner.executable()
        process.arguments = ["serve", "--port", "0", "--max-context", "512", "--threads", "1"]
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let data = error.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: "http://") else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "decode serve printed: \(text)"])
        }
        let url = text[range.lowerBound...].prefix { !$0.isWhitespace }
        return (process, String(url))
    }

    @Test func greedyThroughDecodeServeIsLocalGreedy() throws {
        let (server, url) = try Self.startServer()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let arguments = ["generate", "The capital of France is", "--temp", "0", "--max-tokens", "12", "--threads", "1"]
        let local = try CommandRunner.run(arguments)
        let remote = try CommandRunner.run(arguments + ["--remote", url])
        #expect(local.status == 0 && remote.status == 0, "\(remote.standardError)")
        #expect(remote.standardOutput == local.standardOutput)
        #expect(!remote.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(remote.standardError.contains("remote: "), "\(remote.standardError)")
    }

    @Test func remoteRefusesSpeculationAndAnUnreachableServerIsAnError() throws {
        let speculative = try CommandRunner.run(["generate", "Hi", "--remote", "http://127.0.0.1:9", "--speculative", "ngram"])
        #expect(speculative.status == 64)
        #expect(speculative.standardError.contains("--remote"))
        let unreachable = try CommandRunner.run(["generate", "Hi", "--remote", "http://127.0.0.1:9", "--max-tokens", "2"])
        #expect(unreachable.status == 1)
        #expect(unreachable.standardError.contains("could not be reached"), "\(unreachable.standardError)")
    }
}
