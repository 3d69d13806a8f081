#ifndef SWIFT_DECODING_CKERNELS_EXPF_H
#define SWIFT_DECODING_CKERNELS_EXPF_H
// ggml's vectorized expf, shared by the softmax (attention.c) and SiLU (activation.c) kernels.
// Not part of the module's public header.

#include <math.h>

#pragma clang fp contract(off)

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define CK_AVX512 __attribute__((target("avx2,fma,f16c,avx512f,avx512vl,avx512dq")))
#endif

// ggml's vectorized expf (the AVX-512 one, lane by lane): e^x = j * 2^n with n = round(x log2 e),
// b = x - n ln 2 in two fused steps, j a degree-5 polynomial in b by fused multiply-adds, the
// scaling rounded once (as vscalefps); |n| > 192 gives 0 or infinity.
static inline float ck_expf_lane(float x) {
    const float z = fmaf(x, 0x1.715476p+0f, 0x1.8p23f);
    const float n = z - 0x1.8p23f;
    if (n != n) return n;
    if (fabsf(n) > 192) return n <= 0 ? 0.0f : INFINITY;
    const float b = fmaf(-n, 0x1.7f7d1cp-20f, fmaf(-n, 0x1.62e4p-1f, x));
    const float u = b * b;
    const float j = fmaf(fmaf(fmaf(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, fmaf(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)), u,
                         fmaf(0x1.ffffecp-1f, b, 1.0f));
    return ldexpf(j, (int)n);
}

#if defined(__x86_64__) || defined(_M_X64)
// The same, sixteen lanes at a time.
static inline CK_AVX512 __m512 ck_expf16_avx512(__m512 x) {
    const __m512 shift = _mm512_set1_ps(0x1.8p23f);
    const __m512 n = _mm512_sub_ps(_mm512_fmadd_ps(x, _mm512_set1_ps(0x1.715476p+0f), shift), shift);
    const __m512 b = _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.7f7d1cp-20f),
                                      _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.62e4p-1f), x));
    const __m512 u = _mm512_mul_ps(b, b);
    const __m512 j = _mm512_fmadd_ps(
        _mm512_fmadd_ps(_mm512_fmadd_ps(_mm512_set1_ps(0x1.0e4020p-7f), b, _mm512_set1_ps(0x1.573e2ep-5f)), u,
                        _mm512_fmadd_ps(_mm512_set1_ps(0x1.555e66p-3f), b, _mm512_set1_ps(0x1.fffdb6p-2f))),
        u, _mm512_fmadd_ps(_mm512_set1_ps(0x1.ffffecp-1f), b, _mm512_set1_ps(1)));
    const __m512 scaled = _mm512_scalef_ps(j, n);
    const __mmask16 huge = _mm512_cmp_ps_mask(_mm512_abs_ps(n), _mm512_set1_ps(192), _CMP_GT_OQ);
    if (!huge) return scaled;
    const __m512 limit = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(n, _mm512_setzero_ps(), _CMP_LE_OQ),
                                              _mm512_set1_ps(INFINITY), _mm512_setzero_ps());
    return _mm512_mask_blend_ps(huge, scaled, limit);
}
#endif

#endif
