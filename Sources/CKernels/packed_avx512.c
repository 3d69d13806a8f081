// Packed kernels at the AVX-512 level (F, BW, VNNI): one 512-bit vpdpbusd multiplies 4 activation
// bytes, broadcast from memory, by 4 weights of each of a group's 16 rows; a block's 8 of them give
// the 16 rows' integer sums for one token, converted and scaled once. Tiles of 16 rows x up to 4
// tokens share every decoded weight vector. Each (row, token) lane follows packed.c's arithmetic
// operation for operation, so the results are the portable kernel's bits.
#include "packed.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#pragma clang fp contract(off)

#define CK_ATTR __attribute__((target("avx2,fma,f16c,avx512f,avx512vl,avx512bw,avx512vnni")))

static inline CK_ATTR __m512i bcast_u32(const int8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return _mm512_set1_epi32(v);
}

// Rows [16g, 16g + 16) masked by `mask`, tokens [t0, t0 + T).
static inline __attribute__((always_inline)) CK_ATTR void
tile(const int kind, const int T, const uint8_t *group, int64_t blocks, const ck_activations *a, int64_t t0,
     float *y, int64_t ldy, __mmask16 mask) {
    const size_t gb = ck_packed_block_bytes(kind), qbytes = ck_packed_quant_bytes(kind);
    const int offset = ck_packed_offset(kind), halves = kind == CK_KIND_Q6_K, with_min = ck_kind_has_min(kind);
    const int64_t n = a->columns;
    __m512 acc[4];
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++) acc[t] = _mm512_setzero_ps();
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *p = group + (size_t)b * gb;
        __m512i w[8];
        if (ck_packed_is_nibbles(kind)) {
            const __m512i low = _mm512_set1_epi8(0x0F);
#pragma clang loop unroll(full)
            for (int k = 0; k < 4; k++) {
                const __m512i z = _mm512_loadu_si512((const void *)(p + 64 * k));
                w[k] = _mm512_and_si512(z, low);
                w[k + 4] = _mm512_and_si512(_mm512_srli_epi16(z, 4), low);
            }
        } else {
#pragma clang loop unroll(full)
            for (int k = 0; k < 8; k++) w[k] = _mm512_loadu_si512((const void *)(p + 64 * k));
        }
        const float *f = (const float *)(const void *)(p + qbytes);
        const __m512 d0 = _mm512_loadu_ps(f);
        const __m512 d1 = halves || with_min ? _mm512_loadu_ps(f + CK_PACK_ROWS) : d0;
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const int64_t tb = (t0 + t) * (n / CK_QK) + b;
            const int8_t *aq = a->quants + (t0 + t) * n + b * CK_QK;
            const int32_t *hs = a->half_sums + 2 * tb;
            const __m512 s = _mm512_set1_ps(a->scales[tb]);
            __m512i i0 = _mm512_setzero_si512(), i1 = _mm512_setzero_si512();
#pragma clang loop unroll(full)
            for (int k = 0; k < 4; k++) i0 = _mm512_dpbusd_epi32(i0, w[k], bcast_u32(aq + 4 * k));
            if (halves) {
#pragma clang loop unroll(full)
                for (int k = 4; k < 8; k++) i1 = _mm512_dpbusd_epi32(i1, w[k], bcast_u32(aq + 4 * k));
                i0 = _mm512_sub_epi32(i0, _mm512_set1_epi32(offset * hs[0]));
                i1 = _mm512_sub_epi32(i1, _mm512_set1_epi32(offset * hs[1]));
                acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(i0), _mm512_mul_ps(d0, s), acc[t]);
                acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(i1), _mm512_mul_ps(d1, s), acc[t]);
            } else {
#pragma clang loop unroll(full)
                for (int k = 4; k < 8; k++) i0 = _mm512_dpbusd_epi32(i0, w[k], bcast_u32(aq + 4 * k));
                if (offset) i0 = _mm512_sub_epi32(i0, _mm512_set1_epi32(offset * (hs[0] + hs[1])));
                acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(i0), _mm512_mul_ps(d0, s), acc[t]);
                if (with_min) acc[t] = _mm512_fmadd_ps(d1, _mm512_set1_ps(a->sums[tb]), acc[t]);
            }
        }
    }
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++) _mm512_mask_storeu_ps(y + (t0 + t) * ldy, mask, acc[t]);
}

static inline __attribute__((always_inline)) CK_ATTR void
run(const int kind, const uint8_t *packed, int64_t r0, int64_t r1, const ck_activations *a, float *y, int64_t ldy) {
    const int64_t blocks = a->columns / CK_QK;
    const size_t group_bytes = (size_t)blocks * ck_packed_block_bytes(kind);
    for (int64_t g = r0 / CK_PACK_ROWS; g * CK_PACK_ROWS < r1; g++) {
        const int64_t first = g * CK_PACK_ROWS;
        const int64_t lo = r0 > first ? r0 - first : 0, hi = r1 < first + CK_PACK_ROWS ? r1 - first : CK_PACK_ROWS;
        const __mmask16 mask = (__mmask16)(((1u << hi) - 1) & ~((1u << lo) - 1));
        const uint8_t *group = packed + (size_t)g * group_bytes;
        float *out = y + first;
        int64_t t = 0;
        for (; t + 4 <= a->count; t += 4) tile(kind, 4, group, blocks, a, t, out, ldy, mask);
        switch (a->count - t) {
        case 3: tile(kind, 3, group, blocks, a, t, out, ldy, mask); break;
        case 2: tile(kind, 2, group, blocks, a, t, out, ldy, mask); break;
        case 1: tile(kind, 1, group, blocks, a, t, out, ldy, mask); break;
        default: break;
        }
    }
}

CK_ATTR int ck_packed_matmul_avx512(int kind, const uint8_t *packed, int64_t r0, int64_t r1, const ck_activations *a,
                                    float *y, int64_t ldy) {
    switch (kind) {
    case CK_KIND_Q4_0: run(CK_KIND_Q4_0, packed, r0, r1, a, y, ldy); return 0;
    case CK_KIND_Q4_1: run(CK_KIND_Q4_1, packed, r0, r1, a, y, ldy); return 0;
    case CK_KIND_Q4_K: run(CK_KIND_Q4_K, packed, r0, r1, a, y, ldy); return 0;
    case CK_KIND_Q8_0: run(CK_KIND_Q8_0, packed, r0, r1, a, y, ldy); return 0;
    case CK_KIND_Q5_0: run(CK_KIND_Q5_0, packed, r0, r1, a, y, ldy); return 0;
    case CK_KIND_Q5_1: run(CK_KIND_Q5_1, packed, r0, r1, a, y, ldy); return 0;
    case CK_KIND_Q5_K: run(CK_KIND_Q5_K, packed, r0, r1, a, y, ldy); return 0;
    case CK_KIND_Q6_K: run(CK_KIND_Q6_K, packed, r0, r1, a, y, ldy); return 0;
    default: return -1;
    }
}
#endif
