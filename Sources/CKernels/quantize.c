// float32 -> block formats. Q4_0, Q4_1, Q5_0, Q5_1 and Q8_0 follow ggml's reference quantizers (scale from
// the block's extreme values); the K-quants use a plain min/max fit per sub-block with 6- or
// 8-bit quantized sub-block scales (not ggml's iterative search, so slightly larger error).
#include "internal.h"
#include <float.h>

static inline float ck_fabsf(float v) { return v < 0 ? -v : v; }

static inline int clamp_int(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }

// Q5_0 as ggml's reference: the extreme value maps to -16; fifth bits into the little-endian qh.
static void quantize_q5_0(const float *x, uint8_t *dst, int64_t blocks) {
    for (int64_t i = 0; i < blocks; i++, x += CK_QK, dst += CK_Q5_0_BYTES) {
        float amax = 0, extreme = 0;
        for (int j = 0; j < CK_QK; j++) {
            if (ck_fabsf(x[j]) > amax) { amax = ck_fabsf(x[j]); extreme = x[j]; }
        }
        float d = extreme / -16.0f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        ck_write_u16(dst, ck_fp32_to_fp16(d));
        uint32_t qh = 0;
        for (int j = 0; j < CK_QK / 2; j++) {
            int lo = clamp_int((int)(x[j] * id + 16.5f), 0, 31);
            int hi = clamp_int((int)(x[j + CK_QK / 2] * id + 16.5f), 0, 31);
            dst[6 + j] = (uint8_t)((lo & 0xF) | ((hi & 0xF) << 4));
            qh |= (uint32_t)(lo >> 4) << j;
            qh |= (uint32_t)(hi >> 4) << (j + 16);
        }
        for (int k = 0; k < 4; k++) dst[2 + k] = (uint8_t)(qh >> (8 * k));
    }
}

// Q5_1 as ggml's reference: 32 levels between the block's minimum and maximum.
static void quantize_q5_1(const float *x, uint8_t *dst, int64_t blocks) {
    for (int64_t i = 0; i < blocks; i++, x += CK_QK, dst += CK_Q5_1_BYTES) {
        float lo = FLT_MAX, hi = -FLT_MAX;
        for (int j = 0; j < CK_QK; j++) {
            if (x[j] < lo) lo = x[j];
            if (x[j] > hi) hi = x[j];
        }
        float d = (hi - lo) / 31.0f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        ck_write_u16(dst, ck_fp32_to_fp16(d));
        ck_write_u16(dst + 2, ck_fp32_to_fp16(lo));
        uint32_t qh = 0;
        for (int j = 0; j < CK_QK / 2; j++) {
            int a = clamp_int((int)((x[j] - lo) * id + 0.5f), 0, 31);
            int b = clamp_int((int)((x[j + CK_QK / 2] - lo) * id + 0.5f), 0, 31);
            dst[8 + j] = (uint8_t)((a & 0xF) | ((b & 0xF) << 4));
            qh |= (uint32_t)(a >> 4) << j;
            qh |= (uint32_t)(b >> 4) << (j + 16);
        }
        for (int k = 0; k < 4; k++) dst[4 + k] = (uint8_t)(qh >> (8 * k));
    }
}

static void quantize_q4_0(const float *x, uint8_t *dst, int64_t blocks) {
    for (int64_t i = 0; i < blocks; i++, x += CK_QK, dst += CK_Q4_0_BYTES) {
        float amax = 0, extreme = 0;
        for (int j = 0; j < CK_QK; j++) {
            if (ck_fabsf(x[j]) > amax) { amax = ck_fabsf(x[j]); extreme = x[j]; }
        }
        // The extreme value maps to -8, the end of the range with one more level.
        float d = extreme / -8.0f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        ck_write_u16(dst, ck_fp32_to_fp16(d));
        for (int j = 0; j < CK_QK / 2; j++) {
            int lo = (int)(x[j] * id + 8.5f), hi = (int)(x[j + CK_QK / 2] * id + 8.5f);
            lo = lo > 15 ? 15 : (lo < 0 ? 0 : lo);
            hi = hi > 15 ? 15 : (hi < 0 ? 0 : hi);
            dst[2 + j] = (uint8_t)(lo | (hi << 4));
        }
    }
}

