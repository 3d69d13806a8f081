import GGUF
import Testing

/// Keys, strings, value types and arrays: each malformed pair gets its own typed error.
@Suite struct MetadataValidationTests {
    /// Offset of the first key-value pair (after magic, version and the two counts).
    static let firstPair = 24

    @Test func everyValueTypeRoundTrips() throws {
        let values: [GGUFValue] = [
            .uint8(200), .int8(-100), .uint16(60_000), .int16(-30_000), .uint32(4_000_000_000),
            .int32(-2_000_000_000), .uint64(UInt64.max), .int64(Int64.min), .float32(1.5), .float64(-2.25),
            .bool(true), .bool(false), .string("héllo"), .string(""),
            .array(.uint8([1, 2])), .array(.int8([-1])), .array(.uint16([7])), .array(.int16([-7])),
            .array(.uint32([1, 2, 3])), .array(.int32([-3])), .array(.uint64([9])), .array(.int64([-9])),
            .array(.float32([0.5, 1])), .array(.float64([0.25])), .array(.bool([true, false])),
            .array(.string(["x", "", "zz"])), .array(.int32([])),
        ]
        var builder = GGUFBuilder()
        for (index, value) in values.enumerated() { builder.add("k\(index)", value) }
        let file = try GGUFFile(bytes: builder.build())
        #expect(file.metadata.keys == values.indices.map { "k\($0)" })
        #expect(file.metadata.entries.map(\.value) == values)
    }

    @Test func stringLongerThanTheRemainingBytes() {
        var builder = GGUFBuilder()
        builder.addRaw("name", type: GGUFValueType.string.rawValue, bytes: [0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 65])
        let valueOffset = Self.firstPair + 8 + 4 + 4
        #expect(parseError(builder.build()) == .stringTooLong(length: 0xFFFF, offset: valueOffset, limit: 1))
    }

    @Test func stringLongerThanTheCap() {
        // A file that really holds 64 MiB + 1 bytes of string: rejected by the cap, not the size.
        let length = (64 << 20) + 1
        var payload: [UInt8] = []
        payload.append(le: UInt64(length))
        payload += [UInt8](repeating: 0x61, count: length)
        var builder = GGUFBuilder()
        builder.addRaw("big", type: GGUFValueType.string.rawValue, bytes: payload)
        let valueOffset = Self.firstPair + 8 + 3 + 4
        #expect(parseError(builder.build()) == .stringTooLong(length: UInt64(length), offset: valueOffset, limit: 64 << 20))
    }

    @Test func keyLengthLargerThanTheFile() {
        var bytes = GGUFBuilder().build()
        bytes.replaceSubrange(16..<24, with: [1, 0, 0, 0, 0, 0, 0, 0])  // one pair
        bytes.append(le: UInt64.max)  // its key length
        bytes += [UInt8](repeating: 0, count: 8)
        #expect(parseError(bytes) == .stringTooLong(length: UInt64.max, offset: Self.firstPair, limit: 8))
    }

    @Test func invalidUTF8InAString() {
        var builder = GGUFBuilder()
        builder.addRaw("s", type: GGUFValueType.string.rawValue, bytes: [2, 0, 0, 0, 0, 0, 0, 0, 0xC3, 0x28])
        #expect(parseError(builder.build()) == .invalidUTF8(offset: Self.firstPair + 8 + 1 + 4 + 8))
    }

    @Test func emptyKey() {
        var builder = GGUFBuilder()
        builder.add("a", .uint8(1))
        builder.add("", .uint8(2))
        #expect(parseError(builder.build()) == .emptyKey(index: 1, offset: Self.firstPair + 8 + 1 + 4 + 1))
    }

    @Test func duplicateKey() {
        var builder = GGUFBuilder()
        builder.add("general.name", .string("a"))
        builder.add("general.name", .string("b"))
        #expect(parseError(builder.build()) == .duplicateKey("general.name"))
    }

    @Test(arguments: [UInt32(13), 255, UInt32.max])
    func unknownValueType(raw: UInt32) {
        var builder = GGUFBuilder()
        builder.addRaw("odd", type: raw, bytes: [0, 0, 0, 0])
        #expect(parseError(builder.build()) == .unknownValueType(key: "odd", raw: raw, offset: Self.firstPair + 8 + 3))
    }

