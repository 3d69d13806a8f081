// The SwiGLU activation as ggml's CPU kernels compute it: silu(g) = g / (1 + expf(-g)) with
// ggml's vectorized expf (expf.h), times the up projection. The AVX-512 path and the portable
// one give the same bits.
#include "internal.h"
#include "expf.h"

static void ck_swiglu_portable(float *gate, const float *up, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        const float g = gate[i];
        gate[i] = g / (1.0f + ck_expf_lane(0.0f - g)) * up[i];
    }
}

#if defined(__x86_64__) || defined(_M_X64)
static CK_AVX512 void ck_swiglu_avx512(float *gate, const float *up, int64_t n) {
    const __m512 one = _mm512_set1_ps(1);
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        const __m512 g = _mm512_maskz_loadu_ps(m, gate + i);
        const __m512 silu = _mm512_div_ps(g, _mm512_add_ps(one, ck_expf16_avx512(_mm512_sub_ps(_mm512_setzero_ps(), g))));
        _mm512_mask_storeu_ps(gate + i, m, _mm512_mul_ps(silu, _mm512_maskz_loadu_ps(m, up + i)));
    }
}
#endif

void ck_swiglu(int isa, float *gate, const float *up, int64_t n) {
    if (n <= 0) return;
#if defined(__x86_64__) || defined(_M_X64)
    if (isa >= CK_ISA_AVX512 && ck_isa_best() >= CK_ISA_AVX512) {
        ck_swiglu_avx512(gate, up, n);
        return;
    }
#endif
    ck_swiglu_portable(gate, up, n);
}
