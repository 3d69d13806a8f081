import Foundation
import Testing
import Search

@Suite struct CommandVerifierTests {
    let candidates = [VerifierCandidate(tokens: [1, 2], text: "alpha"), VerifierCandidate(tokens: [3], text: "be\"ta\n")]

    /// A tiny shell script that scores by text length, reading the JSON lines.
    @Test func goodCommandScoresEachLine() throws {
        let verifier = try CommandVerifier(command: #"while IFS= read -r line; do printf '%s\n' "${#line}"; done"#)
        let scores = try verifier.scores(candidates)
        let lines = try verifier.scores(candidates).count
        #expect(lines == 2)
        #expect(scores[0] != scores[1])
        // The line holds the JSON object with the text, tokens and the extra fields.
        let echo = try CommandVerifier(command: #"grep -c '"reference":"42"' >/dev/null && printf '1\n2\n'"#,
                                       fields: ["reference": "42"])
        #expect(try echo.scores(candidates) == [1, 2])
    }

    @Test(arguments: [
        ("echo 1", "printed 1 scores for 2 candidates"),
        ("printf 'x\\n1\\n'", "line 1 of its output is not a number: x"),
        ("printf 'nan\\n1\\n'", "line 1 of its output is not a number: nan"),
        ("echo oops >&2; exit 3", "exited with status 3: oops"),
        ("cat >/dev/null; sleep 5", "timed out after 0.3 s"),
    ])
    func failuresAreTypedErrors(command: String, reason: String) throws {
        let verifier = try CommandVerifier(command: command, timeout: 0.3)
        #expect(throws: SearchError.verifierFailed(verifier: "command `\(command)`", reason: reason)) {
            try verifier.scores(candidates)
        }
    }

    @Test("a timed-out command is killed at the timeout, with the processes it started")
    func timeoutKillsTheProcessGroup() throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("verifier-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        // The shell starts `sleep` as a child and waits for it: killing only the shell would leave it.
        let command = "cat >/dev/null; sleep 10 & echo $! > \(pidFile.path); wait"
        let verifier = try CommandVerifier(command: command, timeout: 1)
        let started = Date()
        #expect(throws: SearchError.verifierFailed(verifier: "command `\(command)`", reason: "timed out after 1.0 s")) {
            try verifier.scores(candidates)
        }
        #expect(Date().timeIntervalSince(started) < 8, "the verifier waited for the command instead of killing it")
        let sleeper = try Self.pid(in: pidFile)
        #expect(Self.isGone(sleeper), "the command's child \(sleeper) outlived the timeout")
    }

    @Test("`sleep 10` under a 1 s timeout returns a timeout well before 10 s")
    func plainSleepTimesOut() throws {
        let verifier = try CommandVerifier(command: "sleep 10", timeout: 1)
        let started = Date()
        #expect(throws: SearchError.verifierFailed(verifier: "command `sleep 10`", reason: "timed out after 1.0 s")) {
            try verifier.scores(candidates)
        }
        #expect(Date().timeIntervalSince(started) < 8)
    }

    @Test("what a finished command left running in its group is killed")
    func leftoversAreKilled() throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("verifier-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let verifier = try CommandVerifier(
            command: "cat >/dev/null; sleep 30 >/dev/null 2>&1 & echo $! > \(pidFile.path); printf '1\\n2\\n'")
        #expect(try verifier.scores(candidates) == [1, 2])
        let sleeper = try Self.pid(in: pidFile)
        #expect(Self.isGone(sleeper), "the command's background child \(sleeper) outlived it")
    }

    @Test("a command killed by a signal is a typed failure")
    func signalIsAFailure() throws {
        let verifier = try CommandVerifier(command: "cat >/dev/null; kill -9 $$")
        #expect(throws: SearchError.verifierFailed(verifier: "command `cat >/dev/null; kill -9 $$`",
                                                   reason: "was killed by signal 9")) {
            try verifier.scores(candidates)
        }
    }

    /// The process id a command wrote to `file`.
    static func pid(in file: URL) throws -> Int32 {
        let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
        return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), "\(text)")
    }

    /// Whether process `pid` has ended (gone, or a zombie waiting for its new parent to reap
    /// it), polling for up to 5 s while the kill is delivered.
    static func isGone(_ pid: Int32) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        repeat {
            if kill(pid, 0) != 0 { return true }
            #if os(Linux)
            // /proc/PID/stat: "PID (name) STATE …"; a zombie (Z) has ended.
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
               let close = stat.lastIndex(of: ")"), stat[close...].dropFirst(2).first == "Z" { return true }
            #endif
            usleep(20_000)
        } while Date() < deadline
        return false
    }

    @Test func rejectsBadSettings() {
        #expect(throws: SearchError.self) { try CommandVerifier(command: "  ") }
        #expect(throws: SearchError.self) { try CommandVerifier(command: "cat", timeout: 0) }
    }
}
