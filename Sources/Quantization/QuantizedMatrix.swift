import GGUF

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
