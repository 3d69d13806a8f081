import GGUF

/// A test-side GGUF writer that can also write what a correct writer never would: wrong magic,
/// versions, counts, raw value bytes, bad tensor entries. Little-endian, as the specification.
struct GGUFBuilder {
    /// A metadata value: a well-formed one, or a type tag followed by arbitrary bytes.
    enum Value {
        case typed(GGUFValue)
        case raw(type: UInt32, bytes: [UInt8])
    }

    /// A tensor entry; `offset` nil places the tensor after the previous one, aligned.
    struct Tensor {
        var name: [UInt8]
        var dimensions: [UInt64]
        var type: UInt32
        var offset: UInt64?
        var dimensionCount: UInt32?

        init(_ name: String, _ dimensions: [UInt64], _ type: GGMLType = .f32, offset: UInt64? = nil) {
            self.name = Array(name.utf8)
            self.dimensions = dimensions
            self.type = type.rawValue
            self.offset = offset
        }

        init(name: [UInt8], dimensions: [UInt64], rawType: UInt32, offset: UInt64?, dimensionCount: UInt32? = nil) {
            self.name = name
            self.dimensions = dimensions
            self.type = rawType
            self.offset = offset
            self.dimensionCount = dimensionCount
        }

        /// The byte size a correct writer computes, or 0 for types or shapes it cannot size.
        var byteCount: Int {
            guard let type = GGMLType(rawValue: type), dimensions.allSatisfy({ $0 < 1 << 20 }) else { return 0 }
            let row = Int(dimensions.first ?? 1)
            guard row % type.blockSize == 0 else { return 0 }
            return dimensions.dropFirst().reduce(row / type.blockSize * type.bytesPerBlock) { $0 * Int($1) }
        }
    }

    var magic: [UInt8] = Array("GGUF".utf8)
    var version: UInt32 = 3
    var tensorCount: UInt64?
    var keyValueCount: UInt64?
    var metadata: [(key: [UInt8], value: Value)] = []
    var tensors: [Tensor] = []
    /// Alignment used to pad the data section (set `general.alignment` too when changing it).
    var alignment = 32

    mutating func add(_ key: String, _ value: GGUFValue) {
        metadata.append((Array(key.utf8), .typed(value)))
    }

    mutating func addRaw(_ key: String, type: UInt32, bytes: [UInt8]) {
        metadata.append((Array(key.utf8), .raw(type: type, bytes: bytes)))
    }

    mutating func addTensor(_ name: String, _ dimensions: [Int], _ type: GGMLType = .f32) {
        tensors.append(Tensor(name, dimensions.map { UInt64($0) }, type))
    }

    /// The file's bytes. Tensor data are filled with a pattern (`byte i = i & 0xFF` of the data
    /// section); the file ends exactly where the last auto-placed tensor ends.
    func build() -> [UInt8] {
        var out = magic
        out.append(le: version)
        out.append(le: tensorCount ?? UInt64(tensors.count))
        out.append(le: keyValueCount ?? UInt64(metadata.count))
        for (key, value) in metadata {
            out.appendString(key)
            switch value {
            case .typed(let v):
                out.append(le: v.type.rawValue)
                out.appendPayload(v)
            case .raw(let type, let bytes):
                out.append(le: type)
                out += bytes
            }
        }
        var next = 0
        var dataEnd = 0
        for tensor in tensors {
            out.appendString(tensor.name)
            out.append(le: tensor.dimensionCount ?? UInt32(tensor.dimensions.count))
            for d in tensor.dimensions { out.append(le: d) }
            out.append(le: tensor.type)
            if let offset = tensor.offset {
                out.append(le: offset)
            } else {
                out.append(le: UInt64(next))
                dataEnd = next + tensor.byteCount
                next = (dataEnd + alignment - 1) / alignment * alignment
            }
        }
        if !tensors.isEmpty {
            while out.count % alignment != 0 { out.append(0) }
            out += (0..<dataEnd).map { UInt8(truncatingIfNeeded: $0) }
        }
        return out
    }
}

