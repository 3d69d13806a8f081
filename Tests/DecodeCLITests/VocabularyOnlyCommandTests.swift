import Foundation
import Testing

/// `decode tokenize` and `decode inspect` on vocabulary-only GGUF files (no tensors): llama.cpp's
/// test vocabularies in `.cache/llama-cpp/vocab` (`Scripts/fetch-llama-cpp-data.sh`).
@Suite("vocabulary-only GGUF files")
struct VocabularyOnlyCommandTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".cache/llama-cpp/vocab")
    static func vocabulary(_ name: String) -> String { directory.appendingPathComponent("ggml-vocab-\(name).gguf").path }
    static let present = FileManager.default.fileExists(atPath: vocabulary("llama-spm"))

    @Test("tokenize --json on the llama SentencePiece vocabulary gives llama.cpp's ids", .enabled(if: present))
    func sentencePieceJSON() throws {
        let outcome = try CommandRunner.run(["tokenize", "--json", "--model", Self.vocabulary("llama-spm"), "Hello world"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(object["ids"] as? [Int] == [15043, 3186])
        #expect(object["pieces"] as? [String] == [" Hello", " world"])
        let withBOS = try CommandRunner.run(["tokenize", "--json", "--bos", "--model", Self.vocabulary("llama-spm"), "Hello"])
        #expect(withBOS.standardOutput.contains("\"ids\":[1,15043]"), "\(withBOS.standardOutput)")
    }

    @Test("tokenize works on every supported vocabulary", .enabled(if: present),
          arguments: ["llama-spm", "phi-3", "baichuan", "gemma-4", "gpt-2", "starcoder", "refact", "mpt"])
    func everyVocabulary(_ name: String) throws {
        let outcome = try CommandRunner.run(["tokenize", "--model", Self.vocabulary(name), "Hello world"])
        #expect(outcome.status == 0, "\(name): \(outcome.standardError)")
        #expect(!outcome.standardOutput.isEmpty)
    }

    @Test("an unsupported vocabulary gives one error line naming the supported models", .enabled(if: present))
    func unsupportedVocabulary() throws {
        let outcome = try CommandRunner.run(["tokenize", "--model", Self.vocabulary("bert-bge"), "Hello"])
        #expect(outcome.status != 0)
        #expect(outcome.standardError == "error: unsupported tokenizer model 'bert' (supported: gpt2, llama, gemma4)\n")
    }

    @Test("inspect prints the tokenizer metadata and an empty tensor table", .enabled(if: present))
    func inspect() throws {
        let outcome = try CommandRunner.run(["inspect", Self.vocabulary("llama-spm")])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("tokenizer.ggml.model"))
        #expect(outcome.standardOutput.contains("\"llama\""))
        #expect(outcome.standardOutput.contains("tensors (0):"))
    }
}
