/// SentencePiece BPE (`tokenizer.ggml.model = "llama"`) on one stretch of text without special
/// tokens, as llama.cpp's `llm_tokenizer_spm_session` (after SentencePiece's `bpe_model.cc`).
///
/// Spaces become `▁` (U+2581), and a space is put first when the vocabulary adds a space prefix
/// and the stretch starts the text or follows a special token. The text is cut into UTF-8
/// characters (a byte outside a well-formed character is a symbol of its own); every adjacent pair whose
/// concatenation is a token goes into a max-heap keyed by that token's score (leftmost first on
/// ties); the best pair is merged and its new neighbours pushed, until no pair is left. A final
/// symbol that is not a token falls back to its bytes' `<0xHH>` tokens (never to the unknown
/// token: llama.cpp has no such path, and fails where a byte token is missing; so does this, with
/// an error).
///
/// - Complexity: O(n log n) for n characters; no allocation once the scratch buffers have grown.
struct SentencePieceEncoder: Sendable {
    /// Every token's text → id.
    let table: TokenTextTable
    /// Each token's score (higher merges first).
    let scores: [Float]
    /// The token for each byte (`<0xHH>`, else the one-byte text), or -1.
    let byteTokens: [Int32]
    /// Whether a space goes first (`tokenizer.ggml.add_space_prefix`).
    let addsSpacePrefix: Bool

    /// `▁` in UTF-8.
    static let spaceMark: [UInt8] = [0xE2, 0x96, 0x81]

