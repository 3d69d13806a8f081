import CKernels
import GGUF

/// Holds the 8-bit quantized copy of a batch of activations (ggml-style blocks of 32 with a
/// scale and a scaled sum per block), grown to the largest batch and reused.
final class ActivationWorkspace {
    private(set) var quants = UnsafeMutablePointer<Int8>.allocate(capacity: 0)
    private(set) var scales = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    private(set) var sums = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    private var capacity = 0

    /// Quantizes `rows × columns` values of `x` and describes them for `ck_matmul`.
    func quantize(_ x: UnsafePointer<Float>, columns: Int, rows: Int) -> ck_activations {
        let count = columns * rows
        if count > capacity {
            let n = max(count, capacity * 2)
            quants.deallocate()
            scales.deallocate()
            sums.deallocate()
            quants = .allocate(capacity: n)
            scales = .allocate(capacity: n / 32 + 1)
            sums = .allocate(capacity: n / 32 + 1)
            capacity = n
        }
        ck_quantize_activations(x, Int64(columns), Int64(rows), quants, scales, sums)
        return ck_activations(
            values: x, quants: quants, scales: scales, sums: sums, columns: Int64(columns), count: Int64(rows))
    }

    deinit {
        quants.deallocate()
        scales.deallocate()
        sums.deallocate()
    }
}

/// A weight matrix read in place from a GGUF file's mapping, multiplied with the quantized
/// kernels of `CKernels` (integer dot products against 8-bit activations for Q4_0/Q4_1/Q8_0).
struct QuantizedOperator: LinearOperator, EmbeddingTable {
    let inputCount: Int
    let outputCount: Int
    let type: GGMLType
    let rowBytes: Int
    /// Keeps the mapping that `weights` points into alive.
    let file: GGUFFile
    nonisolated(unsafe) let weights: UnsafeRawPointer
    static let isa = ck_isa_best()

    init(file: GGUFFile, tensor: GGUFTensorInfo) {
        self.file = file
        self.type = tensor.type
        self.inputCount = tensor.dimensions[0]
        self.outputCount = tensor.rowCount
        self.rowBytes = tensor.bytesPerRow
        self.weights = UnsafeRawPointer(file.bytes(of: tensor).baseAddress!)
    }

    var rowCount: Int { outputCount }
    var width: Int { inputCount }

    func copyRow(_ index: Int, into destination: UnsafeMutablePointer<Float>) {
        let status = ck_dequantize(Int32(type.rawValue), weights + index * rowBytes, destination, Int64(inputCount))
        precondition(status == 0, "type checked at load")
    }

    func apply(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, pool: ThreadPool,
        workspace: ActivationWorkspace
    ) {
        if rows == 0 { return }
        var activations = workspace.quantize(x, columns: inputCount, rows: rows)
        let rowsPerChunk = max(16, (outputCount + pool.threads * 4 - 1) / (pool.threads * 4))
        let chunks = (outputCount + rowsPerChunk - 1) / rowsPerChunk
        let type = Int32(type.rawValue), rowBytes = rowBytes, weights = weights, outputs = outputCount
        withUnsafePointer(to: &activations) { a in
            pool.parallelFor(chunks) { chunk, _ in
                let begin = chunk * rowsPerChunk
                let end = min(outputs, begin + rowsPerChunk)
                ck_matmul(Self.isa, type, weights, rowBytes, Int64(begin), Int64(end), a, y, Int64(outputs))
            }
        }
    }
}
