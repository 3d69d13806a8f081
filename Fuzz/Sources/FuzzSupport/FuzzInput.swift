/// One fuzzer input split into the two parts the constraint targets read: a text (grammar,
/// schema or pattern) and the bytes fed through the constraint it compiles to.
///
/// The parts are separated by the first NUL byte; an input without one is all text and no
/// bytes. Seed files are written the same way (`text`, `0x00`, `bytes`).
public struct FuzzInput {
    /// The part before the first NUL byte, decoded as UTF-8 (invalid sequences repaired).
    public let text: String
    /// The bytes after the first NUL byte.
    public let bytes: [UInt8]

    /// Splits the `size` bytes at `data`.
    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        let all = UnsafeBufferPointer(start: data, count: size)
        let split = all.firstIndex(of: 0) ?? size
        text = String(decoding: all[..<split], as: UTF8.self)
        bytes = split < size ? Array(all[(split + 1)...]) : []
    }
}
