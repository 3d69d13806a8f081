// The x86 SIMD matmul kernels, written once and compiled twice (matmul_avx2.c, matmul_vnni.c).
// The includer defines:
//   CK_ATTR          the target attribute of every function here
//   CK_SIMD(name)    the name with the ISA suffix
//   CK_DOT(u, s)     8 int32 lanes, lane k = sum over j in 4k..4k+3 of u[j] (unsigned bytes)
//                    times s[j] (signed bytes)
//   CK_SIGNED_WEIGHTS 1 to include the Q4_0 / Q8_0 kernels (signed weights, sign trick)
// Integer paths mirror matmul_scalar.c operation by operation (see there).

#include <immintrin.h>
#include <math.h>

#pragma clang fp contract(off)

enum { CK_KIND_Q4_0, CK_KIND_Q4_1, CK_KIND_Q8_0 };

static inline CK_ATTR float CK_SIMD(hsum)(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

static inline CK_ATTR float CK_SIMD(half)(const uint8_t *p) {
    return _cvtsh_ss(ck_read_u16(p));
}

// 32 nibbles of a Q4 block in value order: low nibbles are values 0..15, high nibbles 16..31.
static inline CK_ATTR __m256i CK_SIMD(nibbles)(const uint8_t *p) {
    __m128i raw = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m256i both = _mm256_set_m128i(_mm_srli_epi16(raw, 4), raw);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

// Lane sums of signed weights times signed activations (|activations| <= 127).
static inline CK_ATTR __m256i CK_SIMD(dot_signed)(__m256i w, __m256i a) {
    return CK_DOT(_mm256_sign_epi8(w, w), _mm256_sign_epi8(a, w));
}

// Dot products of RB consecutive weight rows (1..4) with NT consecutive tokens (1..4) from t0:
// out[r * 4 + i] for row r, token i. Each (row, token) pair has its own accumulator chain, fed
// block by block in order, so the result of a pair does not depend on the tile shape; several
// chains per tile hide the add latency and share every weight and activation load.
static inline CK_ATTR __attribute__((always_inline)) void
CK_SIMD(int_tile)(const int kind, const uint8_t *row0, size_t row_bytes, const ck_activations *a,
                  int64_t t0, const int RB, const int NT, float *out) {
    const int64_t n = a->columns, blocks = n / CK_QK;
    const size_t bytes = kind == CK_KIND_Q4_0 ? CK_Q4_0_BYTES : (kind == CK_KIND_Q4_1 ? CK_Q4_1_BYTES : CK_Q8_0_BYTES);
    __m256 acc[4][4];
    float offset[4][4];
    for (int r = 0; r < RB; r++) {
        for (int i = 0; i < NT; i++) {
            acc[r][i] = _mm256_setzero_ps();
            offset[r][i] = 0;
        }
    }
    const int8_t *aq = a->quants + t0 * n;
    const float *as = a->scales + t0 * blocks, *asum = a->sums + t0 * blocks;
    for (int64_t b = 0; b < blocks; b++) {
        __m256i w[4];
        float d[4], m[4];
        for (int r = 0; r < RB; r++) {
            const uint8_t *blk = row0 + (size_t)r * row_bytes + (size_t)b * bytes;
            d[r] = CK_SIMD(half)(blk);
            m[r] = 0;
            if (kind == CK_KIND_Q4_0) {
                w[r] = _mm256_sub_epi8(CK_SIMD(nibbles)(blk + 2), _mm256_set1_epi8(8));
            } else if (kind == CK_KIND_Q4_1) {
                m[r] = CK_SIMD(half)(blk + 2);
                w[r] = CK_SIMD(nibbles)(blk + 4);
            } else {
                w[r] = _mm256_loadu_si256((const __m256i *)(const void *)(blk + 2));
            }
        }
        for (int i = 0; i < NT; i++) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(aq + i * n + b * CK_QK));
            float xs = as[i * blocks + b], xsum = asum[i * blocks + b];
            for (int r = 0; r < RB; r++) {
                __m256i lanes = kind == CK_KIND_Q4_1 ? CK_DOT(w[r], x) : CK_SIMD(dot_signed)(w[r], x);
                // Fused multiply-adds, as ggml's x86 vec_dot kernels accumulate (the rounding
                // differs from a multiply then an add, and llama.cpp's logits follow it).
                float scale = d[r] * xs;
                acc[r][i] = _mm256_fmadd_ps(_mm256_set1_ps(scale), _mm256_cvtepi32_ps(lanes), acc[r][i]);
                if (kind == CK_KIND_Q4_1) offset[r][i] = fmaf(m[r], xsum, offset[r][i]);
            }
        }
    }
    for (int r = 0; r < RB; r++) {
        for (int i = 0; i < NT; i++) out[r * 4 + i] = CK_SIMD(hsum)(acc[r][i]) + offset[r][i];
    }
}

