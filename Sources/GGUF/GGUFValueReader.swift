/// Reads one metadata value (scalar, string or array) with every size checked before reading.
enum GGUFValueReader {
    static func readValue(_ reader: inout GGUFByteReader, key: String) throws(GGUFError) -> GGUFValue {
        let typeOffset = reader.offset
        let rawType = try reader.read(UInt32.self, "type of \"\(key)\"")
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw .unknownValueType(key: key, raw: rawType, offset: typeOffset)
        }
        let what = "value of \"\(key)\""
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self, what))
        case .int8: return .int8(try reader.read(Int8.self, what))
        case .uint16: return .uint16(try reader.read(UInt16.self, what))
        case .int16: return .int16(try reader.read(Int16.self, what))
        case .uint32: return .uint32(try reader.read(UInt32.self, what))
        case .int32: return .int32(try reader.read(Int32.self, what))
        case .uint64: return .uint64(try reader.read(UInt64.self, what))
        case .int64: return .int64(try reader.read(Int64.self, what))
        case .float32: return .float32(try reader.readFloat32(what))
        case .float64: return .float64(try reader.readFloat64(what))
        case .bool: return .bool(try readBool(&reader, key: key))
        case .string: return .string(try reader.readString(what))
        case .array: return .array(try readArray(&reader, key: key))
        }
    }

    static func readBool(_ reader: inout GGUFByteReader, key: String) throws(GGUFError) -> Bool {
        let offset = reader.offset
        let byte = try reader.read(UInt8.self, "value of \"\(key)\"")
        guard byte <= 1 else { throw .invalidBool(key: key, byte: byte, offset: offset) }
        return byte == 1
    }

    static func readArray(_ reader: inout GGUFByteReader, key: String) throws(GGUFError) -> GGUFArray {
        let typeOffset = reader.offset
        let rawType = try reader.read(UInt32.self, "element type of \"\(key)\"")
        guard let elementType = GGUFValueType(rawValue: rawType) else {
            throw .unknownValueType(key: key, raw: rawType, offset: typeOffset)
        }
        guard elementType != .array else { throw .nestedArray(key: key, offset: typeOffset) }
        let countOffset = reader.offset
        let rawCount = try reader.read(UInt64.self, "element count of \"\(key)\"")
        // Every element takes at least `minimumSize` bytes; the whole array must fit in what is left.
        let remaining = reader.remaining
        let (minimumBytes, overflow) = rawCount.multipliedReportingOverflow(by: UInt64(elementType.minimumSize))
        guard !overflow, minimumBytes <= UInt64(remaining) else {
            throw .arrayTooLarge(
                key: key, count: rawCount, elementType: elementType, offset: countOffset, remainingBytes: remaining)
        }
        let count = Int(rawCount)
        let what = "elements of \"\(key)\""
        switch elementType {
        case .uint8: return .uint8(try reader.readArray(of: UInt8.self, count: count, what))
        case .int8: return .int8(try reader.readArray(of: Int8.self, count: count, what))
        case .uint16: return .uint16(try reader.readArray(of: UInt16.self, count: count, what))
        case .int16: return .int16(try reader.readArray(of: Int16.self, count: count, what))
        case .uint32: return .uint32(try reader.readArray(of: UInt32.self, count: count, what))
        case .int32: return .int32(try reader.readArray(of: Int32.self, count: count, what))
        case .uint64: return .uint64(try reader.readArray(of: UInt64.self, count: count, what))
        case .int64: return .int64(try reader.readArray(of: Int64.self, count: count, what))
        case .float32:
            return .float32(try reader.readArray(of: UInt32.self, count: count, what).map(Float.init(bitPattern:)))
        case .float64:
            return .float64(try reader.readArray(of: UInt64.self, count: count, what).map(Double.init(bitPattern:)))
        case .bool:
            var values: [Bool] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readBool(&reader, key: key)) }
            return .bool(values)
        case .string:
            // A context-free description keeps the hot loop free of captures (and their
            // retain/release); a truncation is renamed after the key once, on the way out.
            var values: [String] = []
            values.reserveCapacity(count)
            do {
                for _ in 0..<count { values.append(try reader.readString("string array element")) }
            } catch .truncated(_, let offset, let needed, let fileSize) {
                throw .truncated(what: "element \(values.count) of \"\(key)\"", offset: offset, needed: needed, fileSize: fileSize)
            }
            return .string(values)
        case .array:
            throw .nestedArray(key: key, offset: typeOffset)
        }
    }
}
