import Foundation
import GGUF
import Transformer

/// The tiny random-weight models of every architecture that `Scripts/make-tiny-models.py`
/// writes into `.cache/tiny-models/`, and llama.cpp's logits for them (`Fixtures/tiny-models.json`).
enum TinyModels {
    /// One model per architecture; `llama3` is a llama with `rope_freqs` (Llama 3.1-style RoPE),
    /// `llama-yarn` one with YaRN scaling, `phi3-long` and `phi3-short` Phi-3s with LongRoPE
    /// factors (long with partial rotary dimensions, short).
    static let names = ["llama", "llama3", "qwen2", "qwen3", "gemma3", "phi3", "llama-yarn", "phi3-long", "phi3-short"]

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".cache/tiny-models")

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "tiny model \(path) is missing: run `python3 Scripts/make-tiny-models.py` (Scripts/setup.sh does)"
        }
    }

    private static func load(_ name: String, _ arithmetic: MatrixArithmetic) -> Result<LlamaModel, any Error> {
        Result { () throws -> LlamaModel in
            let url = directory.appendingPathComponent("\(name).gguf")
            guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: url.path) }
            return try LlamaModel(file: GGUFFile(contentsOf: url), threads: 2, arithmetic: arithmetic)
        }
    }

    private static let loaded = Dictionary(uniqueKeysWithValues: names.map { ($0, load($0, .packed)) })
    private static let llamaCppLoaded = Dictionary(uniqueKeysWithValues: names.map { ($0, load($0, .llamaCpp)) })

    /// The model named `name` with `arithmetic` (default: packed), loaded once per test process.
    static func model(_ name: String, arithmetic: MatrixArithmetic = .packed) throws -> LlamaModel {
        switch arithmetic {
        case .packed: try loaded[name]!.get()
        case .llamaCpp: try llamaCppLoaded[name]!.get()
        }
    }

    /// llama.cpp's top-16 logits at every position of a token sequence.
    struct Reference: Decodable, Sendable {
        struct Position: Decodable, Sendable {
            var top_ids: [Int]
            var top_logits: [Float]
        }
        var ids: [Int]
        var positions: [Position]
    }

    /// The reference sequences of every model, by name.
    static let references: [String: [Reference]] = {
        let url = ModelFixture.fixtures.appendingPathComponent("tiny-models.json")
        guard let data = try? Data(contentsOf: url) else { return [:] }
        return (try? JSONDecoder().decode([String: [Reference]].self, from: data)) ?? [:]
    }()
}
