// Packed weights (see CKernels.h): repacking from ggml's blocks, row expansion, the portable
// kernel that defines the arithmetic, and run-time dispatch to the SIMD levels.
#include "packed.h"
#include <math.h>

#pragma clang fp contract(off)

size_t ck_packed_size(int type, int64_t rows, int64_t columns) {
    const int kind = ck_int_kind_of(type);
    if (kind < 0 || rows <= 0 || columns <= 0 || columns % CK_QK != 0) return 0;
    if (ck_kind_is_k(kind) && columns % CK_QK_K != 0) return 0;
    const int64_t groups = (rows + CK_PACK_ROWS - 1) / CK_PACK_ROWS;
    return (size_t)groups * (size_t)(columns / CK_QK) * ck_packed_block_bytes(kind);
}

int ck_pack(int type, const void *src, size_t row_bytes, int64_t rows, int64_t columns, void *dst) {
    const int kind = ck_int_kind_of(type);
    const size_t total = ck_packed_size(type, rows, columns);
    if (total == 0) return -1;
    memset(dst, 0, total);
    const int64_t blocks = columns / CK_QK;
    const size_t gb = ck_packed_block_bytes(kind), qbytes = ck_packed_quant_bytes(kind);
    const int offset = ck_packed_offset(kind), nibbles = ck_packed_is_nibbles(kind);
    const int halves = kind == CK_KIND_Q6_K, with_min = ck_kind_has_min(kind);
    uint8_t *out = (uint8_t *)dst;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *row = (const uint8_t *)src + (size_t)r * row_bytes;
        const int64_t g = r / CK_PACK_ROWS, lane = r % CK_PACK_ROWS;
        int w[CK_QK], s[2];
        float d, m, kd[8], km[8];
        for (int64_t b = 0; b < blocks; b++) {
            ck_unpack_block(kind, row, b, w, s, &d, &m, kd, km);
            uint8_t *p = out + ((size_t)g * (size_t)blocks + (size_t)b) * gb;
            for (int j = 0; j < CK_QK; j++) {
                const uint8_t q = (uint8_t)(w[j] + offset);
                if (nibbles) {
                    const int v = j % 16, k = v / 4, byte = 64 * k + 4 * (int)lane + v % 4;
                    p[byte] |= (uint8_t)(j < 16 ? q : q << 4);
                } else {
                    p[64 * (j / 4) + 4 * lane + j % 4] = q;
                }
            }
            float *f = (float *)(void *)(p + qbytes);
            if (halves) {
                f[lane] = d * (float)s[0];
                f[CK_PACK_ROWS + lane] = d * (float)s[1];
            } else {
                f[lane] = d;
                if (with_min) f[CK_PACK_ROWS + lane] = m;
            }
        }
    }
    return 0;
}

int ck_packed_row(int type, const void *packed, int64_t rows, int64_t columns, int64_t row, float *dst) {
    const int kind = ck_int_kind_of(type);
    if (ck_packed_size(type, rows, columns) == 0 || row < 0 || row >= rows) return -1;
    const int64_t blocks = columns / CK_QK, g = row / CK_PACK_ROWS, lane = row % CK_PACK_ROWS;
    const size_t gb = ck_packed_block_bytes(kind);
    const uint8_t *base = (const uint8_t *)packed + (size_t)g * (size_t)blocks * gb;
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *p = base + (size_t)b * gb;
        int w[CK_QK];
        float d[2], m;
        ck_packed_unpack(kind, p, (int)lane, w, d, &m);
        for (int j = 0; j < CK_QK; j++) {
            const float v = d[j / 16] * (float)w[j];
            dst[b * CK_QK + j] = ck_kind_has_min(kind) ? v + m : v;
        }
    }
    return 0;
}

void ck_activation_half_sums(const int8_t *quants, int64_t blocks, int32_t *out) {
    for (int64_t b = 0; b < 2 * blocks; b++) {
        int32_t s = 0;
        for (int j = 0; j < 16; j++) s += quants[16 * b + j];
        out[b] = s;
    }
}

// The definition (CKernels.h), one (row, token) at a time.
static int packed_matmul_scalar(int kind, const uint8_t *packed, int64_t r0, int64_t r1, const ck_activations *a,
                                float *y, int64_t ldy) {
    const int64_t n = a->columns, blocks = n / CK_QK;
    const size_t gb = ck_packed_block_bytes(kind);
    for (int64_t r = r0; r < r1; r++) {
        const int64_t g = r / CK_PACK_ROWS, lane = r % CK_PACK_ROWS;
        const uint8_t *base = packed + (size_t)g * (size_t)blocks * gb;
        for (int64_t t = 0; t < a->count; t++) {
            const int8_t *aq = a->quants + t * n;
            const float *as = a->scales + t * blocks, *asum = a->sums + t * blocks;
            float acc = 0;
            for (int64_t b = 0; b < blocks; b++) {
                int w[CK_QK];
                float d[2], m;
                ck_packed_unpack(kind, base + (size_t)b * gb, (int)lane, w, d, &m);
                int32_t half[2] = {0, 0};
                for (int j = 0; j < CK_QK; j++) half[j / 16] += w[j] * aq[b * CK_QK + j];
                if (kind == CK_KIND_Q6_K) {
                    acc = fmaf((float)half[0], d[0] * as[b], acc);
                    acc = fmaf((float)half[1], d[1] * as[b], acc);
                } else {
                    acc = fmaf((float)(half[0] + half[1]), d[0] * as[b], acc);
                    if (ck_kind_has_min(kind)) acc = fmaf(m, asum[b], acc);
                }
            }
            y[t * ldy + r] = acc;
        }
    }
    return 0;
}

int ck_packed_matmul(int isa, int type, const void *packed, int64_t rows, int64_t row_begin, int64_t row_end,
                     const ck_activations *a, float *y, int64_t ldy) {
    const int kind = ck_int_kind_of(type);
    if (kind < 0 || a->half_sums == NULL || row_begin < 0 || row_end > rows) return -1;
    if (row_begin >= row_end || a->count <= 0) return 0;
    isa = ck_isa_lowered(isa);
    const uint8_t *p = (const uint8_t *)packed;
#if defined(__x86_64__) || defined(_M_X64)
    if (isa == CK_ISA_AVX512) return ck_packed_matmul_avx512(kind, p, row_begin, row_end, a, y, ldy);
    if (isa >= CK_ISA_AVX2) return ck_packed_matmul_avx2(kind, p, row_begin, row_end, a, y, ldy);
#endif
    return packed_matmul_scalar(kind, p, row_begin, row_end, a, y, ldy);
}
