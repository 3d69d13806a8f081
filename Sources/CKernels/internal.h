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

// One K-quant super-block -> 256 floats (used by ck_dequantize and the K-quant matmul path).
void ck_dequantize_q4_k_block(const uint8_t *b, float *y);
void ck_dequantize_q5_k_block(const uint8_t *b, float *y);
void ck_dequantize_q6_k_block(const uint8_t *b, float *y);

// Super-block `i` of a Q4_K, Q5_K or Q6_K row -> 256 floats (the K-quant dot products' inner step).
static inline void ck_dequantize_k_row_block(int type, const uint8_t *row, int64_t i, float *y) {
    switch (type) {
    case CK_TYPE_Q4_K: ck_dequantize_q4_k_block(row + i * CK_Q4_K_BYTES, y); break;
    case CK_TYPE_Q5_K: ck_dequantize_q5_k_block(row + i * CK_Q5_K_BYTES, y); break;
    default: ck_dequantize_q6_k_block(row + i * CK_Q6_K_BYTES, y); break;
    }
}

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
