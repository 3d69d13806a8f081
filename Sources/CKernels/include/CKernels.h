#ifndef SWIFT_DECODING_CKERNELS_H
#define SWIFT_DECODING_CKERNELS_H
// Innermost loops of the quantized kernels, written in C so they can use the host's vector units
// (AVX2/FMA/F16C, AVX-VNNI), selected at run time; everything around them is Swift.
//
// Block layouts follow ggml's GGUF formats (ggml-common.h): Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 blocks
// of 32 values, Q4_K, Q5_K, Q6_K super-blocks of 256 values, all little-endian with IEEE half
// scales.
//
// Thread safety: every function here is re-entrant; none keeps state except the cached CPU
// feature probe, which is computed once and is idempotent. Nothing allocates.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set levels of the kernels, in increasing order.
enum {
    CK_ISA_SCALAR = 0, ///< portable C, any CPU
    CK_ISA_AVX2 = 1,   ///< AVX2 + FMA + F16C
    CK_ISA_VNNI = 2,   ///< AVX2 + AVX-VNNI (256-bit vpdpbusd for the 8-bit dot products)
    CK_ISA_AVX512 = 3, ///< AVX-512 F/VL/BW/VNNI: the VNNI kernels with 32 registers and larger tiles
};

/// The highest `CK_ISA_*` level this CPU supports (probed once with `__builtin_cpu_supports`).
int ck_isa_best(void);

/// Type ids: ggml's `ggml_type` raw values for the formats these kernels know.
enum {
    CK_TYPE_F32 = 0,
    CK_TYPE_F16 = 1,
    CK_TYPE_Q4_0 = 2,
    CK_TYPE_Q4_1 = 3,
    CK_TYPE_Q5_0 = 6,
    CK_TYPE_Q5_1 = 7,
    CK_TYPE_Q8_0 = 8,
    CK_TYPE_Q4_K = 12,
    CK_TYPE_Q5_K = 13,
    CK_TYPE_Q6_K = 14,
    CK_TYPE_BF16 = 30,
};

/// IEEE binary16 -> binary32 (exact; subnormals, infinities and NaN kept).
float ck_fp16_to_fp32(uint16_t h);
/// binary32 -> IEEE binary16, round to nearest even; overflow gives infinity.
uint16_t ck_fp32_to_fp16(float f);
/// bfloat16 -> binary32 (exact).
float ck_bf16_to_fp32(uint16_t h);
/// binary32 -> bfloat16, round to nearest even (NaN stays NaN).
uint16_t ck_fp32_to_bf16(float f);

/// Expands `count` values of `type` at `src` into `dst`. `count` must be a multiple of the
/// type's block size. Returns 0, or -1 when `type` is not one of the `CK_TYPE_*` formats.
int ck_dequantize(int type, const void *src, float *dst, int64_t count);

/// Quantizes `count` floats into blocks of `type` (ggml's reference rounding for Q4_0, Q4_1,
/// Q5_0, Q5_1, Q8_0; a min/max search for the K-quants). `count` must be a multiple of the block
/// size. Returns 0, or -1 when `type` has no quantizer here.
int ck_quantize(int type, const float *src, void *dst, int64_t count);

/// Activations quantized to 8 bits in blocks of 32: the layout the integer dot products read.
/// For token `t` and block `b` (`blocks = columns / 32`):
///   quants[t*columns + 32*b + j] = round(values[t*columns + 32*b + j] / scales[t*blocks + b]),
///   scales[t*blocks + b] = max |value| / 127 (binary32),
///   sums[t*blocks + b] = scales[t*blocks + b] * (sum of the block's 32 quants).
/// `values` keeps the float originals for the float-weight (F32/F16/BF16) paths. The K-quants
/// read the same 32-value blocks (a sub-block of 32, or Q6_K's two sub-blocks of 16, lies inside
/// one activation block), so one quantized copy serves every matrix of a mixed-type model.
/// `group_scales` is NULL or the same scales and sums regrouped for the batched kernels (see
/// `ck_group_activation_scales`); with it a tile of 4 tokens loads a block's 4 scales at once.
typedef struct {
    const float *values;
    const int8_t *quants;
    const float *scales;
    const float *sums;
    int64_t columns; ///< per token; a multiple of 32
    int64_t count;   ///< tokens
    const float *group_scales;
    /// NULL, or per token and block the two sums of its quants' halves (`ck_activation_half_sums`):
    /// half_sums[2 * (t*blocks + b) + h] = sum of quants[t*columns + 32*b + 16*h + j], j < 16.
    /// The packed kernels (`ck_packed_matmul`) need it; the others ignore it.
    const int32_t *half_sums;
} ck_activations;

