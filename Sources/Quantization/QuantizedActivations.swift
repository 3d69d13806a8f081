import CKernels

/// A reusable buffer of activation vectors (one per token) kept both as Float32 and as 8-bit
/// blocks, the form the integer matrix kernels read (as llama.cpp quantizes activations to Q8
/// before its Q4/Q8 dot products).
///
/// Each block of 32 values gets the scale `max |x| / 127`, the values `round(x · 127 / max |x|)`
/// (ties to even) and the sum `scale · Σ quants`, which the Q4_1 minimum term needs. Scales and
/// sums are Float32 by default; `ScaleFormat.half` rounds them to binary16 exactly as ggml's
/// `block_q8_0` / `block_q8_1` store them, to reproduce llama.cpp's arithmetic. Each block's two
/// integer half sums (16 quants each) are kept for the packed kernels. Quantizing costs O(count × columns) and is done once per matrix input, then shared by
/// every matrix (and thread) that reads the same input.
///
/// A class because it owns its buffers (allocated once in `init`, freed in `deinit`; nothing is
/// allocated per call). Concurrency: call `quantize` from one thread, then any number of threads
/// may read it through `QuantizedMatrix.multiply` at once; never `quantize` while a read is running.
/// That protocol is the caller's to keep, hence `@unchecked Sendable`.
public final class QuantizedActivations: @unchecked Sendable {
    /// Values per token (a multiple of 32).
    public let columns: Int
    /// The most tokens one `quantize` call may hold.
    public let capacity: Int
    /// Tokens held since the last `quantize`.
    public private(set) var count: Int = 0
    /// How block scales and sums are stored.
    public let scaleFormat: ScaleFormat

    /// Precision of the per-block scales and sums.
    public enum ScaleFormat: Sendable, Equatable {
        /// Float32 (the default; slightly more accurate than ggml).
        case float32
        /// Rounded to binary16, as ggml's Q8_0 / Q8_1 activation blocks (llama.cpp parity).
        case half
    }

    private let values: UnsafeMutablePointer<Float>
    private let quants: UnsafeMutablePointer<Int8>
    private let scales: UnsafeMutablePointer<Float>
    private let sums: UnsafeMutablePointer<Float>
    /// Scales and sums regrouped by 4 tokens for the batched kernels (`ck_group_activation_scales`).
    private let groupScales: UnsafeMutablePointer<Float>
    /// The integer sums of each block's two halves of 16 quants, for the packed kernels.
    private let halfSums: UnsafeMutablePointer<Int32>

    /// A buffer for up to `capacity` tokens of `columns` values, storing block scales in `scaleFormat`.
    ///
    /// - Throws: `columnsNotMultipleOf32` (the block size of the 8-bit form), `invalidCount` for
    ///   non-positive sizes.
    public init(columns: Int, capacity: Int = 1, scaleFormat: ScaleFormat = .float32) throws(QuantizationError) {
        guard columns > 0 else { throw .invalidCount(what: "activation columns", value: columns) }
        guard columns % 32 == 0 else { throw .columnsNotMultipleOf32(columns) }
        guard capacity > 0 else { throw .invalidCount(what: "activation capacity", value: capacity) }
        let (total, overflow) = columns.multipliedReportingOverflow(by: capacity)
        guard !overflow, total <= Int32.max else { throw .invalidCount(what: "activation capacity", value: capacity) }
        self.columns = columns
        self.capacity = capacity
        self.scaleFormat = scaleFormat
        values = .allocate(capacity: total)
        values.initialize(repeating: 0, count: total)
        quants = UnsafeMutableRawPointer.allocate(byteCount: total, alignment: 64).bindMemory(to: Int8.self, capacity: total)
        quants.initialize(repeating: 0, count: total)
        scales = .allocate(capacity: total / 32)
        scales.initialize(repeating: 0, count: total / 32)
        sums = .allocate(capacity: total / 32)
        sums.initialize(repeating: 0, count: total / 32)
        let grouped = (capacity + 3) / 4 * (columns / 32) * 8
        groupScales = .allocate(capacity: grouped)
        groupScales.initialize(repeating: 0, count: grouped)
        halfSums = .allocate(capacity: total / 16)
        halfSums.initialize(repeating: 0, count: total / 16)
    }

    deinit {
        values.deallocate()
        UnsafeMutableRawPointer(quants).deallocate()
        scales.deallocate()
        sums.deallocate()
        groupScales.deallocate()
        halfSums.deallocate()
    }

    /// Replaces the contents with `count` token vectors read from `x` (`count × columns` floats,
    /// token-major). No allocation.
    ///
    /// - Throws: `batchTooLarge` above `capacity`, `invalidCount` for a count below 1.
    public func quantize(_ x: UnsafePointer<Float>, count: Int = 1) throws(QuantizationError) {
        guard count >= 1 else { throw .invalidCount(what: "token count", value: count) }
        guard count <= capacity else { throw .batchTooLarge(count: count, capacity: capacity) }
        values.update(from: x, count: count * columns)
        ck_quantize_activations(x, Int64(columns), Int64(count), quants, scales, sums)
        if scaleFormat == .half { ck_round_activation_scales_to_half(scales, sums, Int64(count * columns / 32)) }
        if count >= 4 { ck_group_activation_scales(scales, sums, Int64(columns / 32), Int64(count), groupScales) }
        ck_activation_half_sums(quants, Int64(count * columns / 32), halfSums)
        self.count = count
    }

    /// Replaces the contents with the token vectors in `x` (`x.count / columns` of them).
    ///
    /// - Throws: `columnMismatch` when `x.count` is not a multiple of `columns`, and as
    ///   `quantize(_:count:)`.
    public func quantize(_ x: [Float]) throws(QuantizationError) {
        guard x.count % columns == 0 else { throw .columnMismatch(expected: columns, got: x.count) }
        try x.withUnsafeBufferPointer { (buffer) throws(QuantizationError) in
            guard let base = buffer.baseAddress else { throw .invalidCount(what: "token count", value: 0) }
            try quantize(base, count: x.count / columns)
        }
    }

    /// The Float32 values of token `token` (valid until the next `quantize`).
    public func values(ofToken token: Int) -> UnsafeBufferPointer<Float> {
        precondition(token >= 0 && token < count, "token \(token) outside 0..<\(count)")
        return UnsafeBufferPointer(start: values + token * columns, count: columns)
    }

    /// The 8-bit form of token `token`: `columns` quants and, per block of 32, the scale and the
    /// scaled sum (valid until the next `quantize`).
    public func quantized(ofToken token: Int) -> (quants: UnsafeBufferPointer<Int8>, scales: UnsafeBufferPointer<Float>, sums: UnsafeBufferPointer<Float>) {
        precondition(token >= 0 && token < count, "token \(token) outside 0..<\(count)")
        let blocks = columns / 32
        return (
            UnsafeBufferPointer(start: quants + token * columns, count: columns),
            UnsafeBufferPointer(start: scales + token * blocks, count: blocks),
            UnsafeBufferPointer(start: sums + token * blocks, count: blocks)
        )
    }

    /// The C view the kernels read.
    var kernelView: ck_activations {
        ck_activations(
            values: values, quants: quants, scales: scales, sums: sums,
            columns: Int64(columns), count: Int64(count), group_scales: count >= 4 ? groupScales : nil,
            half_sums: halfSums)
    }
}
