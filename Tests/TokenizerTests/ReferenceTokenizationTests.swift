import Foundation
import GGUF
import Testing
import Tokenizer

/// Exact agreement with llama.cpp on the default model
/// (`Tests/TokenizerTests/Fixtures/tokenization.json`, llama.cpp's tokenization of 29 texts:
/// special tokens parsed, no BOS).
@Suite(.enabled(if: DefaultModel.modelTestsEnabled))
struct ReferenceTokenizationTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        let text: String
        let ids: [Int]
        var testDescription: String { text.debugDescription }
    }

    static let cases: [Case] = {
        do {
            let data = try Data(contentsOf: Fixtures.url("tokenization.json"))
            return try JSONDecoder().decode([Case].self, from: data)
        } catch {
            return []
        }
    }()

    @Test func fixtureHasAllTexts() {
        #expect(Self.cases.count == 29)
    }

    @Test(arguments: cases)
    func matchesLlamaCpp(_ reference: Case) throws {
        let tokenizer = try ModelTokenizer.load()
        let ids = try tokenizer.encode(reference.text, parseSpecial: true, addBOS: false)
        #expect(ids == reference.ids)
        #expect(try tokenizer.decode(ids) == Array(reference.text.utf8))
    }
}
