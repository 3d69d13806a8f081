import Decoding
import Testing
import Tokenizer

/// The tokenizer's one table of printed token bytes: what `bytes(for:)` gives each id, control
/// tokens empty, others their bytes (llama.cpp's phi-3 vocabulary, which has control tokens).
@Suite struct TokenizerByteTableTests {
    @Test func byteTableIsBytesForEveryIdWithControlTokensEmpty() throws {
        let tokenizer = try LlamaCppVocabulary.tokenizer("phi-3")
        let table = tokenizer.byteTable
        #expect(table.count == tokenizer.vocabularySize)
        #expect(try tokenizer.byteTable(vocabularySize: tokenizer.vocabularySize) == table)
        var controls = 0
        for id in 0..<tokenizer.vocabularySize {
            #expect(try tokenizer.bytes(for: id) == table[id])
            if tokenizer.isControl(id) {
                controls += 1
                #expect(table[id].isEmpty, "control token \(id)")
            } else {
                #expect(table[id] == tokenizer.tokenBytes(id))
            }
        }
        #expect(controls > 0)
        #expect(throws: TokenizerError.tokenOutOfRange(id: tokenizer.vocabularySize, vocabularySize: tokenizer.vocabularySize)) {
            try tokenizer.byteTable(vocabularySize: tokenizer.vocabularySize + 1)
        }
    }
}
