extension Tokenizer {
    /// A stretch of the input: plain text, or a special token found in it.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    /// Cuts special tokens out of `buffer`, as llama.cpp's `tokenizer_st_partition`: for each
    /// special token, longest text first, every occurrence in the text that is still plain
    /// becomes that token (and drops the whitespace after it where llama.cpp's RSTRIP says so).
    ///
    /// - Complexity: O(text × special tokens) byte comparisons in the worst case; a scan for the
    ///   first byte skips most positions.
    func specialFragments(_ buffer: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Fragment] {
        var fragments: [Fragment] = buffer.isEmpty ? [] : [.text(0..<buffer.count)]
        for piece in specialPieces where parseSpecial || !piece.needsParseSpecial {
            var next: [Fragment] = []
            next.reserveCapacity(fragments.count)
            var found = false
            for fragment in fragments {
                guard case .text(let range) = fragment else {
                    next.append(fragment)
                    continue
                }
                var cursor = range.lowerBound
                var position = range.lowerBound
                let first = piece.bytes[0]
                let lastStart = range.upperBound - piece.bytes.count
                while position <= lastStart {
                    if buffer[position] == first, matches(piece.bytes, in: buffer, at: position) {
                        if position > cursor { next.append(.text(cursor..<position)) }
                        next.append(.token(piece.id))
                        found = true
                        position += piece.bytes.count
                        if piece.stripsWhitespaceAfter {
                            while position < range.upperBound, Self.isCSpace(buffer[position]) { position += 1 }
                        }
                        cursor = position
                    } else {
                        position += 1
                    }
                }
                if cursor < range.upperBound { next.append(.text(cursor..<range.upperBound)) }
            }
            if found { fragments = next }
        }
        return fragments
    }

    /// Whether llama.cpp drops the whitespace after special token `text` (`LLAMA_TOKEN_ATTR_RSTRIP`):
    /// only for models whose `general.name` contains "phi-3" or "phi3", where every special token
    /// but `<unk>`, `<s>` and `<|endoftext|>` does (`llama_vocab::impl::load`, per-token attributes).
    static func stripsWhitespaceAfter(_ text: String, modelName: String?) -> Bool {
        guard let name = modelName?.lowercased(), name.contains("phi-3") || name.contains("phi3") else { return false }
        return !["<unk>", "<s>", "<|endoftext|>"].contains(text)
    }

    /// C's `isspace` in the "C" locale: space, \t, \n, \v, \f, \r.
    private static func isCSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    private func matches(_ bytes: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        for (offset, byte) in bytes.enumerated() where buffer[position + offset] != byte { return false }
        return true
    }
}