    @Test func unknownArrayElementType() {
        var builder = GGUFBuilder()
        builder.addRaw("odd", type: GGUFValueType.array.rawValue, bytes: [99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(parseError(builder.build()) == .unknownValueType(key: "odd", raw: 99, offset: Self.firstPair + 8 + 3 + 4))
    }

    @Test func invalidBool() {
        var builder = GGUFBuilder()
        builder.addRaw("flag", type: GGUFValueType.bool.rawValue, bytes: [2])
        #expect(parseError(builder.build()) == .invalidBool(key: "flag", byte: 2, offset: Self.firstPair + 8 + 4 + 4))
    }

    @Test func arrayOfArrays() {
        var payload: [UInt8] = []
        payload.append(le: GGUFValueType.array.rawValue)
        payload.append(le: UInt64(1))
        payload.append(le: GGUFValueType.uint8.rawValue)
        payload.append(le: UInt64(1))
        payload.append(7)
        var builder = GGUFBuilder()
        builder.addRaw("nest", type: GGUFValueType.array.rawValue, bytes: payload)
        #expect(parseError(builder.build()) == .nestedArray(key: "nest", offset: Self.firstPair + 8 + 4 + 4))
    }

    @Test func arrayByteSizeOverflows() {
        var payload: [UInt8] = []
        payload.append(le: GGUFValueType.uint64.rawValue)
        payload.append(le: UInt64(1) << 61)  // × 8 bytes = 2^64
        var builder = GGUFBuilder()
        builder.addRaw("huge", type: GGUFValueType.array.rawValue, bytes: payload)
        let error = parseError(builder.build())
        #expect(error == .arrayTooLarge(key: "huge", count: 1 << 61, elementType: .uint64, offset: Self.firstPair + 8 + 4 + 4 + 4, remainingBytes: 0))
    }

    @Test func arrayLargerThanTheRemainingBytes() {
        var payload: [UInt8] = []
        payload.append(le: GGUFValueType.uint32.rawValue)
        payload.append(le: UInt64(3))
        payload.append(le: UInt32(1))
        payload.append(le: UInt32(2))  // only 2 of 3 elements present
        var builder = GGUFBuilder()
        builder.addRaw("short", type: GGUFValueType.array.rawValue, bytes: payload)
        #expect(parseError(builder.build()) == .arrayTooLarge(key: "short", count: 3, elementType: .uint32, offset: Self.firstPair + 8 + 5 + 4 + 4, remainingBytes: 8))
    }

    @Test func stringArrayCountLargerThanTheRemainingBytes() {
        var payload: [UInt8] = []
        payload.append(le: GGUFValueType.string.rawValue)
        payload.append(le: UInt64(1) << 40)
        var builder = GGUFBuilder()
        builder.addRaw("tokens", type: GGUFValueType.array.rawValue, bytes: payload)
        guard case .arrayTooLarge(let key, let count, let type, _, _) = parseError(builder.build()) else {
            Issue.record("expected arrayTooLarge")
            return
        }
        #expect(key == "tokens" && count == 1 << 40 && type == .string)
    }

    @Test func alignmentNotUInt32() {
        var builder = GGUFBuilder()
        builder.add("general.alignment", .uint64(32))
        #expect(parseError(builder.build()) == .alignmentNotUInt32(found: .uint64))
    }

    @Test(arguments: [UInt32(0), 48, 2 << 20])
    func invalidAlignment(value: UInt32) {
        var builder = GGUFBuilder()
        builder.add("general.alignment", .uint32(value))
        #expect(parseError(builder.build()) == .invalidAlignment(value))
    }

    @Test func customAlignmentIsUsed() throws {
        var builder = GGUFBuilder()
        builder.add("general.alignment", .uint32(64))
        builder.alignment = 64
        builder.addTensor("a", [3])
        builder.addTensor("b", [5])
        let file = try GGUFFile(bytes: builder.build())
        #expect(file.alignment == 64)
        #expect(file.dataOffset % 64 == 0)
        #expect(file.tensors.map(\.offset) == [file.dataOffset, file.dataOffset + 64])
    }
}
