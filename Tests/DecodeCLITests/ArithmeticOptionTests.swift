import Foundation
import GGUF
import Testing

/// `--arithmetic`: the CLI passes the library's `MatrixArithmetic` through, and refuses other names.
@Suite("decode: --arithmetic")
struct ArithmeticOptionTests {
    @Test func anUnknownArithmeticIsAUsageError() throws {
        let outcome = try CommandRunner.run(["bench", "--arithmetic", "ggml"])
        #expect(outcome.status == 64, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("'packed' and 'llama-cpp'"), "\(outcome.standardError)")
    }

    /// Both names run the model. (Peak memory would tell them apart, but a child process's
    /// maximum RSS starts at its parent's on Linux, so a test process cannot read it.)
    @Test(.enabled(if: DefaultModel.locate() != nil))
    func bothArithmeticsRun() throws {
        for name in ["packed", "llama-cpp"] {
            let outcome = try CommandRunner.run([
                "bench", "--arithmetic", name, "--threads", "1", "--decode-only", "--prompt-tokens", "4",
                "--decode-tokens", "2",
            ])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let line = outcome.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double]
            #expect((json?["decode_tokens_per_second"] ?? 0) > 0, "\(name): \(line)")
        }
    }
}
