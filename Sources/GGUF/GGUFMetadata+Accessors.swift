/// Typed lookups. Each throws `GGUFError.missingKey` when the key is absent and
/// `.typeMismatch(key:expected:found:)` when the stored type differs; the `…IfPresent` twins
/// return `nil` for an absent key but still throw on a wrong type.
extension GGUFMetadata {
    /// The value for `key`.
    ///
    /// - Throws: `GGUFError.missingKey`.
    public func value(_ key: String) throws(GGUFError) -> GGUFValue {
        guard let value = self[key] else { throw .missingKey(key) }
        return value
    }

    /// A UINT32 value (exactly that type, as llama.cpp requires for most hyper-parameters).
    public func uint32(_ key: String) throws(GGUFError) -> UInt32 {
        guard let v = try uint32IfPresent(key) else { throw .missingKey(key) }
        return v
    }

    /// A UINT32 value, or `nil` when absent.
    public func uint32IfPresent(_ key: String) throws(GGUFError) -> UInt32? {
        guard let value = self[key] else { return nil }
        guard case .uint32(let v) = value else { throw mismatch(key, "UINT32", value) }
        return v
    }

    /// An integer of any GGUF width, as `Int`.
    ///
    /// - Throws: `.typeMismatch` for non-integers, `.valueOutOfRange` for a UINT64 above `Int.max`.
    public func integer(_ key: String) throws(GGUFError) -> Int {
        guard let v = try integerIfPresent(key) else { throw .missingKey(key) }
        return v
    }

    /// An integer of any GGUF width, as `Int`, or `nil` when absent.
    public func integerIfPresent(_ key: String) throws(GGUFError) -> Int? {
        guard let value = self[key] else { return nil }
        if let v = value.intValue { return v }
        if case .uint64(let v) = value { throw .valueOutOfRange(key: key, value: "\(v)", expected: "at most \(Int.max)") }
        throw mismatch(key, "an integer", value)
    }

    /// A FLOAT32 value (a FLOAT64 is accepted and rounded).
    public func float(_ key: String) throws(GGUFError) -> Float {
        guard let v = try floatIfPresent(key) else { throw .missingKey(key) }
        return v
    }

    /// A FLOAT32 (or FLOAT64, rounded) value, or `nil` when absent.
    public func floatIfPresent(_ key: String) throws(GGUFError) -> Float? {
        guard let value = self[key] else { return nil }
        switch value {
        case .float32(let v): return v
        case .float64(let v): return Float(v)
        default: throw mismatch(key, "FLOAT32", value)
        }
    }

    /// A BOOL value.
    public func bool(_ key: String) throws(GGUFError) -> Bool {
        guard let v = try boolIfPresent(key) else { throw .missingKey(key) }
        return v
    }

    /// A BOOL value, or `nil` when absent.
    public func boolIfPresent(_ key: String) throws(GGUFError) -> Bool? {
        guard let value = self[key] else { return nil }
        guard case .bool(let v) = value else { throw mismatch(key, "BOOL", value) }
        return v
    }

    /// A STRING value.
    public func string(_ key: String) throws(GGUFError) -> String {
        guard let v = try stringIfPresent(key) else { throw .missingKey(key) }
        return v
    }

    /// A STRING value, or `nil` when absent.
    public func stringIfPresent(_ key: String) throws(GGUFError) -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let v) = value else { throw mismatch(key, "STRING", value) }
        return v
    }

    /// An ARRAY of STRING.
    public func stringArray(_ key: String) throws(GGUFError) -> [String] {
        guard let v = try stringArrayIfPresent(key) else { throw .missingKey(key) }
        return v
    }

    /// An ARRAY of STRING, or `nil` when absent.
    public func stringArrayIfPresent(_ key: String) throws(GGUFError) -> [String]? {
        guard let value = self[key] else { return nil }
        guard case .array(.string(let v)) = value else { throw mismatch(key, "ARRAY of STRING", value) }
        return v
    }

    /// An ARRAY of integers of any width, as `[Int]`.
    ///
    /// - Throws: `.valueOutOfRange` for a UINT64 element above `Int.max`.
    public func intArray(_ key: String) throws(GGUFError) -> [Int] {
        guard let v = try intArrayIfPresent(key) else { throw .missingKey(key) }
        return v
    }

    /// An ARRAY of integers as `[Int]`, or `nil` when absent.
    public func intArrayIfPresent(_ key: String) throws(GGUFError) -> [Int]? {
        guard let value = self[key] else { return nil }
        guard case .array(let array) = value else { throw mismatch(key, "ARRAY of integers", value) }
        switch array {
        case .uint8(let a): return a.map { Int($0) }
        case .int8(let a): return a.map { Int($0) }
        case .uint16(let a): return a.map { Int($0) }
        case .int16(let a): return a.map { Int($0) }
        case .uint32(let a): return a.map { Int($0) }
        case .int32(let a): return a.map { Int($0) }
        case .int64(let a): return a.map { Int($0) }
        case .uint64(let a):
            var result: [Int] = []
            result.reserveCapacity(a.count)
            for element in a {
                guard let v = Int(exactly: element) else {
                    throw .valueOutOfRange(key: key, value: "\(element)", expected: "at most \(Int.max)")
                }
                result.append(v)
            }
            return result
        default: throw mismatch(key, "ARRAY of integers", value)
        }
    }

    /// An ARRAY of FLOAT32 (FLOAT64 elements are accepted and rounded).
    public func floatArray(_ key: String) throws(GGUFError) -> [Float] {
        guard let v = try floatArrayIfPresent(key) else { throw .missingKey(key) }
        return v
    }

    /// An ARRAY of FLOAT32 (or FLOAT64, rounded), or `nil` when absent.
    public func floatArrayIfPresent(_ key: String) throws(GGUFError) -> [Float]? {
        guard let value = self[key] else { return nil }
        switch value {
        case .array(.float32(let a)): return a
        case .array(.float64(let a)): return a.map { Float($0) }
        default: throw mismatch(key, "ARRAY of FLOAT32", value)
        }
    }

    private func mismatch(_ key: String, _ expected: String, _ value: GGUFValue) -> GGUFError {
        .typeMismatch(key: key, expected: expected, found: value.typeDescription)
    }
}

extension GGUFValue {
    /// The type as the specification names it, with the element type for arrays
    /// (`"ARRAY of INT32"`).
    public var typeDescription: String {
        if case .array(let array) = self { return "ARRAY of \(array.elementType)" }
        return type.name
    }
}
