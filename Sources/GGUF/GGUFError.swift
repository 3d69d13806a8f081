/// Everything that can be wrong with a GGUF file, its metadata or its tensors, with payloads
/// that name what was wrong and where (byte offsets are from the start of the file).
///
/// `description` is one line a user can act on (`GGUFError+Description.swift`).
public enum GGUFError: Error, Sendable, Equatable {
    // MARK: Opening the file
    /// No file at `path`.
    case fileNotFound(path: String)
    /// `path` names a directory or another non-regular file.
    case notARegularFile(path: String)
    /// `open`, `fstat` or `mmap` failed with `errno`.
    case cannotRead(path: String, errno: Int32)
    /// The file has no bytes.
    case emptyFile(path: String)

    // MARK: Header
    /// The first four bytes are not `GGUF`; `found` holds up to the first 8 bytes.
    case badMagic(found: [UInt8])
    /// The version is not 2 or 3.
    case unsupportedVersion(UInt32)
    /// The version reads as 2 or 3 only when byte-swapped: a big-endian GGUF file.
    case bigEndianFile(version: UInt32)
    /// The file ends before `needed` bytes of `what` at `offset` could be read.
    case truncated(what: String, offset: Int, needed: Int, fileSize: Int)
    /// A tensor or key-value count (`what`) that the rest of the file cannot hold.
    case countTooLarge(what: String, count: UInt64, offset: Int, remainingBytes: Int)

    // MARK: Metadata
    /// A string length at `offset` larger than the remaining bytes or the 64 MiB cap.
    case stringTooLong(length: UInt64, offset: Int, limit: Int)
    /// A string at `offset` that is not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// The key of key-value pair `index` is empty.
    case emptyKey(index: Int, offset: Int)
    /// `key` appears twice.
    case duplicateKey(String)
    /// A value type tag that GGUF does not define.
    case unknownValueType(key: String, raw: UInt32, offset: Int)
    /// A boolean byte other than 0 or 1.
    case invalidBool(key: String, byte: UInt8, offset: Int)
    /// An array whose elements are arrays.
    case nestedArray(key: String, offset: Int)
    /// An array whose byte size overflows or exceeds the remaining bytes.
    case arrayTooLarge(key: String, count: UInt64, elementType: GGUFValueType, offset: Int, remainingBytes: Int)
    /// `general.alignment` is present with a type other than UINT32.
    case alignmentNotUInt32(found: GGUFValueType)
    /// `general.alignment` is zero, not a power of two, or above 1 MiB.
    case invalidAlignment(UInt32)

    // MARK: Tensor table
    /// A tensor name of 64 bytes or more (ggml's `GGML_MAX_NAME` includes the terminator).
    case tensorNameTooLong(name: String, length: Int, offset: Int)
    /// Two tensors share `name`.
    case duplicateTensorName(String)
    /// A tensor with more than 4 dimensions.
    case tooManyDimensions(name: String, count: UInt32)
    /// Dimension `index` of tensor `name` is above `Int64.max`.
    case dimensionTooLarge(name: String, index: Int, value: UInt64)
    /// The product of the (non-zero) dimensions of tensor `name` overflows.
    case elementCountOverflow(name: String, dimensions: [UInt64])
    /// A tensor type that ggml does not define (or has removed).
    case unknownTensorType(name: String, raw: UInt32)
    /// The first dimension is not a whole number of blocks.
    case dimensionNotMultipleOfBlockSize(name: String, type: GGMLType, dimension: Int, blockSize: Int)
    /// The byte size of tensor `name` overflows.
    case byteCountOverflow(name: String)
    /// The tensor's data offset (relative to the data section) is not a multiple of the alignment.
    case tensorOffsetMisaligned(name: String, offset: UInt64, alignment: Int)
    /// The tensor's absolute start or end overflows.
    case tensorOffsetOverflow(name: String, offset: UInt64)
    /// The tensor's bytes `[offset, offset + size)` do not lie within the file.
    case tensorOutOfBounds(name: String, offset: Int, size: Int, fileSize: Int)
    /// The data of two tensors overlap.
    case overlappingTensors(first: String, second: String)

    // MARK: Lookups
    /// A required metadata key is absent.
    case missingKey(String)
    /// A metadata value has another type than the one asked for.
    case typeMismatch(key: String, expected: String, found: String)
    /// A metadata value does not fit the type or range asked for.
    case valueOutOfRange(key: String, value: String, expected: String)

    // MARK: Model-level
    /// `general.architecture` is not one this reader supports.
    case unsupportedArchitecture(String)
    /// A hyper-parameter is out of its sane range or inconsistent with another.
    case invalidHyperparameter(key: String, value: String, reason: String)
    /// A tensor the architecture needs is absent.
    case missingTensor(String)
    /// A tensor has another shape than the hyper-parameters imply (ggml order, `ne0` first).
    case tensorShapeMismatch(name: String, expected: [Int], found: [Int])
}
