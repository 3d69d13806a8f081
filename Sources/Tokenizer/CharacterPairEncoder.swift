/// BPE over UTF-8 characters with `▁` for spaces (`tokenizer.ggml.model = "gemma4"`), as
/// llama.cpp's `llm_tokenizer_bpe_session` with the Gemma 4 pre-tokenizer: spaces become `▁`
/// (no prefix), the text is cut into runs of newlines and runs of everything else, a run of
/// newlines that is one token stays whole, and each run is merged by rank (leftmost first on ties)
/// starting from one symbol per character. A final symbol that is not a token falls back to its
/// bytes' `<0xHH>` tokens.
///
/// - Complexity: O(n log n) for a run of n characters; no allocation once the scratch buffers
///   have grown.
struct CharacterPairEncoder: Sendable {
    /// Every token's text → id.
    let table: TokenTextTable
    /// (left id, right id) → (rank, merged id), packed as `left << 32 | right` → `rank << 32 | merged`.
    let merges: [UInt64: UInt64]
    /// The `<0xHH>` token of each byte, or -1.
    let byteTokens: [Int32]

    /// Reusable buffers for one encoding call.
    struct Scratch {
        var text: [UInt8] = []
        var ids: [Int32] = []
        var starts: [Int32] = []
        var lengths: [Int32] = []
        var previous: [Int32] = []
        var next: [Int32] = []
        var heap = MergeHeap<RankedPair>()
    }

    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Builds the encoder from merges written `"left right"` (split at the first space after the
    /// first byte, as llama.cpp).
    ///
    /// - Throws: ``TokenizerError/malformedMerge(index:text:)`` for a merge without that space,
    ///   ``TokenizerError/mergeOutsideVocabulary(index:text:)`` when a part or the result is not a token.
    init(table: TokenTextTable, merges: [String]) throws(TokenizerError) {
        var resolved: [UInt64: UInt64] = [:]
        resolved.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            var merge = merge
            let ids: (Int32, Int32, Int32)? = merge.withUTF8 { bytes in
                guard bytes.count > 1, let space = bytes[1...].firstIndex(of: 0x20) else { return nil }
                let left = UnsafeBufferPointer(rebasing: bytes[..<space])
                let right = UnsafeBufferPointer(rebasing: bytes[(space + 1)...])
                var joined = Array(left)
                joined.append(contentsOf: right)
                return (
                    table.id(of: left) ?? -1, table.id(of: right) ?? -1,
                    joined.withUnsafeBufferPointer { table.id(of: $0) } ?? -1
                )
            }
            guard let (left, right, merged) = ids else { throw .malformedMerge(index: rank, text: merge) }
            guard left >= 0, right >= 0, merged >= 0 else { throw .mergeOutsideVocabulary(index: rank, text: merge) }
            let key = Self.pairKey(left, right)
            if resolved[key] == nil { resolved[key] = UInt64(rank) << 32 | UInt64(UInt32(merged)) }
        }
        self.table = table
        self.merges = resolved
        let hex = Array("0123456789ABCDEF".utf8)
        self.byteTokens = (0..<256).map { byte in
            let name: [UInt8] = [0x3C, 0x30, 0x78, hex[byte >> 4], hex[byte & 15], 0x3E]
            return name.withUnsafeBufferPointer { table.id(of: $0) } ?? -1
        }
    }

    /// Appends the tokens of `fragment` to `output`.
    ///
    /// - Parameter offset: the fragment's byte offset in the whole input, for error messages.
    /// - Throws: ``TokenizerError/unencodableByte(_:offset:)`` for a character that is not a token
    ///   when a byte of it has no `<0xHH>` token (llama.cpp drops such bytes).
    func encode(
        _ fragment: UnsafeBufferPointer<UInt8>, offset: Int, into output: inout [Int], scratch: inout Scratch
    ) throws(TokenizerError) {
        scratch.text.removeAll(keepingCapacity: true)
        for byte in fragment {
            if byte == 0x20 {
                scratch.text.append(contentsOf: SentencePieceEncoder.spaceMark)
            } else {
                scratch.text.append(byte)
            }
        }
        try scratch.text.withUnsafeBufferPointer { (text) throws(TokenizerError) in
            var start = 0
            while start < text.count {
                let newlines = text[start] == 0x0A
                var end = start + 1
                while end < text.count, (text[end] == 0x0A) == newlines { end += 1 }
                try encodeRun(text, start..<end, newlines: newlines, offset: offset, into: &output, scratch: &scratch)
                start = end
            }
        }
    }

