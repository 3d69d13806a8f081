/// One entry of a GGUF file's tensor table, validated: its bytes lie inside the file, aligned,
/// and its sizes are computed without overflow.
public struct GGUFTensorInfo: Sendable, Hashable {
    /// Tensor name, e.g. `"blk.0.attn_q.weight"` (fewer than 64 bytes).
    public let name: String
    /// Dimensions in ggml order: `dimensions[0]` (`ne0`) is the contiguous one, the row length.
    /// One to four entries (a scalar has none).
    public let dimensions: [Int]
    /// Element type.
    public let type: GGMLType
    /// Absolute byte offset of the data from the start of the file.
    public let offset: Int
    /// Bytes of data: `dimensions[0] / type.blockSize * type.bytesPerBlock * dimensions[1...]`.
    public let byteCount: Int
    /// Product of the dimensions.
    public let elementCount: Int

    /// A tensor entry; the reader builds these after validating them.
    public init(name: String, dimensions: [Int], type: GGMLType, offset: Int, byteCount: Int, elementCount: Int) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.byteCount = byteCount
        self.elementCount = elementCount
    }

    /// Number of rows: the product of every dimension after the first (1 for a vector).
    public var rowCount: Int {
        dimensions.count <= 1 ? 1 : dimensions.dropFirst().reduce(1, *)
    }

    /// Bytes of one row of `dimensions[0]` elements.
    public var bytesPerRow: Int {
        (dimensions.first ?? 1) / type.blockSize * type.bytesPerBlock
    }
}
