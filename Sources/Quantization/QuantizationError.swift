import GGUF

/// What was wrong with a request to the quantization formats or kernels.
///
/// Every case names the offending value and what was expected, so a caller can tell which
/// tensor, count or shape to fix.
public enum QuantizationError: Error, Sendable, Equatable {
    /// `type` has no implementation for `operation` (`"dequantize"`, `"quantize"`, `"multiply"`).
    case unsupportedType(GGMLType, operation: String)
    /// `count` values of `type` do not fill whole blocks of `blockSize`.
    case countNotMultipleOfBlockSize(type: GGMLType, count: Int, blockSize: Int)
    /// A count, row or column number that must not be negative (or must be positive) was not.
    case invalidCount(what: String, value: Int)
    /// A byte buffer holds `available` bytes where `needed` are required.
    case bufferTooSmall(needed: Int, available: Int)
    /// A tensor is not a 2-D matrix (ggml dimensions `[ne0, ne1]`, or a vector seen as one row).
    case notAMatrix(name: String, dimensions: [Int])
    /// A tensor the caller asked for is not in the file.
    case missingTensor(String)
    /// Activations with `columns` values per token met a matrix with `expected` columns.
    case columnMismatch(expected: Int, got: Int)
    /// Activation vectors must hold a multiple of 32 values (the 8-bit block size).
    case columnsNotMultipleOf32(Int)
    /// A batch of `count` tokens exceeds the activation buffer's `capacity`.
    case batchTooLarge(count: Int, capacity: Int)
    /// Rows `requested` are not inside the matrix's `0..<rows`.
    case rowsOutOfRange(requested: Range<Int>, rows: Int)
    /// An output stride smaller than the highest row written.
    case outputStrideTooSmall(stride: Int, needed: Int)
    /// `operation` needs a matrix in ggml's row layout; this one is packed.
    case packedLayout(operation: String)
}

extension QuantizationError: CustomStringConvertible {
    /// A sentence naming what was wrong.
    public var description: String {
        switch self {
        case .unsupportedType(let type, let operation):
            "\(operation) is not implemented for tensor type \(type)"
        case .countNotMultipleOfBlockSize(let type, let count, let blockSize):
            "\(count) values of \(type) do not fill whole blocks of \(blockSize)"
        case .invalidCount(let what, let value):
            "invalid \(what): \(value)"
        case .bufferTooSmall(let needed, let available):
            "buffer holds \(available) bytes, \(needed) needed"
        case .notAMatrix(let name, let dimensions):
            "tensor \(name) with dimensions \(dimensions) is not a matrix"
        case .missingTensor(let name):
            "no tensor named \(name)"
        case .columnMismatch(let expected, let got):
            "activations have \(got) values per token, the matrix has \(expected) columns"
        case .columnsNotMultipleOf32(let columns):
            "activation vectors of \(columns) values: a multiple of 32 is required"
        case .batchTooLarge(let count, let capacity):
            "batch of \(count) tokens exceeds the activation buffer's capacity \(capacity)"
        case .rowsOutOfRange(let requested, let rows):
            "rows \(requested) outside the matrix's 0..<\(rows)"
        case .outputStrideTooSmall(let stride, let needed):
            "output stride \(stride) is smaller than the \(needed) rows written"
        case .packedLayout(let operation):
            "\(operation) needs a matrix in ggml's row layout, and this one is packed"
        }
    }
}
