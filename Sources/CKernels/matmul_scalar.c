// Portable matmul kernels. The integer paths (every quantized type) keep the AVX2 kernels'
// structure exactly (8 lanes of 4 consecutive products per block, the same float operations in
// the same order) so every ISA level returns the same bits; that is also what makes them the
// reference in the tests.
#include "internal.h"
#include <math.h>

#pragma clang fp contract(off)

// The definition every level computes: per block, 8 integer lanes of 4 consecutive products
// (Q6_K: lane k times its half's scale), each lane's float accumulator fed
// fma(d * activation scale, lane, acc); a separate chain fma(m, activation sum, offset) for the
// kinds with a minimum; at the end the lanes summed in the AVX2 order, plus the offset.
static inline __attribute__((always_inline)) float
dot_int_row(int kind, const uint8_t *row, int64_t blocks, const int8_t *aq, const float *as, const float *asum) {
    float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    float offset = 0, kd[8], km[8];
    int w[CK_QK], sc[2];
    for (int64_t b = 0; b < blocks; b++) {
        float d, m;
        ck_unpack_block(kind, row, b, w, sc, &d, &m, kd, km);
        const int8_t *a = aq + b * CK_QK;
        float scale = d * as[b];
        for (int k = 0; k < 8; k++) {
            int s = w[4 * k] * a[4 * k] + w[4 * k + 1] * a[4 * k + 1] + w[4 * k + 2] * a[4 * k + 2] +
                    w[4 * k + 3] * a[4 * k + 3];
            lanes[k] = fmaf(scale, (float)(s * sc[k / 4]), lanes[k]);
        }
        if (ck_kind_has_min(kind)) offset = fmaf(m, asum[b], offset);
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
            // One copy of the integer dot product per kind (the kind a constant inside each).
            switch (ck_int_kind_of(type)) {
            case CK_KIND_Q4_0: y[t * ldy + r] = dot_int_row(CK_KIND_Q4_0, row, blocks, aq, as, asum); continue;
            case CK_KIND_Q4_1: y[t * ldy + r] = dot_int_row(CK_KIND_Q4_1, row, blocks, aq, as, asum); continue;
            case CK_KIND_Q8_0: y[t * ldy + r] = dot_int_row(CK_KIND_Q8_0, row, blocks, aq, as, asum); continue;
            case CK_KIND_Q5_0: y[t * ldy + r] = dot_int_row(CK_KIND_Q5_0, row, blocks, aq, as, asum); continue;
            case CK_KIND_Q5_1: y[t * ldy + r] = dot_int_row(CK_KIND_Q5_1, row, blocks, aq, as, asum); continue;
            case CK_KIND_Q4_K: y[t * ldy + r] = dot_int_row(CK_KIND_Q4_K, row, blocks, aq, as, asum); continue;
            case CK_KIND_Q5_K: y[t * ldy + r] = dot_int_row(CK_KIND_Q5_K, row, blocks, aq, as, asum); continue;
            case CK_KIND_Q6_K: y[t * ldy + r] = dot_int_row(CK_KIND_Q6_K, row, blocks, aq, as, asum); continue;
            default: break;
            }
            switch (type) {
            case CK_TYPE_F32: v = dot_float((const float *)(const void *)row, x, n); break;
            case CK_TYPE_F16:
            case CK_TYPE_BF16: v = dot_half_row(type, row, x, n); break;
            default: return -1;
            }
            y[t * ldy + r] = v;
        }
    }
    return 0;
}
