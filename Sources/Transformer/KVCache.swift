/// A paged key/value cache: a list of ``KVBlock``s for the full-attention layers, another for
/// the sliding-window layers, and the number of positions filled.
///
/// A value type whose copies share blocks: forking a session copies the lists of block
/// references (O(blocks), no key/value data), and ``reserve(upTo:)`` copies a shared,
/// partly filled last block before anything is written into it. Rolling back drops whole
/// blocks past the new end and keeps the rest.
///
/// Sliding-window layers only ever attend to the last `window` positions, so their blocks are
/// released once every position in them is more than ``KVCacheShape/retained`` behind the end:
/// the window plus a margin, so that short rollbacks (rejected speculative tokens) still find
/// what they need. A longer rollback finds the window gone (``holdsWindow``) and the session
/// evaluates its tokens again.
struct KVCache {
    private(set) var blocks: [KVBlock] = []
    /// Blocks of the sliding-window layers; nil once released.
    private(set) var slidingBlocks: [KVBlock?] = []
    /// Positions filled.
    private(set) var count = 0
    let shape: KVCacheShape

    init(shape: KVCacheShape) {
        self.shape = shape
    }

    var blockSize: Int { shape.blockSize }

    /// Makes positions `count..<newCount` writable: adds blocks and un-shares the block that
    /// position `count` falls in if another cache holds it too.
    mutating func reserve(upTo newCount: Int) {
        let size = blockSize
        let needed = (newCount + size - 1) / size
        if count % size != 0 {
            let index = count / size
            if !isKnownUniquelyReferenced(&blocks[index]) {
                blocks[index] = blocks[index].copy(slots: count % size)
            }
            if shape.slidingPool != nil, slidingBlocks[index] != nil, !isKnownUniquelyReferenced(&slidingBlocks[index]) {
                slidingBlocks[index] = slidingBlocks[index]!.copy(slots: count % size)
            }
        }
        while blocks.count < needed { blocks.append(KVBlock(pool: shape.pool)) }
        if let slidingPool = shape.slidingPool {
            while slidingBlocks.count < needed { slidingBlocks.append(KVBlock(pool: slidingPool)) }
        }
    }

    /// Marks positions up to `newCount` as filled (after they were written) and releases the
    /// sliding-window blocks that fell out of what is retained.
    mutating func commit(count newCount: Int) {
        precondition(newCount <= blocks.count * blockSize, "commit past reserved blocks")
        count = newCount
        guard shape.slidingPool != nil else { return }
        let releasable = max(0, newCount - shape.retained) / blockSize
        for index in 0..<min(releasable, slidingBlocks.count) where slidingBlocks[index] != nil {
            slidingBlocks[index] = nil
        }
    }

    /// Forgets positions from `newCount` on, releasing the blocks that no longer hold any.
    mutating func truncate(to newCount: Int) {
        precondition(newCount <= count)
        count = newCount
        let needed = (newCount + blockSize - 1) / blockSize
        if blocks.count > needed { blocks.removeLast(blocks.count - needed) }
        if slidingBlocks.count > needed { slidingBlocks.removeLast(slidingBlocks.count - needed) }
    }

    /// Whether the sliding-window layers still hold the positions a token appended at `count`
    /// attends to (always true without sliding-window layers).
    var holdsWindow: Bool {
        guard let window = shape.window else { return true }
        let first = max(0, count - window + 1) / blockSize
        return slidingBlocks[min(first, slidingBlocks.count)...].allSatisfy { $0 != nil }
    }

    /// Bytes of key/value storage the cache refers to (blocks shared with forks counted in each).
    var byteCount: Int {
        let sliding = slidingBlocks.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        let floats = blocks.count * shape.pool.layout.floatCount
            + sliding * (shape.slidingPool?.layout.floatCount ?? 0)
        return floats * MemoryLayout<Float>.size
    }

    /// Where the key (`half == 0`) or value (`half == 1`) of `position` in model layer `layer` is
    /// stored.
    @inline(__always)
    func pointer(half: Int, layer: Int, position: Int) -> UnsafeMutablePointer<Float> {
        let size = blockSize
        let slot = shape.slots[layer]
        if shape.slides[layer] {
            guard let block = slidingBlocks[position / size] else {
                preconditionFailure("position \(position) of a sliding-window layer was released")
            }
            return block.storage + slidingLayout.offset(half: half, layer: slot, slot: position % size)
        }
        return blocks[position / size].storage + shape.pool.layout.offset(half: half, layer: slot, slot: position % size)
    }

    private var slidingLayout: KVBlockLayout { shape.slidingPool!.layout }
}
