/// The 64-bit FNV-1a hash (Fowler, Noll & Vo): a fast, stable fingerprint of a task set or a
/// model file, written into a comparison's record file so a resume or a merge can tell whether
/// two runs measured the same thing. Not a cryptographic hash.
public struct FNV1a64: Sendable, Hashable {
    /// The hash so far.
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    /// An empty hash.
    public init() {}

    /// Feeds `bytes`.
    ///
    /// - Complexity: O(n), one multiply per byte.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }
    }

    /// Feeds the bytes of a raw buffer (a memory-mapped file).
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        var hash = value
        for byte in buffer { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        value = hash
    }

    /// The hash in lowercase hexadecimal, no leading zeros (as `decode compare` has printed it).
    public var hex: String { String(value, radix: 16) }
}
