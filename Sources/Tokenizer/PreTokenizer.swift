import PCRE

/// Splits text into the words that BPE merges never cross, with llama.cpp's regexes per
/// `tokenizer.ggml.pre` (`llama-vocab.cpp`, `llama_vocab::impl::load`, and `unicode_regex_split`);
/// the supported names and where each regex comes from are in `PreTokenizer+Families.swift`.
///
/// The regexes run one after another: each splits every piece left by the previous one into its
/// matches and the gaps between them, and sees only that piece (so a lookahead stops at the
/// piece's end). They run through PCRE2 with UTF and UCP, which gives what llama.cpp's
/// hand-written GPT-2 and Llama 3 splitters and its std::regex fallback give, with `\s` written
/// out as llama.cpp's whitespace set.
public struct PreTokenizer: Sendable {
    /// The `tokenizer.ggml.pre` name this splitter was made for.
    public let name: String
    /// Whether a word that is itself a token is emitted as that token without merging
    /// (llama.cpp's `ignore_merges`, set for the Llama 3 names).
    let ignoresMerges: Bool
    private let regexes: [PCRERegex]

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
        self.ignoresMerges = family.ignoresMerges
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
