extension Tokenizer {
    /// Builds a tokenizer from vocabulary metadata, validating all of it.
    ///
    /// - Complexity: O(vocabulary + merges); about 0.1 s for a 49 152-token vocabulary. A
    ///   SentencePiece vocabulary needs only a hash table of its texts (no sorting).
    /// - Throws: ``TokenizerError`` naming the first problem: an unsupported model or
    ///   pre-tokenizer, per-token arrays of the wrong length, an invalid token type, a special id
    ///   outside the vocabulary, a byte token not `<0xHH>`, a merge that does not parse or is not
    ///   made of tokens; for SentencePiece, no
    ///   scores, a NaN score, or a text that two tokens share; for Gemma 4, no merges or a shared text.
    public init(metadata: VocabularyMetadata) throws(TokenizerError) {
        guard TokenizerModel.supportedNames.contains(metadata.model) else { throw .unsupportedModel(metadata.model) }
        let sentencePiece = metadata.model == "llama"
        let spaceMark = sentencePiece || metadata.model == "gemma4"
        let tokens = metadata.tokens
        guard !tokens.isEmpty else { throw .emptyVocabulary }

        var types = try Self.validatedTypes(metadata)
        if let scores = metadata.scores, scores.count != tokens.count {
            throw .lengthMismatch(key: "tokenizer.ggml.scores", count: scores.count, tokenCount: tokens.count)
        }
        for (key, id) in metadata.specialTokenIDs where id < 0 || id >= tokens.count {
            throw .specialTokenOutOfRange(key: key, id: id, vocabularySize: tokens.count)
        }
        let special = SpecialTokenIDs(
            model: metadata.model, tokens: tokens, tokenTypes: metadata.tokenTypes, ids: metadata.specialTokenIDs,
            addBOS: metadata.addBOSToken, addEOS: metadata.addEOSToken, preTokenizer: metadata.preTokenizer)
        for id in special.promotedToControl { types[id] = .control }

        var table: [[UInt8]] = []
        table.reserveCapacity(tokens.count)
        for (id, text) in tokens.enumerated() {
            table.append(try Self.bytes(ofToken: id, text: text, type: types[id], spaceMark: spaceMark))
        }

        let model: TokenizerModel
        if sentencePiece {
            model = .sentencePiece(try Self.sentencePieceEncoder(metadata))
        } else if spaceMark {
            model = .characterPair(try Self.characterPairEncoder(metadata))
        } else {
            let preTokenizer = try PreTokenizer(named: metadata.preTokenizer ?? "default")
            model = .bytePair(try Self.bytePairMerger(metadata, types: types, preTokenizer: preTokenizer), preTokenizer)
        }

        var pieces: [SpecialPiece] = []
        for (id, type) in types.enumerated() where [.control, .userDefined, .unknown].contains(type) {
            let bytes = Array(tokens[id].utf8)
            guard !bytes.isEmpty else { continue }
            pieces.append(
                SpecialPiece(
                    bytes: bytes, id: id, needsParseSpecial: type != .userDefined,
                    stripsWhitespaceAfter: Self.stripsWhitespaceAfter(tokens[id], modelName: metadata.modelName)))
        }
        pieces.sort { ($0.bytes.count, $1.id) > ($1.bytes.count, $0.id) }

        self.vocabularySize = tokens.count
        self.tokenByteTable = table
        self.specialTokens = special
        self.addsBOSByDefault = special.addsBOS
        self.addsEOSByDefault = special.addsEOS
        self.addsSpacePrefix = sentencePiece && (metadata.addSpacePrefix ?? true)
        self.chatTemplateSource = metadata.chatTemplate
        if case .bytePair(_, let preTokenizer) = model { self.preTokenizer = preTokenizer } else { self.preTokenizer = nil }
        self.tokenTexts = tokens
        self.tokenTypes = types
        self.model = model
        self.specialPieces = pieces
    }

    /// The byte-level BPE merge table: merges parsed and resolved to ids, and the token of each byte.
    private static func bytePairMerger(
        _ metadata: VocabularyMetadata, types: [TokenType], preTokenizer: PreTokenizer
    ) throws(TokenizerError) -> BytePairMerger {
        let tokens = metadata.tokens
        var idForText: [String: Int32] = [:]
        idForText.reserveCapacity(tokens.count)
        for (id, text) in tokens.enumerated() where idForText[text] == nil { idForText[text] = Int32(id) }

        var byteTokens = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            let text = String(Character(GPT2ByteMapping.scalarForByte[byte]))
            if let id = idForText[text], types[Int(id)] == .normal { byteTokens[byte] = id }
        }

        var merges: [UInt64: UInt64] = [:]
        merges.reserveCapacity(metadata.merges.count)
        for (rank, merge) in metadata.merges.enumerated() {
            let parts = merge.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .malformedMerge(index: rank, text: merge)
            }
            guard let left = idForText[String(parts[0])], let right = idForText[String(parts[1])],
                let merged = idForText[String(parts[0] + parts[1])]
            else { throw .mergeOutsideVocabulary(index: rank, text: merge) }
            let key = BytePairMerger.pairKey(left, right)
            if merges[key] == nil { merges[key] = UInt64(rank) << 32 | UInt64(UInt32(merged)) }
        }
        return BytePairMerger(
            merges: merges, byteTokens: byteTokens,
            wholeWords: preTokenizer.ignoresMerges ? BytePairMerger.wholeWordTable(tokenTexts: tokens) : nil)
    }

    private static func validatedTypes(_ metadata: VocabularyMetadata) throws(TokenizerError) -> [TokenType] {
        guard let raw = metadata.tokenTypes else {
            return [TokenType](repeating: .normal, count: metadata.tokens.count)
        }
        guard raw.count == metadata.tokens.count else {
            throw .lengthMismatch(key: "tokenizer.ggml.token_type", count: raw.count, tokenCount: metadata.tokens.count)
        }
        var types: [TokenType] = []
        types.reserveCapacity(raw.count)
        for (id, value) in raw.enumerated() {
            guard let raw = Int32(exactly: value), let type = TokenType(rawValue: raw) else {
                throw .invalidTokenType(id: id, value: value)
            }
            types.append(type)
        }
        return types
    }

    /// The bytes a token stands for (see ``tokenBytes(_:)``).
    private static func bytes(
        ofToken id: Int, text: String, type: TokenType, spaceMark: Bool
    ) throws(TokenizerError) -> [UInt8] {
        switch type {
        case .normal where spaceMark:
            return SentencePieceEncoder.unescapedBytes(text)
        case .normal:
            // A normal token with a character outside the GPT-2 alphabet (Command R has 1 403, such
            // as "‼") is never produced by encoding; it decodes to its UTF-8 text, as Hugging Face's
            // ByteLevel decoder does.
            return GPT2ByteMapping.bytes(forTokenText: text) ?? Array(text.utf8)
        case .byte:
            let utf8 = Array(text.utf8)
            guard utf8.count == 6, utf8[0] == UInt8(ascii: "<"), utf8[1] == UInt8(ascii: "0"),
                utf8[2] == UInt8(ascii: "x"), utf8[5] == UInt8(ascii: ">"),
                let high = hexValue(utf8[3]), let low = hexValue(utf8[4])
            else { throw .invalidByteToken(id: id, text: text) }
            return [high << 4 | low]
        case .control, .userDefined, .unknown, .unused:
            return Array(text.utf8)
        }
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
