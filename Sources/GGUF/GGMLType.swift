/// A ggml tensor element type, with the raw values ggml and GGUF files use (`enum ggml_type`).
///
/// Block geometry follows ggml's `type_traits` table and the block structs of `ggml-common.h`
/// (llama.cpp, ggml-org): a tensor row of `ne0` elements is stored as `ne0 / blockSize` blocks of
/// `bytesPerBlock` bytes each. Raw values 4, 5 (Q4_2, Q4_3), 31–33 (Q4_0_4_4, Q4_0_4_8, Q4_0_8_8)
/// and 36–38 (IQ4_NL_4_4, …) were removed from ggml and are rejected as unknown.
public enum GGMLType: UInt32, Sendable, CaseIterable, Hashable {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q8_1 = 9
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case q8_K = 15
    case iq2_XXS = 16
    case iq2_XS = 17
    case iq3_XXS = 18
    case iq1_S = 19
    case iq4_NL = 20
    case iq3_S = 21
    case iq2_S = 22
    case iq4_XS = 23
    case i8 = 24
    case i16 = 25
    case i32 = 26
    case i64 = 27
    case f64 = 28
    case iq1_M = 29
    case bf16 = 30
    case tq1_0 = 34
    case tq2_0 = 35
    case mxfp4 = 39
    case nvfp4 = 40
    case q1_0 = 41

    /// Number of elements one block holds (1 for the plain scalar types).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .f64, .i8, .i16, .i32, .i64: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1, .iq4_NL, .mxfp4: 32
        case .nvfp4: 64
        case .q1_0: 128
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K, .iq2_XXS, .iq2_XS, .iq3_XXS, .iq1_S,
            .iq3_S, .iq2_S, .iq4_XS, .iq1_M, .tq1_0, .tq2_0:
            256
        }
    }

    /// Size in bytes of one block (`sizeof(block_…)` in ggml-common.h).
    public var bytesPerBlock: Int {
        switch self {
        case .i8: 1
        case .f16, .bf16, .i16: 2
        case .f32, .i32: 4
        case .f64, .i64: 8
        case .q4_0: 18  // f16 d + 16 bytes of nibbles
        case .q4_1: 20  // f16 d, m + 16
        case .q5_0: 22  // f16 d + 4 high bits + 16
        case .q5_1: 24  // f16 d, m + 4 + 16
        case .q8_0: 34  // f16 d + 32
        case .q8_1: 36  // f16 d, s + 32
        case .q2_K: 84  // 16 scales + 64 quants + f16 d, dmin
        case .q3_K: 110  // 32 hmask + 64 quants + 12 scales + f16 d
        case .q4_K: 144  // f16 d, dmin + 12 scales + 128 quants
        case .q5_K: 176  // f16 d, dmin + 12 scales + 32 qh + 128 qs
        case .q6_K: 210  // 128 ql + 64 qh + 16 scales + f16 d
        case .q8_K: 292  // f32 d + 256 quants + 16 int16 sums
        case .iq2_XXS: 66
        case .iq2_XS: 74
        case .iq3_XXS: 98
        case .iq1_S: 50
        case .iq4_NL: 18
        case .iq3_S: 110
        case .iq2_S: 82
        case .iq4_XS: 136
        case .iq1_M: 56
        case .tq1_0: 54
        case .tq2_0: 66
        case .mxfp4: 17  // E8M0 exponent + 16 bytes of E2M1 nibbles
        case .nvfp4: 36  // 4 UE4M3 scales + 32 bytes of E2M1 nibbles
        case .q1_0: 18  // f16 d + 16 bytes of sign bits
        }
    }

    /// The name ggml prints for the type (`"F32"`, `"Q4_1"`, `"IQ2_XXS"`, …), as gguf-dump shows it.
    public var name: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q8_1: "Q8_1"
        case .q2_K: "Q2_K"
        case .q3_K: "Q3_K"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        case .q8_K: "Q8_K"
        case .iq2_XXS: "IQ2_XXS"
        case .iq2_XS: "IQ2_XS"
        case .iq3_XXS: "IQ3_XXS"
        case .iq1_S: "IQ1_S"
        case .iq4_NL: "IQ4_NL"
        case .iq3_S: "IQ3_S"
        case .iq2_S: "IQ2_S"
        case .iq4_XS: "IQ4_XS"
        case .i8: "I8"
        case .i16: "I16"
        case .i32: "I32"
        case .i64: "I64"
        case .f64: "F64"
        case .iq1_M: "IQ1_M"
        case .bf16: "BF16"
        case .tq1_0: "TQ1_0"
        case .tq2_0: "TQ2_0"
        case .mxfp4: "MXFP4"
        case .nvfp4: "NVFP4"
        case .q1_0: "Q1_0"
        }
    }

    /// Whether the type stores blocks of several elements with shared scales (not a plain scalar).
    public var isQuantized: Bool { blockSize > 1 }
}

extension GGMLType: CustomStringConvertible {
    /// The ggml name of the type (`"Q4_1"`).
    public var description: String { name }
}
