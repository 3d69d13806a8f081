// Packed kernels at the AVX2 level (also used at the AVX-VNNI level): a group's 16 rows as two
// halves of 8, each 256-bit vector holding 4 weights of 8 rows; maddubs + madd (u8 x s8, no
// saturation for stored values up to 63) give the 8 rows' integer sums of 4 products. Q8_0's
// stored values reach 255, so its bytes are turned back into signed weights and multiplied through
// the sign trick (|w| x sign(a, w)). Integer sums are exact, so the results are packed.c's bits.
#include "packed.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#pragma clang fp contract(off)

#define CK_ATTR __attribute__((target("avx2,fma,f16c")))

static inline CK_ATTR __m256i bcast_u32(const int8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

// Sum over 4-byte groups of u x s, in int32 lanes.
static inline CK_ATTR __m256i dot4(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

// Rows [8h, 8h + 8) of the group (h = half), tokens [t0, t0 + T); lanes outside [lo, hi) unwritten.
static inline __attribute__((always_inline)) CK_ATTR void
tile(const int kind, const int T, const uint8_t *group, int64_t blocks, int half, const ck_activations *a, int64_t t0,
     float *y, int64_t ldy, int lo, int hi) {
    const size_t gb = ck_packed_block_bytes(kind), qbytes = ck_packed_quant_bytes(kind);
    const int offset = ck_packed_offset(kind), halves = kind == CK_KIND_Q6_K, with_min = ck_kind_has_min(kind);
    const int signed_bytes = kind == CK_KIND_Q8_0;
    const int64_t n = a->columns;
    __m256 acc[4];
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++) acc[t] = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *p = group + (size_t)b * gb;
        __m256i w[8];
        if (ck_packed_is_nibbles(kind)) {
            const __m256i low = _mm256_set1_epi8(0x0F);
#pragma clang loop unroll(full)
            for (int k = 0; k < 4; k++) {
                const __m256i z = _mm256_loadu_si256((const __m256i *)(const void *)(p + 64 * k + 32 * half));
                w[k] = _mm256_and_si256(z, low);
                w[k + 4] = _mm256_and_si256(_mm256_srli_epi16(z, 4), low);
            }
        } else {
#pragma clang loop unroll(full)
            for (int k = 0; k < 8; k++) {
                w[k] = _mm256_loadu_si256((const __m256i *)(const void *)(p + 64 * k + 32 * half));
                if (signed_bytes) w[k] = _mm256_xor_si256(w[k], _mm256_set1_epi8((char)0x80));
            }
        }
        const float *f = (const float *)(const void *)(p + qbytes) + 8 * half;
        const __m256 d0 = _mm256_loadu_ps(f);
        const __m256 d1 = halves || with_min ? _mm256_loadu_ps(f + CK_PACK_ROWS) : d0;
#pragma clang loop unroll(full)
        for (int t = 0; t < T; t++) {
            const int64_t tb = (t0 + t) * (n / CK_QK) + b;
            const int8_t *aq = a->quants + (t0 + t) * n + b * CK_QK;
            const int32_t *hs = a->half_sums + 2 * tb;
            const __m256 s = _mm256_set1_ps(a->scales[tb]);
            __m256i i0 = _mm256_setzero_si256(), i1 = _mm256_setzero_si256();
#pragma clang loop unroll(full)
            for (int k = 0; k < 8; k++) {
                const __m256i x = bcast_u32(aq + 4 * k);
                const __m256i part = signed_bytes ? dot4(_mm256_abs_epi8(w[k]), _mm256_sign_epi8(x, w[k]))
                                                  : dot4(w[k], x);
                if (halves && k >= 4) i1 = _mm256_add_epi32(i1, part);
                else i0 = _mm256_add_epi32(i0, part);
            }
            if (halves) {
                i0 = _mm256_sub_epi32(i0, _mm256_set1_epi32(offset * hs[0]));
                i1 = _mm256_sub_epi32(i1, _mm256_set1_epi32(offset * hs[1]));
                acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i0), _mm256_mul_ps(d0, s), acc[t]);
                acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i1), _mm256_mul_ps(d1, s), acc[t]);
            } else {
                if (offset && !signed_bytes) i0 = _mm256_sub_epi32(i0, _mm256_set1_epi32(offset * (hs[0] + hs[1])));
                acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i0), _mm256_mul_ps(d0, s), acc[t]);
                if (with_min) acc[t] = _mm256_fmadd_ps(d1, _mm256_set1_ps(a->sums[tb]), acc[t]);
            }
        }
    }
#pragma clang loop unroll(full)
    for (int t = 0; t < T; t++) {
        float lanes[8];
        _mm256_storeu_ps(lanes, acc[t]);
        for (int r = lo; r < hi; r++) y[(t0 + t) * ldy + 8 * half + r] = lanes[r];
    }
}

static inline __attribute__((always_inline)) CK_ATTR void
run(const int kind, const uint8_t *packed, int64_t r0, int64_t r1, const ck_activations *a, float *y, int64_t ldy) {
    const int64_t blocks = a->columns / CK_QK;
    const size_t group_bytes = (size_t)blocks * ck_packed_block_bytes(kind);
    for (int64_t g = r0 / CK_PACK_ROWS; g * CK_PACK_ROWS < r1; g++) {
        const uint8_t *group = packed + (size_t)g * group_bytes;
        for (int half = 0; half < 2; half++) {
            const int64_t first = g * CK_PACK_ROWS + 8 * half;
            const int lo = r0 > first ? (int)(r0 - first) : 0, hi = r1 < first + 8 ? (int)(r1 - first) : 8;
            if (lo >= hi) continue;
            float *out = y + g * CK_PACK_ROWS;
            int64_t t = 0;
            for (; t + 4 <= a->count; t += 4) tile(kind, 4, group, blocks, half, a, t, out, ldy, lo, hi);
            switch (a->count - t) {
            case 3: tile(kind, 3, group, blocks, half, a, t, out, ldy, lo, hi); break;
            case 2: tile(kind, 2, group, blocks, half, a, t, out, ldy, lo, hi); break;
            case 1: tile(kind, 1, group, blocks, half, a, t, out, ldy, lo, hi); break;
            default: break;
            }
        }
    }
}

CK_ATTR int ck_packed_matmul_avx2(int kind, const uint8_t *packed, int64_t r0, int64_t r1, const ck_activations *a,
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
