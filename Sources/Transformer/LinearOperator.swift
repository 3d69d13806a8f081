/// A weight matrix of `outputCount` rows by `inputCount` columns that the forward pass
/// multiplies activations by, however its weights are stored.
///
/// `apply` computes `y[r][o] = Σᵢ W[o][i] · x[r][i]` for every row `r` of a batch, spreading the
/// work over `pool`; implementations read each weight once for the whole batch.
protocol LinearOperator: Sendable {
    var inputCount: Int { get }
    var outputCount: Int { get }
    /// Writes `rows × outputCount` values to `y` (row-major) from `rows × inputCount` values of
    /// `x`, using `workspace` for the quantized copy of `x`.
    func apply(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, pool: ThreadPool,
        workspace: ActivationWorkspace)
}

/// A table of embedding vectors, one row per token.
protocol EmbeddingTable: Sendable {
    var rowCount: Int { get }
    var width: Int { get }
    /// Writes row `index` (`width` values) to `destination`.
    func copyRow(_ index: Int, into destination: UnsafeMutablePointer<Float>)
}

/// A Float32 matrix held in memory: the operator of small test models built in code.
struct DenseMatrix: LinearOperator, EmbeddingTable {
    let inputCount: Int
    let outputCount: Int
    /// Row-major `outputCount × inputCount`.
    let values: [Float]

    init(outputs: Int, inputs: Int, values: [Float]) {
        precondition(values.count == outputs * inputs, "dense matrix needs outputs × inputs values")
        self.outputCount = outputs
        self.inputCount = inputs
        self.values = values
    }

    var rowCount: Int { outputCount }
    var width: Int { inputCount }

    func copyRow(_ index: Int, into destination: UnsafeMutablePointer<Float>) {
        values.withUnsafeBufferPointer { w in
            destination.update(from: w.baseAddress! + index * inputCount, count: inputCount)
        }
    }

    func apply(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, pool: ThreadPool,
        workspace: ActivationWorkspace
    ) {
        let chunk = 16
        let chunks = (outputCount + chunk - 1) / chunk
        values.withUnsafeBufferPointer { w in
            let base = w.baseAddress!
            pool.parallelFor(chunks) { c, _ in
                for o in (c * chunk)..<min(outputCount, (c + 1) * chunk) {
                    let wRow = base + o * inputCount
                    for r in 0..<rows {
                        y[r * outputCount + o] = VectorKernels.dot(wRow, x + r * inputCount, count: inputCount)
                    }
                }
            }
        }
    }
}
