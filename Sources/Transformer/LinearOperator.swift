import CKernels
import Quantization

/// A weight matrix of `outputCount` rows by `inputCount` columns that the forward pass
/// multiplies activations by, however its weights are stored.
///
/// `multiply` computes `y[r][o] = Σᵢ W[o][i] · x[r][i]` for every row `r` of a batch and the
/// outputs `o` asked for; ``applyShared(_:rows:pool:workspace:_:_:_:)`` spreads the outputs of
/// one or more operators over a thread pool. Implementations read each weight once for the
/// whole batch.
protocol LinearOperator: Sendable {
    var inputCount: Int { get }
    var outputCount: Int { get }
    /// Writes outputs `range` of every row of `input` into `y` (row-major, row stride
    /// `outputCount`). Safe to call concurrently on disjoint ranges.
    func multiply(_ input: QuantizedActivations, outputs range: Range<Int>, into y: UnsafeMutablePointer<Float>)
}

/// A table of embedding vectors, one row per token.
protocol EmbeddingTable: Sendable {
    var rowCount: Int { get }
    var width: Int { get }
    /// Writes row `index` (`width` values) to `destination`.
    func copyRow(_ index: Int, into destination: UnsafeMutablePointer<Float>)
}

extension LinearOperator {
    /// Writes `rows × outputCount` values to `y` (row-major) from `rows × inputCount` values of
    /// `x`, using `workspace` for the quantized copy of `x`.
    func apply(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, pool: ThreadPool,
        workspace: ActivationWorkspace
    ) {
        applyShared(x, rows: rows, pool: pool, workspace: workspace, (self, y))
    }
}

/// Multiplies one input by up to three operators that read it (the query, key and value
/// projections) in a single parallel loop over their concatenated outputs: the input is quantized once and the threads meet at one barrier, not one per matrix.
///
/// The outputs are cut into chunks of whole 16-row groups (the packed layout's; whole tiles of the
/// ggml layout's kernels too), about sixteen per thread (so the threads wait little for each other at the barrier), each inside one
/// operator; every output value is computed exactly as a separate `apply` of its operator would.
func applyShared(
    _ x: UnsafePointer<Float>, rows: Int, pool: ThreadPool, workspace: ActivationWorkspace,
    _ first: (any LinearOperator, UnsafeMutablePointer<Float>),
    _ second: (any LinearOperator, UnsafeMutablePointer<Float>)? = nil,
    _ third: (any LinearOperator, UnsafeMutablePointer<Float>)? = nil
) {
    if rows == 0 { return }
    let input = workspace.quantize(x, columns: first.0.inputCount, rows: rows)
    let counts = (first.0.outputCount, second?.0.outputCount ?? 0, third?.0.outputCount ?? 0)
    let total = counts.0 + counts.1 + counts.2
    let perChunk = (max(16, (total + pool.threads * 16 - 1) / (pool.threads * 16)) + 15) / 16 * 16
    let chunks = (
        (counts.0 + perChunk - 1) / perChunk, (counts.1 + perChunk - 1) / perChunk,
        (counts.2 + perChunk - 1) / perChunk)
    pool.parallelFor(chunks.0 + chunks.1 + chunks.2) { chunk, _ in
        let part: (any LinearOperator, UnsafeMutablePointer<Float>)
        let index: Int
        if chunk < chunks.0 {
            part = first
            index = chunk
        } else if chunk < chunks.0 + chunks.1, let second {
            part = second
            index = chunk - chunks.0
        } else if let third {
            part = third
            index = chunk - chunks.0 - chunks.1
        } else {
            preconditionFailure("chunk \(chunk) outside the operators' outputs")
        }
        let begin = index * perChunk
        part.0.multiply(input, outputs: begin..<min(part.0.outputCount, begin + perChunk), into: part.1)
    }
}

/// The gated half of a feed-forward block in one parallel loop: `gateOutput = act(gate · x) ⊙
/// (up · x)` for every row, the input quantized once. Each task computes the same output range
/// of both projections and applies `activate(gate, up, count)` to it while it is in cache, so the
/// element-wise step runs on every thread instead of after a barrier on one; the values are
/// those of two `apply` calls followed by the activation (`ck_swiglu`, `ck_geglu_table`), which
/// must be element-wise.
func applyGatedPair(
    _ x: UnsafePointer<Float>, rows: Int, pool: ThreadPool, workspace: ActivationWorkspace,
    gate: (any LinearOperator, UnsafeMutablePointer<Float>), up: (any LinearOperator, UnsafeMutablePointer<Float>),
    activate: (_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, _ count: Int) -> Void
) {
    if rows == 0 { return }
    precondition(gate.0.outputCount == up.0.outputCount, "gate and up projections differ in width")
    let input = workspace.quantize(x, columns: gate.0.inputCount, rows: rows)
    let width = gate.0.outputCount
    // Multiples of 16 rows: whole groups of the packed layout (and tiles of the ggml layout's kernels).
    let perChunk = (max(16, (width + pool.threads * 16 - 1) / (pool.threads * 16)) + 15) / 16 * 16
    pool.parallelFor((width + perChunk - 1) / perChunk) { chunk, _ in
        let range = (chunk * perChunk)..<min(width, (chunk + 1) * perChunk)
        gate.0.multiply(input, outputs: range, into: gate.1)
        up.0.multiply(input, outputs: range, into: up.1)
        for r in 0..<rows {
            activate(gate.1 + r * width + range.lowerBound, up.1 + r * width + range.lowerBound, range.count)
        }
    }
}
