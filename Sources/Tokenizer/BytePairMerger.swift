/// Byte-level BPE on one word: start from one token per byte, then repeatedly apply the
/// lowest-ranked merge among adjacent pairs (leftmost first on ties), as GPT-2's `bpe()` and
/// llama.cpp's `llm_tokenizer_bpe_session`.
///
/// Symbols live in a doubly linked list over an array and candidate pairs in a binary min-heap
/// keyed by (rank, position); a popped pair that no longer exists is skipped.
///
/// With `wholeWords` (llama.cpp's `ignore_merges`, Llama 3), a word that is itself a token is
/// that token, merges or not: Llama 3 has tokens its merges never build.
///
/// - Complexity: O(n log n) for a word of n bytes; no allocation once the scratch buffers have
///   grown to the longest word (a word looked up in `wholeWords` is copied once).
struct BytePairMerger: Sendable {
    /// (left id, right id) → (rank, merged id), packed as `left << 32 | right` →
    /// `rank << 32 | merged`.
    let merges: [UInt64: UInt64]
    /// The token for each byte, or -1 when the vocabulary has none.
    let byteTokens: [Int32]
    /// The token whose text is each byte string, when words that are tokens skip merging; else `nil`.
    let wholeWords: [[UInt8]: Int32]?
    /// The length of the longest key of `wholeWords` (a longer word is never looked up).
    let longestWholeWord: Int

    init(merges: [UInt64: UInt64], byteTokens: [Int32], wholeWords: [[UInt8]: Int32]?) {
        self.merges = merges
        self.byteTokens = byteTokens
        self.wholeWords = wholeWords
        self.longestWholeWord = wholeWords?.keys.map(\.count).max() ?? 0
    }

    /// The `wholeWords` table of a vocabulary: each token's text read in the GPT-2 byte alphabet
    /// (so control tokens count, as llama.cpp's `text_to_token` looks up every token), the last
    /// token winning where two texts agree, as in llama.cpp's `token_to_id`.
    static func wholeWordTable(tokenTexts: [String]) -> [[UInt8]: Int32] {
        var table: [[UInt8]: Int32] = [:]
        table.reserveCapacity(tokenTexts.count)
        for (id, text) in tokenTexts.enumerated() {
            if let bytes = GPT2ByteMapping.bytes(forTokenText: text) { table[bytes] = Int32(id) }
        }
        return table
    }

    /// Reusable buffers for one encoding call.
    struct Scratch {
        var ids: [Int32] = []
        var previous: [Int32] = []
        var next: [Int32] = []
        var heap = MergeHeap<RankedPair>()
    }

    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Appends the tokens of `word` to `output`.
    ///
    /// - Parameter offset: the word's byte offset in the whole input, for error messages.
    /// - Throws: ``TokenizerError/unencodableByte(_:offset:)`` for a byte with no token.
    func encode(
        _ word: UnsafeBufferPointer<UInt8>, offset: Int, into output: inout [Int], scratch: inout Scratch
    ) throws(TokenizerError) {
        let count = word.count
        guard count > 0 else { return }
        if let wholeWords, count <= longestWholeWord, let id = wholeWords[Array(word)] {
            output.append(Int(id))
            return
        }
        scratch.ids.removeAll(keepingCapacity: true)
        scratch.previous.removeAll(keepingCapacity: true)
        scratch.next.removeAll(keepingCapacity: true)
        scratch.heap.removeAll()
        for (index, byte) in word.enumerated() {
            let id = byteTokens[Int(byte)]
            guard id >= 0 else { throw .unencodableByte(byte, offset: offset + index) }
            scratch.ids.append(id)
            scratch.previous.append(Int32(index - 1))
            scratch.next.append(index + 1 < count ? Int32(index + 1) : -1)
        }
        if count > 1 {
            for left in 0..<count - 1 { push(left: Int32(left), scratch: &scratch) }
        }
        while let candidate = scratch.heap.pop() {
            let left = Int(candidate.left), right = Int(candidate.right)
            guard scratch.ids[left] == candidate.leftID, scratch.ids[right] == candidate.rightID,
                scratch.next[left] == candidate.right
            else { continue }
            scratch.ids[left] = candidate.merged
            scratch.ids[right] = -1
            let after = scratch.next[right]
            scratch.next[left] = after
            if after >= 0 { scratch.previous[Int(after)] = candidate.left }
            let before = scratch.previous[left]
            if before >= 0 { push(left: before, scratch: &scratch) }
            if after >= 0 { push(left: candidate.left, scratch: &scratch) }
        }
        var index: Int32 = 0
        while index >= 0 {
            output.append(Int(scratch.ids[Int(index)]))
            index = scratch.next[Int(index)]
        }
    }

    /// Pushes the pair starting at symbol `left` if a merge joins it.
    private func push(left: Int32, scratch: inout Scratch) {
        let right = scratch.next[Int(left)]
        let leftID = scratch.ids[Int(left)], rightID = scratch.ids[Int(right)]
        guard let merge = merges[Self.pairKey(leftID, rightID)] else { return }
        let rank = merge >> 32
        let candidate = RankedPair(
            key: rank << 32 | UInt64(UInt32(left)), left: left, right: right,
            leftID: leftID, rightID: rightID, merged: Int32(truncatingIfNeeded: merge))
        scratch.heap.push(candidate)
    }

}
