import Foundation
import GGUF
import Serving
import Tokenizer
import Transformer

/// The default model served once for every real-model test of this target.
enum ServedModelFixture {
    static let loaded: Result<ServedModel, any Error> = Result {
        guard let url = DefaultModel.locate() else {
            throw FixtureError("default model not found (set SKIP_MODEL_TESTS=1 to skip)")
        }
        let file = try GGUFFile(contentsOf: url)
        let tokenizer = try Tokenizer(file: file)
        let model = try LlamaModel(file: file)
        return try ServedModel(id: "smollm2", model: model, tokenizer: tokenizer,
                               chatTemplate: try tokenizer.chatTemplate(), maxContext: 256, maxChoices: 4)
    }

    static var served: ServedModel { get throws { try loaded.get() } }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
