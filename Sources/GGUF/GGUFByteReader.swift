#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bounds-checked little-endian cursor over the bytes of a GGUF file.
///
/// Every read checks the remaining length first and throws `GGUFError.truncated` naming what
/// it was reading; no read can trap or go past `bytes.count`.
struct GGUFByteReader {
    /// Cap on any one string (keys, values, tensor names): 64 MiB.
    static let maximumStringLength = 64 << 20

    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Bytes left after the cursor.
    var remaining: Int { bytes.count - offset }

    /// Throws `truncated` unless `count` more bytes are available.
    func require(_ count: Int, for what: @autoclosure () -> String) throws(GGUFError) {
        guard count <= remaining else {
            throw .truncated(what: what(), offset: offset, needed: count, fileSize: bytes.count)
        }
    }

    /// Moves the cursor by `count` bytes after checking they exist.
    mutating func skip(_ count: Int, for what: @autoclosure () -> String) throws(GGUFError) {
        try require(count, for: what())
        offset += count
    }

    /// Reads one little-endian integer.
    @inline(__always)
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= bytes.count - offset else {
            throw .truncated(what: what(), offset: offset, needed: size, fileSize: bytes.count)
        }
        // The guard makes `bytes` non-empty, so it has a base address.
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { destination in
            destination.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: size)
        }
        offset += size
        return T(littleEndian: value)
    }

    mutating func readFloat32(_ what: @autoclosure () -> String) throws(GGUFError) -> Float {
        Float(bitPattern: try read(UInt32.self, what()))
    }

    mutating func readFloat64(_ what: @autoclosure () -> String) throws(GGUFError) -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    /// Reads a GGUF string (uint64 length, then that many UTF-8 bytes), validating the UTF-8.
    mutating func readString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        let bytes = try readStringBytes(what())
        let codeUnits = bytes.bindMemory(to: UInt8.self)
        var string = String(decoding: codeUnits, as: UTF8.self)
        // Decoding repairs invalid UTF-8; the bytes come back unchanged only if they were valid.
        let unchanged = string.utf8.count == codeUnits.count
            && (codeUnits.isEmpty || string.withUTF8 { memcmp($0.baseAddress!, codeUnits.baseAddress!, codeUnits.count) == 0 })
        guard unchanged else {
            throw .invalidUTF8(offset: offset - bytes.count)
        }
        return string
    }

    /// Reads a GGUF string's bytes without decoding them: a view into the file.
    mutating func readStringBytes(_ what: @autoclosure () -> String) throws(GGUFError) -> UnsafeRawBufferPointer {
        let lengthOffset = offset
        let length = try read(UInt64.self, what() + " length")
        guard length <= UInt64(Self.maximumStringLength), Int(length) <= remaining else {
            throw .stringTooLong(length: length, offset: lengthOffset, limit: min(Self.maximumStringLength, remaining))
        }
        let count = Int(length)
        let view = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return view
    }

    /// Reads `count` fixed-size little-endian integers into an array with one copy.
    mutating func readArray<T: FixedWidthInteger>(of _: T.Type, count: Int, _ what: @autoclosure () -> String)
        throws(GGUFError) -> [T]
    {
        let (size, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.size)
        guard !overflow, size <= remaining else {
            throw .truncated(what: what(), offset: offset, needed: overflow ? Int.max : size, fileSize: bytes.count)
        }
        let source = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + size)])
        let result = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            initialized = count
        }
        offset += size
        #if _endian(big)
            return result.map { T(littleEndian: $0) }
        #else
            return result
        #endif
    }
}
