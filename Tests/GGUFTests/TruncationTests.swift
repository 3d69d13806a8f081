import GGUF
import Testing

/// A file cut anywhere is rejected with a typed error.
@Suite struct TruncationTests {
    @Test func everyPrefixOfASmallFileIsRejected() throws {
        var builder = GGUFBuilder()
        builder.add("general.architecture", .string("llama"))
        builder.add("general.alignment", .uint32(32))
        builder.add("flags", .array(.bool([true, false])))
        builder.add("scores", .array(.float32([0.5, -1])))
        builder.add("tokens", .array(.string(["a", "bc"])))
        builder.add("eps", .float64(1e-6))
        builder.addTensor("a", [32, 2], .q8_0)
        builder.addTensor("b", [3])
        let bytes = builder.build()
        _ = try GGUFFile(bytes: bytes)  // the whole file is valid
        for length in 0..<bytes.count {
            let error = parseError(Array(bytes.prefix(length)))
            #expect(error != nil, "prefix of \(length) bytes was accepted")
            switch error {
            case .truncated, .stringTooLong, .arrayTooLarge, .countTooLarge, .tensorOutOfBounds, nil: break
            case .badMagic where length < 4: Issue.record("a prefix of the magic must read as truncated")
            default: Issue.record("prefix of \(length) bytes: unexpected \(String(describing: error))")
            }
        }
    }
}
