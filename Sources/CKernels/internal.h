#ifndef SWIFT_DECODING_CKERNELS_INTERNAL_H
#define SWIFT_DECODING_CKERNELS_INTERNAL_H
// Shared by the kernel files: block sizes, byte offsets inside ggml blocks, the per-ISA entry
// points. Not part of the module's public header.

#include "CKernels.h"
#include <string.h>

#define CK_QK 32        // values per Q4_0 / Q4_1 / Q8_0 block and per activation block
#define CK_QK_K 256     // values per K-quant super-block
#define CK_Q4_0_BYTES 18 // half d, 16 bytes of nibbles
#define CK_Q4_1_BYTES 20 // half d, half m, 16 bytes of nibbles
#define CK_Q5_0_BYTES 22 // half d, 4 bytes of fifth bits (uint32 LE), 16 bytes of nibbles
#define CK_Q5_1_BYTES 24 // half d, half m, 4 bytes of fifth bits, 16 bytes of nibbles
#define CK_Q8_0_BYTES 34 // half d, 32 int8
#define CK_Q4_K_BYTES 144 // half d, half dmin, 12 bytes of 6-bit scales/mins, 128 bytes of nibbles
#define CK_Q5_K_BYTES 176 // as Q4_K plus 32 bytes of fifth bits (before the nibbles)
#define CK_Q6_K_BYTES 210 // 128 bytes low nibbles, 64 bytes high 2 bits, 16 int8 scales, half d

static inline uint16_t ck_read_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | ((uint16_t)p[1] << 8));
}

static inline void ck_write_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v & 0xFF);
    p[1] = (uint8_t)(v >> 8);
}

/// Round to nearest, ties to even, for |v| < 2^22, without libm (the 1.5 * 2^23 trick; needs
/// the default rounding mode and no fast-math). Matches `_mm256_round_ps(.., NEAREST_INT)`.
static inline float ck_round_even(float v) {
    const float magic = 12582912.0f;
    return (v + magic) - magic;
}

/// Sum of 8 lanes in the order the AVX2 horizontal reduction uses:
/// ((l0+l4) + (l2+l6)) + ((l1+l5) + (l3+l7)).
static inline float ck_hsum8_order(const float l[8]) {
    float s0 = l[0] + l[4], s1 = l[1] + l[5], s2 = l[2] + l[6], s3 = l[3] + l[7];
    float t0 = s0 + s2, t1 = s1 + s3;
    return t0 + t1;
}