    /// A normal token's bytes: its text with each `▁` as a space (llama.cpp's
    /// `llama_unescape_whitespace`).
    static func unescapedBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            if utf8[index] == spaceMark[0], utf8[index...].starts(with: spaceMark) {
                bytes.append(0x20)
                index = utf8.index(index, offsetBy: spaceMark.count)
            } else {
                bytes.append(utf8[index])
                index = utf8.index(after: index)
            }
        }
        return bytes
    }

    /// Reusable buffers for one encoding call.
    struct Scratch {
        var text: [UInt8] = []
        var symbols: [Symbol] = []
        var heap = MergeHeap<Bigram>()
    }

    /// A run of `text` that is one symbol; `length` 0 once merged into its left neighbour.
    struct Symbol {
        var start: Int32
        var length: Int32
        var previous: Int32
        var next: Int32
    }

    /// Two adjacent symbols whose concatenation is a token.
    struct Bigram: MergeOrdered {
        var left: Int32
        var right: Int32
        var score: Float
        var size: Int32

        /// Heap order: higher score first, then the leftmost.
        func precedes(_ other: Bigram) -> Bool {
            score > other.score || (score == other.score && left < other.left)
        }
    }

    /// Builds the encoder; byte tokens are found as llama.cpp's `byte_to_token` does.
    init(table: TokenTextTable, scores: [Float], addsSpacePrefix: Bool) {
        self.table = table
        self.scores = scores
        self.addsSpacePrefix = addsSpacePrefix
        let hex = Array("0123456789ABCDEF".utf8)
        var byteTokens = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            let name: [UInt8] = [0x3C, 0x30, 0x78, hex[byte >> 4], hex[byte & 15], 0x3E]
            let single: [UInt8] = [UInt8(byte)]
            byteTokens[byte] =
                name.withUnsafeBufferPointer { table.id(of: $0) }
                ?? single.withUnsafeBufferPointer { table.id(of: $0) } ?? -1
        }
        self.byteTokens = byteTokens
    }

    /// Appends the tokens of `fragment` to `output`.
    ///
    /// - Parameters:
    ///   - prefixSpace: whether this stretch starts the text or follows a special token (a space
    ///     is put first when the vocabulary adds a space prefix).
    ///   - offset: the fragment's byte offset in the whole input, for error messages.
    /// - Throws: ``TokenizerError/unencodableByte(_:offset:)`` for a character that is not a token
    ///   when a byte of it has no token.
    func encode(
        _ fragment: UnsafeBufferPointer<UInt8>, prefixSpace: Bool, offset: Int, into output: inout [Int],
        scratch: inout Scratch
    ) throws(TokenizerError) {
        let prefixed = prefixSpace && addsSpacePrefix
        scratch.text.removeAll(keepingCapacity: true)
        if prefixed { scratch.text.append(contentsOf: Self.spaceMark) }
        for byte in fragment {
            if byte == 0x20 { scratch.text.append(contentsOf: Self.spaceMark) } else { scratch.text.append(byte) }
        }
        guard !scratch.text.isEmpty else { return }
        try scratch.text.withUnsafeBufferPointer { (text) throws(TokenizerError) in
            split(text, into: &scratch.symbols)
            scratch.heap.removeAll()
            for right in 1..<max(1, scratch.symbols.count) {
                push(Int32(right - 1), Int32(right), text, &scratch)
            }
            while let bigram = scratch.heap.pop() {
                let left = Int(bigram.left), right = Int(bigram.right)
                let leftLength = scratch.symbols[left].length, rightLength = scratch.symbols[right].length
                guard leftLength > 0, rightLength > 0, leftLength + rightLength == bigram.size else { continue }
                scratch.symbols[left].length += rightLength
                scratch.symbols[right].length = 0
                let after = scratch.symbols[right].next
                scratch.symbols[left].next = after
                if after >= 0 { scratch.symbols[Int(after)].previous = bigram.left }
                push(scratch.symbols[left].previous, bigram.left, text, &scratch)
                push(bigram.left, after, text, &scratch)
            }
            var index: Int32 = 0
            while index >= 0 {
                let symbol = scratch.symbols[Int(index)]
                try resegment(symbol, text, prefixed: prefixed, offset: offset, into: &output)
                index = symbol.next
            }
        }
    }

    /// Cuts `text` into one symbol per UTF-8 character, as llama.cpp on well-formed text; a byte
    /// that is not part of a well-formed character is a symbol of its own (``UTF8Scanner/symbolLength(_:at:)``).
    private func split(_ text: UnsafeBufferPointer<UInt8>, into symbols: inout [Symbol]) {
        symbols.removeAll(keepingCapacity: true)
        var start = 0
        while start < text.count {
            let end = start + UTF8Scanner.symbolLength(text, at: start)
            let index = Int32(symbols.count)
            symbols.append(
                Symbol(start: Int32(start), length: Int32(end - start), previous: index - 1,
                       next: end == text.count ? -1 : index + 1))
            start = end
        }
    }

    /// Emits a final symbol: its token when its text is one, else its bytes' tokens. (llama.cpp
    /// also looks for the pair a merged symbol came from, but every merge makes a token, so only
    /// unmerged characters get here.)
    private func resegment(
        _ symbol: Symbol, _ text: UnsafeBufferPointer<UInt8>, prefixed: Bool, offset: Int, into output: inout [Int]
    ) throws(TokenizerError) {
        let bytes = UnsafeBufferPointer(rebasing: text[Int(symbol.start)..<Int(symbol.start + symbol.length)])
        if let id = table.id(of: bytes) {
            output.append(Int(id))
            return
        }
        for (index, byte) in bytes.enumerated() {
            let id = byteTokens[Int(byte)]
            guard id >= 0 else {
                let position = Int(symbol.start) + index
                throw .unencodableByte(byte, offset: offset + inputOffset(of: position, in: text, prefixed: prefixed))
            }
            output.append(Int(id))
        }
    }

    /// Where byte `position` of the escaped text came from in the fragment.
    private func inputOffset(of position: Int, in text: UnsafeBufferPointer<UInt8>, prefixed: Bool) -> Int {
        var index = prefixed ? Self.spaceMark.count : 0
        var input = 0
        while index < position {
            let isMark = index + 2 < text.count && text[index] == 0xE2 && text[index + 1] == 0x96 && text[index + 2] == 0x81
            index += isMark ? 3 : 1
            input += 1
        }
        return input
    }

    /// Pushes the pair (`left`, `right`) if its concatenation is a token.
    private func push(_ left: Int32, _ right: Int32, _ text: UnsafeBufferPointer<UInt8>, _ scratch: inout Scratch) {
        guard left >= 0, right >= 0 else { return }
        let start = Int(scratch.symbols[Int(left)].start)
        let size = Int(scratch.symbols[Int(left)].length + scratch.symbols[Int(right)].length)
        guard let id = table.id(of: UnsafeBufferPointer(rebasing: text[start..<start + size])) else { return }
        scratch.heap.push(Bigram(left: left, right: right, score: scores[Int(id)], size: Int32(size)))
    }

}
