import Foundation
import GGUF
import Tokenizer

/// llama.cpp's tokenizer test data (`Scripts/fetch-llama-cpp-data.sh` puts it in
/// `.cache/llama-cpp/`): for a vocabulary NAME, `vocab/ggml-vocab-NAME.gguf` (a vocabulary-only
/// GGUF file), `.inp` (texts separated by `\n__ggml_vocab_test__\n`) and `.out` (llama.cpp's ids
/// for each text, one line each: `test-tokenizer-0`, special tokens not parsed, no BOS).
enum LlamaCppVocabulary {
    /// One text and llama.cpp's ids for it.
    struct Case: Sendable, CustomStringConvertible {
        let text: String
        let ids: [Int]
        var description: String { text.debugDescription }
    }

    /// Failures to find or read the test data.
    enum DataError: Error, CustomStringConvertible {
        case missing(String)
        case malformed(String)
        var description: String {
            switch self {
            case .missing(let path): "\(path) not found (run Scripts/fetch-llama-cpp-data.sh)"
            case .malformed(let detail): "malformed llama.cpp test data: \(detail)"
            }
        }
    }

    /// The cache directory `.cache/llama-cpp` at the repository root.
    static let cache: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".cache/llama-cpp")

    /// The vocabulary file `ggml-vocab-NAME.gguf`.
    static func fileURL(_ name: String) throws -> URL {
        let url = cache.appendingPathComponent("vocab/ggml-vocab-\(name).gguf")
        guard FileManager.default.fileExists(atPath: url.path) else { throw DataError.missing(url.path) }
        return url
    }

    /// The tokenizer of vocabulary `name`.
    static func tokenizer(_ name: String) throws -> Tokenizer {
        try Tokenizer(file: try GGUFFile(contentsOf: try fileURL(name)))
    }

    /// The cases of vocabulary `name`, in file order.
    static func cases(_ name: String) throws -> [Case] {
        let base = try fileURL(name).path
        guard let input = FileManager.default.contents(atPath: base + ".inp"),
            let output = FileManager.default.contents(atPath: base + ".out")
        else { throw DataError.missing(base + ".inp/.out") }
        var texts = String(decoding: input, as: UTF8.self).components(separatedBy: "\n__ggml_vocab_test__\n")
        if texts.last?.isEmpty == true { texts.removeLast() }
        var lines = String(decoding: output, as: UTF8.self).components(separatedBy: "\n")
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard texts.count == lines.count else {
            throw DataError.malformed("\(name): \(texts.count) texts but \(lines.count) id lines")
        }
        return try zip(texts, lines).map { text, line in
            let ids = try line.split(separator: " ").map { field in
                guard let id = Int(field) else { throw DataError.malformed("\(name): id \(field)") }
                return id
            }
            return Case(text: text, ids: ids)
        }
    }
}
