/// One GGUF metadata value: a scalar, a string, or a homogeneous array of scalars or strings.
///
/// GGUF (ggml's file format, specification in ggml/docs/gguf.md) allows arrays of any scalar
/// type and of strings; this reader rejects arrays of arrays (`GGUFError.nestedArray`), which
/// no model uses.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)

    /// The GGUF type tag of this value.
    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    /// The value as an `Int` when it is an integer of any width that fits, else `nil`.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(exactly: v)
        default: nil
        }
    }

    /// The value as a `Double` when it is a float32 or float64, else `nil`.
    public var floatingPointValue: Double? {
        switch self {
        case .float32(let v): Double(v)
        case .float64(let v): v
        default: nil
        }
    }
}

/// A homogeneous GGUF metadata array, kept as a typed Swift array (one allocation per array,
/// none per element except for strings).
public enum GGUFArray: Sendable, Equatable {
    case uint8([UInt8])
    case int8([Int8])
    case uint16([UInt16])
    case int16([Int16])
    case uint32([UInt32])
    case int32([Int32])
    case uint64([UInt64])
    case int64([Int64])
    case float32([Float])
    case float64([Double])
    case bool([Bool])
    case string([String])

    /// The GGUF type tag of the elements.
    public var elementType: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        }
    }

    /// Number of elements.
    public var count: Int {
        switch self {
        case .uint8(let a): a.count
        case .int8(let a): a.count
        case .uint16(let a): a.count
        case .int16(let a): a.count
        case .uint32(let a): a.count
        case .int32(let a): a.count
        case .uint64(let a): a.count
        case .int64(let a): a.count
        case .float32(let a): a.count
        case .float64(let a): a.count
        case .bool(let a): a.count
        case .string(let a): a.count
        }
    }

    /// Element `index` as a scalar `GGUFValue` (for printing and generic walks).
    ///
    /// - Precondition: `index` is in `0..<count`.
    public func element(at index: Int) -> GGUFValue {
        switch self {
        case .uint8(let a): .uint8(a[index])
        case .int8(let a): .int8(a[index])
        case .uint16(let a): .uint16(a[index])
        case .int16(let a): .int16(a[index])
        case .uint32(let a): .uint32(a[index])
        case .int32(let a): .int32(a[index])
        case .uint64(let a): .uint64(a[index])
        case .int64(let a): .int64(a[index])
        case .float32(let a): .float32(a[index])
        case .float64(let a): .float64(a[index])
        case .bool(let a): .bool(a[index])
        case .string(let a): .string(a[index])
        }
    }
}
