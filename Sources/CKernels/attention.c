// Attention inner loops (query·key scores, softmax, probability-weighted value lanes) in the
// operation order of llama.cpp's CPU attention: the products as ggml's AVX-512 F16 kernels do
// them, sixteen lanes, each a product rounded to Float then added (no FMA contraction), summed by
// halves; the softmax with ggml's expf (expf.h). The AVX-512, AVX2 and portable paths give the
// same bits.
#include "internal.h"
#include "expf.h"

#pragma clang fp contract(off)


// Lane l of 16 sums a[i] * b[i] for i = l (mod 16) in order; then 8 + 8, 4 + 4, 2 + 2, 1 + 1.
static float ck_half_dot_portable(const float *a, const float *b, int64_t n) {
    float acc[16] = {0};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int l = 0; l < 16; l++) acc[l] = acc[l] + a[i + l] * b[i + l];
    }
    for (int l = 0; i < n; i++, l++) acc[l] = acc[l] + a[i] * b[i];
    for (int w = 8; w >= 1; w /= 2) {
        for (int l = 0; l < w; l++) acc[l] = acc[l] + acc[l + w];
    }
    return acc[0];
}

static void ck_scores_portable(const float *keys, int64_t key_stride, int64_t key_count, const float *queries,
                               int64_t rows, int64_t row_stride, int64_t heads, int64_t head_stride, int64_t dim,
                               float scale, float *scores, int64_t score_row_stride, int64_t score_head_stride) {
    for (int64_t p = 0; p < key_count; p++) {
        const float *k = keys + p * key_stride;
        for (int64_t r = 0; r < rows; r++) {
            for (int64_t h = 0; h < heads; h++) {
                const float *q = queries + r * row_stride + h * head_stride;
                scores[r * score_row_stride + h * score_head_stride + p] = ck_half_dot_portable(q, k, dim) * scale;
            }
        }
    }
}

static void ck_value_lanes_portable(const float *probabilities, const float *values, int64_t value_stride,
                                    int64_t count, int64_t first_lane, int64_t dim, float *lanes) {
    for (int64_t n = 0; n < count; n++) {
        float *y = lanes + ((first_lane + n) % 16) * dim;
        const float *v = values + n * value_stride;
        const float s = probabilities[n];
        for (int64_t i = 0; i < dim; i++) y[i] = y[i] + s * v[i];
    }
}

// Sixteen lanes summed by halves: 8 + 8, 4 + 4, 2 + 2, 1 + 1.
static float ck_sum16_portable(float *v) {
    for (int w = 8; w >= 1; w /= 2) {
        for (int l = 0; l < w; l++) v[l] = v[l] + v[l + w];
    }
    return v[0];
}

static void ck_lanes_sum_portable(const float *lanes, int64_t dim, float *out) {
    for (int64_t i = 0; i < dim; i++) {
        float v[16];
        for (int l = 0; l < 16; l++) v[l] = lanes[l * dim + i];
        for (int w = 8; w >= 2; w /= 2) {
            for (int l = 0; l < w; l++) v[l] = v[l] + v[l + w];
        }
        out[i] = v[0] + v[1];
    }
}

static void ck_softmax_portable(float *scores, int64_t n) {
    float top = -INFINITY;
    for (int64_t i = 0; i < n; i++) top = scores[i] > top ? scores[i] : top;
    double total = 0;
    for (int64_t i = 0; i < n; i += 16) {
        float block[16] = {0};
        for (int64_t l = 0; l < 16 && i + l < n; l++) block[l] = scores[i + l] = ck_expf_lane(scores[i + l] - top);
        total += (double)ck_sum16_portable(block);
    }
    const float inverse = (float)(1 / total);
    for (int64_t i = 0; i < n; i++) scores[i] = ck_fp16_to_fp32(ck_fp32_to_fp16(scores[i] * inverse));
}

#if defined(__x86_64__) || defined(_M_X64)
#define CK_AVX2 __attribute__((target("avx2,fma,f16c")))

// Lanes 0..7 in lo, 8..15 in hi, summed by halves.
static inline CK_AVX2 float ck_sum16_avx2(__m256 lo, __m256 hi) {
    __m256 eight = _mm256_add_ps(lo, hi);
    __m128 four = _mm_add_ps(_mm256_castps256_ps128(eight), _mm256_extractf128_ps(eight, 1));
    __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
    return _mm_cvtss_f32(_mm_add_ss(two, _mm_shuffle_ps(two, two, 1)));
}

// `dim` a multiple of 16.
static inline CK_AVX2 float ck_half_dot_avx2(const float *a, const float *b, int64_t n) {
    __m256 lo = _mm256_setzero_ps(), hi = lo;
    for (int64_t i = 0; i < n; i += 16) {
        lo = _mm256_add_ps(lo, _mm256_mul_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
        hi = _mm256_add_ps(hi, _mm256_mul_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8)));
    }
    return ck_sum16_avx2(lo, hi);
}

