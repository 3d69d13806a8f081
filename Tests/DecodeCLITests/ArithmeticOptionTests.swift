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

    /// Both arithmetics run the model, and the choice reaches it: llama.cpp's reads the file's
    /// blocks in place, while the packed copy is larger than the Q4_1 file (384 bytes per 16 rows
    /// of 32 values against 320; ≈ 14 MiB more on SmolLM2), so packed runs peak higher.
    @Test(.enabled(if: DefaultModel.locate() != nil))
    func bothArithmeticsRun() throws {
        var peaks: [String: Double] = [:]
        for name in ["packed", "llama-cpp"] {
            let outcome = try CommandRunner.run([
                "bench", "--arithmetic", name, "--threads", "1", "--decode-only", "--prompt-tokens", "4",
                "--decode-tokens", "2",
            ])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let line = outcome.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double]
            #expect((json?["decode_tokens_per_second"] ?? 0) > 0, "\(name): \(line)")
            peaks[name] = json?["peak_memory_bytes"]
        }
        #expect((peaks["packed"] ?? 0) > (peaks["llama-cpp"] ?? .infinity) + 4 * 1_048_576, "\(peaks)")
    }
}
