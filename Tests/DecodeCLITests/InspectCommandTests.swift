import Foundation
import GGUF
import Testing

@Suite("decode inspect")
struct InspectCommandTests {
    @Test("--json describes the default model's metadata and tensor table",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func jsonOutput() throws {
        let model = try #require(DefaultModel.locate(), "run Scripts/setup.sh to fetch the default model")
        let outcome = try CommandRunner.run(["inspect", "--json", model.path])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let text = outcome.standardOutput
        #expect(text.contains("\"general.architecture\""))
        #expect(text.contains("llama"))
        let tensors = try #require(object["tensors"] as? [[String: Any]])
        // 30 layers × 9 tensors + token embedding + output norm.
        #expect(tensors.count == 30 * 9 + 2)
        let embedding = try #require(tensors.first { $0["name"] as? String == "token_embd.weight" })
        #expect("\(embedding["type"] ?? "")".uppercased().contains("Q8_0"))
    }

    @Test("the text table names every tensor", .enabled(if: DefaultModel.modelTestsEnabled))
    func textOutput() throws {
        let model = try #require(DefaultModel.locate())
        let outcome = try CommandRunner.run(["inspect", model.path])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("blk.29.ffn_down.weight"))
        #expect(outcome.standardOutput.contains("tokenizer.ggml.tokens"))
    }

    @Test("a truncated model gives one error line and a non-zero exit",
          .enabled(if: DefaultModel.modelTestsEnabled))
    func truncatedModel() throws {
        let model = try #require(DefaultModel.locate())
        let handle = try FileHandle(forReadingFrom: model)
        let prefix = try #require(try handle.read(upToCount: 100_000))
        try handle.close()
        let url = try CommandRunner.temporaryFile(named: "truncated.gguf", contents: prefix)
        defer { try? FileManager.default.removeItem(at: url) }
        let outcome = try CommandRunner.run(["inspect", url.path])
        #expect(outcome.status != 0)
        #expect(outcome.standardError.split(separator: "\n").count == 1, "\(outcome.standardError)")
        #expect(outcome.standardError.hasPrefix("error: "))
    }
}
