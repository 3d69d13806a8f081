import GGUF
import Testing

/// Tensor names, dimensions, types, sizes and offsets: each malformed entry gets its own typed error.
@Suite struct TensorTableValidationTests {
    /// A file whose only tensor is `tensor` (placed at `offset`, or at 0), with `padding` bytes
    /// of data after the data section start.
    func file(with tensor: GGUFBuilder.Tensor, dataBytes: Int = 64) -> [UInt8] {
        var builder = GGUFBuilder()
        var tensor = tensor
        if tensor.offset == nil { tensor.offset = 0 }
        builder.tensors = [tensor]
        var bytes = builder.build()
        while bytes.count % 32 != 0 { bytes.append(0) }
        return bytes + [UInt8](repeating: 0, count: dataBytes)
    }

    @Test func validTensorsAndTheirViews() throws {
        var builder = GGUFBuilder()
        builder.addTensor("w", [64, 3], .q8_0)
        builder.addTensor("v", [5])
        builder.tensors.append(GGUFBuilder.Tensor("s", []))
        let file = try GGUFFile(bytes: builder.build())
        let w = try #require(file.tensor(named: "w"))
        #expect(w.dimensions == [64, 3])
        #expect(w.elementCount == 192)
        #expect(w.byteCount == 2 * 34 * 3)
        #expect(w.rowCount == 3 && w.bytesPerRow == 68)
        #expect(w.offset == file.dataOffset)
        let v = try #require(file.tensor(named: "v"))
        #expect(v.offset == file.dataOffset + 224)  // 204 rounded up to 32
        let data = try file.tensorBytes(named: "v")
        #expect(Array(data) == (224..<244).map { UInt8($0) })
        let scalar = try #require(file.tensor(named: "s"))
        #expect(scalar.dimensions.isEmpty && scalar.elementCount == 1 && scalar.byteCount == 4)
        #expect(file.tensor(named: "nope") == nil)
        #expect(ggufError { () throws(GGUFError) in try file.tensorBytes(named: "nope") } == .missingTensor("nope"))
    }

    @Test func nameOf63BytesIsAccepted() throws {
        let name = String(repeating: "n", count: 63)
        _ = try GGUFFile(bytes: file(with: .init(name, [1])))
    }

    @Test func nameOf64BytesIsRejected() {
        let name = String(repeating: "n", count: 64)
        #expect(parseError(file(with: .init(name, [1]))) == .tensorNameTooLong(name: name, length: 64, offset: 24))
    }

    @Test func duplicateTensorName() {
        var builder = GGUFBuilder()
        builder.addTensor("w", [4])
        builder.addTensor("w", [4])
        #expect(parseError(builder.build()) == .duplicateTensorName("w"))
    }

    @Test func moreThanFourDimensionsIsCheckedBeforeReadingThem() {
        // The count claims 2^32 - 1 dimensions and the file ends right after it: the error must be
        // about the count, not a truncation while reading dimensions.
        var builder = GGUFBuilder()
        builder.tensors = [.init(name: Array("t".utf8), dimensions: [], rawType: 0, offset: 0, dimensionCount: .max)]
        var bytes = builder.build()
        bytes.removeLast(12)  // drop type and offset: nothing follows the count
        bytes += [UInt8](repeating: 0, count: 24)  // but enough bytes for the count check
        #expect(parseError(bytes) == .tooManyDimensions(name: "t", count: .max))
    }

    @Test func fiveDimensions() {
        let tensor = GGUFBuilder.Tensor(name: Array("t".utf8), dimensions: [1, 1, 1, 1, 1], rawType: 0, offset: 0)
        #expect(parseError(file(with: tensor)) == .tooManyDimensions(name: "t", count: 5))
    }

    @Test func dimensionAboveInt64Max() {
        let tensor = GGUFBuilder.Tensor("t", [4, UInt64(Int64.max) + 1])
        #expect(parseError(file(with: tensor)) == .dimensionTooLarge(name: "t", index: 1, value: UInt64(Int64.max) + 1))
    }

