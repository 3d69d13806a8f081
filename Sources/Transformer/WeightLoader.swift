import CKernels
import GGUF

/// Turns the tensors of a GGUF file into the forward pass's weights without copying the large
/// ones: matrices become views of the mapping, norm vectors are expanded to Float32.
struct WeightLoader {
    let file: GGUFFile

    /// Types the matrix kernels multiply.
    static let matrixTypes: Set<GGMLType> = [.f32, .f16, .bf16, .q4_0, .q4_1, .q8_0, .q4_K, .q5_K, .q6_K]

    func tensor(_ name: String) throws -> GGUFTensorInfo {
        guard let tensor = file.tensor(named: name) else { throw GGUFError.missingTensor(name) }
        return tensor
    }

    /// A matrix (`ne0` columns, `ne1` rows) for the quantized kernels.
    func matrix(_ name: String) throws -> any LinearOperator {
        let tensor = try tensor(name)
        guard Self.matrixTypes.contains(tensor.type) else {
            throw TransformerError.unsupportedTensorType(name: name, type: tensor.type.name)
        }
        return QuantizedOperator(file: file, tensor: tensor)
    }

    /// The token embedding table (rows dequantized on lookup).
    func embedding(_ name: String) throws -> QuantizedOperator {
        let tensor = try tensor(name)
        guard Self.matrixTypes.contains(tensor.type) else {
            throw TransformerError.unsupportedTensorType(name: name, type: tensor.type.name)
        }
        return QuantizedOperator(file: file, tensor: tensor)
    }

    /// A one-dimensional tensor (norm weights), expanded to Float32.
    func vector(_ name: String) throws -> [Float] {
        let tensor = try tensor(name)
        guard tensor.type == .f32 || tensor.type == .f16 || tensor.type == .bf16 else {
            throw TransformerError.unsupportedTensorType(name: name, type: tensor.type.name)
        }
        let bytes = file.bytes(of: tensor)
        return [Float](unsafeUninitializedCapacity: tensor.elementCount) { buffer, count in
            _ = ck_dequantize(Int32(tensor.type.rawValue), bytes.baseAddress!, buffer.baseAddress!, Int64(tensor.elementCount))
            count = tensor.elementCount
        }
    }
}
