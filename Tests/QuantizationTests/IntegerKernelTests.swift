import Dispatch
import GGUF
import Quantization
import Testing

/// The integer kernels of every quantized type (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K)
/// on random blocks with extreme scales and all-zero blocks: bit for bit against their
/// definition (`IntegerKernelReference`) at every level this CPU has, within a derived tolerance of
/// dequantize-then-dot, and batch invariant (alone, in batches, split across threads).
@Suite struct IntegerKernelTests {
    static let types: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]
    static let newTypes: [GGMLType] = [.q5_0, .q5_1, .q4_K, .q5_K, .q6_K]
    static let rows = 21, columns = 768

    /// A matrix of random blocks, kept alive with its bytes.
    final class RandomMatrix: @unchecked Sendable {
        let bytes: [UInt8]
        let storage: UnsafeMutableRawBufferPointer
        let matrix: QuantizedMatrix

        init(_ type: GGMLType, rows: Int = IntegerKernelTests.rows, columns: Int = IntegerKernelTests.columns, seed: UInt64) throws {
            bytes = RandomBlocks.matrix(type, rows: rows, columns: columns, seed: seed)
            storage = .allocate(byteCount: bytes.count, alignment: 64)
            storage.copyBytes(from: bytes)
            matrix = try QuantizedMatrix(
                type: type, rows: rows, columns: columns, base: UnsafeRawPointer(storage.baseAddress!), byteCount: bytes.count)
        }

        func row(_ r: Int) -> ArraySlice<UInt8> { bytes[(r * matrix.bytesPerRow)..<((r + 1) * matrix.bytesPerRow)] }

        deinit { storage.deallocate() }
    }

    static func multiply(_ m: QuantizedMatrix, _ acts: QuantizedActivations, rows range: Range<Int>? = nil, level: KernelLevel) throws -> [Float] {
        var y = [Float](repeating: .nan, count: m.rows * acts.count)
        try y.withUnsafeMutableBufferPointer { try m.multiply(acts, into: $0.baseAddress!, rows: range ?? 0..<m.rows, level: level) }
        return y
    }

    /// (a) Every level, both scale formats, 1 and 6 tokens: the bits of the definition. The
    /// integer lane sums are exact, and the float operations are the same ones in the same order,
    /// so equality is exact, not a tolerance.
    @Test(arguments: types, [QuantizedActivations.ScaleFormat.float32, .half])
    func everyLevelComputesTheDefinition(type: GGMLType, format: QuantizedActivations.ScaleFormat) throws {
        let owned = try RandomMatrix(type, seed: 100 + UInt64(type.rawValue))
        for tokens in [1, 6] {
            let acts = try QuantizedActivations(columns: Self.columns, capacity: tokens, scaleFormat: format)
            try acts.quantize(RandomBlocks.activations(columns: Self.columns, tokens: tokens, seed: 200 + UInt64(tokens)))
            var expected = [Float](repeating: 0, count: Self.rows * tokens)
            for t in 0..<tokens {
                let (quants, scales, sums) = acts.quantized(ofToken: t)
                for r in 0..<Self.rows {
                    expected[t * Self.rows + r] = IntegerKernelReference.dot(type, row: owned.row(r), quants: quants, scales: scales, sums: sums)
                }
            }
            // Binary16 block sums overflow (to infinity, as in ggml's Q8_1) for the 1e4-magnitude
            // blocks: scale · Σ quants reaches 3e5 > 65504. Float32 ones stay finite.
            if format == .float32 { #expect(expected.allSatisfy { $0.isFinite }) }
            for level in KernelLevel.allCases where level <= .best {
                let y = try Self.multiply(owned.matrix, acts, level: level)
                #expect(y.map(\.bitPattern) == expected.map(\.bitPattern), "\(type) \(level) \(tokens) tokens")
            }
        }
    }

    /// (b) Against dequantize-then-dot in Double. With the activations as the kernel sees them
    /// (quants × block scale) the only difference is Float32 rounding: at most one rounding per
    /// block in each lane's chain plus the final sums, so |error| ≤ (blocks + 8) · 2⁻²⁴ · Σ|w x̂|
    /// ≈ 2e-6 Σ|w x̂| here; we allow 1e-5. Against the unquantized activations, each activation
    /// moves by at most half its block's step, so |error| ≤ Σ_b xs_b / 2 · Σ_{j∈b} |w_j| plus the
    /// same rounding term.
    @Test(arguments: types)
    func agreesWithDequantizeThenDot(type: GGMLType) throws {
        let owned = try RandomMatrix(type, seed: 300 + UInt64(type.rawValue))
        let x = RandomBlocks.activations(columns: Self.columns, tokens: 1, seed: 301)
        let acts = try QuantizedActivations(columns: Self.columns)
        try acts.quantize(x)
        let (quants, scales, _) = acts.quantized(ofToken: 0)
        let seen = (0..<Self.columns).map { Float(quants[$0]) * scales[$0 / 32] }
        for level in KernelLevel.allCases where level <= .best {
            let y = try Self.multiply(owned.matrix, acts, level: level)
            for r in 0..<Self.rows {
                let w = try owned.matrix.dequantizeRow(r)
                let (reference, scale, exact, exactScale) = w.withUnsafeBufferPointer { w in
                    seen.withUnsafeBufferPointer { s in
                        x.withUnsafeBufferPointer { x in (TestData.dot(w, s), TestData.absDot(w, s), TestData.dot(w, x), TestData.absDot(w, x)) }
                    }
                }
                #expect(abs(Double(y[r]) - reference) <= 1e-5 * scale, "\(type) \(level) row \(r)")
                let activationBound = (0..<(Self.columns / 32)).reduce(0.0) { sum, b in
                    sum + w[(32 * b)..<(32 * b + 32)].reduce(0.0) { $0 + abs(Double($1)) } * Double(scales[b]) / 2
                }
                #expect(abs(Double(y[r]) - exact) <= activationBound + 1e-5 * (scale + exactScale), "\(type) \(level) row \(r)")
            }
        }
    }

    /// (c) Batch invariance: token t's results are the same bits computed alone, in batches of
    /// every size from 2 to 9 and 17 (all tile shapes and edges), for any row range, and with the
    /// rows split across 1 or 2 threads.
    @Test(arguments: newTypes)
    func resultsAreBatchInvariant(type: GGMLType) throws {
        let owned = try RandomMatrix(type, seed: 400 + UInt64(type.rawValue))
        let maxTokens = 17
        let x = RandomBlocks.activations(columns: Self.columns, tokens: maxTokens, seed: 401)
        let single = try QuantizedActivations(columns: Self.columns, scaleFormat: .half)
        var alone = [[Float]]()
        for t in 0..<maxTokens {
            try single.quantize(Array(x[(t * Self.columns)..<((t + 1) * Self.columns)]))
            alone.append(try Self.multiply(owned.matrix, single, level: .best))
        }
        let batch = try QuantizedActivations(columns: Self.columns, capacity: maxTokens, scaleFormat: .half)
        for tokens in Array(2...9) + [maxTokens] {
            try batch.quantize(Array(x[0..<(tokens * Self.columns)]))
            for level in KernelLevel.allCases where level <= .best {
                for range in [0..<Self.rows, 3..<4, 5..<18] {
                    let y = try Self.multiply(owned.matrix, batch, rows: range, level: level)
                    for t in 0..<tokens {
                        let got = range.map { y[t * Self.rows + $0].bitPattern }
                        #expect(got == range.map { alone[t][$0].bitPattern }, "\(type) \(level) rows \(range) token \(t) of \(tokens)")
                    }
                }
            }
            for threads in [1, 2] {
                let out = UnsafeMutableBufferPointer<Float>.allocate(capacity: Self.rows * tokens)
                defer { out.deallocate() }
                let matrix = owned.matrix, sink = UnsafeSendable(out.baseAddress!), rows = Self.rows
                let failures = DispatchQueue.concurrentPerformCount(iterations: threads) { part in
                    try matrix.multiply(batch, into: sink.pointer, rows: (part * rows / threads)..<((part + 1) * rows / threads))
                }
                #expect(failures == 0)
                for t in 0..<tokens {
                    #expect(Array(out[(t * rows)..<((t + 1) * rows)]).map(\.bitPattern) == alone[t].map(\.bitPattern),
                            "\(type) \(threads) threads token \(t) of \(tokens)")
                }
            }
        }
    }

    /// All-zero weights give exact zeros, and zero activations give zeros, at every level.
    @Test(arguments: newTypes)
    func zeroBlocksGiveZero(type: GGMLType) throws {
        let bytes = [UInt8](repeating: 0, count: 4 * Self.columns / type.blockSize * type.bytesPerBlock)
        let acts = try QuantizedActivations(columns: Self.columns, capacity: 2)
        try acts.quantize(TestData.uniform(count: Self.columns, seed: 500) + [Float](repeating: 0, count: Self.columns))
        try bytes.withUnsafeBytes { b in
            let zero = try QuantizedMatrix(type: type, rows: 4, columns: Self.columns, base: b.baseAddress!, byteCount: b.count)
            for level in KernelLevel.allCases where level <= .best {
                #expect(try Self.multiply(zero, acts, level: level).allSatisfy { $0 == 0 }, "\(type) \(level)")
            }
        }
        let owned = try RandomMatrix(type, rows: 4, seed: 501)
        for level in KernelLevel.allCases where level <= .best {
            let y = try Self.multiply(owned.matrix, acts, level: level)
            #expect(y[4..<8].allSatisfy { $0 == 0 }, "\(type) \(level)")
        }
    }
}
