import Foundation
import GGUF
import Testing
import Tokenizer

/// The default model's tokenizer, loaded once for all tests that need it.
enum ModelTokenizer {
    private static let loaded: Result<Tokenizer, any Error> = Result {
        guard let url = DefaultModel.locate() else {
            throw FixtureError.modelMissing
        }
        return try Tokenizer(file: try GGUFFile(contentsOf: url))
    }

    /// The tokenizer, or a thrown error that fails the test when the model is missing.
    static func load() throws -> Tokenizer { try loaded.get() }

    enum FixtureError: Error, CustomStringConvertible {
        case modelMissing
        var description: String {
            "default model not found (run Scripts/setup.sh, set \(DefaultModel.environmentVariable), or SKIP_MODEL_TESTS=1)"
        }
    }
}

/// Files in `Tests/TokenizerTests/Fixtures`.
enum Fixtures {
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
    }
}
