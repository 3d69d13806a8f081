extension Tokenizer {
    /// The ids of `text`.
    ///
    /// - Parameters:
    ///   - parseSpecial: find control tokens (`<|im_start|>`, `<|endoftext|>`, …) in the text and
    ///     emit each as its one id; when false they are ordinary text. User-defined tokens are
    ///     always found (as llama.cpp does).
    ///   - addBOS: put ``SpecialTokenIDs/bos`` first (nothing is added if the vocabulary has none);
    ///     ``addsBOSByDefault`` says whether the model wants it.
    ///   - addEOS: put ``SpecialTokenIDs/eos`` last (see ``addsEOSByDefault``).
    /// - Complexity: O(n log n) in the length of the longest word, linear in the text otherwise.
    /// - Throws: ``TokenizerError/unencodableByte(_:offset:)`` when the text has a character whose
    ///   byte has no token (the default model has none for U+0004, U+0006 and a few other
    ///   control characters).
    public func encode(
        _ text: String, parseSpecial: Bool = false, addBOS: Bool = false, addEOS: Bool = false
    ) throws(TokenizerError) -> [Int] {
        try encode(bytes: Array(text.utf8), parseSpecial: parseSpecial, addBOS: addBOS, addEOS: addEOS)
    }

    /// The ids of arbitrary bytes, which need not be valid UTF-8.
    ///
    /// Invalid UTF-8 is never dropped or replaced: each maximal run of bytes that is not
    /// well-formed UTF-8 becomes a word of its own and is byte-level encoded, so
    /// `decode(encode(bytes: b)) == b` for any `b` whose bytes all have tokens. The valid runs
    /// between are tokenized as text.
    ///
    /// SentencePiece works on bytes too: a byte that is not part of a well-formed character is a
    /// symbol of its own and falls back to its `<0xHH>` token.
    ///
    /// - Throws: ``TokenizerError/unencodableByte(_:offset:)`` for a byte no token covers (for the
    ///   default model: 0xC0, 0xC1, 0xF5–0xFF and six control characters).
    public func encode(
        bytes: [UInt8], parseSpecial: Bool = false, addBOS: Bool = false, addEOS: Bool = false
    ) throws(TokenizerError) -> [Int] {
        var output: [Int] = []
        output.reserveCapacity(bytes.count / 3 + 2)
        if addBOS, let bos = specialTokens.bos { output.append(bos) }
        try bytes.withUnsafeBufferPointer { (buffer) throws(TokenizerError) in
            let fragments = specialFragments(buffer, parseSpecial: parseSpecial)
            switch model {
            case .bytePair(let merger, let preTokenizer):
                var scratch = BytePairMerger.Scratch()
                for fragment in fragments {
                    switch fragment {
                    case .token(let id): output.append(id)
                    case .text(let range):
                        try encodeText(buffer, range, merger, preTokenizer, into: &output, scratch: &scratch)
                    }
                }
            case .sentencePiece(let encoder):
                var scratch = SentencePieceEncoder.Scratch()
                var afterSpecial = true
                for fragment in fragments {
                    switch fragment {
                    case .token(let id):
                        output.append(id)
                        afterSpecial = true
                    case .text(let range):
                        try encoder.encode(
                            UnsafeBufferPointer(rebasing: buffer[range]), prefixSpace: afterSpecial,
                            offset: range.lowerBound, into: &output, scratch: &scratch)
                        afterSpecial = false
                    }
                }
            case .characterPair(let encoder):
                var scratch = CharacterPairEncoder.Scratch()
                for fragment in fragments {
                    switch fragment {
                    case .token(let id): output.append(id)
                    case .text(let range):
                        try encoder.encode(
                            UnsafeBufferPointer(rebasing: buffer[range]), offset: range.lowerBound, into: &output,
                            scratch: &scratch)
                    }
                }
            }
        }
        if addEOS, let eos = specialTokens.eos { output.append(eos) }
        return output
    }

    /// Encodes a stretch of text without special tokens: valid UTF-8 runs are pre-tokenized,
    /// invalid runs are one word each.
    private func encodeText(
        _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ merger: BytePairMerger,
        _ preTokenizer: PreTokenizer, into output: inout [Int], scratch: inout BytePairMerger.Scratch
    ) throws(TokenizerError) {
        var index = range.lowerBound
        while index < range.upperBound {
            let validEnd = wellFormedEnd(buffer, from: index, limit: range.upperBound)
            if validEnd > index {
                let text = UnsafeBufferPointer(rebasing: buffer[index..<validEnd])
                for word in try preTokenizer.split(text) {
                    try merger.encode(
                        UnsafeBufferPointer(rebasing: text[word]), offset: index + word.lowerBound,
                        into: &output, scratch: &scratch)
                }
                index = validEnd
            } else {
                var invalidEnd = index + 1
                while invalidEnd < range.upperBound,
                    wellFormedEnd(buffer, from: invalidEnd, limit: range.upperBound) == invalidEnd
                {
                    invalidEnd += 1
                }
                try merger.encode(
                    UnsafeBufferPointer(rebasing: buffer[index..<invalidEnd]), offset: index,
                    into: &output, scratch: &scratch)
                index = invalidEnd
            }
        }
    }

    /// The end of the run of complete, well-formed UTF-8 characters starting at `start`.
    private func wellFormedEnd(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int {
        let slice = UnsafeBufferPointer(rebasing: buffer[..<limit])
        var index = start
        while index < limit {
            if slice[index] < 0x80 {
                index += 1
                continue
            }
            let (length, complete) = UTF8Scanner.scan(slice, at: index)
            guard complete else { break }
            index += length
        }
        return index
    }
}
