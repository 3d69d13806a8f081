import Foundation

/// Scores candidates with an external command: the command (run by `/bin/sh -c`) reads one
/// JSON object per candidate on stdin —
/// `{"index":0,"text":"…","tokens":[…],"finished":true,"reference":"…"}` plus the fields of
/// ``fields`` — and prints one number per line, in order.
///
/// Bounded: the command runs in a process group of its own, and the whole group (the shell and
/// everything it started) is killed after ``timeout`` seconds, and when the command ends. A
/// command that fails (non-zero exit, a signal), times out or prints anything but one finite
/// number per candidate throws ``SearchError/verifierFailed(verifier:reason:)`` with the reason
/// (and the tail of its stderr).
public struct CommandVerifier: Verifier {
    /// The shell command.
    public let command: String
    /// Extra string fields written into every line (for example `"reference"`, `"prompt"`).
    public let fields: [String: String]
    /// Seconds the command may run.
    public let timeout: Double

    /// A verifier running `command`.
    ///
    /// - Throws: ``SearchError/invalidParameter(name:value:requirement:)`` for an empty command
    ///   or a timeout that is not positive.
    public init(command: String, fields: [String: String] = [:], timeout: Double = 30) throws {
        guard !command.trimmingWhitespace.isEmpty else {
            throw SearchError.invalidParameter(name: "verifier command", value: "\"\"", requirement: "non-empty")
        }
        guard timeout > 0 && timeout.isFinite else {
            throw SearchError.invalidParameter(name: "verifier timeout", value: "\(timeout)", requirement: "a positive number of seconds")
        }
        self.command = command
        self.fields = fields
        self.timeout = timeout
    }

    /// "command".
    public var name: String { "command" }

    /// The command's scores.
    public func scores(_ candidates: [VerifierCandidate]) throws -> [Double] {
        guard !candidates.isEmpty else { return [] }
        let output = try run(input: lines(candidates))
        let rows = output.split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard rows.count == candidates.count else {
            throw fail("printed \(rows.count) scores for \(candidates.count) candidates")
        }
        return try rows.enumerated().map { index, row in
            guard let value = Double(row), value.isFinite else {
                throw fail("line \(index + 1) of its output is not a number: \(row.prefix(60))")
            }
            return value
        }
    }

    private func fail(_ reason: String) -> SearchError {
        .verifierFailed(verifier: "command `\(command)`", reason: reason)
    }

    /// The JSON lines for `candidates`.
    func lines(_ candidates: [VerifierCandidate]) throws -> Data {
        var data = Data()
        for (index, candidate) in candidates.enumerated() {
            var object: [String: Any] = [
                "index": index, "text": candidate.text, "tokens": candidate.tokens, "finished": candidate.isFinished,
            ]
            for (key, value) in fields { object[key] = value }
            data += try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            data.append(0x0A)
        }
        return data
    }

    /// Runs the command with `input` on stdin, through temporary files (no pipe deadlock), in a
    /// process group of its own that is killed at the timeout, and returns its stdout.
    private func run(input: Data) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("swift-decoding-verifier-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw fail("cannot create a temporary folder: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let inURL = directory.appendingPathComponent("in.jsonl")
        let outURL = directory.appendingPathComponent("out.txt")
        let errURL = directory.appendingPathComponent("err.txt")
        do { try input.write(to: inURL) } catch {
            throw fail("cannot write its input: \(error.localizedDescription)")
        }
        let process = ProcessGroupCommand(command: command, input: inURL.path, output: outURL.path, error: errURL.path)
        let termination: ProcessGroupCommand.Termination
        do { termination = try process.run(timeout: timeout) } catch {
            throw fail("cannot run: \(error)")
        }
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        let tail = stderr.trimmingWhitespace.suffix(200)
        switch termination {
        case .timedOut: throw fail("timed out after \(timeout) s")
        case .signalled(let signal): throw fail("was killed by signal \(signal)" + (tail.isEmpty ? "" : ": \(tail)"))
        case .exited(let status) where status != 0:
            throw fail("exited with status \(status)" + (tail.isEmpty ? "" : ": \(tail)"))
        case .exited: break
        }
        guard let output = try? String(contentsOf: outURL, encoding: .utf8) else {
            throw fail("its output is not UTF-8 text")
        }
        return output
    }
}
