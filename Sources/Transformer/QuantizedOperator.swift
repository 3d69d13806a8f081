import GGUF
import Quantization

/// The 8-bit copies of the activations that quantized matrix products read, one buffer per
/// input width, grown to the largest batch seen and reused (nothing is allocated per token).
///
/// For ``MatrixArithmetic/llamaCpp`` scales and sums are rounded to binary16 as ggml's Q8_0/Q8_1
/// activation blocks store them, so the products follow llama.cpp's arithmetic; the packed
/// kernels read them in binary32.
final class ActivationWorkspace {
    private var buffers: [Int: QuantizedActivations] = [:]
    private let scaleFormat: QuantizedActivations.ScaleFormat

    init(scaleFormat: QuantizedActivations.ScaleFormat) {
        self.scaleFormat = scaleFormat
    }

    /// Quantizes `rows × columns` values of `x` into the buffer for `columns` and returns it.
    func quantize(_ x: UnsafePointer<Float>, columns: Int, rows: Int) -> QuantizedActivations {
        let buffer: QuantizedActivations
        if let existing = buffers[columns], existing.capacity >= rows {
            buffer = existing
        } else {
            let capacity = max(rows, (buffers[columns]?.capacity ?? 0) * 2)
            do {
                buffer = try QuantizedActivations(columns: columns, capacity: capacity, scaleFormat: scaleFormat)
            } catch {
                preconditionFailure("matrix widths are checked when the model loads: \(error)")
            }
            buffers[columns] = buffer
        }
        do {
            try buffer.quantize(x, count: rows)
        } catch {
            preconditionFailure("batch fits the buffer: \(error)")
        }
        return buffer
    }
}

/// A weight matrix through `Quantization.QuantizedMatrix`, packed at load or read in place from a
/// GGUF file's mapping (``MatrixArithmetic``): integer dot products against 8-bit activations for
/// the quantized types, float ones otherwise. Each call reads every weight once for the whole batch.
struct QuantizedOperator: LinearOperator, EmbeddingTable {
    let matrix: QuantizedMatrix

    init(matrix: QuantizedMatrix) {
        self.matrix = matrix
    }

    var inputCount: Int { matrix.columns }
    var outputCount: Int { matrix.rows }
    var rowCount: Int { matrix.rows }
    var width: Int { matrix.columns }

    func copyRow(_ index: Int, into destination: UnsafeMutablePointer<Float>) {
        do {
            try matrix.dequantizeRow(index, into: destination)
        } catch {
            preconditionFailure("token ids are checked before the forward pass: \(error)")
        }
    }

    func multiply(_ input: QuantizedActivations, outputs range: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        do {
            try matrix.multiply(input, into: y, rows: range, outputStride: matrix.rows)
        } catch {
            preconditionFailure("shapes are checked when the model loads: \(error)")
        }
    }
}
