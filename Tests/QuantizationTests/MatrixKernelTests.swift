import Dispatch
import GGUF
import Quantization
import Testing

/// The matrix kernels against dequantize-then-dot references, across instruction-set levels,
/// batch sizes and threads.
@Suite struct MatrixKernelTests {
    static let allTypes: [GGMLType] = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .f32, .f16, .bf16, .q4_K, .q5_K, .q6_K]
    static let integerTypes: Set<GGMLType> = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]
    static let rows = 37, columns = 512

    static func matrix(_ type: GGMLType, seed: UInt64 = 11) throws -> OwnedMatrix {
        try OwnedMatrix(values: TestData.uniform(count: rows * columns, seed: seed), type: type, rows: rows, columns: columns)
    }

    /// y = W x for every level, with x given as 8-bit activations.
    static func multiply(_ m: QuantizedMatrix, _ acts: QuantizedActivations, level: KernelLevel, tokens: Int = 1) throws -> [Float] {
        var y = [Float](repeating: .nan, count: m.rows * tokens)
        try y.withUnsafeMutableBufferPointer { try m.multiply(acts, into: $0.baseAddress!, rows: 0..<m.rows, level: level) }
        return y
    }

    /// The float weights times the activations as the kernel sees them (dequantized 8-bit values
    /// for the integer formats, floats otherwise), in Double: the kernel may differ from this only
    /// by Float32 rounding, 1e-5 relative to Σ|w x|.
    @Test(arguments: allTypes)
    func agreesWithDequantizeThenDot(type: GGMLType) throws {
        let owned = try Self.matrix(type)
        let x = TestData.uniform(count: Self.columns, scale: 2, seed: 12)
        let acts = try QuantizedActivations(columns: Self.columns)
        try acts.quantize(x)
        let (quants, scales, _) = acts.quantized(ofToken: 0)
        let seen: [Float] = Self.integerTypes.contains(type)
            ? (0..<Self.columns).map { Float(quants[$0]) * scales[$0 / 32] } : x
        for level in KernelLevel.allCases where level <= .best {
            let y = try Self.multiply(owned.matrix, acts, level: level)
            for r in 0..<Self.rows {
                try owned.floats[(r * Self.columns)..<((r + 1) * Self.columns)].withUnsafeBufferPointer { w in
                    try seen.withUnsafeBufferPointer { v in
                        let reference = TestData.dot(w, v), scale = TestData.absDot(w, v)
                        #expect(abs(Double(y[r]) - reference) <= 1e-5 * scale, "\(type) \(level) row \(r)")
                        _ = try #require(y[r].isFinite)
                    }
                }
            }
        }
    }

    /// Against the float computation (weights dequantized, activations not quantized): the 8-bit
    /// activations of the integer formats cost at most half a step per value, so
    /// |error| ≤ Σ_blocks Σ|w| · scale/2 (+ rounding); on these inputs that is below 1% of Σ|w x|,
    /// which we also check (float formats: 1e-4 of Σ|w x|).
    @Test(arguments: allTypes)
    func agreesWithFloatReference(type: GGMLType) throws {
        let owned = try Self.matrix(type)
        let x = TestData.uniform(count: Self.columns, scale: 2, seed: 13)
        let acts = try QuantizedActivations(columns: Self.columns)
        try acts.quantize(x)
        let scales = acts.quantized(ofToken: 0).scales
        let y = try Self.multiply(owned.matrix, acts, level: .best)
        for r in 0..<Self.rows {
            let w = Array(owned.floats[(r * Self.columns)..<((r + 1) * Self.columns)])
            let (reference, scale) = w.withUnsafeBufferPointer { w in
                x.withUnsafeBufferPointer { (TestData.dot(w, $0), TestData.absDot(w, $0)) }
            }
            let error = abs(Double(y[r]) - reference)
            if Self.integerTypes.contains(type) {
                let bound = (0..<(Self.columns / 32)).reduce(0.0) { sum, b in
                    sum + w[(32 * b)..<(32 * b + 32)].reduce(0.0) { $0 + abs(Double($1)) } * Double(scales[b]) / 2
                }
                #expect(error <= bound + 1e-5 * scale, "\(type) row \(r)")
                #expect(error <= 1e-2 * scale, "\(type) row \(r): relative \(error / scale)")
            } else {
                #expect(error <= 1e-4 * scale, "\(type) row \(r)")
            }
        }
    }

    /// ggml's dot-product check (test-quantize-fns): weights quantized from the cosine data with
    /// offset 0, activations from offset 1, |result − float dot| / n ≤ MAX_DOT_PRODUCT_ERROR = 0.02.
    @Test(arguments: allTypes)
    func ggmlDotProductError(type: GGMLType) throws {
        let n = 4096
        let w = TestData.cosine(count: n, offset: 0), x = TestData.cosine(count: n, offset: 1)
        let owned = try OwnedMatrix(values: w, type: type, rows: 1, columns: n)
        let acts = try QuantizedActivations(columns: n)
        try acts.quantize(x)
        let y = try Self.multiply(owned.matrix, acts, level: .best)
        let reference = w.withUnsafeBufferPointer { w in x.withUnsafeBufferPointer { TestData.dot(w, $0) } }
        let error = abs(Double(y[0]) - reference) / Double(n)
        #expect(error <= 0.02)
        print("dot product \(type): ggml metric \(error), relative \(abs(Double(y[0]) - reference) / abs(reference))")
    }

    /// The integer formats give the same bits at every level (same lane sums, same float order).
    @Test(arguments: Array(integerTypes))
    func integerPathIsExactAcrossLevels(type: GGMLType) throws {
        let owned = try Self.matrix(type, seed: 14)
        let acts = try QuantizedActivations(columns: Self.columns, capacity: 5)
        try acts.quantize(TestData.uniform(count: Self.columns * 5, scale: 3, seed: 15))
        let reference = try Self.multiply(owned.matrix, acts, level: .scalar, tokens: 5)
        for level in KernelLevel.allCases where level <= .best {
            let y = try Self.multiply(owned.matrix, acts, level: level, tokens: 5)
            #expect(y.map(\.bitPattern) == reference.map(\.bitPattern), "\(level)")
        }
    }

    /// A batch of n tokens gives, bit for bit, what n one-token calls give.
    @Test(arguments: allTypes, [2, 3, 4, 5, 7, 16, 64])
    func batchEqualsSingleTokens(type: GGMLType, tokens: Int) throws {
        let owned = try Self.matrix(type, seed: 16)
        let x = TestData.uniform(count: Self.columns * tokens, scale: 1.5, seed: UInt64(17 + tokens))
        let batch = try QuantizedActivations(columns: Self.columns, capacity: 64)
        try batch.quantize(x)
        let y = try Self.multiply(owned.matrix, batch, level: .best, tokens: tokens)
        let single = try QuantizedActivations(columns: Self.columns)
        for t in 0..<tokens {
            try single.quantize(Array(x[(t * Self.columns)..<((t + 1) * Self.columns)]))
            let one = try Self.multiply(owned.matrix, single, level: .best)
            #expect(Array(y[(t * Self.rows)..<((t + 1) * Self.rows)]).map(\.bitPattern) == one.map(\.bitPattern), "token \(t)")
        }
    }

    /// Threads splitting the rows write the same bits as one call over all rows, and the float
    /// convenience entry point equals the activation path.
    @Test(arguments: [GGMLType.q4_1, .q8_0, .q5_0, .q4_K, .q6_K, .f32, .bf16])
    func rowSplitsAndFloatEntryPoint(type: GGMLType) throws {
        let owned = try Self.matrix(type, seed: 18)
        let x = TestData.uniform(count: Self.columns, seed: 19)
        let acts = try QuantizedActivations(columns: Self.columns)
        try acts.quantize(x)
        let whole = try Self.multiply(owned.matrix, acts, level: .best)
        let split = UnsafeMutableBufferPointer<Float>.allocate(capacity: Self.rows)
        defer { split.deallocate() }
        let matrix = owned.matrix, out = UnsafeSendable(split.baseAddress!)
        let failures = DispatchQueue.concurrentPerformCount(iterations: 4) { part in
            let lower = part * Self.rows / 4, upper = (part + 1) * Self.rows / 4
            try matrix.multiply(acts, into: out.pointer, rows: lower..<upper)
        }
        #expect(failures == 0)
        #expect(Array(split).map(\.bitPattern) == whole.map(\.bitPattern))
        var viaFloats = [Float](repeating: .nan, count: Self.rows)
        try x.withUnsafeBufferPointer { x in
            try viaFloats.withUnsafeMutableBufferPointer { try matrix.multiply(x.baseAddress!, into: $0.baseAddress!, rows: 0..<Self.rows) }
        }
        #expect(viaFloats.map(\.bitPattern) == whole.map(\.bitPattern))
    }
}

