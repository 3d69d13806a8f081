import Decoding
import GGUF
import Tokenizer
import Transformer

// The default model: .models/ after Scripts/setup.sh, or the file SWIFT_DECODING_MODEL names.
guard let url = DefaultModel.locate() else { fatalError("no model: run Scripts/setup.sh") }
let file = try GGUFFile(contentsOf: url)
let model = try LlamaModel(file: file)
let tokenizer = try Tokenizer(file: file)
let chat = [ChatMessage(role: .user, content: "Name three colours of the rainbow.")]
// The file's own Jinja template (or a built-in for its family), rendered and tokenized.
let prompt = try tokenizer.encodeChat(chat, template: try tokenizer.chatTemplate())
let strategy = try SamplingParameters(temperature: 0.8, seed: 7).makeStrategy()
// The tokenizer is the generator's TokenDecoder: token bytes for the text and the stop strings.
let generator = try Generator(model: model, strategy: strategy, decoder: tokenizer, maxTokens: 48,
                              stopStrings: ["\n\n"])
for try await event in generator.events(prompt: prompt) {
    switch event {
    case .token(let token): print(token.text, terminator: "")
    case .step: break   // a strategy step ended: its tokens and StepStatistics
    case .finished(let result): print("\n(\(result.tokens.count) tokens, stopped by \(result.stopReason))")
    }
}
