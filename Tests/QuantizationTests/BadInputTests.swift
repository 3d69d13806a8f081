import GGUF
import Quantization
import Testing

/// Bad input gets a typed error naming what was wrong.
@Suite struct BadInputTests {
    @Test(arguments: [GGMLType.q3_K, .q2_K, .iq2_XXS, .i32, .q8_K])
    func unsupportedTypes(type: GGMLType) throws {
        let bytes = [UInt8](repeating: 0, count: 4096)
        #expect(throws: QuantizationError.unsupportedType(type, operation: "dequantize")) {
            _ = try bytes.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0, count: 256) }
        }
        #expect(throws: QuantizationError.unsupportedType(type, operation: "quantize")) {
            _ = try Quantizer.quantize([Float](repeating: 0, count: 256), as: type)
        }
        #expect(throws: QuantizationError.unsupportedType(type, operation: "multiply")) {
            try bytes.withUnsafeBytes {
                _ = try QuantizedMatrix(type: type, rows: 1, columns: 256, base: $0.baseAddress!, byteCount: $0.count)
            }
        }
    }

    @Test(arguments: [(GGMLType.q4_1, 33), (.q8_0, 31), (.q5_0, 48), (.q5_1, 16), (.q4_K, 288), (.q5_K, 512 + 32), (.q6_K, 100)])
    func countsThatAreNotWholeBlocks(type: GGMLType, count: Int) throws {
        let expected = QuantizationError.countNotMultipleOfBlockSize(type: type, count: count, blockSize: type.blockSize)
        let bytes = [UInt8](repeating: 0, count: 4096)
        var out = [Float](repeating: 0, count: 4096)
        #expect(throws: expected) {
            try bytes.withUnsafeBytes { b in
                try out.withUnsafeMutableBufferPointer { try Dequantizer.dequantize(type, from: b.baseAddress!, count: count, into: $0.baseAddress!) }
            }
        }
        #expect(throws: expected) { _ = try Quantizer.quantize([Float](repeating: 1, count: count), as: type) }
    }

    @Test func negativeCountAndShortBuffer() throws {
        let bytes = [UInt8](repeating: 0, count: 40)
        #expect(throws: QuantizationError.invalidCount(what: "value count", value: -32)) {
            _ = try bytes.withUnsafeBytes { try Dequantizer.dequantize(.q8_0, bytes: $0, count: -32) }
        }
        #expect(throws: QuantizationError.bufferTooSmall(needed: 68, available: 40)) {
            _ = try bytes.withUnsafeBytes { try Dequantizer.dequantize(.q8_0, bytes: $0, count: 64) }
        }
        #expect(throws: QuantizationError.bufferTooSmall(needed: 80, available: 40)) {
            try bytes.withUnsafeBytes { _ = try QuantizedMatrix(type: .q4_1, rows: 4, columns: 32, base: $0.baseAddress!, byteCount: 40) }
        }
    }

    @Test func matrixShapes() throws {
        let bytes = [UInt8](repeating: 0, count: 4096)
        try bytes.withUnsafeBytes { b in
            let base = b.baseAddress!
            #expect(throws: QuantizationError.invalidCount(what: "matrix rows", value: 0)) {
                _ = try QuantizedMatrix(type: .f32, rows: 0, columns: 32, base: base, byteCount: 4096)
            }
            #expect(throws: QuantizationError.columnsNotMultipleOf32(40)) {
                _ = try QuantizedMatrix(type: .f32, rows: 2, columns: 40, base: base, byteCount: 4096)
            }
            // K-quant rows are whole 256-value super-blocks: 32-aligned widths that are not, throw.
            for (type, columns) in [(GGMLType.q4_K, 288), (.q5_K, 480), (.q6_K, 32), (.q6_K, 800)] {
                #expect(throws: QuantizationError.countNotMultipleOfBlockSize(type: type, count: columns, blockSize: 256)) {
                    _ = try QuantizedMatrix(type: type, rows: 1, columns: columns, base: base, byteCount: 4096)
                }
            }
            #expect(throws: QuantizationError.bufferTooSmall(needed: 210 * 20, available: 4096)) {
                _ = try QuantizedMatrix(type: .q6_K, rows: 20, columns: 256, base: base, byteCount: 4096)
            }
            let k = try QuantizedMatrix(type: .q4_K, rows: 2, columns: 512, base: base, byteCount: 4096)
            let narrow = try QuantizedActivations(columns: 256)
            try narrow.quantize([Float](repeating: 1, count: 256))
            var ky = [Float](repeating: 0, count: 2)
            #expect(throws: QuantizationError.columnMismatch(expected: 512, got: 256)) {
                try ky.withUnsafeMutableBufferPointer { try k.multiply(narrow, into: $0.baseAddress!, rows: 0..<2) }
            }
            let matrix = try QuantizedMatrix(type: .q8_0, rows: 4, columns: 64, base: base, byteCount: 4096)
            var y = [Float](repeating: 0, count: 64)
            let wrongWidth = try QuantizedActivations(columns: 32)
            try wrongWidth.quantize([Float](repeating: 1, count: 32))
            #expect(throws: QuantizationError.columnMismatch(expected: 64, got: 32)) {
                try y.withUnsafeMutableBufferPointer { try matrix.multiply(wrongWidth, into: $0.baseAddress!, rows: 0..<4) }
            }
            let acts = try QuantizedActivations(columns: 64, capacity: 2)
            try acts.quantize([Float](repeating: 1, count: 128))
            #expect(throws: QuantizationError.rowsOutOfRange(requested: 2..<5, rows: 4)) {
                try y.withUnsafeMutableBufferPointer { try matrix.multiply(acts, into: $0.baseAddress!, rows: 2..<5) }
            }
            #expect(throws: QuantizationError.outputStrideTooSmall(stride: 2, needed: 4)) {
                try y.withUnsafeMutableBufferPointer { try matrix.multiply(acts, into: $0.baseAddress!, rows: 0..<4, outputStride: 2) }
            }
            #expect(throws: QuantizationError.rowsOutOfRange(requested: 4..<5, rows: 4)) { _ = try matrix.dequantizeRow(4) }
            #expect(throws: QuantizationError.rowsOutOfRange(requested: -1..<0, rows: 4)) { _ = try matrix.dequantizeRow(-1) }
        }
    }

    @Test func activationBuffers() throws {
        #expect(throws: QuantizationError.columnsNotMultipleOf32(100)) { _ = try QuantizedActivations(columns: 100) }
        #expect(throws: QuantizationError.invalidCount(what: "activation capacity", value: 0)) {
            _ = try QuantizedActivations(columns: 64, capacity: 0)
        }
        let acts = try QuantizedActivations(columns: 64, capacity: 2)
        #expect(throws: QuantizationError.batchTooLarge(count: 3, capacity: 2)) { try acts.quantize([Float](repeating: 0, count: 192)) }
        #expect(throws: QuantizationError.columnMismatch(expected: 64, got: 100)) { try acts.quantize([Float](repeating: 0, count: 100)) }
    }
}