extension [UInt8] {
    mutating func append<T: FixedWidthInteger>(le value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendString(_ bytes: [UInt8]) {
        append(le: UInt64(bytes.count))
        self += bytes
    }

    mutating func appendPayload(_ value: GGUFValue) {
        switch value {
        case .uint8(let v): append(le: v)
        case .int8(let v): append(le: v)
        case .uint16(let v): append(le: v)
        case .int16(let v): append(le: v)
        case .uint32(let v): append(le: v)
        case .int32(let v): append(le: v)
        case .uint64(let v): append(le: v)
        case .int64(let v): append(le: v)
        case .float32(let v): append(le: v.bitPattern)
        case .float64(let v): append(le: v.bitPattern)
        case .bool(let v): append(v ? 1 : 0)
        case .string(let s): appendString(Array(s.utf8))
        case .array(let array):
            append(le: array.elementType.rawValue)
            append(le: UInt64(array.count))
            for index in 0..<array.count { appendPayload(array.element(at: index)) }
        }
    }
}

extension GGUFBuilder {
    /// A small, valid llama model: F32 weights, `width` 8, 2 heads (1 KV head), 2 layers,
    /// feed-forward 16, 4 tokens.
    static func tinyLlama(
        blockCount: Int = 2, width: Int = 8, heads: Int = 2, kvHeads: Int = 1, feedForward: Int = 16
    ) -> GGUFBuilder {
        var builder = GGUFBuilder()
        builder.add("general.architecture", .string("llama"))
        builder.add("general.name", .string("tiny"))
        builder.add("llama.block_count", .uint32(UInt32(blockCount)))
        builder.add("llama.context_length", .uint32(64))
        builder.add("llama.embedding_length", .uint32(UInt32(width)))
        builder.add("llama.feed_forward_length", .uint32(UInt32(feedForward)))
        builder.add("llama.attention.head_count", .uint32(UInt32(heads)))
        builder.add("llama.attention.head_count_kv", .uint32(UInt32(kvHeads)))
        builder.add("llama.rope.freq_base", .float32(10_000))
        builder.add("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        builder.add("tokenizer.ggml.model", .string("gpt2"))
        builder.add("tokenizer.ggml.tokens", .array(.string(["a", "b", "ab", "<s>"])))
        builder.add("tokenizer.ggml.scores", .array(.float32([0, 0, -1, 0])))
        builder.add("tokenizer.ggml.token_type", .array(.int32([1, 1, 1, 3])))
        let headDim = heads > 0 && width % heads == 0 ? width / heads : 1
        builder.addTensor("token_embd.weight", [width, 4])
        builder.addTensor("output_norm.weight", [width])
        for layer in 0..<blockCount {
            let p = "blk.\(layer)."
            builder.addTensor(p + "attn_norm.weight", [width])
            builder.addTensor(p + "attn_q.weight", [width, heads * headDim])
            builder.addTensor(p + "attn_k.weight", [width, kvHeads * headDim])
            builder.addTensor(p + "attn_v.weight", [width, kvHeads * headDim])
            builder.addTensor(p + "attn_output.weight", [heads * headDim, width])
            builder.addTensor(p + "ffn_norm.weight", [width])
            builder.addTensor(p + "ffn_gate.weight", [width, feedForward])
            builder.addTensor(p + "ffn_up.weight", [width, feedForward])
            builder.addTensor(p + "ffn_down.weight", [feedForward, width])
        }
        return builder
    }

    /// Replaces the value of `key` (which must exist).
    mutating func set(_ key: String, _ value: GGUFValue) {
        let index = metadata.firstIndex { $0.key == Array(key.utf8) }!
        metadata[index].value = .typed(value)
    }

    /// Removes `key` if present.
    mutating func remove(_ key: String) {
        metadata.removeAll { $0.key == Array(key.utf8) }
    }
}

/// Runs `body` and returns the `GGUFError` it throws (nil when it succeeds).
func ggufError<T>(_ body: () throws(GGUFError) -> T) -> GGUFError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Parses `bytes` and returns the error (nil when the bytes are a valid file).
func parseError(_ bytes: [UInt8]) -> GGUFError? {
    ggufError { () throws(GGUFError) in try GGUFFile(bytes: bytes) }
}
