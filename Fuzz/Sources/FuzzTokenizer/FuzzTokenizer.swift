import FuzzSupport
import Tokenizer

/// libFuzzer entry point: byte 0 picks a vocabulary (``Vocabularies``), byte 1 holds flags
/// (bit 0: parse special tokens, bit 1: skip control tokens when detokenizing), the rest is text.
///
/// Oracles, each where the library promises it:
/// 1. Round trip. `encode(bytes:)` throws a `TokenizerError` (a byte no token covers) or gives
///    in-range ids, and decoding them gives the text back, with the documented exceptions applied
///    to the expected side: SentencePiece and Gemma 4 decode a literal `▁` (U+2581) as a space;
///    SentencePiece with ``Tokenizer/addsSpacePrefix`` puts one space before the text and after
///    every special token, so each run of ordinary ids that starts the output or follows a special
///    id must decode to bytes starting with a space, and dropping that space gives the text.
///    (Phi-3's whitespace stripping after special tokens is the one more exception; its
///    vocabulary is not among these.)
/// 2. Streaming. `StreamingDetokenizer` fed the ids of the text, and then arbitrary valid ids (three
///    bytes of the text each, modulo the vocabulary size), holds back 0–3 bytes, and its pieces plus
///    ``StreamingDetokenizer/finish()`` equal the UTF-8 decoding (U+FFFD repaired) of the whole pieces
///    (``Tokenizer/tokenBytes(_:)``); `decode` gives the same bytes with the first piece's leading
///    space dropped where ``Tokenizer/addsSpacePrefix`` says so.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let tokenizer = Vocabularies.all[Int(data[0]) % Vocabularies.all.count]
    let parseSpecial = data[1] & 1 != 0
    let skipSpecial = data[1] & 2 != 0
    let text = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))

    if let ids = try? tokenizer.encode(bytes: text, parseSpecial: parseSpecial) {
        checkRoundTrip(tokenizer, text: text, ids: ids)
        checkStream(tokenizer, ids: ids, skipSpecial: skipSpecial)
    }
    var ids: [Int] = []
    var index = 0
    while index + 3 <= text.count {
        let value = Int(text[index]) | Int(text[index + 1]) << 8 | Int(text[index + 2]) << 16
        ids.append(value % tokenizer.vocabularySize)
        index += 3
    }
    checkStream(tokenizer, ids: ids, skipSpecial: skipSpecial)
    return 0
}

/// The special-token ids: those cut out of the text literally before the model runs.
private func isSpecial(_ tokenizer: Tokenizer, _ id: Int) -> Bool {
    [.control, .userDefined, .unknown].contains(tokenizer.tokenType(id))
}

private func checkRoundTrip(_ tokenizer: Tokenizer, text: [UInt8], ids: [Int]) {
    check(ids.allSatisfy { (0..<tokenizer.vocabularySize).contains($0) }, "encode gave an id out of range")
    let decoded: [UInt8]
    do {
        decoded = try tokenizer.decode(ids)
    } catch {
        fail("decode of encoded ids threw \(error)")
    }
    let spaceMark = tokenizer.preTokenizer == nil  // SentencePiece and Gemma 4 escape spaces as ▁.
    var expected = spaceMark ? replacingSpaceMarks(text) : text
    var actual = decoded
    if tokenizer.addsSpacePrefix {
        // Rebuild from the pieces: every run of ordinary ids at the start or after a special id
        // begins with the prefix space, which decode strips only at the start.
        actual = []
        var runStarts = true
        for id in ids {
            var piece = tokenizer.tokenBytes(id)
            if isSpecial(tokenizer, id) {
                runStarts = true
            } else if runStarts {
                check(piece.first == 0x20, "a run of ordinary ids does not start with the prefix space: \(ids)")
                piece.removeFirst()
                runStarts = false
            }
            actual += piece
        }
    }
    if actual != expected {
        expected = Array(expected.prefix(200))
        fail(
            "round trip differs: text \(expected) ids \(ids.prefix(100)) decoded \(actual.prefix(200))")
    }
}

/// `text` with every `▁` (E2 96 81, always a whole character) turned into a space.
private func replacingSpaceMarks(_ text: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(text.count)
    var index = 0
    while index < text.count {
        if index + 2 < text.count, text[index] == 0xE2, text[index + 1] == 0x96, text[index + 2] == 0x81 {
            output.append(0x20)
            index += 3
        } else {
            output.append(text[index])
            index += 1
        }
    }
    return output
}

private func checkStream(_ tokenizer: Tokenizer, ids: [Int], skipSpecial: Bool) {
    var stream = StreamingDetokenizer(tokenizer: tokenizer, skipSpecialTokens: skipSpecial)
    var streamed = ""
    var pieces: [UInt8] = []
    do {
        for id in ids {
            streamed += try stream.append(id)
            check(stream.heldBackBytes.count <= 3, "holds back \(stream.heldBackBytes.count) bytes")
            if !(skipSpecial && tokenizer.isControl(id)) { pieces += tokenizer.tokenBytes(id) }
        }
    } catch {
        fail("append of a valid id threw \(error)")
    }
    streamed += stream.finish()
    check(stream.heldBackBytes.isEmpty, "finish left bytes held back")
    let whole = String(decoding: pieces, as: UTF8.self)
    check(streamed == whole, "stream \(streamed.debugDescription) differs from whole pieces \(whole.debugDescription)")

    let decoded: [UInt8]
    do {
        decoded = try tokenizer.decode(ids, skipSpecialTokens: skipSpecial)
    } catch {
        fail("decode of valid ids threw \(error)")
    }
    let first = ids.first.map(tokenizer.tokenBytes) ?? []
    let stripsFirst = tokenizer.addsSpacePrefix && first.first == 0x20 && !(skipSpecial && tokenizer.isControl(ids[0]))
    check(decoded == (stripsFirst ? Array(pieces.dropFirst()) : pieces), "decode differs from the pieces")
}
