import GGUF
import Quantization

/// Turns the tensors of a GGUF file into the forward pass's weights: quantized matrices are packed
/// (``MatrixArithmetic/packed``, the file's pages released after) or become views of the mapping
/// (``MatrixArithmetic/llamaCpp``, float matrices always); norm vectors are expanded to Float32.
struct WeightLoader {
    let file: GGUFFile
    let arithmetic: MatrixArithmetic

    func tensor(_ name: String) throws -> GGUFTensorInfo {
        guard let tensor = file.tensor(named: name) else { throw GGUFError.missingTensor(name) }
        return tensor
    }

    /// A matrix (`ne0` columns, `ne1` rows) for the quantized kernels.
    func matrix(_ name: String) throws -> QuantizedOperator {
        let tensor = try tensor(name)
        guard QuantizedMatrix.supportedTypes.contains(tensor.type) else {
            throw TransformerError.unsupportedTensorType(name: name, type: tensor.type.name)
        }
        switch arithmetic {
        case .packed: return QuantizedOperator(matrix: try QuantizedMatrix(packing: file, tensor: name))
        case .llamaCpp: return QuantizedOperator(matrix: try QuantizedMatrix(file: file, tensor: name))
        }
    }

    /// The token embedding table (rows dequantized on lookup).
    func embedding(_ name: String) throws -> QuantizedOperator { try matrix(name) }

    /// A one-dimensional tensor (norm weights, biases, RoPE factors), expanded to Float32.
    func vector(_ name: String) throws -> [Float] {
        let tensor = try tensor(name)
        let bytes = file.bytes(of: tensor)
        let count = tensor.elementCount
        switch tensor.type {
        case .f32:
            return (0..<count).map { Float(bitPattern: bytes.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
        case .f16:
            return (0..<count).map {
                Float(Float16(bitPattern: bytes.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)))
            }
        case .bf16:
            return (0..<count).map {
                Float(bitPattern: UInt32(bytes.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self)) << 16)
            }
        default:
            throw TransformerError.unsupportedTensorType(name: name, type: tensor.type.name)
        }
    }

    /// ``vector(_:)``, or nil when the file has no tensor `name`.
    func optionalVector(_ name: String) throws -> [Float]? {
        file.tensor(named: name) == nil ? nil : try vector(name)
    }
}
