import GGUF
import Testing

/// Magic, version and counts: each malformed header is rejected with its own typed error.
@Suite struct HeaderValidationTests {
    @Test func minimalValidFileParses() throws {
        let file = try GGUFFile(bytes: GGUFBuilder().build())
        #expect(file.version == 3)
        #expect(file.metadata.count == 0)
        #expect(file.tensors.isEmpty)
        #expect(file.alignment == 32)
    }

    @Test func versionTwoParses() throws {
        var builder = GGUFBuilder.tinyLlama()
        builder.version = 2
        let file = try GGUFFile(bytes: builder.build())
        #expect(file.version == 2)
        #expect(file.tensors.count == 20)
    }

    @Test func badMagic() {
        var builder = GGUFBuilder()
        builder.magic = Array("GGML".utf8)
        #expect(parseError(builder.build()) == .badMagic(found: Array("GGML".utf8) + [3, 0, 0, 0]))
    }

    @Test(arguments: [UInt32(0), 1, 4, 0xFFFF_FFFF])
    func unsupportedVersion(version: UInt32) {
        var builder = GGUFBuilder()
        builder.version = version
        #expect(parseError(builder.build()) == .unsupportedVersion(version))
    }

    @Test(arguments: [UInt32(2), 3])
    func byteSwappedVersionIsReportedAsBigEndian(version: UInt32) {
        var builder = GGUFBuilder()
        builder.version = version.byteSwapped
        let error = parseError(builder.build())
        #expect(error == .bigEndianFile(version: version.byteSwapped))
        #expect(error?.description.contains("big-endian") == true)
    }

    @Test func tensorCountLargerThanTheFileCouldHold() {
        var builder = GGUFBuilder.tinyLlama()
        builder.tensorCount = 1 << 40
        let error = parseError(builder.build())
        guard case .countTooLarge(let what, let count, let offset, _) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(what == "tensor count")
        #expect(count == 1 << 40)
        #expect(offset == 8)
    }

    @Test func keyValueCountLargerThanTheFileCouldHold() {
        var builder = GGUFBuilder.tinyLlama()
        builder.keyValueCount = UInt64.max
        let error = parseError(builder.build())
        guard case .countTooLarge(let what, let count, let offset, _) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(what == "metadata key-value count")
        #expect(count == UInt64.max)
        #expect(offset == 16)
    }

    @Test func keyValueCountOneTooManyIsTruncation() {
        // A count the remaining bytes could hold, but the pairs are not there: truncated.
        var builder = GGUFBuilder()
        builder.add("a", .string(String(repeating: "x", count: 40)))
        builder.keyValueCount = 2
        guard case .truncated = parseError(builder.build()) else {
            Issue.record("expected truncated")
            return
        }
    }
}
