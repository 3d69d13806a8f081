import Foundation
import GGUF
import Testing

/// `decode generate --remote` and `decode compare --remote` against a `decode serve` this test
/// starts: greedy gives the local runtime's tokens, and the truncated mass is reported.
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

    @Test func compareGreedyThroughDecodeServeRecordsTheLocalTokens() throws {
        let (server, url) = try Self.startServer()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let tasks = try CommandRunner.temporaryFile(named: "tasks.jsonl", contents: Data(#"""
            {"id":"add","prompt":"What is 2 + 3? Reply with the number only.","reference":"5","match":"numeric","extract":"last-number"}
            {"id":"capital","prompt":"What is the capital of France?","reference":"Paris","match":"contains"}
            """#.utf8))
        defer { try? FileManager.default.removeItem(at: tasks) }
        func tokens(remote: String?) throws -> [String: [Int]] {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("decode-cli-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: out) }
            let outcome = try CommandRunner.run(["compare", "--tasks", tasks.path, "--strategies", "greedy", "--max-tokens", "10",
                                                 "--quiet", "--threads", "1", "--out", out.path]
                                                + (remote.map { ["--remote", $0] } ?? []))
            #expect(outcome.status == 0, "\(outcome.standardError)")
            var result: [String: [Int]] = [:]
            for line in try String(contentsOf: out, encoding: .utf8).split(separator: "\n") {
                let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let task = record?["task"] as? String, let ids = record?["tokens"] as? [Int] { result[task] = ids }
            }
            return result
        }
        let local = try tokens(remote: nil)
        #expect(local.count == 2)
        #expect(try tokens(remote: url) == local)
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