static void quantize_q4_1(const float *x, uint8_t *dst, int64_t blocks) {
    for (int64_t i = 0; i < blocks; i++, x += CK_QK, dst += CK_Q4_1_BYTES) {
        float lo = FLT_MAX, hi = -FLT_MAX;
        for (int j = 0; j < CK_QK; j++) {
            if (x[j] < lo) lo = x[j];
            if (x[j] > hi) hi = x[j];
        }
        float d = (hi - lo) / 15.0f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        ck_write_u16(dst, ck_fp32_to_fp16(d));
        ck_write_u16(dst + 2, ck_fp32_to_fp16(lo));
        for (int j = 0; j < CK_QK / 2; j++) {
            int a = (int)((x[j] - lo) * id + 0.5f), b = (int)((x[j + CK_QK / 2] - lo) * id + 0.5f);
            a = a > 15 ? 15 : (a < 0 ? 0 : a);
            b = b > 15 ? 15 : (b < 0 ? 0 : b);
            dst[4 + j] = (uint8_t)(a | (b << 4));
        }
    }
}

static void quantize_q8_0(const float *x, uint8_t *dst, int64_t blocks) {
    for (int64_t i = 0; i < blocks; i++, x += CK_QK, dst += CK_Q8_0_BYTES) {
        float amax = 0;
        for (int j = 0; j < CK_QK; j++) if (ck_fabsf(x[j]) > amax) amax = ck_fabsf(x[j]);
        float d = amax / 127.0f;
        float id = d != 0 ? 1.0f / d : 0.0f;
        ck_write_u16(dst, ck_fp32_to_fp16(d));
        for (int j = 0; j < CK_QK; j++) dst[2 + j] = (uint8_t)(int8_t)ck_round_even(x[j] * id);
    }
}


