// Portable matmul kernels. The integer paths (every quantized type) keep the AVX2 kernels'
// structure exactly (8 lanes of 4 consecutive products per block, the same float operations in
// the same order) so every ISA level returns the same bits; that is also what makes them the
// reference in the tests.
#include "internal.h"
#include <math.h>

#pragma clang fp contract(off)

static inline uint32_t read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

// Activation block `b` of a row of `kind` (see ck_int_kind in internal.h): its 32 weights as
// integers in activation order, the Q6_K half scales s[0], s[1] (1 and 1 otherwise), and its
// scale d and offset m. K-quants: `kd`, `km` hold the super-block's 8 scales and offsets,
// filled at its first block.
static inline __attribute__((always_inline)) void
unpack_block(int kind, const uint8_t *row, int64_t b, int w[CK_QK], int s[2], float *d, float *m, float kd[8], float km[8]) {
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
        const uint32_t qh = read_u32(head);
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
        unpack_block(kind, row, b, w, sc, &d, &m, kd, km);
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
