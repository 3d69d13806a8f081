import CKernels

/// The instruction-set level a kernel runs at, lowest to highest.
///
/// `best` is probed once from the CPU (`__builtin_cpu_supports`). A request above `best` runs at
/// `best`. For the quantized formats (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K) every level
/// returns bit-identical results, in either `QuantizedMatrix.Layout`, so `scalar` is the reference
/// the faster levels are tested against. Packed matrices use the AVX2 kernels at `vnni` and the
/// 512-bit `vpdpbusd` (16 rows per instruction) at `avx512`.
public enum KernelLevel: Int, Sendable, CaseIterable, Comparable {
    /// Portable C.
    case scalar = 0
    /// AVX2 + FMA + F16C.
    case avx2 = 1
    /// AVX2 plus AVX-VNNI: `vpdpbusd` for the 8-bit dot products of the quantized formats (signed
    /// weights: for one token through the sign trick, |w| computed once per tile; in batches with
    /// the activations biased to unsigned and each lane seeded with −128·Σw).
    case vnni = 2
    /// AVX-512 (F, VL, BW, VNNI): the VNNI kernels with 32 vector registers, so tiles of 8 rows for
    /// one token and 4 rows × 4 tokens for batches (arithmetic stays 256-bit: a 512-bit instruction in
    /// flight would shut a vector port the pairs need).
    case avx512 = 3

    /// The highest level this CPU supports.
    public static let best: KernelLevel = KernelLevel(rawValue: Int(ck_isa_best())) ?? .scalar

    /// Orders levels by capability.
    public static func < (lhs: KernelLevel, rhs: KernelLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