/// Fills `quants`, `scales`, `sums` for `count` token vectors of `columns` floats at `x`
/// (`columns` a multiple of 32): quants = round(x * 127 / max|x|), ties to even, as llama.cpp's
/// x86 activation quantizer; a block of zeros gets scale 0.
void ck_quantize_activations(const float *x, int64_t columns, int64_t count,
                             int8_t *quants, float *scales, float *sums);

/// Regroups the scales and sums of `count` tokens of `blocks` blocks each for the batched kernels:
/// for each group g of 4 tokens and block b, the 8 floats at out[(g * blocks + b) * 8] are the
/// scales of tokens 4g..4g+3, then their sums (0 for tokens past `count`).
/// `out` holds ceil(count / 4) * blocks * 8 floats.
void ck_group_activation_scales(const float *scales, const float *sums, int64_t blocks, int64_t count,
                                float *out);

/// Writes out[2*b + h] = sum of the 16 quants quants[32*b + 16*h + j] (j < 16) for each of
/// `blocks` activation blocks (all tokens' blocks in a row): the integer sums the packed kernels
/// subtract for weights stored with an offset.
void ck_activation_half_sums(const int8_t *quants, int64_t blocks, int32_t *out);

/// Rounds `blocks` scales and sums to binary16 in place, as ggml stores them in its Q8_0 / Q8_1
/// activation blocks (sum = half(scale * Σ quants), computed from the unrounded scale).
void ck_round_activation_scales_to_half(float *scales, float *sums, int64_t blocks);

/// y[t*ldy + r] = <weight row r, activation t> for r in [row_begin, row_end), t in [0, a->count).
///
/// `weights` points at row 0; rows are `row_bytes` apart and hold `a->columns` values of
/// `type` (`a->columns` a multiple of 256 for the K-quants). The quantized types (Q4_0, Q4_1,
/// Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K) use integer dot products with the 8-bit activations:
/// per 32-value block, 8 int32 lanes of 4 products (Q6_K: each lane times its 16-value half's
/// int8 scale), fed into 8 float lanes as fma(d * activation scale, lane, acc), where d is the
/// block's scale (K-quants: super-block scale times the 6-bit sub-block scale, exact), plus for
/// Q4_1, Q5_1, Q4_K, Q5_K a separate chain fma(m, activation sum, offset) with the block's
/// minimum term m; the lanes summed in a fixed order, plus the offset. F32, F16 and BF16 use
/// float dot products with `a->values`. For the quantized types every `isa` level, tile shape,
/// row range and batch size gives bit-identical results per (row, token) (same integer lane
/// sums, same float operation order, no FMA contraction): batch invariance. `isa` above
/// `ck_isa_best()` is lowered to it. Returns 0, or -1 for an unsupported type.
int ck_matmul(int isa, int type, const void *weights, size_t row_bytes,
              int64_t row_begin, int64_t row_end, const ck_activations *a,
              float *y, int64_t ldy);

/// scores[r * score_row_stride + h * score_head_stride + p] = scale * <q(r, h), key p> for keys
/// p in [0, key_count) at `keys + p * key_stride`, queries q(r, h) = queries + r * row_stride +
/// h * head_stride (r < rows, h < heads), `dim` values each. Each product is summed as ggml's
/// AVX-512 F16 kernel does: sixteen lanes (lane l takes i = l mod 16, each product rounded then
/// added), the lanes by halves; then multiplied by `scale`. Same bits at every `isa` level
/// (lowered to `ck_isa_best()`).
void ck_attention_scores(int isa, const float *keys, int64_t key_stride, int64_t key_count, const float *queries,
                         int64_t rows, int64_t row_stride, int64_t heads, int64_t head_stride, int64_t dim,
                         float scale, float *scores, int64_t score_row_stride, int64_t score_head_stride);

/// lanes[((first_lane + n) mod 16) * dim + i] += probabilities[n] * values[n * value_stride + i]
/// for n in [0, count), i in [0, dim): each product rounded, then added (no FMA). Same bits at
/// every `isa` level (lowered to `ck_isa_best()`).
void ck_attention_value_lanes(int isa, const float *probabilities, const float *values, int64_t value_stride, int64_t count,
                              int64_t first_lane, int64_t dim, float *lanes);

/// out[i] = the sixteen value lanes at `lanes` (lane l at lanes + l * dim) summed by halves,
/// 8 + 8, 4 + 4, 2 + 2, 1 + 1, for i < dim: the end of the probability-weighted value sum that
/// `ck_attention_value_lanes` accumulates. Same bits at every `isa` level.
void ck_attention_lanes_sum(int isa, const float *lanes, int64_t dim, float *out);

/// The attention probabilities of one (row, head) in place, as llama.cpp's CPU softmax computes
/// them, then rounded to binary16 (kept as binary32) for the F16 value product: m = max score;
/// e_i = expf(s_i − m) with ggml's vectorized expf (fused multiply-adds, one rounding in the
/// final scaling); the e_i summed in blocks of sixteen (each block by halves, a short last block
/// padded with zeros), the blocks added in double; p_i = e_i · (float)(1 / total). Same bits at
/// every `isa` level (AVX-512 or portable C with `fmaf`). `n` may be 0.
void ck_attention_softmax(int isa, float *scores, int64_t n);

