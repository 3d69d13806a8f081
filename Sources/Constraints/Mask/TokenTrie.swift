/// A byte trie over a vocabulary's token bytes, laid out in preorder so a mask computation
/// walks shared prefixes once and skips a dead subtree with one jump.
///
/// Node `0` is the root (the empty prefix). For node `i > 0`: ``bytes``[i] is the byte on the
/// edge from its parent, ``depths``[i] its depth (≥ 1), ``subtreeEnds``[i] the index just past
/// its last descendant, and `tokens[tokenOffsets[i]..<tokenOffsets[i + 1]]` the tokens whose
/// bytes end exactly there. Tokens with no bytes (special tokens) are in no node.
///
/// - Complexity: building is O(total token bytes × log) once per vocabulary; memory about
///   13 bytes per node plus 4 per token.
public struct TokenTrie: Sendable {
    /// Edge byte of each node (unused for the root).
    let bytes: [UInt8]
    /// Depth of each node (0 for the root).
    let depths: [UInt16]
    /// One past the last node of each node's subtree.
    let subtreeEnds: [Int32]
    /// Start of each node's tokens in ``tokens`` (one extra entry at the end).
    let tokenOffsets: [Int32]
    /// Token ids grouped by the node where their bytes end.
    let tokens: [Int32]
    /// Number of tokens in the vocabulary the trie was built from.
    public let vocabularySize: Int
    /// The longest token, in bytes.
    public let maxDepth: Int
    /// Tokens with no bytes (never allowed by a mask; EOS is handled separately).
    public let emptyTokens: [Int]

    /// Builds the trie of `table`.
    public init(_ table: TokenBytes) {
        let order = table.pieces.indices.filter { !table.pieces[$0].isEmpty }.sorted {
            table.pieces[$0].lexicographicallyPrecedes(table.pieces[$1])
        }
        var bytes: [UInt8] = [0]
        var depths: [UInt16] = [0]
        var subtreeEnds: [Int32] = [0]
        var tokensAt: [[Int32]] = [[]]
        var path: [Int] = [0]  // node index at each depth along the current branch
        var previous: [UInt8] = []
        for id in order {
            let piece = table.pieces[id]
            var shared = 0
            while shared < min(piece.count, previous.count), piece[shared] == previous[shared] { shared += 1 }
            // Close the nodes of the previous branch below the shared prefix.
            while path.count > shared + 1 {
                subtreeEnds[path.removeLast()] = Int32(bytes.count)
            }
            for depth in shared..<piece.count {
                path.append(bytes.count)
                bytes.append(piece[depth])
                depths.append(UInt16(clamping: depth + 1))
                subtreeEnds.append(0)
                tokensAt.append([])
            }
            tokensAt[path[piece.count]].append(Int32(id))
            previous = piece
        }
        while let node = path.popLast() { subtreeEnds[node] = Int32(bytes.count) }
        var offsets: [Int32] = [0]
        var tokens: [Int32] = []
        offsets.reserveCapacity(bytes.count + 1)
        for list in tokensAt {
            tokens += list
            offsets.append(Int32(tokens.count))
        }
        self.bytes = bytes
        self.depths = depths
        self.subtreeEnds = subtreeEnds
        self.tokenOffsets = offsets
        self.tokens = tokens
        self.vocabularySize = table.count
        self.maxDepth = table.pieces.map(\.count).max() ?? 0
        self.emptyTokens = table.pieces.indices.filter { table.pieces[$0].isEmpty }
    }

    /// Number of nodes, root included.
    public var nodeCount: Int { bytes.count }
}