// Rows r0..<r1 for all tokens: tiles of 4 rows x 1 token for a single token (matrix x vector),
// 2 rows x 4 tokens for batches (8 accumulators fit the 16 ymm registers), smaller at the edges.
static inline CK_ATTR __attribute__((always_inline)) void
CK_SIMD(int_rows)(const int kind, const uint8_t *w, size_t row_bytes, int64_t r0, int64_t r1,
                  const ck_activations *a, float *y, int64_t ldy) {
    float out[16];
    const int64_t count = a->count;
    const int rb = count == 1 ? 4 : 2;
    for (int64_t r = r0; r < r1; r += rb) {
        const uint8_t *row = w + (size_t)r * row_bytes;
        const int64_t rows = r1 - r < rb ? r1 - r : rb;
        for (int64_t t0 = 0; t0 < count; t0 += 4) {
            const int64_t nt = count - t0 < 4 ? count - t0 : 4;
            if (rows == 4) {
                CK_SIMD(int_tile)(kind, row, row_bytes, a, t0, 4, 1, out);
            } else if (rows == 2) {
                switch (nt) {
                case 4: CK_SIMD(int_tile)(kind, row, row_bytes, a, t0, 2, 4, out); break;
                case 3: CK_SIMD(int_tile)(kind, row, row_bytes, a, t0, 2, 3, out); break;
                case 2: CK_SIMD(int_tile)(kind, row, row_bytes, a, t0, 2, 2, out); break;
                default: CK_SIMD(int_tile)(kind, row, row_bytes, a, t0, 2, 1, out); break;
                }
            } else {
                for (int64_t k = 0; k < rows; k++) {
                    switch (nt) {
                    case 4: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 1, 4, out + 4 * k); break;
                    case 3: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 1, 3, out + 4 * k); break;
                    case 2: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 1, 2, out + 4 * k); break;
                    default: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 1, 1, out + 4 * k); break;
                    }
                }
            }
            for (int64_t k = 0; k < rows; k++) {
                for (int64_t i = 0; i < nt; i++) y[(t0 + i) * ldy + r + k] = out[4 * k + i];
            }
        }
    }
}

static CK_ATTR float CK_SIMD(dot_f32)(const float *w, const float *x, int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), _mm256_loadu_ps(x + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 8), _mm256_loadu_ps(x + i + 8), s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 16), _mm256_loadu_ps(x + i + 16), s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 24), _mm256_loadu_ps(x + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), _mm256_loadu_ps(x + i), s0);
    float s = CK_SIMD(hsum)(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; i++) s += w[i] * x[i];
    return s;
}

static inline CK_ATTR __m256 CK_SIMD(load8_half)(int type, const uint8_t *p) {
    __m128i h = _mm_loadu_si128((const __m128i *)(const void *)p);
    if (type == CK_TYPE_F16) return _mm256_cvtph_ps(h);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

static CK_ATTR float CK_SIMD(dot_half)(int type, const uint8_t *w, const float *x, int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm256_fmadd_ps(CK_SIMD(load8_half)(type, w + 2 * i), _mm256_loadu_ps(x + i), s0);
        s1 = _mm256_fmadd_ps(CK_SIMD(load8_half)(type, w + 2 * i + 16), _mm256_loadu_ps(x + i + 8), s1);
    }
    float s = CK_SIMD(hsum)(_mm256_add_ps(s0, s1));
    for (; i < n; i++) {
        uint16_t h = ck_read_u16(w + 2 * i);
        s += (type == CK_TYPE_F16 ? ck_fp16_to_fp32(h) : ck_bf16_to_fp32(h)) * x[i];
    }
    return s;
}

static CK_ATTR float CK_SIMD(dot_k)(int type, const uint8_t *row, const float *x, int64_t n) {
    float tmp[CK_QK_K];
    float s = 0;
    for (int64_t i = 0; i < n / CK_QK_K; i++) {
        ck_dequantize_k_row_block(type, row, i, tmp);
        s += CK_SIMD(dot_f32)(tmp, x + i * CK_QK_K, CK_QK_K);
    }
    return s;
}

CK_ATTR int CK_SIMD(ck_matmul)(int type, const uint8_t *w, size_t row_bytes, int64_t r0, int64_t r1,
                               const ck_activations *a, float *y, int64_t ldy) {
    switch (type) {
#if CK_SIGNED_WEIGHTS
    case CK_TYPE_Q4_0: CK_SIMD(int_rows)(CK_KIND_Q4_0, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_Q8_0: CK_SIMD(int_rows)(CK_KIND_Q8_0, w, row_bytes, r0, r1, a, y, ldy); return 0;
#endif
    case CK_TYPE_Q4_1: CK_SIMD(int_rows)(CK_KIND_Q4_1, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_F32: case CK_TYPE_F16: case CK_TYPE_BF16:
    case CK_TYPE_Q4_K: case CK_TYPE_Q5_K: case CK_TYPE_Q6_K:
        break;
    default:
        return -1;
    }
    const int64_t n = a->columns;
    for (int64_t r = r0; r < r1; r++) {
        const uint8_t *row = w + (size_t)r * row_bytes;
        for (int64_t t = 0; t < a->count; t++) {
            const float *x = a->values + t * n;
            float v;
            if (type == CK_TYPE_F32) v = CK_SIMD(dot_f32)((const float *)(const void *)row, x, n);
            else if (type == CK_TYPE_F16 || type == CK_TYPE_BF16) v = CK_SIMD(dot_half)(type, row, x, n);
            else v = CK_SIMD(dot_k)(type, row, x, n);
            y[t * ldy + r] = v;
        }
    }
    return 0;
}