static CK_AVX2 void ck_scores_avx2(const float *keys, int64_t key_stride, int64_t key_count, const float *queries,
                                   int64_t rows, int64_t row_stride, int64_t heads, int64_t head_stride, int64_t dim,
                                   float scale, float *scores, int64_t score_row_stride, int64_t score_head_stride) {
    if (dim % 16 != 0) {
        ck_scores_portable(keys, key_stride, key_count, queries, rows, row_stride, heads, head_stride, dim, scale,
                           scores, score_row_stride, score_head_stride);
        return;
    }
    const int64_t pairs = rows * heads;
    for (int64_t p = 0; p < key_count; p++) {
        const float *k = keys + p * key_stride;
        // Two (row, head) pairs at a time: independent addition chains overlap their latency.
        int64_t j = 0;
        for (; j + 2 <= pairs; j += 2) {
            const float *q0 = queries + (j / heads) * row_stride + (j % heads) * head_stride;
            const float *q1 = queries + ((j + 1) / heads) * row_stride + ((j + 1) % heads) * head_stride;
            __m256 lo0 = _mm256_setzero_ps(), hi0 = lo0, lo1 = lo0, hi1 = lo0;
            for (int64_t i = 0; i < dim; i += 16) {
                __m256 ka = _mm256_loadu_ps(k + i), kb = _mm256_loadu_ps(k + i + 8);
                lo0 = _mm256_add_ps(lo0, _mm256_mul_ps(_mm256_loadu_ps(q0 + i), ka));
                hi0 = _mm256_add_ps(hi0, _mm256_mul_ps(_mm256_loadu_ps(q0 + i + 8), kb));
                lo1 = _mm256_add_ps(lo1, _mm256_mul_ps(_mm256_loadu_ps(q1 + i), ka));
                hi1 = _mm256_add_ps(hi1, _mm256_mul_ps(_mm256_loadu_ps(q1 + i + 8), kb));
            }
            scores[(j / heads) * score_row_stride + (j % heads) * score_head_stride + p] =
                ck_sum16_avx2(lo0, hi0) * scale;
            scores[((j + 1) / heads) * score_row_stride + ((j + 1) % heads) * score_head_stride + p] =
                ck_sum16_avx2(lo1, hi1) * scale;
        }
        for (; j < pairs; j++) {
            const float *q = queries + (j / heads) * row_stride + (j % heads) * head_stride;
            scores[(j / heads) * score_row_stride + (j % heads) * score_head_stride + p] =
                ck_half_dot_avx2(q, k, dim) * scale;
        }
    }
}

static CK_AVX2 void ck_value_lanes_avx2(const float *probabilities, const float *values, int64_t value_stride,
                                        int64_t count, int64_t first_lane, int64_t dim, float *lanes) {
    if (dim % 8 != 0) {
        ck_value_lanes_portable(probabilities, values, value_stride, count, first_lane, dim, lanes);
        return;
    }
    for (int64_t n = 0; n < count; n++) {
        float *y = lanes + ((first_lane + n) % 16) * dim;
        const float *v = values + n * value_stride;
        const __m256 s = _mm256_set1_ps(probabilities[n]);
        for (int64_t i = 0; i < dim; i += 8) {
            _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i), _mm256_mul_ps(s, _mm256_loadu_ps(v + i))));
        }
    }
}

static inline CK_AVX512 float ck_sum16_avx512(__m512 v) {
    __m256 eight = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
    __m128 four = _mm_add_ps(_mm256_castps256_ps128(eight), _mm256_extractf128_ps(eight, 1));
    __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
    return _mm_cvtss_f32(_mm_add_ss(two, _mm_shuffle_ps(two, two, 1)));
}

// The AVX2 kernels' arithmetic with the sixteen lanes in one register. `dim` a multiple of 16.
static CK_AVX512 void ck_scores_avx512_each(const float *keys, int64_t key_stride, int64_t key_count, const float *queries,
                                       int64_t rows, int64_t row_stride, int64_t heads, int64_t head_stride,
                                       int64_t dim, float scale, float *scores, int64_t score_row_stride,
                                       int64_t score_head_stride) {
    const int64_t pairs = rows * heads;
    for (int64_t p = 0; p < key_count; p++) {
        const float *k = keys + p * key_stride;
        // Four (row, head) pairs at a time: independent addition chains overlap their latency.
        for (int64_t j = 0; j < pairs; j += 4) {
            const int64_t m = pairs - j < 4 ? pairs - j : 4;
            const float *q[4];
            __m512 acc[4];
            for (int64_t t = 0; t < 4; t++) {
                const int64_t pair = j + (t < m ? t : 0);
                q[t] = queries + (pair / heads) * row_stride + (pair % heads) * head_stride;
                acc[t] = _mm512_setzero_ps();
            }
            for (int64_t i = 0; i < dim; i += 16) {
                const __m512 kv = _mm512_loadu_ps(k + i);
                for (int t = 0; t < 4; t++) acc[t] = _mm512_add_ps(acc[t], _mm512_mul_ps(_mm512_loadu_ps(q[t] + i), kv));
            }
            for (int64_t t = 0; t < m; t++) {
                scores[((j + t) / heads) * score_row_stride + ((j + t) % heads) * score_head_stride + p] =
                    ck_sum16_avx512(acc[t]) * scale;
            }
        }
    }
}

