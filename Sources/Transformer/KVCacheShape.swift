/// How a model's key/value cache is split: the full-attention layers in blocks of one pool, the
/// sliding-window layers (if any) in blocks of another, which ``KVCache`` releases once they fall
/// out of the window. Shared by every session of the model; immutable.
final class KVCacheShape: Sendable {
    /// Blocks of the full-attention layers.
    let pool: KVBlockPool
    /// Blocks of the sliding-window layers, nil when no layer slides.
    let slidingPool: KVBlockPool?
    /// For each model layer, whether it slides, and its index among the layers of its pool.
    let slides: [Bool]
    let slots: [Int]
    /// Keys a sliding-window layer attends to, nil when no layer slides.
    let window: Int?
    /// Positions behind the end that sliding-window blocks keep: the window plus `margin`.
    let retained: Int
    let blockSize: Int

    /// - Parameters:
    ///   - slides: whether each layer is a sliding-window layer (ignored without `window`).
    ///   - margin: positions kept beyond the window, so that rolling back that far needs no
    ///     re-evaluation.
    init(kvWidth: Int, blockSize: Int, slides: [Bool], window: Int?, margin: Int) {
        let slides = window == nil ? slides.map { _ in false } : slides
        self.slides = slides
        var counts = (global: 0, sliding: 0)
        slots = slides.map { sliding in
            defer { if sliding { counts.sliding += 1 } else { counts.global += 1 } }
            return sliding ? counts.sliding : counts.global
        }
        self.blockSize = blockSize
        self.window = counts.sliding > 0 ? window : nil
        retained = (window ?? 0) + margin
        pool = KVBlockPool(layout: KVBlockLayout(layers: counts.global, kvWidth: kvWidth, blockSize: blockSize))
        slidingPool = counts.sliding > 0
            ? KVBlockPool(layout: KVBlockLayout(layers: counts.sliding, kvWidth: kvWidth, blockSize: blockSize)) : nil
    }
}
