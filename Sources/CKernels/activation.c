// The SwiGLU activation as ggml's CPU kernels compute it: silu(g) = g / (1 + expf(-g)) with
// ggml's vectorized expf (expf.h), times the up projection; and GeGLU through a table of GELU
// over every binary16 input (as ggml's ggml_table_gelu_f16). The AVX-512 paths and the portable
// ones give the same bits.
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

static void ck_geglu_portable(float *gate, const float *up, const uint16_t *table, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        const float x = gate[i];
        if (x <= -10.0f) gate[i] = 0;
        else if (x >= 10.0f) gate[i] = x * up[i];
        else gate[i] = ck_fp16_to_fp32(table[ck_fp32_to_fp16(x)]) * up[i];
    }
}

#if defined(__x86_64__) || defined(_M_X64)
// 16 lanes at a time: the inputs rounded to binary16 by F16C (round to nearest even, as
// ck_fp32_to_fp16), looked up one by one, converted back exactly; the two clamped ranges blended in.
static CK_AVX512 void ck_geglu_avx512(float *gate, const float *up, const uint16_t *table, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        const __m512 x = _mm512_maskz_loadu_ps(m, gate + i), u = _mm512_maskz_loadu_ps(m, up + i);
        _Alignas(32) uint16_t h[16];
        _mm256_store_si256((__m256i *)(void *)h, _mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        #pragma clang loop unroll(full)
        for (int k = 0; k < 16; k++) h[k] = table[h[k]];
        __m512 y = _mm512_mul_ps(_mm512_cvtph_ps(_mm256_load_si256((const __m256i *)(const void *)h)), u);
        y = _mm512_mask_mul_ps(y, _mm512_cmp_ps_mask(x, _mm512_set1_ps(10.0f), _CMP_GE_OQ), x, u);
        y = _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, _mm512_set1_ps(-10.0f), _CMP_LE_OQ), _mm512_setzero_ps());
        _mm512_mask_storeu_ps(gate + i, m, y);
    }
}
#endif

void ck_geglu_table(int isa, float *gate, const float *up, const uint16_t *table, int64_t n) {
    if (n <= 0) return;
#if defined(__x86_64__) || defined(_M_X64)
    if (isa >= CK_ISA_AVX512 && ck_isa_best() >= CK_ISA_AVX512) {
        ck_geglu_avx512(gate, up, table, n);
        return;
    }
#endif
    ck_geglu_portable(gate, up, table, n);
}

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
