import CKernels

extension QuantizedMatrix {
    /// Matrix × activations for the rows in `rows`:
    /// `y[t * outputStride + r] = Σ_c W[r, c] · x_t[c]` for each token `t` of `activations` and
    /// each `r` in `rows`.
    ///
    /// One token is a matrix × vector product; a batch of n tokens reads each weight row once for
    /// the whole batch (tiles of 4 tokens share every decoded weight block), and token t's
    /// result is bit-identical to a one-token call on x_t, at every `level`, for every row range
    /// and thread split (batch invariance). The quantized types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0,
    /// Q4_K, Q5_K, Q6_K) multiply integer weights by the 8-bit activations (llama.cpp's scheme,
    /// with the K-quants reading the same 32-value activation blocks instead of ggml's 256-value
    /// Q8_K ones; on the default model's layers the error against the float computation stays
    /// below 0.3 % of Σ|w·x|, see the tests); F32, F16 and BF16 use the float activations.
    ///
    /// Safe to call concurrently on disjoint `rows` (and into disjoint outputs): no shared mutable
    /// state, no allocation, no locks. Cost: `rows.count × bytesPerRow` bytes read from memory
    /// plus O(rows.count × columns × count) arithmetic.
    ///
    /// - Parameters:
    ///   - outputStride: distance between tokens' outputs in `y` (default: `self.rows`).
    ///   - level: the highest instruction set to use (default: the best this CPU has).
    /// - Throws: `columnMismatch`, `rowsOutOfRange`, `outputStrideTooSmall`.
    public func multiply(
        _ activations: QuantizedActivations, into y: UnsafeMutablePointer<Float>, rows range: Range<Int>,
        outputStride: Int? = nil, level: KernelLevel = .best
    ) throws(QuantizationError) {
        guard activations.columns == columns else { throw .columnMismatch(expected: columns, got: activations.columns) }
        guard range.lowerBound >= 0 && range.upperBound <= rows else { throw .rowsOutOfRange(requested: range, rows: rows) }
        let stride = outputStride ?? rows
        guard activations.count <= 1 || stride >= range.upperBound else {
            throw .outputStrideTooSmall(stride: stride, needed: range.upperBound)
        }
        guard !range.isEmpty, activations.count > 0 else { return }
        var view = activations.kernelView
        let status = kernel(level: level, range: range, activations: &view, y: y, stride: stride)
        precondition(status == 0, "CKernels and QuantizedMatrix.supportedTypes disagree on \(type)")
    }

    /// The C kernel of this matrix's layout.
    private func kernel(
        level: KernelLevel, range: Range<Int>, activations: inout ck_activations, y: UnsafeMutablePointer<Float>,
        stride: Int
    ) -> Int32 {
        switch layout {
        case .ggml:
            ck_matmul(
                Int32(level.rawValue), Int32(type.rawValue), base, bytesPerRow, Int64(range.lowerBound),
                Int64(range.upperBound), &activations, y, Int64(stride))
        case .packed:
            ck_packed_matmul(
                Int32(level.rawValue), Int32(type.rawValue), base, Int64(rows), Int64(range.lowerBound),
                Int64(range.upperBound), &activations, y, Int64(stride))
        }
    }

    /// Matrix × vector for one token given as floats: quantizes `x` (`columns` floats) into a
    /// temporary buffer, then as `multiply(_:into:rows:outputStride:level:)`.
    ///
    /// Convenience: every call requantizes `x` (and the temporary may come from the heap for wide
    /// inputs), so a caller that splits rows across threads should quantize once into a
    /// `QuantizedActivations` and share it.
    ///
    /// - Throws: `rowsOutOfRange`.
    public func multiply(
        _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, rows range: Range<Int>,
        level: KernelLevel = .best
    ) throws(QuantizationError) {
        guard range.lowerBound >= 0 && range.upperBound <= rows else { throw .rowsOutOfRange(requested: range, rows: rows) }
        guard !range.isEmpty else { return }
        let blocks = columns / 32
        let status = withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * blocks) { blockData in
            withUnsafeTemporaryAllocation(of: Int8.self, capacity: columns) { quants in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * blocks) { halfSums in
                    let scales = blockData.baseAddress!, sums = scales + blocks
                    ck_quantize_activations(x, Int64(columns), 1, quants.baseAddress!, scales, sums)
                    ck_activation_half_sums(quants.baseAddress!, Int64(blocks), halfSums.baseAddress!)
                    var view = ck_activations(
                        values: x, quants: quants.baseAddress!, scales: scales, sums: sums,
                        columns: Int64(columns), count: 1, group_scales: nil, half_sums: halfSums.baseAddress!)
                    return kernel(level: level, range: range, activations: &view, y: y, stride: rows)
                }
            }
        }
        precondition(status == 0, "CKernels and QuantizedMatrix.supportedTypes disagree on \(type)")
    }
}