/// gate[i] = silu(gate[i]) · up[i] for i < n (the SwiGLU activation, Shazeer 2020), as ggml's CPU
/// kernel computes it: silu(g) = g / (1 + expf(−g)) with the expf of `ck_attention_softmax`, then
/// the product, each step rounded. Same bits at every `isa` level. `n` may be 0.
void ck_swiglu(int isa, float *gate, const float *up, int64_t n);

/// gate[i] = gelu(gate[i]) · up[i] for i < n (GeGLU, Shazeer 2020) as ggml's CPU kernel computes
/// it: 0 for gate[i] <= -10, gate[i] · up[i] for gate[i] >= 10, otherwise the binary16 value
/// table[h] (a GELU of every binary16 input, indexed by the bit pattern h of gate[i] rounded to
/// binary16 to nearest even) times up[i]. `table` holds 65 536 entries. Same bits at every `isa`
/// level. `n` may be 0.
void ck_geglu_table(int isa, float *gate, const float *up, const uint16_t *table, int64_t n);

// ---------------------------------------------------------------------------------------------
// Packed weights: the quantized matrices repacked once, at load, for the integer dot-product
// instructions, with arithmetic of their own (batch invariant, not ggml's).
//
// Layout: rows in groups of CK_PACK_ROWS (the last group padded with zero rows); group g holds, for
// each 32-value block b in order, a group block of
//   quants: 4-bit kinds (Q4_0, Q4_1, Q4_K) 256 bytes, byte 64k + 4r + j holding value 4k + j of row r
//           in its low nibble and value 16 + 4k + j in its high nibble (k < 4, r < 16, j < 4);
//           8-bit kinds (Q8_0, Q5_0, Q5_1, Q5_K, Q6_K) 512 bytes, byte 64k + 4r + j = value 4k + j
//           of row r (k < 8); values stored unsigned, q = w + o with the kind's offset o (Q4_0 8,
//           Q5_0 16, Q6_K 32, Q8_0 128, the kinds with a minimum 0);
//   16 floats d (Q6_K: 16 for each 16-value half, d * s_h, exact), then for Q4_1, Q5_1, Q4_K, Q5_K
//   16 floats m (the block's offset term; K-quants -(dmin * min), exact).
// So one 512-bit vpdpbusd of 4 activation bytes broadcast against 64 weight bytes gives 16 rows'
// partial sums, and a block's integer sum is converted once per (row, token).
//
// Arithmetic, per (row r, token t), the same at every level, tile, row range and batch size:
//   acc = 0; for each block b in order:
//     i = sum_j w_j * a_j (exact integer; Q6_K: i_0, i_1 over its halves)
//     acc = fma((float)i, d * s_tb, acc)      (Q6_K: the two halves in order, each with its d)
//     acc = fma(m, sum_tb, acc)               (kinds with a minimum)
//   y = acc
// where s_tb, sum_tb are the activation block's scale and scaled sum (binary32 or as stored).

/// Rows per group of the packed layout.
#define CK_PACK_ROWS 16

/// Bytes of the packed form of a `rows` x `columns` matrix of `type` (`columns` a multiple of 32,
/// of 256 for the K-quants), or 0 when `type` has no packed form (F32, F16, BF16).
size_t ck_packed_size(int type, int64_t rows, int64_t columns);

/// Writes the packed form of the `rows` rows at `src` (`row_bytes` apart, ggml layout) into `dst`
/// (`ck_packed_size` bytes; 64-byte alignment makes every load aligned). Returns 0, or -1 when
/// `type` has no packed form.
int ck_pack(int type, const void *src, size_t row_bytes, int64_t rows, int64_t columns, void *dst);

/// y[t*ldy + r] = the packed arithmetic above for r in [row_begin, row_end), t < a->count, from
/// the packed matrix at `packed` (`rows` x `a->columns`). `a->half_sums` must be set. Bit-identical
/// results at every `isa` level (lowered to `ck_isa_best()`), for every row range and batch size.
/// Returns 0, or -1 for a type without packed form or missing half sums.
int ck_packed_matmul(int isa, int type, const void *packed, int64_t rows, int64_t row_begin, int64_t row_end,
                     const ck_activations *a, float *y, int64_t ldy);

/// Expands row `row` of a packed matrix (`rows` x `columns`) into `dst`: d * w + m per value (Q6_K:
/// d_h * w), the values ggml's dequantization gives. Returns 0, or -1 for a type without packed form.
int ck_packed_row(int type, const void *packed, int64_t rows, int64_t columns, int64_t row, float *dst);

#ifdef __cplusplus
}
#endif

#endif
