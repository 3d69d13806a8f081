/// A pair of adjacent symbols that a rank-ordered merge could join (byte-level BPE and Gemma 4):
/// the lower rank merges first, then the leftmost.
struct RankedPair: MergeOrdered {
    /// `rank << 32 | left position`: the heap order.
    var key: UInt64
    /// The left symbol's position.
    var left: Int32
    /// The right symbol's position.
    var right: Int32
    /// The left symbol's token when the pair was queued (stale if it has merged since).
    var leftID: Int32
    /// The right symbol's token when the pair was queued.
    var rightID: Int32
    /// The token the merge makes.
    var merged: Int32

    func precedes(_ other: RankedPair) -> Bool { key < other.key }
}
