// Portable matmul kernels. The integer paths keep the AVX2 kernels' structure exactly (8 lanes of
// 4 consecutive products per block, the same float operations in the same order) so every ISA
// level returns the same bits; that is also what makes them the reference in the tests.
#include "internal.h"
#include <math.h>

#pragma clang fp contract(off)

typedef enum { KIND_Q4_0, KIND_Q4_1, KIND_Q8_0 } int_kind;

// The 32 weights of block `b` as integers in activation order, and its scale and offset.
static inline void unpack_block(int_kind kind, const uint8_t *blk, int w[CK_QK], float *d, float *m) {
    switch (kind) {
    case KIND_Q4_0:
        *d = ck_fp16_to_fp32(ck_read_u16(blk));
        *m = 0;
        for (int j = 0; j < 16; j++) {
            w[j] = (int)(blk[2 + j] & 0xF) - 8;
            w[j + 16] = (int)(blk[2 + j] >> 4) - 8;
        }
        break;
    case KIND_Q4_1:
        *d = ck_fp16_to_fp32(ck_read_u16(blk));
        *m = ck_fp16_to_fp32(ck_read_u16(blk + 2));
        for (int j = 0; j < 16; j++) {
            w[j] = blk[4 + j] & 0xF;
            w[j + 16] = blk[4 + j] >> 4;
        }
        break;
    case KIND_Q8_0:
        *d = ck_fp16_to_fp32(ck_read_u16(blk));
        *m = 0;
        for (int j = 0; j < 32; j++) w[j] = (int8_t)blk[2 + j];
        break;
    }
}

static float dot_int_row(int_kind kind, const uint8_t *row, size_t block_bytes, int64_t blocks,
                         const int8_t *aq, const float *as, const float *asum) {
    float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    float offset = 0;
    int w[CK_QK];
    for (int64_t b = 0; b < blocks; b++) {
        float d, m;
        unpack_block(kind, row + b * block_bytes, w, &d, &m);
        const int8_t *a = aq + b * CK_QK;
        float scale = d * as[b];
        for (int k = 0; k < 8; k++) {
            int s = w[4 * k] * a[4 * k] + w[4 * k + 1] * a[4 * k + 1] + w[4 * k + 2] * a[4 * k + 2] +
                    w[4 * k + 3] * a[4 * k + 3];
            lanes[k] = fmaf(scale, (float)s, lanes[k]);
        }
        if (kind == KIND_Q4_1) offset = fmaf(m, asum[b], offset);
    }
    return ck_hsum8_order(lanes) + offset;
}

static float dot_float(const float *w, const float *x, int64_t n) {
    float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int k = 0; k < 8; k++) lanes[k] += w[i + k] * x[i + k];
    }
    float s = ck_hsum8_order(lanes);
    for (; i < n; i++) s += w[i] * x[i];
    return s;
}

static float dot_half_row(int type, const uint8_t *row, const float *x, int64_t n) {
    float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int k = 0; k < 8; k++) {
            uint16_t h = ck_read_u16(row + 2 * (i + k));
            float v = type == CK_TYPE_F16 ? ck_fp16_to_fp32(h) : ck_bf16_to_fp32(h);
            lanes[k] += v * x[i + k];
        }
    }
    float s = ck_hsum8_order(lanes);
    for (; i < n; i++) {
        uint16_t h = ck_read_u16(row + 2 * i);
        s += (type == CK_TYPE_F16 ? ck_fp16_to_fp32(h) : ck_bf16_to_fp32(h)) * x[i];
    }
    return s;
}

static float dot_k_row(int type, const uint8_t *row, const float *x, int64_t n) {
    float tmp[CK_QK_K];
    float s = 0;
    for (int64_t i = 0; i < n / CK_QK_K; i++) {
        ck_dequantize_k_row_block(type, row, i, tmp);
        s += dot_float(tmp, x + i * CK_QK_K, CK_QK_K);
    }
    return s;
}

int ck_matmul_scalar(int type, const uint8_t *w, size_t row_bytes, int64_t r0, int64_t r1,
                     const ck_activations *a, float *y, int64_t ldy) {
    int64_t n = a->columns, blocks = n / CK_QK;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + (size_t)r * row_bytes;
        for (int64_t t = 0; t < a->count; t++) {
            const float *x = a->values + t * n;
            const int8_t *aq = a->quants + t * n;
            const float *as = a->scales + t * blocks, *asum = a->sums + t * blocks;
            float v;
            switch (type) {
            case CK_TYPE_Q4_0: v = dot_int_row(KIND_Q4_0, row, CK_Q4_0_BYTES, blocks, aq, as, asum); break;
            case CK_TYPE_Q4_1: v = dot_int_row(KIND_Q4_1, row, CK_Q4_1_BYTES, blocks, aq, as, asum); break;
            case CK_TYPE_Q8_0: v = dot_int_row(KIND_Q8_0, row, CK_Q8_0_BYTES, blocks, aq, as, asum); break;
            case CK_TYPE_F32: v = dot_float((const float *)(const void *)row, x, n); break;
            case CK_TYPE_F16:
            case CK_TYPE_BF16: v = dot_half_row(type, row, x, n); break;
            case CK_TYPE_Q4_K:
            case CK_TYPE_Q5_K:
            case CK_TYPE_Q6_K: v = dot_k_row(type, row, x, n); break;
            default: return -1;
            }
            y[t * ldy + r] = v;
        }
    }
    return 0;
}
