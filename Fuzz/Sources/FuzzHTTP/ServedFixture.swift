import Foundation
import GGUF
import Serving
import Tokenizer
import Transformer

/// The model the `http` target serves, loaded once at start-up: the default model
/// (`SmolLM2-135M-Instruct.Q4_1.gguf`, found as the tests find it: `SWIFT_DECODING_MODEL`, else
/// `.models/` above the working directory) with its tokenizer and chat template, a 512-token
/// context and at most 4 choices. Requests are only prepared, never run, so the weights are
/// loaded but not used. A missing model stops the fuzzer at once.
enum ServedFixture {
    static let served: ServedModel = {
        do {
            guard let url = DefaultModel.locate() else {
                throw FixtureError(description: "the default model \(DefaultModel.fileName) was not found (set \(DefaultModel.environmentVariable))")
            }
            let file = try GGUFFile(contentsOf: url)
            let tokenizer = try Tokenizer(file: file)
            return try ServedModel(id: "smollm2", model: try LlamaModel(file: file), tokenizer: tokenizer,
                                   chatTemplate: try tokenizer.chatTemplate(), maxContext: 512, maxChoices: 4)
        } catch {
            FileHandle.standardError.write(Data("cannot serve the default model: \(error)\n".utf8))
            exit(2)
        }
    }()

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
    }
}
