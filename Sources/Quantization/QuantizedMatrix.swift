import CKernels
import GGUF

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only view of a quantized weight matrix in place (usually inside a memory-mapped GGUF
/// file): `rows` rows (ggml `ne1`) of `columns` values (ggml `ne0`, the contiguous dimension),
/// each row `bytesPerRow` bytes of `type` blocks.
///
/// The kernels never expand the matrix: `multiply` reads each row's blocks once per call and
/// computes dot products directly on them: integer dot products against 8-bit activations for
/// the quantized types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, and the K-quants Q4_K, Q5_K, Q6_K, whose
/// 256-value super-blocks are read as 8 blocks of 32 with their 6- or 8-bit sub-block scales);
/// float dot products for F32, F16 and BF16.
///
/// A matrix is in one of two ``Layout``s: ggml's (rows of blocks, read in place) or packed
/// (``packed()``: 16 rows interleaved per 32-value block for the integer dot-product instructions,
/// with the packed kernels' own arithmetic; see ``Layout/packed``).
///
/// A value type holding a raw pointer; `owner` keeps the memory alive (e.g. the `GGUFFile`),
/// and the bytes are never written, hence `@unchecked Sendable`.
public struct QuantizedMatrix: @unchecked Sendable {
    /// Element type of the stored blocks.
    public let type: GGMLType
    /// Number of rows (ggml `ne1`): the length of the output of `multiply`.
    public let rows: Int
    /// Values per row (ggml `ne0`): the length of the input of `multiply`.
    public let columns: Int
    /// Bytes of one row.
    public let bytesPerRow: Int
    /// Address of row 0.
    public let base: UnsafeRawPointer
    /// Keeps `base` valid as long as this value lives (nil when the caller guarantees it).
    public let owner: (any AnyObject & Sendable)?
    /// How the bytes at `base` are arranged.
    public let layout: Layout

    /// The arrangement of a matrix's bytes, and with it the arithmetic of `multiply`.
    public enum Layout: Sendable, Equatable {
        /// ggml's: `rows` rows of `bytesPerRow` bytes. `multiply` follows llama.cpp's CPU dot
        /// products (per block, 8 integer lanes each converted and multiply-added into 8 float
        /// lanes), which with `QuantizedActivations.ScaleFormat.half` gives llama.cpp's bits.
        case ggml
        /// Packed (`ck_pack`): groups of 16 rows, each 32-value block's weights interleaved so one
        /// integer dot-product instruction serves 16 rows, stored unsigned with the block's float
        /// scales (and offsets) beside them. `multiply` forms one exact integer sum per (row,
        /// token, block) and accumulates `fma(Float(sum), d · activation scale, acc)` (plus
        /// `fma(m, activation sum, acc)` where the type has an offset) in block order: the same
        /// bits at every level, row range and batch size, within ~1e-4 relative of the ggml
        /// layout's results, and 3–4× faster per (row, token) pair on AVX-512.
        case packed
    }

    /// The quantized types that have a packed form (every integer type).
    public static let packableTypes: Set<GGMLType> = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]

    /// The types `multiply`, `dequantizeRow` and `rowBytes` accept.
    public static let supportedTypes: Set<GGMLType> = Dequantizer.supportedTypes

    /// A matrix over `byteCount` bytes at `base`.
    ///
    /// - Parameters:
    ///   - owner: an object that keeps the bytes alive (stored, never used otherwise).
    /// - Throws: `unsupportedType`; `invalidCount` for non-positive sizes;
    ///   `columnsNotMultipleOf32` (every type: 32 is the activation block size);
    ///   `countNotMultipleOfBlockSize` when a row is not whole blocks (K-quants: multiples of 256);
    ///   `bufferTooSmall` when `byteCount` is short.
    public init(
        type: GGMLType, rows: Int, columns: Int, base: UnsafeRawPointer, byteCount: Int,
        owner: (any AnyObject & Sendable)? = nil
    ) throws(QuantizationError) {
        guard Self.supportedTypes.contains(type) else { throw .unsupportedType(type, operation: "multiply") }
        guard rows > 0 else { throw .invalidCount(what: "matrix rows", value: rows) }
        guard columns > 0 else { throw .invalidCount(what: "matrix columns", value: columns) }
        guard columns % 32 == 0 else { throw .columnsNotMultipleOf32(columns) }
        let rowBytes = try Dequantizer.byteCount(of: type, count: columns)
        let (needed, overflow) = rowBytes.multipliedReportingOverflow(by: rows)
        guard !overflow else { throw .invalidCount(what: "matrix rows", value: rows) }
        guard byteCount >= needed else { throw .bufferTooSmall(needed: needed, available: byteCount) }
        self.type = type
        self.rows = rows
        self.columns = columns
        self.bytesPerRow = rowBytes
        self.base = base
        self.owner = owner
        self.layout = .ggml
    }

    private init(packedFrom source: QuantizedMatrix, storage: PackedStorage) {
        type = source.type
        rows = source.rows
        columns = source.columns
        bytesPerRow = source.bytesPerRow
        base = UnsafeRawPointer(storage.bytes)
        owner = storage
        layout = .packed
    }

    /// This matrix repacked into ``Layout/packed`` (new memory of about the same size; a
    /// packed matrix is returned as it is).
    ///
    /// - Throws: `unsupportedType` for a type outside ``packableTypes``.
    public func packed() throws(QuantizationError) -> QuantizedMatrix {
        if layout == .packed { return self }
        guard Self.packableTypes.contains(type) else { throw .unsupportedType(type, operation: "pack") }
        let size = ck_packed_size(Int32(type.rawValue), Int64(rows), Int64(columns))
        guard size > 0 else { throw .unsupportedType(type, operation: "pack") }
        let storage = PackedStorage(byteCount: size)
        let status = ck_pack(Int32(type.rawValue), base, bytesPerRow, Int64(rows), Int64(columns), storage.bytes)
        precondition(status == 0, "ck_packed_size and ck_pack disagree on \(type)")
        return QuantizedMatrix(packedFrom: self, storage: storage)
    }

    /// The tensor `name` of `file`, packed (``packed()``), with the file's pages of the tensor
    /// released from memory as they are packed (`madvise(MADV_DONTNEED)` on the read-only private
    /// mapping, every 1024 rows; they are read from the file again if touched), so a model's
    /// resident memory holds one copy of its weights, not two, even while loading. Types outside
    /// ``packableTypes`` are returned in place, unpacked.
    ///
    /// - Throws: as `init(file:tensor:)`.
    public init(packing file: GGUFFile, tensor name: String) throws(QuantizationError) {
        let source = try QuantizedMatrix(file: file, tensor: name)
        guard Self.packableTypes.contains(source.type) else {
            self = source
            return
        }
        let type = Int32(source.type.rawValue), columns = Int64(source.columns)
        let size = ck_packed_size(type, Int64(source.rows), columns)
        guard size > 0 else { throw .unsupportedType(source.type, operation: "pack") }
        let storage = PackedStorage(byteCount: size)
        // Whole 16-row groups per chunk, so each chunk's packed bytes start at its first group.
        let chunkRows = 1024
        for first in stride(from: 0, to: source.rows, by: chunkRows) {
            let count = min(chunkRows, source.rows - first)
            let destination = storage.bytes + ck_packed_size(type, Int64(first), columns)  // 0 for the first chunk
            let status = ck_pack(
                type, source.base + first * source.bytesPerRow, source.bytesPerRow, Int64(count), columns, destination)
            precondition(status == 0, "ck_packed_size and ck_pack disagree on \(source.type)")
            // Everything packed so far (a page straddling two chunks goes with the second).
            source.releasePages(byteCount: (first + count) * source.bytesPerRow)
        }
        self = QuantizedMatrix(packedFrom: source, storage: storage)
    }

    /// Drops the whole pages inside `byteCount` bytes at `base` from this process's memory.
    private func releasePages(byteCount: Int) {
        #if canImport(Glibc) || canImport(Darwin)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + byteCount) / page * page
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(address, end - start, Int32(MADV_DONTNEED))
        #endif
    }

    /// The 2-D tensor `name` of `file` (`[ne0, ne1]` = `[columns, rows]`; a 1-D tensor is one row).
    /// The matrix keeps `file` alive.
    ///
    /// - Throws: `missingTensor`, `notAMatrix` for three or more dimensions, and as
    ///   `init(type:rows:columns:base:byteCount:owner:)`.
    public init(file: GGUFFile, tensor name: String) throws(QuantizationError) {
        guard let info = file.tensor(named: name) else { throw .missingTensor(name) }
        let dims = info.dimensions
        guard (1...2).contains(dims.count) || (dims.count > 2 && dims.dropFirst(2).allSatisfy { $0 == 1 }) else {
            throw .notAMatrix(name: name, dimensions: dims)
        }
        let bytes = file.bytes(of: info)
        guard let start = bytes.baseAddress else { throw .notAMatrix(name: name, dimensions: dims) }
        try self.init(
            type: info.type, rows: dims.count >= 2 ? dims[1] : 1, columns: dims[0], base: start,
            byteCount: bytes.count, owner: file)
    }
}
