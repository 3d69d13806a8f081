/// One row of a forward pass: a token, where it sits, and what it may attend to.
///
/// A row attends to the first `cacheLength` positions of cache `cacheIndex` and to itself and
/// its ancestors among the batch rows (`parent` links, `-1` at a root). A prefill is a chain
/// of rows; a batch of sessions is one root row per cache; a token tree is a tree of rows.
struct ForwardRow {
    var token: Int
    var position: Int
    var parent: Int
    var cacheIndex: Int
    var cacheLength: Int
    /// Whether the row's keys and values are written into its cache at `position`.
    var persists: Bool
}

/// Buffers of one forward pass, grown to the largest batch seen and reused afterwards, so a
/// steady stream of tokens allocates nothing.
final class ForwardScratch {
    private(set) var rowCapacity = 0
    private(set) var outputCapacity = 0
    private(set) var keyCapacity = 0
    let configuration: LlamaConfiguration
    let threads: Int

    var residual = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    var normed = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    var query = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    var key = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    var value = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    var attention = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    var projected = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// Output of a fused query/key/value projection, before it is split.
    var fused = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    var gate = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// The up projection (gate and up, `2 · feedForwardWidth` per row, when they are fused).
    var up = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// RoPE cosines and sines, `headDim` per row: the global layers' `headDim / 2` angles, then
    /// the sliding-window layers'.
    var cosines = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    var sines = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// Final hidden states of the rows that produce output, then their logits.
    var outputHidden = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    var logits = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// Attention scores of up to ``attentionRows`` rows at a time, `keyCapacity` per (row, query
    /// head): the chunk's row `r`, head `h` at `(r · headCount + h) · keyCapacity`.
    var scores = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    private var scoreCapacity = 0
    /// A row's ancestors in the batch while its attention runs, `keyCapacity` per thread.
    var chains = UnsafeMutablePointer<Int>.allocate(capacity: 0)
    /// Sixteen partial sums of one head's attention output, `16 · headDim` per thread.
    let valueLanes: UnsafeMutablePointer<Float>

    /// The 8-bit copy of the activations a quantized matrix product reads.
    let activations: ActivationWorkspace
    /// The rows and caches of the pass being run (kept for their capacity).
    var rows: [ForwardRow] = []
    var outputRows: [Int] = []
    var caches: [KVCache] = []
    /// Block storage of every cache's full-attention layers, flattened; `blockStart[c]` is cache
    /// `c`'s first entry.
    var blockTable: [UnsafeMutablePointer<Float>?] = []
    var blockStart: [Int] = []
    /// The same for the sliding-window layers (nil: a block released, out of every window).
    var slidingBlockTable: [UnsafeMutablePointer<Float>?] = []
    var slidingBlockStart: [Int] = []
    /// Runs of consecutive rows of one attention chunk that attend to the same cached prefix
    /// (same cache, same length): run `g` starts at row `prefixFirst[g]` and its score tasks end
    /// at `prefixTaskEnd[g]` (cumulative).
    var prefixFirst: [Int] = []
    var prefixTaskEnd: [Int] = []
    /// Rows whose attention runs together (scores of the cached prefix, then the rest).
    static let attentionRows = 16
    /// Where a tree evaluation keeps its rows' keys and values (nil: not kept).
    var capture: TreeKeyValues?

    init(configuration: LlamaConfiguration, threads: Int) {
        self.configuration = configuration
        self.threads = threads
        activations = ActivationWorkspace(scaleFormat: configuration.arithmetic == .llamaCpp ? .half : .float32)
        valueLanes = .allocate(capacity: 16 * configuration.headDim * threads)
    }

    /// Makes room for `rows` rows, `outputs` output rows and `keys` attended positions per row.
    func reserve(rows: Int, outputs: Int, keys: Int) {
        let c = configuration
        if rows > rowCapacity {
            let n = max(rows, rowCapacity * 2)
            grow(&residual, n * c.width)
            grow(&normed, n * c.width)
            grow(&query, n * c.queryWidth)
            grow(&key, n * c.kvWidth)
            grow(&value, n * c.kvWidth)
            grow(&attention, n * c.queryWidth)
            grow(&projected, n * c.width)
            grow(&fused, n * (c.queryWidth + 2 * c.kvWidth))
            grow(&gate, n * c.feedForwardWidth)
            grow(&up, n * c.feedForwardWidth * (c.options.fusedGateUp ? 2 : 1))
            grow(&cosines, n * c.headDim)
            grow(&sines, n * c.headDim)
            rowCapacity = n
        }
        if outputs > outputCapacity {
            let n = max(outputs, outputCapacity * 2)
            grow(&outputHidden, n * c.width)
            grow(&logits, n * c.vocabularySize)
            outputCapacity = n
        }
        if keys > keyCapacity {
            let n = max(keys, min(keyCapacity * 2, c.contextLength * 2))
            chains.deallocate()
            chains = .allocate(capacity: n * threads)
            keyCapacity = n
        }
        let scoreRows = min(rowCapacity, Self.attentionRows)
        if scoreRows * c.headCount * keyCapacity > scoreCapacity {
            scoreCapacity = scoreRows * c.headCount * keyCapacity
            grow(&scores, scoreCapacity)
        }
    }

    private func grow(_ pointer: inout UnsafeMutablePointer<Float>, _ count: Int) {
        pointer.deallocate()
        pointer = .allocate(capacity: count)
    }

    deinit {
        for p in [residual, normed, query, key, value, attention, projected, fused, gate, up, cosines, sines,
                  outputHidden, logits, scores, valueLanes] {
            p.deallocate()
        }
        chains.deallocate()
    }
}
