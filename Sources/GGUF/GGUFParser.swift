/// Reads and validates the header, metadata and tensor table of a GGUF v2/v3 file held in memory
/// (the GGUF specification, ggml/docs/gguf.md; checks modelled on what llama.cpp's gguf.cpp
/// rejects, plus overlap and caps of our own).
///
/// - Complexity: O(header bytes) plus O(t log t) for `t` tensors; tensor data is never touched.
struct GGUFParser {
    /// Everything the header describes.
    struct Result {
        var version: UInt32
        var metadata: GGUFMetadata
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    /// Default `general.alignment`.
    static let defaultAlignment = 32
    /// Largest accepted `general.alignment`: 1 MiB.
    static let maximumAlignment: UInt32 = 1 << 20
    /// ggml's `GGML_MAX_DIMS`.
    static let maximumDimensions: UInt32 = 4
    /// ggml's `GGML_MAX_NAME` (names must be shorter, leaving room for the terminator).
    static let maximumNameLength = 64
    /// Fewest bytes a key-value pair can take: key length (8), type (4), one value byte (an empty
    /// key is rejected later, with its own error).
    static let minimumKeyValueSize = 13
    /// Fewest bytes a tensor entry can take: name length (8), dimension count (4), type (4), offset (8).
    static let minimumTensorInfoSize = 24

    private static let magic: [UInt8] = Array("GGUF".utf8)

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(GGUFError) -> Result {
        var reader = GGUFByteReader(bytes)

        let magicCount = min(4, bytes.count)
        let found = Array(bytes.prefix(8))
        guard magicCount == 4, Array(bytes.prefix(4)) == magic else {
            if bytes.count < 4, found == Array(magic.prefix(bytes.count)) {
                throw .truncated(what: "magic", offset: 0, needed: 4, fileSize: bytes.count)
            }
            throw .badMagic(found: found)
        }
        try reader.skip(4, for: "magic")

        let version = try reader.read(UInt32.self, "version")
        guard version == 2 || version == 3 else {
            if version.byteSwapped == 2 || version.byteSwapped == 3 { throw .bigEndianFile(version: version) }
            throw .unsupportedVersion(version)
        }

        let countsOffset = reader.offset
        let tensorCount = try reader.read(UInt64.self, "tensor count")
        let keyValueCount = try reader.read(UInt64.self, "metadata key-value count")
        let afterCounts = reader.remaining
        guard tensorCount <= UInt64(afterCounts / minimumTensorInfoSize) else {
            throw .countTooLarge(what: "tensor count", count: tensorCount, offset: countsOffset, remainingBytes: afterCounts)
        }
        let tensorBytes = Int(tensorCount) * minimumTensorInfoSize
        guard keyValueCount <= UInt64((afterCounts - tensorBytes) / minimumKeyValueSize) else {
            throw .countTooLarge(
                what: "metadata key-value count", count: keyValueCount, offset: countsOffset + 8,
                remainingBytes: afterCounts - tensorBytes)
        }

        var metadata = GGUFMetadata()
        for index in 0..<Int(keyValueCount) {
            let entryOffset = reader.offset
            let key = try reader.readString("metadata key \(index)")
            guard !key.isEmpty else { throw .emptyKey(index: index, offset: entryOffset) }
            let value = try GGUFValueReader.readValue(&reader, key: key)
            try metadata.append(.init(key: key, value: value), offset: entryOffset)
        }

        let alignment = try Self.alignment(in: metadata)
        let infos = try Self.readTensorInfos(&reader, count: Int(tensorCount), alignment: alignment)

        // The data section starts at the next multiple of the alignment after the tensor table.
        let (padded, overflow) = reader.offset.addingReportingOverflow(alignment - 1)
        guard !overflow else { throw .truncated(what: "data section", offset: reader.offset, needed: alignment, fileSize: bytes.count) }
        let dataOffset = padded / alignment * alignment

        let tensors = try Self.place(infos, dataOffset: dataOffset, fileSize: bytes.count)
        return Result(version: version, metadata: metadata, tensors: tensors, alignment: alignment, dataOffset: dataOffset)
    }

    /// `general.alignment` if present (UINT32, a power of two, at most 1 MiB), else 32.
    static func alignment(in metadata: GGUFMetadata) throws(GGUFError) -> Int {
        guard let value = metadata["general.alignment"] else { return defaultAlignment }
        guard case .uint32(let alignment) = value else { throw .alignmentNotUInt32(found: value.type) }
        guard alignment != 0, alignment & (alignment - 1) == 0, alignment <= maximumAlignment else {
            throw .invalidAlignment(alignment)
        }
        return Int(alignment)
    }

    /// A tensor entry as read, before its place in the file is checked.
    struct RawTensorInfo {
        var name: String
        var dimensions: [Int]
        var type: GGMLType
        var relativeOffset: UInt64
        var byteCount: Int
        var elementCount: Int
    }