// K-quant 6-bit scale and min of sub-block j (0..7) from the 12 packed bytes.
static inline void ck_k_scale_min(int j, const uint8_t *q, uint8_t *d, uint8_t *m) {
    if (j < 4) {
        *d = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *d = (uint8_t)((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *m = (uint8_t)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// The integer weight formats, as the matmul kernels see them: every row is a sequence of
// 32-value blocks, one per activation block (a K-quant super-block is 8 of them). A block's 32
// weights are integers w_j (signed for Q4_0, Q5_0, Q8_0, Q6_K: q - 8, q - 16, q, q - 32;
// unsigned for Q4_1, Q5_1, Q4_K, Q5_K) with a float scale d and offset m (the block's value j is
// d * w_j + m), except Q6_K, whose block has two 16-value halves with int8 scales s0, s1 (value
// j is d * s_{j/16} * w_j). For the K-quants d and m are the products d * scale and
// -(dmin * min) of the super-block's half scales and the sub-block's 6-bit scale and min: exact
// in binary32 (11-bit by 6-bit significands), so the kernels can form them in any order.
typedef enum {
    CK_KIND_Q4_0, CK_KIND_Q4_1, CK_KIND_Q8_0, CK_KIND_Q5_0, CK_KIND_Q5_1,
    CK_KIND_Q4_K, CK_KIND_Q5_K, CK_KIND_Q6_K,
} ck_int_kind;

/// The integer kind of `type`, or -1 for the float-path types.
static inline int ck_int_kind_of(int type) {
    switch (type) {
    case CK_TYPE_Q4_0: return CK_KIND_Q4_0;
    case CK_TYPE_Q4_1: return CK_KIND_Q4_1;
    case CK_TYPE_Q8_0: return CK_KIND_Q8_0;
    case CK_TYPE_Q5_0: return CK_KIND_Q5_0;
    case CK_TYPE_Q5_1: return CK_KIND_Q5_1;
    case CK_TYPE_Q4_K: return CK_KIND_Q4_K;
    case CK_TYPE_Q5_K: return CK_KIND_Q5_K;
    case CK_TYPE_Q6_K: return CK_KIND_Q6_K;
    default: return -1;
    }
}

/// Whether a kind's weights are unsigned with an offset term m (Q4_1, Q5_1, Q4_K, Q5_K).
static inline int ck_kind_has_min(int kind) {
    return kind == CK_KIND_Q4_1 || kind == CK_KIND_Q5_1 || kind == CK_KIND_Q4_K || kind == CK_KIND_Q5_K;
}

/// Whether a kind is a K-quant (256-value super-blocks of 8 activation blocks).
static inline int ck_kind_is_k(int kind) {
    return kind == CK_KIND_Q4_K || kind == CK_KIND_Q5_K || kind == CK_KIND_Q6_K;
}

/// Bytes per block (K-quants: per super-block).
static inline size_t ck_kind_bytes(int kind) {
    switch (kind) {
    case CK_KIND_Q4_0: return CK_Q4_0_BYTES;
    case CK_KIND_Q4_1: return CK_Q4_1_BYTES;
    case CK_KIND_Q8_0: return CK_Q8_0_BYTES;
    case CK_KIND_Q5_0: return CK_Q5_0_BYTES;
    case CK_KIND_Q5_1: return CK_Q5_1_BYTES;
    case CK_KIND_Q4_K: return CK_Q4_K_BYTES;
    case CK_KIND_Q5_K: return CK_Q5_K_BYTES;
    default: return CK_Q6_K_BYTES;
    }
}

/// The float scales d_j and offsets m_j of the 8 32-value blocks of the K-quant super-block at
/// `sb` (Q4_K, Q5_K: d * scale_j and -(dmin * min_j); Q6_K: d, m = 0).
static inline void ck_k_block_scales(int kind, const uint8_t *sb, float d[8], float m[8]) {
    if (kind == CK_KIND_Q6_K) {
        const float dd = ck_fp16_to_fp32(ck_read_u16(sb + 208));
        for (int j = 0; j < 8; j++) { d[j] = dd; m[j] = 0; }
        return;
    }
    const float dd = ck_fp16_to_fp32(ck_read_u16(sb)), dmin = ck_fp16_to_fp32(ck_read_u16(sb + 2));
    for (int j = 0; j < 8; j++) {
        uint8_t sc, mn;
        ck_k_scale_min(j, sb + 4, &sc, &mn);
        d[j] = dd * (float)sc;
        m[j] = -(dmin * (float)mn);
    }
}

static inline uint32_t ck_read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

// Activation block `b` of a row of `kind` (see ck_int_kind in internal.h): its 32 weights as
// integers in activation order, the Q6_K half scales s[0], s[1] (1 and 1 otherwise), and its
// scale d and offset m. K-quants: `kd`, `km` hold the super-block's 8 scales and offsets,
// filled at its first block.
static inline __attribute__((always_inline)) void
ck_unpack_block(int kind, const uint8_t *row, int64_t b, int w[CK_QK], int s[2], float *d, float *m, float kd[8], float km[8]) {
    s[0] = s[1] = 1;
    *m = 0;
    if (ck_kind_is_k(kind)) {
        const uint8_t *sb = row + (size_t)(b / 8) * ck_kind_bytes(kind);
        const int j = (int)(b % 8);
        if (j == 0) ck_k_block_scales(kind, sb, kd, km);
        *d = kd[j];
        *m = km[j];
        if (kind == CK_KIND_Q6_K) {
            const int h = j / 4, quarter = j % 4;
            const uint8_t *ql = sb + 64 * h + 32 * (quarter % 2), *qh = sb + 128 + 32 * h;
            for (int l = 0; l < 32; l++) {
                int low = (ql[l] >> (4 * (quarter / 2))) & 0xF, high = (qh[l] >> (2 * quarter)) & 3;
                w[l] = (low | (high << 4)) - 32;
            }
            s[0] = (int8_t)sb[192 + 2 * j];
            s[1] = (int8_t)sb[192 + 2 * j + 1];
        } else {
            const uint8_t *q = sb + (kind == CK_KIND_Q4_K ? 16 : 48) + 32 * (j / 2);
            for (int l = 0; l < 32; l++) {
                w[l] = (q[l] >> (4 * (j % 2))) & 0xF;
                if (kind == CK_KIND_Q5_K) w[l] |= ((sb[16 + l] >> j) & 1) << 4;
            }
        }
        return;
    }
    const uint8_t *blk = row + (size_t)b * ck_kind_bytes(kind);
    *d = ck_fp16_to_fp32(ck_read_u16(blk));
    switch (kind) {
    case CK_KIND_Q4_0:
        for (int j = 0; j < 16; j++) {
            w[j] = (int)(blk[2 + j] & 0xF) - 8;
            w[j + 16] = (int)(blk[2 + j] >> 4) - 8;
        }
        break;
    case CK_KIND_Q4_1:
        *m = ck_fp16_to_fp32(ck_read_u16(blk + 2));
        for (int j = 0; j < 16; j++) {
            w[j] = blk[4 + j] & 0xF;
            w[j + 16] = blk[4 + j] >> 4;
        }
        break;
    case CK_KIND_Q5_0:
    case CK_KIND_Q5_1: {
        const int with_min = kind == CK_KIND_Q5_1;
        if (with_min) *m = ck_fp16_to_fp32(ck_read_u16(blk + 2));
        const uint8_t *head = blk + (with_min ? 4 : 2), *qs = head + 4;
        const uint32_t qh = ck_read_u32(head);
        const int bias = with_min ? 0 : 16;
        for (int j = 0; j < 16; j++) {
            w[j] = (int)((qs[j] & 0xF) | (((qh >> j) & 1) << 4)) - bias;
            w[j + 16] = (int)((qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4)) - bias;
        }
        break;
    }
    default: // Q8_0
        for (int j = 0; j < 32; j++) w[j] = (int8_t)blk[2 + j];
        break;
    }
}

/// `isa` lowered to the highest level at or below it that this CPU supports.
int ck_isa_lowered(int isa);

// Per-ISA matmul entry points; same contract as ck_matmul with a known-supported type.
int ck_matmul_scalar(int type, const uint8_t *w, size_t row_bytes, int64_t r0, int64_t r1,
                     const ck_activations *a, float *y, int64_t ldy);
int ck_matmul_avx2(int type, const uint8_t *w, size_t row_bytes, int64_t r0, int64_t r1,
                   const ck_activations *a, float *y, int64_t ldy);
int ck_matmul_vnni(int type, const uint8_t *w, size_t row_bytes, int64_t r0, int64_t r1,
                   const ck_activations *a, float *y, int64_t ldy);
int ck_matmul_avx512(int type, const uint8_t *w, size_t row_bytes, int64_t r0, int64_t r1,
                     const ck_activations *a, float *y, int64_t ldy);

#endif
