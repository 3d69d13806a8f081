/// What every decoding strategy needs from a model: its vocabulary, sessions that hold a
/// token sequence with its cache, and the batched and tree-shaped evaluations that make
/// beams, trials, particles and speculative token trees cheap.
///
/// A model is immutable once loaded and may be shared between tasks (`Sendable`). The
/// sessions it makes are mutable and belong to one task at a time.
///
/// Token ids are `Int` in `0..<vocabularySize`.
public protocol LanguageModel: AnyObject, Sendable {
    /// Number of entries in one row of logits.
    var vocabularySize: Int { get }
    /// The longest sequence (prompt and generated tokens) a session can hold.
    var contextLength: Int { get }
    /// Width of the hidden state returned by ``ModelSession/hiddenState``.
    var hiddenSize: Int { get }
    /// Beginning/end of sequence and other special ids.
    var specialTokens: SpecialTokens { get }

    /// Starts a session and evaluates `prompt` in one batched prefill.
    ///
    /// - Throws: ``LanguageModelError/emptyPrompt``, ``LanguageModelError/contextFull(limit:requested:)``,
    ///   ``LanguageModelError/tokenOutOfRange(_:vocabularySize:)``.
    func makeSession(prompt: [Int]) throws -> any ModelSession

    /// Appends `tokens[i]` to `sessions[i]` for every `i` in one batched evaluation, so each
    /// weight is read once for the whole batch. Afterwards each session's ``ModelSession/logits``
    /// describe the token after the one appended.
    ///
    /// - Throws: ``LanguageModelError/foreignSession`` for a session of another model, and the
    ///   errors of ``ModelSession/append(_:)``.
    func appendBatch(_ sessions: [any ModelSession], tokens: [Int]) throws

    /// Starts a session for each of `prompts` and appends `runs[i]` (one or more tokens) to
    /// `sessions[i]`, in one batched evaluation where the runtime can: a server's decode steps
    /// and the chunks of the prompts that are joining share one pass over the weights
    /// (continuous batching with chunked prefill). Returns the new sessions, in order. The result
    /// is the same as ``makeSession(prompt:)`` and ``ModelSession/append(_:)`` one at a time.
    /// A default implementation does exactly that (``appendBatch(_:tokens:)`` when every run is
    /// one token).
    ///
    /// - Throws: ``LanguageModelError/batchMismatch(sessions:tokens:)``, and the errors of
    ///   ``makeSession(prompt:)`` and ``appendBatch(_:tokens:)``; a runtime that evaluates in one
    ///   pass changes no session then.
    func evaluateBatch(appending runs: [[Int]], to sessions: [any ModelSession],
                       starting prompts: [[Int]]) throws -> [any ModelSession]

    /// Evaluates a token tree hanging after the session's last token in one call, with
    /// ancestor-only attention and positions by depth, and returns the logits after every node
    /// (`result[i]` follows `tree.tokens[i]`). The session itself is left unchanged.
    func evaluateTree(_ tree: TokenTree, after session: any ModelSession) throws -> [[Float]]
}

/// A token sequence evaluated by a ``LanguageModel``, with its key/value cache.
///
/// Sessions are reference types because they own a cache; use a session from one task at a
/// time. ``fork()`` is cheap: the copy shares the prefix already evaluated.
public protocol ModelSession: AnyObject {
    /// Every token evaluated so far, prompt included.
    var tokens: [Int] { get }
    /// Logits over the vocabulary for the token after ``tokens``.
    var logits: [Float] { get }
    /// The final hidden state (after the last norm) at the last token; `hiddenSize` values.
    var hiddenState: [Float] { get }
    /// Evaluates `tokens` after the current sequence (one batched pass when more than one).
    func append(_ tokens: [Int]) throws
    /// A new session with the same tokens whose future appends do not affect this one.
    func fork() throws -> any ModelSession
    /// Forgets every token after the first `count`; the logits become those after token `count`.
    ///
    /// - Throws: ``LanguageModelError/invalidRollback(to:length:)`` unless `1 <= count <= tokens.count`.
    func rollback(to count: Int) throws
    /// Appends the tokens along `path` of `tree`, where `tree` is the last tree evaluated after
    /// this session with ``LanguageModel/evaluateTree(_:after:)`` (speculative decoding commits
    /// the accepted path this way). `path` lists node indices going down the tree, each node a
    /// child of the one before; it starts at a root, or — to commit a path in several calls — at
    /// a child of the last node the previous call committed from the same tree. Afterwards the
    /// session is the one ``append(_:)`` of those tokens gives: same tokens, logits, hidden state
    /// and later steps.
    ///
    /// A runtime that kept the keys and values of the tree's nodes copies the path's into the
    /// cache (positions by depth are exactly the positions on the path) instead of evaluating
    /// the tokens again; when the tree is not the last one evaluated after this session, or the
    /// session changed otherwise since, it appends. The default implementation appends.
    ///
    /// - Throws: ``LanguageModelError/invalidTree(reason:)`` when a node of `path` is out of range
    ///   or not a child of the node before it, and the errors of ``append(_:)``.
    func commitTreePath(_ path: [Int], of tree: TokenTree) throws
}