// Scales and mins of the 8 sub-blocks of 32 values of a Q4_K/Q5_K super-block with `levels`
// quantization levels (16 or 32): value = d*sc*q - dmin*m, q in [0, levels). Writes d, dmin and
// the 12 packed scale bytes at `head`, and the quantized values into `L`.
static void quantize_k_type1(const float *x, uint8_t *head, uint8_t *L, int levels) {
    float scale[8], minimum[8], max_scale = 0, max_min = 0;
    for (int j = 0; j < 8; j++) {
        float lo = 0, hi = x[32 * j];  // ggml keeps the min at or below zero (m >= 0)
        for (int l = 0; l < 32; l++) {
            float v = x[32 * j + l];
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        if (hi < lo) hi = lo;
        scale[j] = (hi - lo) / (float)(levels - 1);
        minimum[j] = -lo;
        if (scale[j] > max_scale) max_scale = scale[j];
        if (minimum[j] > max_min) max_min = minimum[j];
    }
    float inv_scale = max_scale > 0 ? 63.0f / max_scale : 0.0f;
    float inv_min = max_min > 0 ? 63.0f / max_min : 0.0f;
    uint8_t *packed = head + 4;
    memset(packed, 0, 12);
    for (int j = 0; j < 8; j++) {
        int ls = clamp_int((int)ck_round_even(inv_scale * scale[j]), 0, 63);
        int lm = clamp_int((int)ck_round_even(inv_min * minimum[j]), 0, 63);
        if (j < 4) {
            packed[j] = (uint8_t)ls;
            packed[j + 4] = (uint8_t)lm;
        } else {
            packed[j + 4] = (uint8_t)((ls & 0xF) | ((lm & 0xF) << 4));
            packed[j - 4] |= (uint8_t)((ls >> 4) << 6);
            packed[j] |= (uint8_t)((lm >> 4) << 6);
        }
    }
    ck_write_u16(head, ck_fp32_to_fp16(max_scale / 63.0f));
    ck_write_u16(head + 2, ck_fp32_to_fp16(max_min / 63.0f));
    // Requantize against the scales as they will be read back.
    float d = ck_fp16_to_fp32(ck_read_u16(head)), dmin = ck_fp16_to_fp32(ck_read_u16(head + 2));
    for (int j = 0; j < 8; j++) {
        uint8_t sc, m;
        ck_k_scale_min(j, packed, &sc, &m);
        float dj = d * sc, mj = dmin * m;
        for (int l = 0; l < 32; l++) {
            int q = dj != 0 ? (int)ck_round_even((x[32 * j + l] + mj) / dj) : 0;
            L[32 * j + l] = (uint8_t)clamp_int(q, 0, levels - 1);
        }
    }
}

static void quantize_q4_k(const float *x, uint8_t *dst, int64_t blocks) {
    uint8_t L[CK_QK_K];
    for (int64_t i = 0; i < blocks; i++, x += CK_QK_K, dst += CK_Q4_K_BYTES) {
        quantize_k_type1(x, dst, L, 16);
        uint8_t *q = dst + 16;
        for (int g = 0; g < 4; g++, q += 32) {
            for (int l = 0; l < 32; l++) q[l] = (uint8_t)(L[64 * g + l] | (L[64 * g + 32 + l] << 4));
        }
    }
}

static void quantize_q5_k(const float *x, uint8_t *dst, int64_t blocks) {
    uint8_t L[CK_QK_K];
    for (int64_t i = 0; i < blocks; i++, x += CK_QK_K, dst += CK_Q5_K_BYTES) {
        quantize_k_type1(x, dst, L, 32);
        uint8_t *qh = dst + 16, *ql = dst + 48;
        memset(qh, 0, 32);
        uint8_t m1 = 1, m2 = 2;
        for (int g = 0; g < 4; g++, ql += 32, m1 <<= 2, m2 <<= 2) {
            for (int l = 0; l < 32; l++) {
                int a = L[64 * g + l], b = L[64 * g + 32 + l];
                if (a > 15) { a -= 16; qh[l] |= m1; }
                if (b > 15) { b -= 16; qh[l] |= m2; }
                ql[l] = (uint8_t)(a | (b << 4));
            }
        }
    }
}

static void quantize_q6_k(const float *x, uint8_t *dst, int64_t blocks) {
    int L[CK_QK_K];
    for (int64_t i = 0; i < blocks; i++, x += CK_QK_K, dst += CK_Q6_K_BYTES) {
        // 16 sub-blocks of 16: signed scale so that the extreme value maps to -32.
        float scale[16], max_scale = 0, max_abs_scale = 0;
        for (int j = 0; j < 16; j++) {
            float amax = 0, extreme = 0;
            for (int l = 0; l < 16; l++) {
                float v = x[16 * j + l];
                if (ck_fabsf(v) > amax) { amax = ck_fabsf(v); extreme = v; }
            }
            scale[j] = extreme / -32.0f;
            if (ck_fabsf(scale[j]) > max_abs_scale) { max_abs_scale = ck_fabsf(scale[j]); max_scale = scale[j]; }
        }
        int8_t *sc = (int8_t *)(dst + 192);
        float iscale = max_scale != 0 ? -128.0f / max_scale : 0.0f;
        ck_write_u16(dst + 208, ck_fp32_to_fp16(iscale != 0 ? 1.0f / iscale : 0.0f));
        for (int j = 0; j < 16; j++) sc[j] = (int8_t)clamp_int((int)ck_round_even(iscale * scale[j]), -128, 127);
        float d = ck_fp16_to_fp32(ck_read_u16(dst + 208));
        for (int j = 0; j < 16; j++) {
            float dj = d * (float)sc[j];
            for (int l = 0; l < 16; l++) {
                int q = dj != 0 ? (int)ck_round_even(x[16 * j + l] / dj) : 0;
                L[16 * j + l] = clamp_int(q, -32, 31) + 32;
            }
        }
        uint8_t *ql = dst, *qh = dst + 128;
        for (int h = 0; h < 2; h++, ql += 64, qh += 32) {
            const int *Lh = L + 128 * h;
            for (int l = 0; l < 32; l++) {
                ql[l] = (uint8_t)((Lh[l] & 0xF) | ((Lh[l + 64] & 0xF) << 4));
                ql[l + 32] = (uint8_t)((Lh[l + 32] & 0xF) | ((Lh[l + 96] & 0xF) << 4));
                qh[l] = (uint8_t)((Lh[l] >> 4) | ((Lh[l + 32] >> 4) << 2) | ((Lh[l + 64] >> 4) << 4) |
                                  ((Lh[l + 96] >> 4) << 6));
            }
        }
    }
}

int ck_quantize(int type, const float *src, void *dst, int64_t count) {
    uint8_t *d = (uint8_t *)dst;
    switch (type) {
    case CK_TYPE_F32:
        memcpy(dst, src, (size_t)count * sizeof(float));
        return 0;
    case CK_TYPE_F16:
        for (int64_t i = 0; i < count; i++) ck_write_u16(d + 2 * i, ck_fp32_to_fp16(src[i]));
        return 0;
    case CK_TYPE_BF16:
        for (int64_t i = 0; i < count; i++) ck_write_u16(d + 2 * i, ck_fp32_to_bf16(src[i]));
        return 0;
    case CK_TYPE_Q4_0: quantize_q4_0(src, d, count / CK_QK); return 0;
    case CK_TYPE_Q4_1: quantize_q4_1(src, d, count / CK_QK); return 0;
    case CK_TYPE_Q8_0: quantize_q8_0(src, d, count / CK_QK); return 0;
    case CK_TYPE_Q5_0: quantize_q5_0(src, d, count / CK_QK); return 0;
    case CK_TYPE_Q5_1: quantize_q5_1(src, d, count / CK_QK); return 0;
    case CK_TYPE_Q4_K: quantize_q4_k(src, d, count / CK_QK_K); return 0;
    case CK_TYPE_Q5_K: quantize_q5_k(src, d, count / CK_QK_K); return 0;
    case CK_TYPE_Q6_K: quantize_q6_k(src, d, count / CK_QK_K); return 0;
    default: return -1;
    }
}

static void quantize_activations_scalar(const float *x, int64_t blocks, int8_t *quants, float *scales,
                                        float *sums) {
    for (int64_t b = 0; b < blocks; b++, x += CK_QK, quants += CK_QK) {
        float amax = 0;
        for (int j = 0; j < CK_QK; j++) if (ck_fabsf(x[j]) > amax) amax = ck_fabsf(x[j]);
        float d = amax / 127.0f;
        float id = amax != 0 ? 127.0f / amax : 0.0f;  // as llama.cpp's x86 quantize_row_q8_0/1
        int isum = 0;
        for (int j = 0; j < CK_QK; j++) {
            int q = (int)ck_round_even(x[j] * id);
            q = clamp_int(q, -127, 127);
            quants[j] = (int8_t)q;
            isum += q;
        }
        scales[b] = d;
        sums[b] = d * (float)isum;
    }
}

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
// The same operations as the scalar loop, 8 values at a time: the maximum is order-free, the
// products and the round-to-nearest-even are per value, the sums are integers; same bits.
__attribute__((target("avx2"))) static void quantize_activations_avx2(const float *x, int64_t blocks,
                                                                       int8_t *quants, float *scales,
                                                                       float *sums) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int64_t b = 0; b < blocks; b++, x += CK_QK, quants += CK_QK) {
        __m256 v[4];
        __m256 m = _mm256_setzero_ps();
        for (int k = 0; k < 4; k++) {
            v[k] = _mm256_loadu_ps(x + 8 * k);
            m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[k]));
        }
        __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        h = _mm_max_ps(h, _mm_movehl_ps(h, h));
        h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
        float amax = _mm_cvtss_f32(h);
        float d = amax / 127.0f;
        float id = amax != 0 ? 127.0f / amax : 0.0f;
        const __m256 idv = _mm256_set1_ps(id);
        __m256i q[4];
        __m256i total = _mm256_setzero_si256();
        for (int k = 0; k < 4; k++) {
            __m256 r = _mm256_round_ps(_mm256_mul_ps(v[k], idv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            q[k] = _mm256_max_epi32(_mm256_min_epi32(_mm256_cvtps_epi32(r), _mm256_set1_epi32(127)),
                                    _mm256_set1_epi32(-127));
            total = _mm256_add_epi32(total, q[k]);
        }
        // int32 -> int8 with saturating packs (values are within ±127), then undo the packs'
        // 128-bit lane interleave.
        __m256i p16a = _mm256_packs_epi32(q[0], q[1]), p16b = _mm256_packs_epi32(q[2], q[3]);
        __m256i p8 = _mm256_packs_epi16(p16a, p16b);
        p8 = _mm256_permutevar8x32_epi32(p8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *)(void *)quants, p8);
        __m128i t = _mm_add_epi32(_mm256_castsi256_si128(total), _mm256_extracti128_si256(total, 1));
        t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x4E));
        t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0xB1));
        int isum = _mm_cvtsi128_si32(t);
        scales[b] = d;
        sums[b] = d * (float)isum;
    }
}
#endif

