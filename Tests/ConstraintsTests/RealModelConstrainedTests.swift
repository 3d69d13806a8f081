import Constraints
import Decoding
import Foundation
import GGUF
import Testing
import Tokenizer
import Transformer

/// Constrained greedy generation with the default model: whatever the model prefers, the
/// output stays in the language and ends only where the constraint may stop.
struct RealModelConstrainedTests {
    static let loaded: Result<(LlamaModel, Tokenizer), any Error> = Result {
        let url = try #require(DefaultModel.locate(), "default model not found (set SKIP_MODEL_TESTS=1 to skip)")
        let file = try GGUFFile(contentsOf: url)
        return (try LlamaModel(file: file), try Tokenizer(file: file))
    }

    static func chat(_ tokenizer: Tokenizer, _ question: String) throws -> [Int] {
        try tokenizer.encode("<|im_start|>user\n\(question)<|im_end|>\n<|im_start|>assistant\n", parseSpecial: true)
    }

    /// Generates greedily under `constraint` and returns the text bytes and whether a stop
    /// token ended it.
    static func generate<C: Constraint>(_ constraint: C, question: String, maxTokens: Int) throws -> ([UInt8], Bool) {
        let (model, tokenizer) = try loaded.get()
        let table = TokenBytes(tokenizer.byteTable)
        let stops = model.specialTokens.endOfTurn.union(model.specialTokens.eos.map { [$0] } ?? [])
        let prompt = try chat(tokenizer, question)
        let strategy = try LocallyConstrainedStrategy(constraint: constraint, table: table, stopTokens: stops,
                                                  sampler: GreedySampler())
        let result = try Generator(model: model, strategy: strategy, maxTokens: maxTokens).run(prompt: prompt)
        let stopped = result.tokens.last.map(stops.contains) ?? false
        let text = result.tokens.filter { !stops.contains($0) }.flatMap { table[$0] }
        return (text, stopped)
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func greedyJSONObjectValidates() throws {
        let grammar = try GrammarConstraint(gbnf: #"""
            root ::= "{" ws "\"name\":" ws string "," ws "\"age\":" ws [0-9]{1,2} ws "}"
            string ::= "\"" [A-Za-z ]{1,24} "\""
            ws ::= " "?
            """#)
        let (text, stopped) = try Self.generate(grammar, question: "Describe a cat as JSON with its name and age.", maxTokens: 40)
        #expect(stopped, "generation should end at a stop token: \(String(decoding: text, as: UTF8.self))")
        #expect(try grammar.accepts(text))
        let object = try JSONSerialization.jsonObject(with: Data(text)) as? [String: Any]
        #expect(object?["name"] is String && object?["age"] is Int, "\(String(decoding: text, as: UTF8.self))")
    }

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func greedyRegexDateValidates() throws {
        let regex = try RegexConstraint(pattern: #"(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"#)
        let (text, stopped) = try Self.generate(regex, question: "When did the first moon landing happen? Answer with a date.", maxTokens: 16)
        #expect(stopped)
        #expect(try regex.accepts(text), "\(String(decoding: text, as: UTF8.self))")
        #expect(regex.statistics.limitHits == 0)
    }
}
