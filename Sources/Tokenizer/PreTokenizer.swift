import PCRE

/// Splits text into the words that BPE merges never cross, with llama.cpp's regexes per
/// `tokenizer.ggml.pre` (`llama-vocab.cpp`, `llama_vocab::impl::load`, and `unicode_regex_split`).
///
/// The regexes run one after another: each splits every piece left by the previous one into its
/// matches and the gaps between them, and sees only that piece (so a lookahead stops at the
/// piece's end). They run through PCRE2 with UTF and UCP. `\s` is written out as llama.cpp's
/// whitespace set (Unicode White_Space, which includes U+0085 that PCRE2's `\s` lacks).
public struct PreTokenizer: Sendable {
    /// The `tokenizer.ggml.pre` name this splitter was made for.
    public let name: String
    private let regexes: [PCRERegex]

    /// llama.cpp's whitespace (Unicode White_Space) as a character-class body.
    private static let whitespace =
        #"\t-\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}"#

    /// GPT-2's split: contractions, letters, numbers, other symbols, whitespace runs.
    private static let gpt2Pattern =
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^"# + whitespace + #"\p{L}\p{N}]+|["#
        + whitespace + "]+(?![^" + whitespace + "])"

    /// Pre-tokenizer names this package implements, and their regexes in order.
    private static let families: [(names: [String], patterns: [String])] = [
        (["smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b"],
         [#"\p{N}"#, gpt2Pattern]),
        (["gpt-2", "mpt", "olmo", "jais", "trillion"], [gpt2Pattern]),
    ]

    /// Every supported `tokenizer.ggml.pre` name.
    public static var supportedNames: [String] { families.flatMap(\.names) }

    /// The pre-tokenizer named `name`.
    ///
    /// - Throws: ``TokenizerError/unsupportedPreTokenizer(_:)`` for a name not in ``supportedNames``.
    public init(named name: String) throws(TokenizerError) {
        guard let family = Self.families.first(where: { $0.names.contains(name) }) else {
            throw .unsupportedPreTokenizer(name)
        }
        self.name = name
        var regexes: [PCRERegex] = []
        for pattern in family.patterns {
            do {
                regexes.append(try PCRERegex(pattern, options: [.utf, .ucp]))
            } catch {
                preconditionFailure("built-in pre-tokenizer regex does not compile: \(error)")
            }
        }
        self.regexes = regexes
    }

    /// The byte ranges of the words of `text` (valid UTF-8), in order, covering all of it.
    ///
    /// - Complexity: one pass of each regex over the text.
    /// - Throws: ``TokenizerError/preTokenizerFailed(_:)`` if PCRE2 fails (invalid UTF-8, a limit).
    public func split(_ text: UnsafeBufferPointer<UInt8>) throws(TokenizerError) -> [Range<Int>] {
        var pieces: [Range<Int>] = text.isEmpty ? [] : [0..<text.count]
        var next: [Range<Int>] = []
        for regex in regexes {
            next.removeAll(keepingCapacity: true)
            for piece in pieces {
                let subject = UnsafeBufferPointer(rebasing: text[piece])
                var cursor = 0
                do {
                    try regex.forEachMatch(in: subject) { match in
                        guard !match.isEmpty else { return }
                        if match.lowerBound > cursor {
                            next.append(piece.lowerBound + cursor..<piece.lowerBound + match.lowerBound)
                        }
                        next.append(piece.lowerBound + match.lowerBound..<piece.lowerBound + match.upperBound)
                        cursor = match.upperBound
                    }
                } catch {
                    throw .preTokenizerFailed(error.description)
                }
                if cursor < subject.count {
                    next.append(piece.lowerBound + cursor..<piece.upperBound)
                }
            }
            swap(&pieces, &next)
        }
        return pieces
    }
}
