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

    @Test func rejectsBadSettings() {
        #expect(throws: SearchError.self) { try CommandVerifier(command: "  ") }
        #expect(throws: SearchError.self) { try CommandVerifier(command: "cat", timeout: 0) }
    }
}
