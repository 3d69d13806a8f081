import Constraints
import Foundation
import Testing

/// llama.cpp's example grammars (copied unchanged into Fixtures/gbnf) parse and accept text
/// they describe, and reject text they do not.
struct GBNFFixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gbnf")

    static func load(_ name: String) throws -> GrammarConstraint {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        return try GrammarConstraint(gbnf: text)
    }

    static let samples: [(file: String, accepted: [String], rejected: [String])] = [
        ("arithmetic.gbnf", ["1+2= 3\n", "x*(y+2 )= z\n", "a= b\nc-d= 4\n"], ["1+2=3", "= 3\n", "A= b\n"]),
        ("c.gbnf", ["int main(){return 0;}", "int f(int x){x = x+1;while(x<10){x = x*2;}return x;}",
                    "float g(){/* c */// line\nreturn 1;}"], ["int main(){return 0}", "main(){}"]),
        ("chess.gbnf", ["1. e4 e5\n2. Nf3 Nc6\n", "1. d4 Nf6\n12. O-O-O Qxd8+\n"], ["1. e4 e5\n", "1. e9 e5\n2. a3 a6\n"]),
        ("english.gbnf", ["Hello, world! It's 9 o'clock.", "one\ttwo\nthree"], ["", "two  spaces", "café"]),
        ("japanese.gbnf", ["こんにちは、世界。", "カタカナ ひらがな\n漢字"], ["hello", "こんにちは world"]),
        ("json.gbnf", [#"{"a": [1, 2.5, -3e4, true, null], "b": {"c": "d\n\u00e9"}}"#, #"{}"#, #"{"x":"é😀"}"#],
                      [#"[1, 2]"#, #"{"a": 01}"#, #"{"a" 1}"#, #"{"a": "\q"}"#]),
        ("json_arr.gbnf", ["[\n{\"a\": 1},\n\"s\",\n[true]]", "[\n]"], ["[1]", "{}"]),
        ("list.gbnf", ["- milk\n- eggs and ham\n", "- é\n"], ["- \n", "milk\n", "- a\r\n"]),
        ("vllm-sql.gbnf", ["SELECTcol_1fromtable_2wherecol_2=1"], ["SELECT col_1 from table_2 where col_2=1"]),
    ]

    @Test(arguments: samples.map(\.file))
    func parsesUnchanged(file: String) throws {
        _ = try Self.load(file)
    }

    @Test(arguments: samples.indices)
    func acceptsAndRejects(index: Int) throws {
        let sample = Self.samples[index]
        let constraint = try Self.load(sample.file)
        for text in sample.accepted {
            #expect(try constraint.accepts(text), "\(sample.file) should accept \(text.debugDescription)")
        }
        for text in sample.rejected {
            #expect(try !constraint.accepts(text), "\(sample.file) should reject \(text.debugDescription)")
        }
    }
}