void ck_quantize_activations(const float *x, int64_t columns, int64_t count,
                             int8_t *quants, float *scales, float *sums) {
    int64_t blocks = columns / CK_QK * count;
#if defined(__x86_64__) || defined(_M_X64)
    if (ck_isa_best() >= CK_ISA_AVX2) {
        quantize_activations_avx2(x, blocks, quants, scales, sums);
        return;
    }
#endif
    quantize_activations_scalar(x, blocks, quants, scales, sums);
}

void ck_group_activation_scales(const float *scales, const float *sums, int64_t blocks, int64_t count,
                                float *out) {
    for (int64_t g = 0; g * 4 < count; g++) {
        for (int64_t b = 0; b < blocks; b++, out += 8) {
            for (int64_t k = 0; k < 4; k++) {
                int64_t t = g * 4 + k;
                out[k] = t < count ? scales[t * blocks + b] : 0;
                out[4 + k] = t < count ? sums[t * blocks + b] : 0;
            }
        }
    }
}

void ck_round_activation_scales_to_half(float *scales, float *sums, int64_t blocks) {
    for (int64_t b = 0; b < blocks; b++) {
        scales[b] = ck_fp16_to_fp32(ck_fp32_to_fp16(scales[b]));
        sums[b] = ck_fp16_to_fp32(ck_fp32_to_fp16(sums[b]));
    }
}
