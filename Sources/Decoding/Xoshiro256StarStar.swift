/// A seeded, platform-independent pseudo-random generator: xoshiro256** 1.0 (Blackman & Vigna,
/// "Scrambled linear pseudorandom number generators", 2021), seeded through SplitMix64 as its
/// authors recommend.
///
/// The same seed gives the same stream on every platform and toolchain: the state update uses
/// only wrapping integer arithmetic, and ``RandomNumberGenerator/nextUnitInterval()`` maps
/// outputs to doubles with this package's own rule rather than the standard library's.
/// A value type: copying it forks the stream. Use one generator per sequence, so that which
/// other sequences share a batch never changes a sequence's tokens.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable {
    private var s0, s1, s2, s3: UInt64

    /// A generator whose 256-bit state is four SplitMix64 outputs from `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(seed: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    /// A generator for sequence `stream` of a run seeded with `seed`: independent streams for
    /// the sequences of one batch, each reproducible on its own.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed)
        let base = mixer.next()
        self.init(seed: base ^ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    @inline(__always) private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", 2014):
/// a tiny generator used to expand a 64-bit seed into a larger state, and a good 64-bit mixer.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finalizer: a bijective 64-bit hash.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomNumberGenerator {
    /// A double uniform on `[0, 1)`: the top 53 bits of ``next()`` times 2⁻⁵³. Fixed here, not
    /// delegated to the standard library, so results never change with the toolchain.
    @inlinable
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
