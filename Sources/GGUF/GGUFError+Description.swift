extension GGUFError: CustomStringConvertible {
    /// One line that says what was wrong and where.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "no such file: \(path)"
        case .notARegularFile(let path):
            return "not a regular file (a directory?): \(path)"
        case .cannotRead(let path, let code):
            return "cannot read \(path) (errno \(code))"
        case .emptyFile(let path):
            return "empty file, not a GGUF model: \(path)"
        case .badMagic(let found):
            return "not a GGUF file: expected magic \"GGUF\", found \(Self.describeBytes(found))"
        case .unsupportedVersion(let version):
            return "unsupported GGUF version \(version) (this reader supports versions 2 and 3)"
        case .bigEndianFile(let version):
            return "big-endian GGUF file (version \(version.byteSwapped) byte-swapped to \(version)); "
                + "only little-endian files are supported"
        case .truncated(let what, let offset, let needed, let fileSize):
            return "truncated file: \(what) needs \(needed) bytes at offset \(offset), file has \(fileSize)"
        case .countTooLarge(let what, let count, let offset, let remaining):
            return "\(what) \(count) at offset \(offset) is more than the remaining \(remaining) bytes could hold"
        case .stringTooLong(let length, let offset, let limit):
            return "string length \(length) at offset \(offset) exceeds \(limit) bytes"
        case .invalidUTF8(let offset):
            return "string at offset \(offset) is not valid UTF-8"
        case .emptyKey(let index, let offset):
            return "metadata key \(index) at offset \(offset) is empty"
        case .duplicateKey(let key):
            return "duplicate metadata key \"\(key)\""
        case .unknownValueType(let key, let raw, let offset):
            return "metadata \"\(key)\": unknown value type \(raw) at offset \(offset)"
        case .invalidBool(let key, let byte, let offset):
            return "metadata \"\(key)\": boolean byte \(byte) at offset \(offset) is neither 0 nor 1"
        case .nestedArray(let key, let offset):
            return "metadata \"\(key)\": arrays of arrays are not supported (offset \(offset))"
        case .arrayTooLarge(let key, let count, let type, let offset, let remaining):
            return "metadata \"\(key)\": array of \(count) \(type) at offset \(offset) "
                + "does not fit in the remaining \(remaining) bytes"
        case .alignmentNotUInt32(let found):
            return "general.alignment must be UINT32, found \(found)"
        case .invalidAlignment(let value):
            return "general.alignment \(value) must be a power of two between 1 and 1 MiB"
        case .tensorNameTooLong(let name, let length, let offset):
            return "tensor name of \(length) bytes at offset \(offset) is 64 bytes or more: \"\(name.prefix(80))\""
        case .duplicateTensorName(let name):
            return "duplicate tensor name \"\(name)\""
        case .tooManyDimensions(let name, let count):
            return "tensor \"\(name)\" has \(count) dimensions (at most 4)"
        case .dimensionTooLarge(let name, let index, let value):
            return "tensor \"\(name)\": dimension \(index) = \(value) is above Int64.max"
        case .elementCountOverflow(let name, let dimensions):
            return "tensor \"\(name)\": element count of \(dimensions) overflows"
        case .unknownTensorType(let name, let raw):
            return "tensor \"\(name)\": unknown ggml type \(raw)"
        case .dimensionNotMultipleOfBlockSize(let name, let type, let dimension, let blockSize):
            return "tensor \"\(name)\": first dimension \(dimension) is not a multiple of the \(type) block size \(blockSize)"
        case .byteCountOverflow(let name):
            return "tensor \"\(name)\": byte size overflows"
        case .tensorOffsetMisaligned(let name, let offset, let alignment):
            return "tensor \"\(name)\": data offset \(offset) is not a multiple of the alignment \(alignment)"
        case .tensorOffsetOverflow(let name, let offset):
            return "tensor \"\(name)\": data offset \(offset) overflows"
        case .tensorOutOfBounds(let name, let offset, let size, let fileSize):
            return "tensor \"\(name)\": \(size) bytes at offset \(offset) extend past the end of the file (\(fileSize) bytes)"
        case .overlappingTensors(let first, let second):
            return "tensors \"\(first)\" and \"\(second)\" overlap"
        case .missingKey(let key):
            return "missing metadata key \"\(key)\""
        case .typeMismatch(let key, let expected, let found):
            return "metadata \"\(key)\": expected \(expected), found \(found)"
        case .valueOutOfRange(let key, let value, let expected):
            return "metadata \"\(key)\": value \(value) is out of range (expected \(expected))"
        case .unsupportedArchitecture(let arch):
            return "unsupported architecture \"\(arch)\" (supported: llama)"
        case .invalidHyperparameter(let key, let value, let reason):
            return "invalid hyper-parameter \(key) = \(value): \(reason)"
        case .missingTensor(let name):
            return "missing tensor \"\(name)\""
        case .tensorShapeMismatch(let name, let expected, let found):
            return "tensor \"\(name)\": expected shape \(expected), found \(found)"
        }
    }

    /// Bytes as printable ASCII in quotes when they are, else as hex.
    private static func describeBytes(_ bytes: [UInt8]) -> String {
        if !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
        }
        let hex = bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return bytes.isEmpty ? "nothing" : hex.joined(separator: " ")
    }
}