    static func readTensorInfos(_ reader: inout GGUFByteReader, count: Int, alignment: Int)
        throws(GGUFError) -> [RawTensorInfo]
    {
        var infos: [RawTensorInfo] = []
        infos.reserveCapacity(count)
        var names = Set<String>()
        for index in 0..<count {
            let nameOffset = reader.offset
            let name = try reader.readString("tensor \(index) name")
            let nameLength = name.utf8.count
            guard nameLength < maximumNameLength else {
                throw .tensorNameTooLong(name: name, length: nameLength, offset: nameOffset)
            }
            guard names.insert(name).inserted else { throw .duplicateTensorName(name) }

            let dimensionCount = try reader.read(UInt32.self, "tensor \"\(name)\" dimension count")
            guard dimensionCount <= maximumDimensions else {
                throw .tooManyDimensions(name: name, count: dimensionCount)
            }
            var rawDimensions: [UInt64] = []
            for d in 0..<Int(dimensionCount) {
                rawDimensions.append(try reader.read(UInt64.self, "tensor \"\(name)\" dimension \(d)"))
            }
            let rawType = try reader.read(UInt32.self, "tensor \"\(name)\" type")
            let relativeOffset = try reader.read(UInt64.self, "tensor \"\(name)\" offset")

            var dimensions: [Int] = []
            for (d, raw) in rawDimensions.enumerated() {
                guard raw <= UInt64(Int64.max), let value = Int(exactly: raw) else {
                    throw .dimensionTooLarge(name: name, index: d, value: raw)
                }
                dimensions.append(value)
            }
            // The product of the non-zero dimensions must fit, so that every partial product
            // (rows, bytes) fits too, even when a zero dimension makes the tensor empty.
            var nonZeroProduct = 1
            for value in dimensions {
                let (product, overflow) = nonZeroProduct.multipliedReportingOverflow(by: max(value, 1))
                guard !overflow else { throw .elementCountOverflow(name: name, dimensions: rawDimensions) }
                nonZeroProduct = product
            }
            let elementCount = dimensions.contains(0) ? 0 : nonZeroProduct
            guard let type = GGMLType(rawValue: rawType) else { throw .unknownTensorType(name: name, raw: rawType) }
            let rowLength = dimensions.first ?? 1
            guard rowLength % type.blockSize == 0 else {
                throw .dimensionNotMultipleOfBlockSize(
                    name: name, type: type, dimension: rowLength, blockSize: type.blockSize)
            }
            var byteCount = rowLength / type.blockSize
            for factor in [type.bytesPerBlock] + dimensions.dropFirst() {
                let (product, overflow) = byteCount.multipliedReportingOverflow(by: factor)
                guard !overflow else { throw .byteCountOverflow(name: name) }
                byteCount = product
            }
            guard relativeOffset % UInt64(alignment) == 0 else {
                throw .tensorOffsetMisaligned(name: name, offset: relativeOffset, alignment: alignment)
            }
            infos.append(
                RawTensorInfo(
                    name: name, dimensions: dimensions, type: type, relativeOffset: relativeOffset,
                    byteCount: byteCount, elementCount: elementCount))
        }
        return infos
    }

    /// Turns relative offsets into absolute ones and checks every tensor lies inside the file
    /// and none overlaps another.
    static func place(_ infos: [RawTensorInfo], dataOffset: Int, fileSize: Int) throws(GGUFError) -> [GGUFTensorInfo] {
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(infos.count)
        for info in infos {
            guard let relative = Int(exactly: info.relativeOffset) else {
                throw .tensorOffsetOverflow(name: info.name, offset: info.relativeOffset)
            }
            let (start, startOverflow) = dataOffset.addingReportingOverflow(relative)
            guard !startOverflow else { throw .tensorOffsetOverflow(name: info.name, offset: info.relativeOffset) }
            let (end, endOverflow) = start.addingReportingOverflow(info.byteCount)
            guard !endOverflow else { throw .tensorOffsetOverflow(name: info.name, offset: info.relativeOffset) }
            guard end <= fileSize else {
                throw .tensorOutOfBounds(name: info.name, offset: start, size: info.byteCount, fileSize: fileSize)
            }
            tensors.append(
                GGUFTensorInfo(
                    name: info.name, dimensions: info.dimensions, type: info.type, offset: start,
                    byteCount: info.byteCount, elementCount: info.elementCount))
        }
        let nonEmpty = tensors.filter { $0.byteCount > 0 }.sorted { $0.offset < $1.offset }
        for (previous, next) in zip(nonEmpty, nonEmpty.dropFirst()) where next.offset < previous.offset + previous.byteCount {
            throw .overlappingTensors(first: previous.name, second: next.name)
        }
        return tensors
    }
}