extension ModelSession {
    /// Number of tokens in the session.
    public var count: Int { tokens.count }

    /// Appends the path's tokens (``TokenTree/tokens(alongPath:)``): the re-evaluating default
    /// for runtimes that do not keep a tree's keys and values.
    public func commitTreePath(_ path: [Int], of tree: TokenTree) throws {
        try append(tree.tokens(alongPath: path))
    }
}

/// Ids of the special tokens a strategy must know about.
public struct SpecialTokens: Sendable, Hashable {
    /// Beginning of sequence, if the model has one.
    public var bos: Int?
    /// End of sequence (generation stops here).
    public var eos: Int?
    /// Further ids that also end a turn (for example `<|im_end|>`).
    public var endOfTurn: Set<Int>

    /// Creates a set of special ids.
    public init(bos: Int? = nil, eos: Int? = nil, endOfTurn: Set<Int> = []) {
        self.bos = bos
        self.eos = eos
        self.endOfTurn = endOfTurn
    }

    /// Whether `token` ends generation (EOS or an end-of-turn token).
    public func isStop(_ token: Int) -> Bool {
        token == eos || endOfTurn.contains(token)
    }
}

/// Tokens with parent links, evaluated after a session's last token.
///
/// `parents[i]` is the index of node `i`'s parent, or `-1` for a node that hangs directly after
/// the session. Parents come before their children (`parents[i] < i`).
public struct TokenTree: Sendable, Hashable {
    /// The token at each node.
    public var tokens: [Int]
    /// The parent of each node, `-1` for a root.
    public var parents: [Int]

    /// Creates a tree, checking that every parent precedes its child.
    public init(tokens: [Int], parents: [Int]) throws {
        guard tokens.count == parents.count else {
            throw LanguageModelError.invalidTree(reason: "\(tokens.count) tokens but \(parents.count) parents")
        }
        for (i, p) in parents.enumerated() where p < -1 || p >= i {
            throw LanguageModelError.invalidTree(reason: "node \(i) has parent \(p); parents must precede children")
        }
        self.tokens = tokens
        self.parents = parents
    }

    /// Number of nodes.
    public var count: Int { tokens.count }

    /// Depth of each node: 0 for a root, parent's depth + 1 otherwise.
    public var depths: [Int] {
        var depths = [Int](repeating: 0, count: tokens.count)
        for i in tokens.indices where parents[i] >= 0 { depths[i] = depths[parents[i]] + 1 }
        return depths
    }

    /// The node indices from a root down to `node`, inclusive.
    public func path(to node: Int) -> [Int] {
        var path: [Int] = []
        var current = node
        while current >= 0 {
            path.append(current)
            current = parents[current]
        }
        return path.reversed()
    }

    /// The tokens at the nodes of `path`, after checking that each node is in range and a child
    /// of the one before (the first may hang anywhere; an empty path gives no tokens).
    ///
    /// - Throws: ``LanguageModelError/invalidTree(reason:)`` for a node out of range or a broken chain.
    public func tokens(alongPath path: [Int]) throws -> [Int] {
        for (i, node) in path.enumerated() {
            guard node >= 0, node < count else {
                throw LanguageModelError.invalidTree(reason: "path node \(node) is outside the tree of \(count) nodes")
            }
            if i > 0, parents[node] != path[i - 1] {
                throw LanguageModelError.invalidTree(reason: "path node \(node) is not a child of node \(path[i - 1])")
            }
        }
        return path.map { tokens[$0] }
    }
}

/// Errors a ``LanguageModel`` or ``ModelSession`` reports for input a caller can get wrong.
public enum LanguageModelError: Error, Equatable, Sendable {
    /// A session cannot start from no tokens.
    case emptyPrompt
    /// The sequence would exceed the context window.
    case contextFull(limit: Int, requested: Int)
    /// A token id outside `0..<vocabularySize`.
    case tokenOutOfRange(Int, vocabularySize: Int)
    /// A session made by a different model was passed in.
    case foreignSession
    /// `appendBatch` got a different number of sessions and tokens.
    case batchMismatch(sessions: Int, tokens: Int)
    /// `rollback(to:)` outside `1...length`.
    case invalidRollback(to: Int, length: Int)
    /// A malformed ``TokenTree``.
    case invalidTree(reason: String)
}
