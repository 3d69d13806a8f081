import Foundation

/// A GGUF v2/v3 model file: validated header, metadata and tensor table over a read-only memory
/// mapping of the file, with zero-copy views of each tensor's bytes.
///
/// Opening reads only the header, metadata and tensor table (the 49 152-token vocabulary of the
/// default model parses in milliseconds); tensor data stays on disk until touched.
/// Every malformed, truncated or hostile file is rejected with a `GGUFError`, never a trap.
///
/// A final class, not a struct, because it owns the mapping: `tensorBytes` hands out pointers
/// into it that stay valid exactly as long as this object lives, and the mapping must be
/// unmapped once. It is immutable after `init`, hence `Sendable`.
///
/// ```swift
/// let file = try GGUFFile(contentsOf: url)
/// let layers = try file.metadata.uint32("llama.block_count")
/// let embedding = try file.tensorBytes(named: "token_embd.weight")
/// ```
public final class GGUFFile: Sendable {
    /// GGUF format version (2 or 3).
    public let version: UInt32
    /// Key-value metadata in file order.
    public let metadata: GGUFMetadata
    /// Tensor table in file order.
    public let tensors: [GGUFTensorInfo]
    /// Alignment of tensor data (`general.alignment`, default 32).
    public let alignment: Int
    /// Absolute offset of the data section (the tensor offsets are relative to it in the file;
    /// `GGUFTensorInfo.offset` is already absolute).
    public let dataOffset: Int
    /// Size of the file in bytes.
    public var fileSize: Int { storage.bytes.count }

    private let storage: GGUFStorage
    private let tensorIndex: [String: Int]

    /// Maps and validates the file at `url`.
    ///
    /// - Throws: `GGUFError.fileNotFound`, `.notARegularFile`, `.emptyFile`, `.cannotRead`, or
    ///   any validation error of the contents.
    public convenience init(contentsOf url: URL) throws(GGUFError) {
        try self.init(storage: GGUFStorage(mapping: url.path))
    }

    /// Validates a GGUF file held in memory (copied once into an aligned buffer the file owns).
    /// Parsing follows exactly the same path as for a mapped file.
    public convenience init(bytes: some Collection<UInt8>) throws(GGUFError) {
        // One memcpy for contiguous collections (arrays, Data, buffer slices), else an array first.
        let storage =
            bytes.withContiguousStorageIfAvailable { GGUFStorage(copying: UnsafeRawBufferPointer($0)) }
            ?? Array(bytes).withUnsafeBytes { GGUFStorage(copying: $0) }
        try self.init(storage: storage)
    }

    private init(storage: GGUFStorage) throws(GGUFError) {
        let result = try GGUFParser.parse(storage.bytes)
        self.storage = storage
        version = result.version
        metadata = result.metadata
        tensors = result.tensors
        alignment = result.alignment
        dataOffset = result.dataOffset
        var index: [String: Int] = [:]
        for (position, tensor) in result.tensors.enumerated() { index[tensor.name] = position }
        tensorIndex = index
    }

    /// The tensor named `name`, or `nil`.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// A zero-copy view of `tensor`'s bytes inside the mapping, valid as long as this file object
    /// lives (keep a reference to the file beside the pointer).
    ///
    /// - Precondition: `tensor` comes from this file's `tensors`.
    public func bytes(of tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(
            tensor.offset >= 0 && tensor.byteCount >= 0 && tensor.offset <= fileSize - tensor.byteCount,
            "tensor \(tensor.name) does not belong to this file")
        return UnsafeRawBufferPointer(rebasing: storage.bytes[tensor.offset..<(tensor.offset + tensor.byteCount)])
    }

    /// A zero-copy view of the bytes of the tensor named `name` (see `bytes(of:)`).
    ///
    /// - Throws: `GGUFError.missingTensor`.
    public func tensorBytes(named name: String) throws(GGUFError) -> UnsafeRawBufferPointer {
        guard let tensor = tensor(named: name) else { throw .missingTensor(name) }
        return bytes(of: tensor)
    }

    /// The whole file's bytes (header included), valid as long as this object lives.
    public var rawBytes: UnsafeRawBufferPointer { storage.bytes }
}
