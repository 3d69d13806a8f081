import Decoding
import GGUF
import Testing

/// Seeded mutation fuzzing: truncated and byte-flipped headers give a typed error or a valid
/// file, never a trap.
@Suite struct FuzzTests {
    /// Values that sit on the edges of the checks (zero, one, sign bits, all ones, the 64 MiB cap).
    static let interesting: [UInt64] = [
        0, 1, 2, 3, 4, 5, 31, 32, 63, 64, 255, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 1 << 32,
        (64 << 20) + 1, 1 << 61, 1 << 62, UInt64(Int64.max), 1 << 63, UInt64.max,
    ]

    /// Mutates `bytes` in place: one to four flips, random bytes or interesting 4/8-byte values,
    /// at offsets drawn near the start, near `hotEnd`, or anywhere.
    static func mutate(_ bytes: inout [UInt8], hotEnd: Int, using rng: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position: Int
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: position = Int.random(in: 0..<min(bytes.count, 4096), using: &rng)
            case 1: position = max(0, min(bytes.count, hotEnd) - 1 - Int.random(in: 0..<16_384, using: &rng))
            default: position = Int.random(in: 0..<bytes.count, using: &rng)
            }
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1: bytes[position] = UInt8.random(in: 0...255, using: &rng)
            default:
                let value = interesting.randomElement(using: &rng)!
                let width = Bool.random(using: &rng) ? 8 : 4
                for k in 0..<width where position + k < bytes.count {
                    bytes[position + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k)))
                }
            }
        }
    }

    /// Runs `iterations` mutations of `seedFile`; returns (successes, typed errors).
    static func fuzz(_ seedFile: [UInt8], hotEnd: Int, iterations: Int, seed: UInt64) -> (Int, Int) {
        var rng = SplitMix64(seed: seed)
        var successes = 0
        var failures = 0
        for _ in 0..<iterations {
            var bytes = seedFile
            if Bool.random(using: &rng) {
                bytes.removeLast(Int.random(in: 0...bytes.count, using: &rng))
            }
            if Int.random(in: 0..<8, using: &rng) != 0 {
                mutate(&bytes, hotEnd: hotEnd, using: &rng)
            }
            // Any thrown error is a `GGUFError` by the typed-throws signature; a trap would end the run.
            if parseError(bytes) == nil { successes += 1 } else { failures += 1 }
        }
        return (successes, failures)
    }

    /// Iterations on the real model's header region: 10 000 in release (what CI runs); a tenth in
    /// debug builds, where each full parse of the vocabulary is ten times slower.
    #if DEBUG
        static let realModelIterations = 1_000
    #else
        static let realModelIterations = 10_000
    #endif

    @Test(.enabled(if: DefaultModel.modelTestsEnabled))
    func realModelHeaderRegion() throws {
        let url = try #require(DefaultModel.locate(), "default model not found; run Scripts/setup.sh or set SKIP_MODEL_TESTS=1")
        let model = try GGUFFile(contentsOf: url)
        // Header, metadata (the whole vocabulary and merges) and tensor table, without tensor data.
        let region = Array(model.rawBytes.prefix(model.dataOffset))
        #expect(region.count < 4 << 20)
        let (successes, failures) = Self.fuzz(region, hotEnd: region.count, iterations: Self.realModelIterations, seed: 0x5EED_6E6F)
        #expect(successes + failures == Self.realModelIterations)
        #expect(failures > 0)
    }

    @Test func tinyModel() throws {
        let bytes = GGUFBuilder.tinyLlama().build()
        let file = try GGUFFile(bytes: bytes)
        let (successes, failures) = Self.fuzz(bytes, hotEnd: file.dataOffset, iterations: 20_000, seed: 42)
        #expect(successes > 0 && failures > 0)
    }
}
