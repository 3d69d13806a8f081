import Foundation

/// Writes small GGUF v3 files in memory: the crafted models of the bad-input tests.
struct TinyGGUF {
    enum Value {
        case string(String)
        case uint32(UInt32)
        case float32(Float)
        case strings([String])
    }

    struct Tensor {
        var name: String
        var dimensions: [Int]
        /// ggml type id (0 = F32, 8 = Q8_0); `data` must have the matching size.
        var type: UInt32 = 0
        var data: [UInt8]
    }

    var metadata: [(String, Value)] = []
    var tensors: [Tensor] = []

    /// A complete one-layer llama with F32 weights: width 32, 2 query heads and 1 key/value
    /// head of 16, feed-forward 64, 8 tokens, context 16; weights from a fixed sequence.
    static func llama(architecture: String = "llama") -> TinyGGUF {
        var file = TinyGGUF()
        file.metadata = [
            ("general.architecture", .string(architecture)),
            ("\(architecture).block_count", .uint32(1)),
            ("\(architecture).context_length", .uint32(16)),
            ("\(architecture).embedding_length", .uint32(32)),
            ("\(architecture).feed_forward_length", .uint32(64)),
            ("\(architecture).attention.head_count", .uint32(2)),
            ("\(architecture).attention.head_count_kv", .uint32(1)),
            ("\(architecture).attention.layer_norm_rms_epsilon", .float32(1e-5)),
            ("tokenizer.ggml.tokens", .strings((0..<8).map { "t\($0)" })),
        ]
        var seed: UInt32 = 1
        func weights(_ count: Int, scale: Float = 0.2) -> [UInt8] {
            var bytes: [UInt8] = []
            for _ in 0..<count {
                seed = seed &* 1_664_525 &+ 1_013_904_223
                let value = (Float(seed >> 8) / Float(1 << 24) - 0.5) * scale
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
            }
            return bytes
        }
        func ones(_ count: Int) -> [UInt8] {
            (0..<count).flatMap { _ in [0, 0, 0x80, 0x3F] as [UInt8] }
        }
        file.tensors = [
            Tensor(name: "token_embd.weight", dimensions: [32, 8], data: weights(256, scale: 2)),
            Tensor(name: "output_norm.weight", dimensions: [32], data: ones(32)),
            Tensor(name: "blk.0.attn_norm.weight", dimensions: [32], data: ones(32)),
            Tensor(name: "blk.0.attn_q.weight", dimensions: [32, 32], data: weights(1024)),
            Tensor(name: "blk.0.attn_k.weight", dimensions: [32, 16], data: weights(512)),
            Tensor(name: "blk.0.attn_v.weight", dimensions: [32, 16], data: weights(512)),
            Tensor(name: "blk.0.attn_output.weight", dimensions: [32, 32], data: weights(1024)),
            Tensor(name: "blk.0.ffn_norm.weight", dimensions: [32], data: ones(32)),
            Tensor(name: "blk.0.ffn_gate.weight", dimensions: [32, 64], data: weights(2048)),
            Tensor(name: "blk.0.ffn_up.weight", dimensions: [32, 64], data: weights(2048)),
            Tensor(name: "blk.0.ffn_down.weight", dimensions: [64, 32], data: weights(2048)),
        ]
        return file
    }

    mutating func removeTensor(_ name: String) { tensors.removeAll { $0.name == name } }

    /// The file's bytes (alignment 32).
    var bytes: [UInt8] {
        var out: [UInt8] = Array("GGUF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func string(_ s: String) { u64(UInt64(s.utf8.count)); out += Array(s.utf8) }
        u32(3)
        u64(UInt64(tensors.count))
        u64(UInt64(metadata.count))
        for (key, value) in metadata {
            string(key)
            switch value {
            case .string(let s): u32(8); string(s)
            case .uint32(let v): u32(4); u32(v)
            case .float32(let f): u32(6); u32(f.bitPattern)
            case .strings(let list): u32(9); u32(8); u64(UInt64(list.count)); list.forEach(string)
            }
        }
        var offset = 0
        var offsets: [Int] = []
        for tensor in tensors {
            offsets.append(offset)
            offset += (tensor.data.count + 31) / 32 * 32
        }
        for (tensor, tensorOffset) in zip(tensors, offsets) {
            string(tensor.name)
            u32(UInt32(tensor.dimensions.count))
            tensor.dimensions.forEach { u64(UInt64($0)) }
            u32(tensor.type)
            u64(UInt64(tensorOffset))
        }
        while out.count % 32 != 0 { out.append(0) }
        for tensor in tensors {
            out += tensor.data
            while out.count % 32 != 0 { out.append(0) }
        }
        return out
    }
}
