import Foundation
import GGUF
import Tokenizer

/// The vocabularies the `tokenizer` target picks from, loaded once at start-up from llama.cpp's
/// test vocabularies (`vocab/ggml-vocab-NAME.gguf`, fetched by `Scripts/fetch-llama-cpp-data.sh`).
///
/// The data folder is `SWIFT_DECODING_LLAMA_CPP` (Scripts/fuzz.sh sets it, finding
/// `.cache/llama-cpp` in this checkout or in the main worktree), else `.cache/llama-cpp` beside
/// this package. A missing vocabulary stops the fuzzer at once: the target is pointless without it.
enum Vocabularies {
    /// Byte-level BPE (three pre-tokenizers), SentencePiece with a space prefix, Gemma 4's BPE over
    /// characters; the first input byte picks one (modulo the count).
    static let names = ["llama-bpe", "qwen2", "gpt-2", "llama-spm", "gemma-4"]

    static let folder: URL = {
        if let path = ProcessInfo.processInfo.environment["SWIFT_DECODING_LLAMA_CPP"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".cache/llama-cpp")
    }()

    static let all: [Tokenizer] = names.map { name in
        let url = folder.appendingPathComponent("vocab/ggml-vocab-\(name).gguf")
        do {
            return try Tokenizer(file: try GGUFFile(contentsOf: url))
        } catch {
            FileHandle.standardError.write(Data("cannot load \(url.path): \(error) (run Scripts/fetch-llama-cpp-data.sh)\n".utf8))
            exit(2)
        }
    }
}
