/// A paged key/value cache: a list of ``KVBlock``s and the number of positions filled.
///
/// A value type whose copies share blocks: forking a session copies the list of block
/// references (O(blocks), no key/value data), and ``reserve(upTo:)`` copies a shared,
/// partly filled last block before anything is written into it. Rolling back drops whole
/// blocks past the new end and keeps the rest.
struct KVCache {
    private(set) var blocks: [KVBlock] = []
    /// Positions filled.
    private(set) var count = 0
    let pool: KVBlockPool

    init(pool: KVBlockPool) {
        self.pool = pool
    }

    var layout: KVBlockLayout { pool.layout }

    /// Makes positions `count..<newCount` writable: adds blocks and un-shares the block that
    /// position `count` falls in if another cache holds it too.
    mutating func reserve(upTo newCount: Int) {
        let size = layout.blockSize
        if count % size != 0 {
            let index = count / size
            if !isKnownUniquelyReferenced(&blocks[index]) {
                blocks[index] = blocks[index].copy(slots: count % size)
            }
        }
        let needed = (newCount + size - 1) / size
        while blocks.count < needed { blocks.append(KVBlock(pool: pool)) }
    }

    /// Marks positions up to `newCount` as filled (after they were written).
    mutating func commit(count newCount: Int) {
        precondition(newCount <= blocks.count * layout.blockSize, "commit past reserved blocks")
        count = newCount
    }

    /// Forgets positions from `newCount` on, releasing the blocks that no longer hold any.
    mutating func truncate(to newCount: Int) {
        precondition(newCount <= count)
        count = newCount
        let needed = (newCount + layout.blockSize - 1) / layout.blockSize
        if blocks.count > needed { blocks.removeLast(blocks.count - needed) }
    }

    /// Where the key (`half == 0`) or value (`half == 1`) of `position` in `layer` is stored.
    @inline(__always)
    func pointer(half: Int, layer: Int, position: Int) -> UnsafeMutablePointer<Float> {
        let size = layout.blockSize
        return blocks[position / size].storage + layout.offset(half: half, layer: layer, slot: position % size)
    }
}
