import CKernels
import GGUF

extension QuantizedMatrix {
    /// The stored bytes of row `row` (zero-copy).
    ///
    /// - Throws: `rowsOutOfRange` when `row` is outside `0..<rows` (a token id from a user);
    ///   `packedLayout` for a packed matrix (its rows are interleaved, not stored whole).
    public func rowBytes(_ row: Int) throws(QuantizationError) -> UnsafeRawBufferPointer {
        guard layout == .ggml else { throw .packedLayout(operation: "rowBytes") }
        guard row >= 0 && row < rows else { throw .rowsOutOfRange(requested: row..<(row &+ 1), rows: rows) }
        return UnsafeRawBufferPointer(start: base + row * bytesPerRow, count: bytesPerRow)
    }

    /// Expands row `row` into `destination` (`columns` floats): the embedding lookup of token
    /// `row`. O(columns), no allocation.
    ///
    /// - Throws: `rowsOutOfRange` when `row` is outside `0..<rows`.
    public func dequantizeRow(_ row: Int, into destination: UnsafeMutablePointer<Float>) throws(QuantizationError) {
        if layout == .packed {
            guard row >= 0 && row < rows else { throw .rowsOutOfRange(requested: row..<(row &+ 1), rows: rows) }
            let status = ck_packed_row(Int32(type.rawValue), base, Int64(rows), Int64(columns), Int64(row), destination)
            precondition(status == 0, "a packed matrix of \(type) has a packed form")
            return
        }
        let bytes = try rowBytes(row)
        try Dequantizer.dequantize(type, from: bytes.baseAddress!, count: columns, into: destination)
    }

    /// Row `row` as a new array (convenience for tests and tools; allocates).
    ///
    /// - Throws: `rowsOutOfRange`.
    public func dequantizeRow(_ row: Int) throws(QuantizationError) -> [Float] {
        var result = [Float](repeating: 0, count: columns)
        try result.withUnsafeMutableBufferPointer { (out) throws(QuantizationError) in
            try dequantizeRow(row, into: out.baseAddress!)
        }
        return result
    }
}