extension DispatchQueue {
    /// Runs `body` on `iterations` threads at once; returns how many threw.
    static func concurrentPerformCount(iterations: Int, _ body: @Sendable (Int) throws -> Void) -> Int {
        let failures = UnsafeMutablePointer<Int>.allocate(capacity: iterations)
        defer { failures.deallocate() }
        failures.initialize(repeating: 0, count: iterations)
        let sink = UnsafeSendable(failures)
        concurrentPerform(iterations: iterations) { i in
            do { try body(i) } catch { sink.pointer[i] = 1 }
        }
        return (0..<iterations).reduce(0) { $0 + failures[$1] }
    }
}

/// A pointer handed to concurrent workers that write disjoint elements.
struct UnsafeSendable<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
}

/// The llama.cpp-parity activation format: binary16 scales and sums.
@Suite struct HalfScaleActivationTests {
    @Test(arguments: [GGMLType.q4_1, .q8_0, .q4_0])
    func halfScalesAreHalvesAndCloseToFloatScales(type: GGMLType) throws {
        let columns = 512, rows = 16
        let owned = try OwnedMatrix(values: TestData.uniform(count: rows * columns, seed: 30), type: type, rows: rows, columns: columns)
        let x = TestData.uniform(count: columns, scale: 2, seed: 31)
        let half = try QuantizedActivations(columns: columns, scaleFormat: .half)
        let full = try QuantizedActivations(columns: columns)
        try half.quantize(x)
        try full.quantize(x)
        let (hq, hs, hsum) = half.quantized(ofToken: 0)
        let (fq, fs, fsum) = full.quantized(ofToken: 0)
        #expect(Array(hq) == Array(fq))
        for b in 0..<(columns / 32) {
            #expect(hs[b] == Float(Float16(fs[b])))
            #expect(hsum[b] == Float(Float16(fsum[b])))
        }
        let yHalf = try MatrixKernelTests.multiply(owned.matrix, half, level: .best)
        let yFull = try MatrixKernelTests.multiply(owned.matrix, full, level: .best)
        let yScalar = try MatrixKernelTests.multiply(owned.matrix, half, level: .scalar)
        #expect(yHalf.map(\.bitPattern) == yScalar.map(\.bitPattern))
        for r in 0..<rows {
            let scale = owned.floats[(r * columns)..<((r + 1) * columns)].withUnsafeBufferPointer { w in
                x.withUnsafeBufferPointer { TestData.absDot(w, $0) }
            }
            // A binary16 scale is within 2^-11 relative of the Float32 one.
            #expect(abs(Double(yHalf[r] - yFull[r])) <= 1e-3 * scale)
        }
    }
}
