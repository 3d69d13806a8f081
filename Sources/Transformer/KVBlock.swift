import Foundation

/// One page of a key/value cache: the keys and values of `blockSize` consecutive positions for
/// every layer, laid out `[keys | values][layer][slot][kvWidth]` in Float32.
///
/// Blocks are shared between forked sessions by reference, so Swift's reference count is the
/// page's share count: a session writes only into a block it holds uniquely and copies a shared
/// one first (copy-on-write, see ``KVCache``). Storage comes from and returns to a
/// ``KVBlockPool`` so that growing and forking sessions do not go to the system allocator.
final class KVBlock {
    let storage: UnsafeMutablePointer<Float>
    private let pool: KVBlockPool

    init(pool: KVBlockPool) {
        self.pool = pool
        self.storage = pool.takeStorage()
    }

    /// A new block holding the first `slots` positions of this one.
    func copy(slots: Int) -> KVBlock {
        let block = KVBlock(pool: pool)
        let layout = pool.layout
        for half in 0..<2 {
            for layer in 0..<layout.layers {
                let offset = layout.offset(half: half, layer: layer, slot: 0)
                block.storage.advanced(by: offset)
                    .update(from: storage.advanced(by: offset), count: slots * layout.kvWidth)
            }
        }
        return block
    }

    deinit { pool.returnStorage(storage) }
}

/// Shape of the blocks of one model's cache.
struct KVBlockLayout: Sendable {
    var layers: Int
    var kvWidth: Int
    var blockSize: Int

    /// Floats in one block.
    var floatCount: Int { 2 * layers * blockSize * kvWidth }

    /// Offset of the key (`half == 0`) or value (`half == 1`) row of `slot` in `layer`.
    @inline(__always)
    func offset(half: Int, layer: Int, slot: Int) -> Int {
        ((half * layers + layer) * blockSize + slot) * kvWidth
    }
}

/// A recycling allocator of block storage, shared by every session of one model.
///
/// Thread-safe; keeps at most `retainedLimit` free blocks and frees the rest.
final class KVBlockPool: Sendable {
    let layout: KVBlockLayout
    private let lock = NSLock()
    /// Guarded by `lock`.
    nonisolated(unsafe) private var free: [UnsafeMutablePointer<Float>] = []
    private let retainedLimit: Int

    init(layout: KVBlockLayout, retainedLimit: Int = 256) {
        self.layout = layout
        self.retainedLimit = retainedLimit
    }

    func takeStorage() -> UnsafeMutablePointer<Float> {
        if let pointer = lock.withLock({ free.popLast() }) { return pointer }
        return .allocate(capacity: layout.floatCount)
    }

    func returnStorage(_ pointer: UnsafeMutablePointer<Float>) {
        let kept = lock.withLock { () -> Bool in
            guard free.count < retainedLimit else { return false }
            free.append(pointer)
            return true
        }
        if !kept { pointer.deallocate() }
    }

    deinit {
        for pointer in free { pointer.deallocate() }
    }
}