// Sixteen keys' lane vectors reduced at once, each by ck_sum16_avx512's pairs (l + l+8, l + l+4,
// l + l+2, l + l+1): the result's lane m is key m's sum.
static inline CK_AVX512 __m512 ck_sum16x16_avx512(const __m512 a[16]) {
    __m512 b[8], c[4], d[2];
    for (int k = 0; k < 8; k++) {
        b[k] = _mm512_add_ps(_mm512_shuffle_f32x4(a[2 * k], a[2 * k + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_f32x4(a[2 * k], a[2 * k + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    }
    for (int k = 0; k < 4; k++) {
        c[k] = _mm512_add_ps(_mm512_shuffle_f32x4(b[2 * k], b[2 * k + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_f32x4(b[2 * k], b[2 * k + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    }
    for (int k = 0; k < 2; k++) {
        d[k] = _mm512_add_ps(_mm512_shuffle_ps(c[2 * k], c[2 * k + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_ps(c[2 * k], c[2 * k + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    }
    const __m512 e = _mm512_add_ps(_mm512_shuffle_ps(d[0], d[1], _MM_SHUFFLE(2, 0, 2, 0)),
                                   _mm512_shuffle_ps(d[0], d[1], _MM_SHUFFLE(3, 1, 3, 1)));
    // Lane 4b + j of e holds key 4j + b.
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    return _mm512_permutexvar_ps(order, e);
}

// Whole runs of 16 keys per (row, head) pair, their sixteen sums reduced together (the same
// operations per score as ck_scores_avx512_each), then the last keys one at a time.
static CK_AVX512 void ck_scores_avx512(const float *keys, int64_t key_stride, int64_t key_count, const float *queries,
                                       int64_t rows, int64_t row_stride, int64_t heads, int64_t head_stride,
                                       int64_t dim, float scale, float *scores, int64_t score_row_stride,
                                       int64_t score_head_stride) {
    const int64_t whole = key_count / 16 * 16;
    const __m512 s = _mm512_set1_ps(scale);
    for (int64_t j = 0; j < rows * heads; j++) {
        const float *q = queries + (j / heads) * row_stride + (j % heads) * head_stride;
        float *out = scores + (j / heads) * score_row_stride + (j % heads) * score_head_stride;
        for (int64_t p = 0; p < whole; p += 16) {
            __m512 acc[16];
            for (int k = 0; k < 16; k++) acc[k] = _mm512_setzero_ps();
            for (int64_t i = 0; i < dim; i += 16) {
                const __m512 qv = _mm512_loadu_ps(q + i);
#pragma clang loop unroll(full)
                for (int k = 0; k < 16; k++) {
                    acc[k] = _mm512_add_ps(acc[k], _mm512_mul_ps(qv, _mm512_loadu_ps(keys + (p + k) * key_stride + i)));
                }
            }
            _mm512_storeu_ps(out + p, _mm512_mul_ps(ck_sum16x16_avx512(acc), s));
        }
    }
    if (whole < key_count) {
        ck_scores_avx512_each(keys + whole * key_stride, key_stride, key_count - whole, queries, rows, row_stride,
                              heads, head_stride, dim, scale, scores + whole, score_row_stride, score_head_stride);
    }
}

static CK_AVX512 void ck_value_lanes_avx512(const float *probabilities, const float *values, int64_t value_stride,
                                            int64_t count, int64_t first_lane, int64_t dim, float *lanes) {
    for (int64_t n = 0; n < count; n++) {
        float *y = lanes + ((first_lane + n) % 16) * dim;
        const float *v = values + n * value_stride;
        const __m512 s = _mm512_set1_ps(probabilities[n]);
        for (int64_t i = 0; i < dim; i += 16) {
            _mm512_storeu_ps(y + i, _mm512_add_ps(_mm512_loadu_ps(y + i), _mm512_mul_ps(s, _mm512_loadu_ps(v + i))));
        }
    }
}

static CK_AVX512 void ck_lanes_sum_avx512(const float *lanes, int64_t dim, float *out) {
    for (int64_t i = 0; i < dim; i += 16) {
        __m512 v[16];
        for (int l = 0; l < 16; l++) v[l] = _mm512_loadu_ps(lanes + l * dim + i);
        for (int w = 8; w >= 2; w /= 2) {
            for (int l = 0; l < w; l++) v[l] = _mm512_add_ps(v[l], v[l + w]);
        }
        _mm512_storeu_ps(out + i, _mm512_add_ps(v[0], v[1]));
    }
}

static CK_AVX512 void ck_softmax_avx512(float *scores, int64_t n) {
    __m512 top16 = _mm512_set1_ps(-INFINITY);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) top16 = _mm512_max_ps(top16, _mm512_loadu_ps(scores + i));
    const __mmask16 tail = (__mmask16)((1u << (n - i)) - 1);
    top16 = _mm512_mask_max_ps(top16, tail, top16, _mm512_maskz_loadu_ps(tail, scores + i));
    const __m512 top = _mm512_set1_ps(_mm512_reduce_max_ps(top16));
    double total = 0;
    for (i = 0; i + 16 <= n; i += 16) {
        const __m512 e = ck_expf16_avx512(_mm512_sub_ps(_mm512_loadu_ps(scores + i), top));
        _mm512_storeu_ps(scores + i, e);
        total += (double)ck_sum16_avx512(e);
    }
    if (i < n) {
        const __m512 e = _mm512_maskz_mov_ps(tail, ck_expf16_avx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, scores + i), top)));
        _mm512_mask_storeu_ps(scores + i, tail, e);
        total += (double)ck_sum16_avx512(e);
    }
    const __m512 inverse = _mm512_set1_ps((float)(1 / total));
    for (i = 0; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : tail;
        const __m512 p = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, scores + i), inverse);
        _mm512_mask_storeu_ps(scores + i, m, _mm512_cvtph_ps(_mm512_cvtps_ph(p, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));
    }
}
#endif

void ck_attention_scores(int isa, const float *keys, int64_t key_stride, int64_t key_count, const float *queries,
                         int64_t rows, int64_t row_stride, int64_t heads, int64_t head_stride, int64_t dim,
                         float scale, float *scores, int64_t score_row_stride, int64_t score_head_stride) {
#if defined(__x86_64__) || defined(_M_X64)
    if (isa >= CK_ISA_AVX512 && ck_isa_best() >= CK_ISA_AVX512 && dim % 16 == 0) {
        ck_scores_avx512(keys, key_stride, key_count, queries, rows, row_stride, heads, head_stride, dim, scale,
                         scores, score_row_stride, score_head_stride);
        return;
    }
    if (isa >= CK_ISA_AVX2 && ck_isa_best() >= CK_ISA_AVX2) {
        ck_scores_avx2(keys, key_stride, key_count, queries, rows, row_stride, heads, head_stride, dim, scale,
                       scores, score_row_stride, score_head_stride);
        return;
    }
#endif
    ck_scores_portable(keys, key_stride, key_count, queries, rows, row_stride, heads, head_stride, dim, scale,
                       scores, score_row_stride, score_head_stride);
}

void ck_attention_value_lanes(int isa, const float *probabilities, const float *values, int64_t value_stride, int64_t count,
                              int64_t first_lane, int64_t dim, float *lanes) {
#if defined(__x86_64__) || defined(_M_X64)
    if (isa >= CK_ISA_AVX512 && ck_isa_best() >= CK_ISA_AVX512 && dim % 16 == 0) {
        ck_value_lanes_avx512(probabilities, values, value_stride, count, first_lane, dim, lanes);
        return;
    }
    if (isa >= CK_ISA_AVX2 && ck_isa_best() >= CK_ISA_AVX2) {
        ck_value_lanes_avx2(probabilities, values, value_stride, count, first_lane, dim, lanes);
        return;
    }
#endif
    ck_value_lanes_portable(probabilities, values, value_stride, count, first_lane, dim, lanes);
}

void ck_attention_softmax(int isa, float *scores, int64_t n) {
    if (n <= 0) return;
#if defined(__x86_64__) || defined(_M_X64)
    if (isa >= CK_ISA_AVX512 && ck_isa_best() >= CK_ISA_AVX512) {
        ck_softmax_avx512(scores, n);
        return;
    }
#endif
    ck_softmax_portable(scores, n);
}

void ck_attention_lanes_sum(int isa, const float *lanes, int64_t dim, float *out) {
#if defined(__x86_64__) || defined(_M_X64)
    if (isa >= CK_ISA_AVX512 && ck_isa_best() >= CK_ISA_AVX512 && dim % 16 == 0) {
        ck_lanes_sum_avx512(lanes, dim, out);
        return;
    }
#endif
    ck_lanes_sum_portable(lanes, dim, out);
}