    @Test(arguments: [
        [UInt64(1) << 32, 1 << 32],  // 2^64
        [1 << 62, 4],  // wraps to exactly 0: still an overflow
        [3, 1 << 62],  // wraps to a negative product
        [2, 2, 2, UInt64(Int64.max)],
        [0, 1 << 32, 1 << 32],  // empty, but its row count would overflow
    ])
    func elementCountOverflow(dimensions: [UInt64]) {
        let tensor = GGUFBuilder.Tensor("t", dimensions)
        #expect(parseError(file(with: tensor)) == .elementCountOverflow(name: "t", dimensions: dimensions))
    }

    @Test func zeroDimensionGivesAnEmptyTensor() throws {
        let tensor = GGUFBuilder.Tensor("t", [0, UInt64(Int64.max)])
        let info = try #require(try GGUFFile(bytes: file(with: tensor)).tensor(named: "t"))
        #expect(info.elementCount == 0 && info.byteCount == 0)
    }

    @Test(arguments: [UInt32(4), 5, 31, 33, 36, 38, 43, 1000, .max])
    func unknownTensorType(raw: UInt32) {
        let tensor = GGUFBuilder.Tensor(name: Array("t".utf8), dimensions: [256], rawType: raw, offset: 0)
        #expect(parseError(file(with: tensor)) == .unknownTensorType(name: "t", raw: raw))
    }

    @Test func firstDimensionNotAMultipleOfTheBlockSize() {
        let tensor = GGUFBuilder.Tensor("t", [33, 2], .q4_0)
        #expect(parseError(file(with: tensor)) == .dimensionNotMultipleOfBlockSize(name: "t", type: .q4_0, dimension: 33, blockSize: 32))
    }

    static let byteOverflows: [([UInt64], GGMLType)] = [
        ([1 << 61], .f64),  // 2^61 elements fit, 2^64 bytes do not
        ([256, (1 << 55) - (1 << 50)], .q8_K),  // 31·2^58 elements fit, × 292/256 bytes do not
    ]

    @Test(arguments: byteOverflows)
    func byteSizeOverflows(dimensions: [UInt64], type: GGMLType) {
        let tensor = GGUFBuilder.Tensor("t", dimensions, type)
        #expect(parseError(file(with: tensor)) == .byteCountOverflow(name: "t"))
    }

    @Test func offsetNotAligned() {
        let tensor = GGUFBuilder.Tensor("t", [4], offset: 16)
        #expect(parseError(file(with: tensor)) == .tensorOffsetMisaligned(name: "t", offset: 16, alignment: 32))
    }

    @Test(arguments: [UInt64.max - 31, UInt64(Int64.max) - 31, UInt64(Int64.max) + 1])
    func offsetOverflows(offset: UInt64) {
        let tensor = GGUFBuilder.Tensor("t", [4], offset: offset)
        #expect(parseError(file(with: tensor)) == .tensorOffsetOverflow(name: "t", offset: offset))
    }

    @Test func offsetPastTheEndOfTheFile() throws {
        let tensor = GGUFBuilder.Tensor("t", [16], offset: 64)  // 64 bytes of data, 64 bytes from the start
        let bytes = file(with: tensor, dataBytes: 96)
        let error = try #require(parseError(bytes))
        guard case .tensorOutOfBounds(let name, let offset, let size, let fileSize) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(name == "t" && size == 64 && fileSize == bytes.count && offset + size > fileSize)
    }

    @Test func tensorEndingExactlyAtTheEndOfTheFile() throws {
        let tensor = GGUFBuilder.Tensor("t", [16], offset: 32)
        _ = try GGUFFile(bytes: file(with: tensor, dataBytes: 96))
    }

    @Test func overlappingTensors() {
        var builder = GGUFBuilder()
        builder.tensors = [.init("a", [16], offset: 0), .init("b", [16], offset: 32)]  // a: 64 bytes
        var bytes = builder.build()
        while bytes.count % 32 != 0 { bytes.append(0) }
        bytes += [UInt8](repeating: 0, count: 128)
        #expect(parseError(bytes) == .overlappingTensors(first: "a", second: "b"))
    }

    @Test func sameOffsetTwice() {
        var builder = GGUFBuilder()
        builder.tensors = [.init("b", [8], offset: 0), .init("a", [8], offset: 0)]
        var bytes = builder.build()
        while bytes.count % 32 != 0 { bytes.append(0) }
        bytes += [UInt8](repeating: 0, count: 64)
        guard case .overlappingTensors = parseError(bytes) else {
            Issue.record("expected overlappingTensors")
            return
        }
    }
}
