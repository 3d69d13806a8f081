import GGUF
import Quantization

/// Turns the tensors of a GGUF file into the forward pass's weights without copying the large
/// ones: matrices become views of the mapping, norm vectors are expanded to Float32.
struct WeightLoader {
    let file: GGUFFile

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
        return QuantizedOperator(matrix: try QuantizedMatrix(file: file, tensor: name))
    }

    /// The token embedding table (rows dequantized on lookup).
    func embedding(_ name: String) throws -> QuantizedOperator { try matrix(name) }

    /// A one-dimensional tensor (norm weights), expanded to Float32.
    func vector(_ name: String) throws -> [Float] {
        let tensor = try tensor(name)
        guard tensor.type == .f32 || tensor.type == .f16 || tensor.type == .bf16 else {
            throw TransformerError.unsupportedTensorType(name: name, type: tensor.type.name)
        }
        return try QuantizedMatrix(file: file, tensor: name).dequantizeRow(0)
    }
}
