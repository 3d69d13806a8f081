import Decoding

/// What one tree evaluation computed for its nodes — the keys and values of every node in every
/// layer, the final hidden states and the logits — kept by the session the tree hung after, so
/// that ``LlamaSession/commitTreePath(_:of:)`` can copy an accepted path into the cache instead of
/// evaluating its tokens again.
///
/// A class: the forward pass writes the keys and values into it (through
/// `ForwardScratch.capture`) while the session holds it. Buffers grow to the largest tree seen
/// and are reused, so steady speculative decoding allocates nothing here. Keys and values are
/// laid out `[keys | values][layer][node][kvWidth]`, so one layer's rows are one copy.
final class TreeKeyValues {
    let layers: Int
    let kvWidth: Int
    let width: Int
    private(set) var capacity = 0
    private var storage = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// Final hidden states, `width` per node.
    private var hidden = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    /// The logits after each node (the rows ``LlamaModel/evaluateTree(_:after:)`` returned, shared).
    private(set) var logits: [[Float]] = []
    /// The tree evaluated, nil when nothing valid is held.
    private(set) var tree: TokenTree?
    /// The session's length when the tree was evaluated.
    private(set) var sessionLength = 0
    /// Nodes of the tree being evaluated (rows of the forward pass).
    private(set) var rows = 0
    /// The last node committed into the session from this tree (`-1`: none yet), and how many.
    var lastCommitted = -1
    var committedCount = 0

    init(layers: Int, kvWidth: Int, width: Int) {
        self.layers = layers
        self.kvWidth = kvWidth
        self.width = width
    }

    /// Makes room for a tree of `rows` nodes and forgets the previous tree.
    func begin(rows: Int) {
        invalidate()
        self.rows = rows
        guard rows > capacity else { return }
        let n = max(rows, capacity * 2)
        storage.deallocate()
        storage = .allocate(capacity: 2 * layers * n * kvWidth)
        hidden.deallocate()
        hidden = .allocate(capacity: n * width)
        capacity = n
    }

    /// Where the key (`half == 0`) or value (`half == 1`) of `node` in `layer` is kept.
    @inline(__always)
    func pointer(half: Int, layer: Int, node: Int) -> UnsafeMutablePointer<Float> {
        storage + ((half * layers + layer) * capacity + node) * kvWidth
    }

    /// Keeps the keys and values of every row of the current pass for `layer`.
    func record(layer: Int, keys: UnsafePointer<Float>, values: UnsafePointer<Float>) {
        pointer(half: 0, layer: layer, node: 0).update(from: keys, count: rows * kvWidth)
        pointer(half: 1, layer: layer, node: 0).update(from: values, count: rows * kvWidth)
    }

    /// Marks the capture complete: `tree` was evaluated after `sessionLength` tokens, with these
    /// per-node logits and final hidden states.
    func finish(tree: TokenTree, sessionLength: Int, logits: [[Float]], hidden outputs: UnsafePointer<Float>) {
        hidden.update(from: outputs, count: rows * width)
        self.logits = logits
        self.sessionLength = sessionLength
        self.tree = tree
    }

    /// Forgets the tree (the session changed).
    func invalidate() {
        tree = nil
        logits = []
        lastCommitted = -1
        committedCount = 0
    }

    /// The final hidden state after `node`.
    func hiddenState(of node: Int) -> UnsafePointer<Float> { UnsafePointer(hidden + node * width) }

    deinit {
        storage.deallocate()
        hidden.deallocate()
    }
}

extension LlamaModel {
    /// Copies the keys and values of the current pass's rows for `layer` into the capture, when
    /// the pass is a tree evaluation that keeps them.
    func captureKeysAndValues(_ scratch: ForwardScratch, layer: Int) {
        scratch.capture?.record(layer: layer, keys: scratch.key, values: scratch.value)
    }

    /// The session's capture, made on first use and emptied for a tree of `rows` nodes.
    func prepareCapture(for session: LlamaSession, rows: Int) -> TreeKeyValues {
        let capture = session.treeCapture
            ?? TreeKeyValues(layers: configuration.layerCount, kvWidth: configuration.kvWidth, width: configuration.width)
        session.treeCapture = capture
        capture.begin(rows: rows)
        return capture
    }
}

extension LlamaSession {
    /// Appends the tokens along `path` of `tree` by copying the keys and values the last
    /// ``LlamaModel/evaluateTree(_:after:)`` of `tree` after this session computed for those nodes
    /// (a node at depth `d` goes to position `n + d` for a session of `n` tokens at evaluation,
    /// where the tree evaluation put it), and takes the logits and hidden state after the path's
    /// last node from that evaluation: no forward pass. `path` starts at a root, or at a child of
    /// the node the previous commit from `tree` ended at. When `tree` is not the last tree
    /// evaluated after this session, the path does not continue what was committed, or the
    /// session changed otherwise, the tokens are appended (evaluated) instead.
    ///
    /// The result equals ``append(_:)`` of the same tokens: the tree's rows see the same prefix
    /// and ancestors at the same positions as a chain of appended rows.
    ///
    /// - Complexity: O(path length × layers × kvWidth) copies plus one logits row.
    /// - Throws: ``LanguageModelError/invalidTree(reason:)`` for a path that is not a chain from
    ///   a root, ``LanguageModelError/contextFull(limit:requested:)``.
    public func commitTreePath(_ path: [Int], of tree: TokenTree) throws {
        let pathTokens = try tree.tokens(alongPath: path)
        guard let last = path.last else { return }
        guard let capture = treeCapture, capture.tree != nil,
              capture.sessionLength + capture.committedCount == tokens.count,
              tree.parents[path[0]] == capture.lastCommitted, capture.tree == tree
        else {
            try append(pathTokens)
            return
        }
        let n = tokens.count
        let requested = n + path.count
        guard requested <= model.contextLength else {
            throw LanguageModelError.contextFull(limit: model.contextLength, requested: requested)
        }
        cache.reserve(upTo: requested)
        let kvWidth = capture.kvWidth
        for (depth, node) in path.enumerated() {
            for layer in 0..<capture.layers {
                for half in 0..<2 {
                    cache.pointer(half: half, layer: layer, position: n + depth)
                        .update(from: capture.pointer(half: half, layer: layer, node: node), count: kvWidth)
                }
            }
        }
        let row = capture.logits[last]
        logits.withUnsafeMutableBufferPointer { destination in
            row.withUnsafeBufferPointer { destination.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
        }
        hiddenState.withUnsafeMutableBufferPointer {
            $0.baseAddress!.update(from: capture.hiddenState(of: last), count: capture.width)
        }
        // Keep the capture valid for a later commit that continues this path.
        treeCapture = nil
        didEvaluate(pathTokens)
        treeCapture = capture
        capture.lastCommitted = last
        capture.committedCount += path.count
    }
}
