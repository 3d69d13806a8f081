import Decoding
import Foundation
import GGUF
import Testing
import Transformer

/// The default model, loaded once for every test of the target (loading maps the file; the
/// model is immutable and Sendable, and its forward passes run one at a time).
enum ModelFixture {
    static let loaded: Result<LlamaModel, any Error> = Result {
        guard let url = DefaultModel.locate() else {
            throw FixtureError.modelMissing
        }
        return try LlamaModel(file: GGUFFile(contentsOf: url))
    }

    static func model() throws -> LlamaModel { try loaded.get() }

    /// The default model with llama.cpp's arithmetic (``MatrixArithmetic/llamaCpp``).
    static let llamaCppLoaded: Result<LlamaModel, any Error> = Result {
        guard let url = DefaultModel.locate() else {
            throw FixtureError.modelMissing
        }
        return try LlamaModel(file: GGUFFile(contentsOf: url), arithmetic: .llamaCpp)
    }

    /// The default model loaded with `arithmetic`, once per test process.
    static func model(_ arithmetic: MatrixArithmetic) throws -> LlamaModel {
        switch arithmetic {
        case .packed: try loaded.get()
        case .llamaCpp: try llamaCppLoaded.get()
        }
    }

    enum FixtureError: Error { case modelMissing }

    /// The directory of this file's fixtures.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
}

/// One prompt of llama.cpp's reference output (`Fixtures/logits.json`).
struct ReferencePrompt: Decodable, Sendable, CustomTestStringConvertible {
    struct Position: Decodable, Sendable {
        var top_ids: [Int]
        var top_logits: [Float]
    }
    var prompt: String
    var ids: [Int]
    var positions: [Position]
    var greedy_continuation: [Int]

    var testDescription: String { String(prompt.prefix(30)) }

    static let all: [ReferencePrompt] = {
        let url = ModelFixture.fixtures.appendingPathComponent("logits.json")
        guard let data = try? Data(contentsOf: url),
              let prompts = try? JSONDecoder().decode([ReferencePrompt].self, from: data)
        else { return [] }
        return prompts
    }()
}

/// Indices of the `k` largest values, largest first.
func topIndices(_ values: [Float], _ k: Int) -> [Int] {
    var best: [(Float, Int)] = []
    for (i, v) in values.enumerated() where best.count < k || v > best[best.count - 1].0 {
        let slot = best.firstIndex { $0.0 < v } ?? best.count
        best.insert((v, i), at: slot)
        if best.count > k { best.removeLast() }
    }
    return best.map(\.1)
}

/// Largest element-wise absolute difference.
func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