    /// Merges one run (all newlines, or none) of the escaped text.
    private func encodeRun(
        _ text: UnsafeBufferPointer<UInt8>, _ run: Range<Int>, newlines: Bool, offset: Int, into output: inout [Int],
        scratch: inout Scratch
    ) throws(TokenizerError) {
        let word = UnsafeBufferPointer(rebasing: text[run])
        if newlines, let id = table.id(of: word) {
            output.append(Int(id))
            return
        }
        scratch.ids.removeAll(keepingCapacity: true)
        scratch.starts.removeAll(keepingCapacity: true)
        scratch.lengths.removeAll(keepingCapacity: true)
        scratch.previous.removeAll(keepingCapacity: true)
        scratch.next.removeAll(keepingCapacity: true)
        scratch.heap.removeAll()
        var start = run.lowerBound
        while start < run.upperBound {
            // One symbol per well-formed character, a stray byte alone (UTF8Scanner.symbolLength).
            let end = start + UTF8Scanner.symbolLength(UnsafeBufferPointer(rebasing: text[..<run.upperBound]), at: start)
            let index = Int32(scratch.ids.count)
            scratch.ids.append(table.id(of: UnsafeBufferPointer(rebasing: text[start..<end])) ?? -1)
            scratch.starts.append(Int32(start))
            scratch.lengths.append(Int32(end - start))
            scratch.previous.append(index - 1)
            scratch.next.append(end == run.upperBound ? -1 : index + 1)
            start = end
        }
        for left in 0..<max(0, scratch.ids.count - 1) { push(left: Int32(left), scratch: &scratch) }
        while let candidate = scratch.heap.pop() {
            let left = Int(candidate.left), right = Int(candidate.right)
            guard scratch.ids[left] == candidate.leftID, scratch.ids[right] == candidate.rightID,
                scratch.next[left] == candidate.right
            else { continue }
            scratch.ids[left] = candidate.merged
            scratch.lengths[left] += scratch.lengths[right]
            scratch.ids[right] = -1
            scratch.lengths[right] = 0
            let after = scratch.next[right]
            scratch.next[left] = after
            if after >= 0 { scratch.previous[Int(after)] = candidate.left }
            let before = scratch.previous[left]
            if before >= 0 { push(left: before, scratch: &scratch) }
            if after >= 0 { push(left: candidate.left, scratch: &scratch) }
        }
        var index: Int32 = 0
        while index >= 0 {
            let symbol = Int(index)
            if scratch.ids[symbol] >= 0 {
                output.append(Int(scratch.ids[symbol]))
            } else {
                let first = Int(scratch.starts[symbol])
                for position in first..<first + Int(scratch.lengths[symbol]) {
                    let id = byteTokens[Int(text[position])]
                    guard id >= 0 else {
                        throw .unencodableByte(text[position], offset: offset + inputOffset(of: position, in: text))
                    }
                    output.append(Int(id))
                }
            }
            index = scratch.next[symbol]
        }
    }

    /// Where byte `position` of the escaped text came from in the fragment.
    private func inputOffset(of position: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        var input = 0
        while index < position {
            let isMark = index + 2 < text.count && text[index] == 0xE2 && text[index + 1] == 0x96 && text[index + 2] == 0x81
            index += isMark ? 3 : 1
            input += 1
        }
        return input
    }

    /// Pushes the pair starting at symbol `left` if a merge joins it.
    private func push(left: Int32, scratch: inout Scratch) {
        let right = scratch.next[Int(left)]
        let leftID = scratch.ids[Int(left)], rightID = scratch.ids[Int(right)]
        guard leftID >= 0, rightID >= 0, let merge = merges[Self.pairKey(leftID, rightID)] else { return }
        scratch.heap.push(
            RankedPair(
                key: merge & 0xFFFF_FFFF_0000_0000 | UInt64(UInt32(left)), left: left, right: right, leftID: leftID,
                rightID: rightID, merged: Int32(truncatingIfNeeded: merge)))
    }

}
