// The x86 SIMD matmul kernels, written once and compiled three times (matmul_avx2.c,
// matmul_vnni.c, matmul_avx512.c).
// The includer defines:
//   CK_ATTR          the target attribute of every function here
//   CK_SIMD(name)    the name with the ISA suffix
//   CK_DOT(u, s)     8 int32 lanes, lane k = sum over j in 4k..4k+3 of u[j] (unsigned bytes)
//                    times s[j] (signed bytes)
//   CK_DOT_ACC(a, u, s)  a + CK_DOT(u, s) in one instruction, where the ISA has vpdpbusd (no
//                    16-bit intermediate to saturate); undefined otherwise
//   CK_WIDE          1 where AVX-512 is available (32 vector registers, embedded broadcasts):
//                    tiles grow to 8 rows x 1 token and 4 rows x 4 tokens; 0 or undefined otherwise
// Integer paths mirror matmul_scalar.c operation by operation (see there).

#include <immintrin.h>

#pragma clang fp contract(off)

#ifndef CK_WIDE
#define CK_WIDE 0
#endif
// The largest tile: rows of one weight block, and (row, token) pairs, per pass.
#define CK_MAX_ROWS (CK_WIDE ? 8 : 4)
#define CK_MAX_PAIRS (CK_WIDE ? 16 : 8)
#ifndef CK_PREFETCH_BYTES
#define CK_PREFETCH_BYTES 8192
#endif

static inline CK_ATTR float CK_SIMD(hsum)(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

// *p in all 8 lanes, loaded by the load unit (vbroadcastss from memory). Written as asm because
// the compiler otherwise turns broadcasts of a just-stored vector into shuffles, which compete
// with the dot products for the one shuffle port.
static inline CK_ATTR __m256 CK_SIMD(broadcast)(const float *p) {
    __m256 v;
    __asm__("vbroadcastss %1, %0" : "=x"(v) : "m"(*p));
    return v;
}

// acc + (*p in all 8 lanes) * lanes, rounded once. With AVX-512 the broadcast rides in the
// multiply-add itself (embedded broadcast, one fused micro-op).
static inline CK_ATTR __m256 CK_SIMD(fma_scale)(const float *p, __m256 lanes, __m256 acc) {
#if CK_WIDE
    __asm__("vfmadd231ps %2%{1to8%}, %1, %0" : "+v"(acc) : "v"(lanes), "m"(*p));
    return acc;
#else
    return _mm256_fmadd_ps(CK_SIMD(broadcast)(p), lanes, acc);
#endif
}

// 16 bytes of nibbles -> 32 bytes in activation order: the 16 bytes go to both halves; the
// upper half is shifted by 4 in 32-bit lanes, and the mask keeps each byte's own nibble.
static inline CK_ATTR __m256i CK_SIMD(nibbles)(const uint8_t *q) {
    __m256i raw = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)q));
    return _mm256_and_si256(_mm256_srlv_epi32(raw, _mm256_setr_epi32(0, 0, 0, 0, 4, 4, 4, 4)), _mm256_set1_epi8(0x0F));
}

// Byte j is 0x10 where bit j of the little-endian 32-bit word at `p` is set (Q5_0 / Q5_1 fifth
// bits): byte j takes the word's byte j / 8, then its own bit j mod 8 is tested.
static inline CK_ATTR __m256i CK_SIMD(fifth_bits)(const uint8_t *p) {
    uint32_t qh;
    memcpy(&qh, p, 4);
    const __m256i spread = _mm256_setr_epi64x(0, 0x0101010101010101LL, 0x0202020202020202LL, 0x0303030303030303LL);
    const __m256i bit = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
    __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi32((int)qh), spread);
    v = _mm256_cmpeq_epi8(_mm256_and_si256(v, bit), bit);
    return _mm256_and_si256(v, _mm256_set1_epi8(0x10));
}

// Each byte of v shifted right by `count` (0..7), the bits of `mask` kept (16-bit shifts carry
// the neighbour byte's bits in from the top, which the mask drops).
static inline CK_ATTR __m256i CK_SIMD(bytes_shift)(__m256i v, int count, char mask) {
    return _mm256_and_si256(_mm256_srl_epi16(v, _mm_cvtsi32_si128(count)), _mm256_set1_epi8(mask));
}

static inline CK_ATTR __m256i CK_SIMD(load32)(const uint8_t *p) {
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

// The 32 weights of activation block j of the block (K-quants: super-block) at `blk`, as bytes in
// activation order: the integers w of ck_int_kind (internal.h), signed or unsigned by kind.
static inline CK_ATTR __m256i CK_SIMD(weights)(const int kind, const uint8_t *blk, int j) {
    switch (kind) {
    case CK_KIND_Q8_0: return CK_SIMD(load32)(blk + 2);
    case CK_KIND_Q4_0: return _mm256_sub_epi8(CK_SIMD(nibbles)(blk + 2), _mm256_set1_epi8(8));
    case CK_KIND_Q4_1: return CK_SIMD(nibbles)(blk + 4);
    case CK_KIND_Q5_0:
        return _mm256_sub_epi8(_mm256_or_si256(CK_SIMD(nibbles)(blk + 6), CK_SIMD(fifth_bits)(blk + 2)),
                               _mm256_set1_epi8(16));
    case CK_KIND_Q5_1: return _mm256_or_si256(CK_SIMD(nibbles)(blk + 8), CK_SIMD(fifth_bits)(blk + 4));
    case CK_KIND_Q4_K: return CK_SIMD(bytes_shift)(CK_SIMD(load32)(blk + 16 + 32 * (j / 2)), 4 * (j % 2), 0x0F);
    case CK_KIND_Q5_K: {
        __m256i low = CK_SIMD(bytes_shift)(CK_SIMD(load32)(blk + 48 + 32 * (j / 2)), 4 * (j % 2), 0x0F);
        __m256i high = _mm256_slli_epi16(CK_SIMD(bytes_shift)(CK_SIMD(load32)(blk + 16), j, 0x01), 4);
        return _mm256_or_si256(low, high);
    }
    default: { // Q6_K: quarter j % 4 of half j / 4
        const int h = j / 4, quarter = j % 4;
        __m256i low = CK_SIMD(bytes_shift)(CK_SIMD(load32)(blk + 64 * h + 32 * (quarter % 2)), 4 * (quarter / 2), 0x0F);
        __m256i high = _mm256_slli_epi16(CK_SIMD(bytes_shift)(CK_SIMD(load32)(blk + 128 + 32 * h), 2 * quarter, 0x03), 4);
        return _mm256_sub_epi8(_mm256_or_si256(low, high), _mm256_set1_epi8(32));
    }
    }
}

// The 8 block scales d_j and offsets m_j of a K-quant super-block: ck_k_block_scale's values
// (the same products, F16C's exact half conversion), the 6-bit scales and minimums unpacked four
// at a time from the packed 32-bit words: bytes 0-3 hold scales 0-3 in their low 6 bits and the
// top 2 bits of scales 4-7, bytes 4-7 the same for the minimums, bytes 8-11 the low 4 bits of
// scales 4-7 (low nibbles) and minimums 4-7 (high nibbles). Written as pairs: out[j * stride]
// = d_j, out[j * stride + 1] = m_j.
static inline CK_ATTR void CK_SIMD(k_scales)(const int kind, const uint8_t *sb, float *out, int stride) {
    __m256 d, m;
    if (kind == CK_KIND_Q6_K) {
        d = _mm256_set1_ps(_cvtsh_ss(ck_read_u16(sb + 208)));
        m = _mm256_setzero_ps();
    } else {
        uint32_t a[3];
        memcpy(a, sb + 4, 12);
        const uint32_t sc_lo = a[0] & 0x3f3f3f3fu, mn_lo = a[1] & 0x3f3f3f3fu;
        const uint32_t sc_hi = (a[2] & 0x0f0f0f0fu) | ((a[0] >> 2) & 0x30303030u);
        const uint32_t mn_hi = ((a[2] >> 4) & 0x0f0f0f0fu) | ((a[1] >> 2) & 0x30303030u);
        const __m256 sc = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_setr_epi32((int)sc_lo, (int)sc_hi, 0, 0)));
        const __m256 mn = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_setr_epi32((int)mn_lo, (int)mn_hi, 0, 0)));
        d = _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(ck_read_u16(sb))), sc);
        m = _mm256_xor_ps(_mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(ck_read_u16(sb + 2))), mn), _mm256_set1_ps(-0.0f));
    }
    // (d0 m0 d1 m1 | d4 m4 d5 m5) and (d2 m2 d3 m3 | d6 m6 d7 m7): pair j as one 64-bit store.
    _Alignas(32) float pairs[16];
    _mm256_store_ps(pairs, _mm256_unpacklo_ps(d, m));
    _mm256_store_ps(pairs + 8, _mm256_unpackhi_ps(d, m));
    static const int at[8] = {0, 2, 8, 10, 4, 6, 12, 14};
    #pragma clang loop unroll(full)
    for (int j = 0; j < 8; j++) memcpy(out + j * stride, pairs + at[j], 8);
}

// Loops over rows, tokens and pairs are unrolled in full (RB and NT are constants after inlining)
// so that each pair's accumulator lives in a register rather than in a stack array.
// Dot products of RB consecutive weight rows (1, 2, 4, or 8 when wide) with NT consecutive tokens
// (1..4) from t0, RB * NT <= CK_MAX_PAIRS: out[r * 4 + i] for row r, token i. Pair p = r * NT + i
// has its own chain of 8 float lanes, fed block by block in order with acc = fma(d_r * xs_i,
// lanes, acc) (Q6_K: the integer lanes first times their half's scale), and (kinds with a
// minimum) its own scalar chain offset = fma(m_r, xsum_i, offset), kept in lane p of one vector;
// so the result of a pair is the scalar kernel's, whatever the tile shape. Per block, the tile's
// scales and offsets are one vector multiply and one fma (8 or 16 lanes); each weight and
// activation block is loaded once. K-quant rows decode their 8 sub-block scales once per
// super-block into a small table.
static inline CK_ATTR __attribute__((always_inline)) void
CK_SIMD(int_tile)(const int kind, const uint8_t *row0, size_t row_bytes, const ck_activations *a,
                  int64_t t0, const int RB, const int NT, float *out) {
    const int64_t n = a->columns, blocks = n / CK_QK;
    const size_t bytes = ck_kind_bytes(kind);
    const int isK = ck_kind_is_k(kind), hasMin = ck_kind_has_min(kind);
    const int P = RB * NT;
    // Lane p of the scale vectors is pair p (lanes past P repeat the last pair and are unused).
    int rowOf[CK_MAX_PAIRS], tokenOf[CK_MAX_PAIRS];
    #pragma clang loop unroll(full)
    for (int p = 0; p < CK_MAX_PAIRS; p++) {
        int q = p < P ? p : P - 1;
        rowOf[p] = q / NT;
        tokenOf[p] = q % NT;
    }
    // The block's halves, converted together: lane 2r is d_r, lane 2r + 1 is m_r (rows 4..7 in a
    // second vector when wide, indexed 8..15 by the two-source permute).
#if CK_WIDE
    __m256i dIndex[2], mIndex[2];
    __m256 offset[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
    #pragma clang loop unroll(full)
    for (int k = 0; k < 2; k++) {
        dIndex[k] = _mm256_setr_epi32(2 * rowOf[8 * k], 2 * rowOf[8 * k + 1], 2 * rowOf[8 * k + 2], 2 * rowOf[8 * k + 3],
                                      2 * rowOf[8 * k + 4], 2 * rowOf[8 * k + 5], 2 * rowOf[8 * k + 6],
                                      2 * rowOf[8 * k + 7]);
        mIndex[k] = _mm256_add_epi32(dIndex[k], _mm256_set1_epi32(1));
    }
#else
    const __m256i dIndex = _mm256_setr_epi32(2 * rowOf[0], 2 * rowOf[1], 2 * rowOf[2], 2 * rowOf[3],
                                             2 * rowOf[4], 2 * rowOf[5], 2 * rowOf[6], 2 * rowOf[7]);
    const __m256i mIndex = _mm256_add_epi32(dIndex, _mm256_set1_epi32(1));
    __m256 offset = _mm256_setzero_ps();
#endif
    __m256 acc[CK_MAX_PAIRS];
    #pragma clang loop unroll(full)
    for (int p = 0; p < P; p++) acc[p] = _mm256_setzero_ps();
    _Alignas(64) float scale[CK_MAX_PAIRS];
    _Alignas(32) uint32_t dm[CK_MAX_ROWS];
    #pragma clang loop unroll(full)
    for (int r = 0; r < CK_MAX_ROWS; r++) dm[r] = 0;
    // K-quants: d_r and m_r of block j of the current super-block as floats at dmk[j][2r] and
    // dmk[j][2r + 1], written once per super-block (so the block's vector load never waits on
    // fresh scalar stores).
    _Alignas(64) float dmk[8][2 * CK_MAX_ROWS];
    if (isK) memset(dmk, 0, sizeof dmk);
    // Q6_K: the super-block's 16 half scales of each row (see below).
    _Alignas(32) int32_t q6s[CK_MAX_ROWS][16];
    const int8_t *aq = a->quants + t0 * n;
    const float *as = a->scales + t0 * blocks, *asum = a->sums + t0 * blocks;
    const float *grouped = NT == 4 && a->group_scales && t0 % 4 == 0 ? a->group_scales + t0 / 4 * blocks * 8 : NULL;
    // K-quants: the 8 blocks of a super-block unrolled, so that each block's position j is a
    // constant (immediate shifts, scale table entries at fixed offsets).
    const int step = isK ? 8 : 1;
    for (int64_t b0 = 0; b0 < blocks; b0 += step) {
        #pragma clang loop unroll(full)
        for (int j = 0; j < step; j++) {
            const int64_t b = b0 + j;
            // Signed weights in a batch tile: with vpdpbusd the activations are biased to unsigned
            // (x + 128, one xor per token and block) and each lane starts from −128·Σw of its 4
            // weights, so a pair costs one dot product. Otherwise (one token, or no vpdpbusd:
            // maddubs would saturate) |w| · sign(x, w).
            __m256i w[CK_MAX_ROWS], wabs[CK_MAX_ROWS], sc[CK_MAX_ROWS];
            // The tile's RB rows are one contiguous stretch of memory, read as RB interleaved
            // streams too short for the hardware prefetchers to follow; so the bytes
            // CK_PREFETCH_BYTES past the stretch's consumed part are requested (RB * bytes per
            // block step, spread over the step's blocks), by the first tile over these rows
            // (the later token tiles find them in cache).
            if (t0 == 0) {
                const size_t span = (size_t)RB * bytes, done = (size_t)(b0 / step) * span;
                const uint8_t *ahead = row0 + CK_PREFETCH_BYTES + done;
                for (size_t off = j * span / step & ~(size_t)63; off < (j + 1) * span / step; off += 64)
                    _mm_prefetch((const char *)(ahead + off), _MM_HINT_T0);
            }
            for (int r = 0; r < RB; r++) {
                if (isK) {
                    const uint8_t *sb = row0 + (size_t)r * row_bytes + (size_t)(b / 8) * bytes;
                    if (j == 0) CK_SIMD(k_scales)(kind, sb, &dmk[0][2 * r], 2 * CK_MAX_ROWS);
                    if (kind == CK_KIND_Q6_K && j == 0) {
                        // The 16 int8 half scales, once per super-block, as 16-bit values over a
                        // zero upper half (for madd, see below) in 32-bit lanes.
                        const __m128i raw = _mm_loadu_si128((const __m128i *)(const void *)(sb + 192));
                        const __m256i low16 = _mm256_set1_epi32(0xFFFF);
                        _mm256_store_si256((__m256i *)(void *)q6s[r], _mm256_and_si256(_mm256_cvtepi8_epi32(raw), low16));
                        _mm256_store_si256((__m256i *)(void *)(q6s[r] + 8),
                                           _mm256_and_si256(_mm256_cvtepi8_epi32(_mm_srli_si128(raw, 8)), low16));
                    }
                    w[r] = CK_SIMD(weights)(kind, sb, j);
                    if (kind == CK_KIND_Q6_K) {
                        // Lanes 0-3 (values 0-15) take scale 2j, lanes 4-7 scale 2j + 1: the pair
                        // broadcast from the table and spread by one permute.
                        long long pair;
                        memcpy(&pair, q6s[r] + 2 * j, 8);
                        sc[r] = _mm256_permutevar8x32_epi32(_mm256_set1_epi64x(pair), _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1));
                    }
                } else {
                    const uint8_t *blk = row0 + (size_t)r * row_bytes + (size_t)b * bytes;
                    dm[r] = hasMin ? (uint32_t)ck_read_u16(blk) | ((uint32_t)ck_read_u16(blk + 2) << 16)
                                   : (uint32_t)ck_read_u16(blk);
                    w[r] = CK_SIMD(weights)(kind, blk, 0);
                }
                if (!hasMin) {
#ifdef CK_DOT_ACC
                    if (NT > 1) wabs[r] = _mm256_sub_epi32(_mm256_setzero_si256(), CK_DOT(_mm256_set1_epi8((char)0x80), w[r]));
                    else wabs[r] = _mm256_sign_epi8(w[r], w[r]);
#else
                    wabs[r] = _mm256_sign_epi8(w[r], w[r]);
#endif
                }
            }
            float xs[4], xsum[4];
            if (!grouped) {
                #pragma clang loop unroll(full)
                for (int i = 0; i < NT; i++) {
                    xs[i] = as[i * blocks + b];
                    xsum[i] = asum[i * blocks + b];
                }
            }
#if CK_WIDE
            // 256-bit only: a 512-bit instruction in flight shuts port 1's vector unit, which the
            // pairs' conversions and multiply-adds need.
            const __m256 halves0 = isK ? _mm256_load_ps(dmk[j]) : _mm256_cvtph_ps(_mm_load_si128((const __m128i *)(const void *)dm));
            const __m256 halves1 = RB <= 4 ? halves0
                                   : isK   ? _mm256_load_ps(dmk[j] + 8)
                                           : _mm256_cvtph_ps(_mm_load_si128((const __m128i *)(const void *)(dm + 4)));
            #pragma clang loop unroll(full)
            for (int k = 0; k < 2 && 8 * k < P; k++) {
                __m256 xsv, xsumv;
                if (grouped) {
                    // Lanes r * 4 + i of a 4-token tile are token i: the group's 4 scales in both halves.
                    xsv = _mm256_broadcast_ps((const __m128 *)(const void *)(grouped + b * 8));
                    xsumv = _mm256_broadcast_ps((const __m128 *)(const void *)(grouped + b * 8 + 4));
                } else {
                    const int *t = tokenOf + 8 * k;
                    xsv = _mm256_setr_ps(xs[t[0]], xs[t[1]], xs[t[2]], xs[t[3]], xs[t[4]], xs[t[5]], xs[t[6]], xs[t[7]]);
                    xsumv = _mm256_setr_ps(xsum[t[0]], xsum[t[1]], xsum[t[2]], xsum[t[3]], xsum[t[4]], xsum[t[5]],
                                           xsum[t[6]], xsum[t[7]]);
                }
                _mm256_store_ps(scale + 8 * k, _mm256_mul_ps(_mm256_permutex2var_ps(halves0, dIndex[k], halves1), xsv));
                if (hasMin) {
                    offset[k] = _mm256_fmadd_ps(_mm256_permutex2var_ps(halves0, mIndex[k], halves1), xsumv, offset[k]);
                }
            }
#else
            __m256 halves = isK ? _mm256_load_ps(dmk[j]) : _mm256_cvtph_ps(_mm_load_si128((const __m128i *)(const void *)dm));
            __m256 xsv, xsumv;
            if (grouped) {
                // Lanes r * 4 + i of a 4-token tile are token i: the group's 4 scales in both halves.
                xsv = _mm256_broadcast_ps((const __m128 *)(const void *)(grouped + b * 8));
                xsumv = _mm256_broadcast_ps((const __m128 *)(const void *)(grouped + b * 8 + 4));
            } else {
                xsv = _mm256_setr_ps(xs[tokenOf[0]], xs[tokenOf[1]], xs[tokenOf[2]], xs[tokenOf[3]],
                                     xs[tokenOf[4]], xs[tokenOf[5]], xs[tokenOf[6]], xs[tokenOf[7]]);
                xsumv = _mm256_setr_ps(xsum[tokenOf[0]], xsum[tokenOf[1]], xsum[tokenOf[2]], xsum[tokenOf[3]],
                                       xsum[tokenOf[4]], xsum[tokenOf[5]], xsum[tokenOf[6]], xsum[tokenOf[7]]);
            }
            _mm256_store_ps(scale, _mm256_mul_ps(_mm256_permutevar8x32_ps(halves, dIndex), xsv));
            if (hasMin) {
                offset = _mm256_fmadd_ps(_mm256_permutevar8x32_ps(halves, mIndex), xsumv, offset);
            }
#endif
            #pragma clang loop unroll(full)
            for (int i = 0; i < NT; i++) {
                __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(aq + i * n + b * CK_QK));
#ifdef CK_DOT_ACC
                if (!hasMin && NT > 1) x = _mm256_xor_si256(x, _mm256_set1_epi8((char)0x80));
#endif
                #pragma clang loop unroll(full)
                for (int r = 0; r < RB; r++) {
#ifdef CK_DOT_ACC
                    __m256i lanes = hasMin ? CK_DOT(w[r], x)
                                    : NT > 1 ? CK_DOT_ACC(wabs[r], x, w[r])
                                             : CK_DOT(wabs[r], _mm256_sign_epi8(x, w[r]));
#else
                    __m256i lanes = hasMin ? CK_DOT(w[r], x) : CK_DOT(wabs[r], _mm256_sign_epi8(x, w[r]));
#endif
                    // Q6_K: each lane (|Σ| <= 4 · 32 · 127 < 2^15, so its low 16 bits are the value)
                    // times its half's scale, exactly, in one madd.
                    if (kind == CK_KIND_Q6_K) lanes = _mm256_madd_epi16(lanes, sc[r]);
                    // Fused multiply-adds, as ggml's x86 vec_dot kernels accumulate (the rounding
                    // differs from a multiply then an add, and llama.cpp's logits follow it).
                    acc[r * NT + i] = CK_SIMD(fma_scale)(&scale[r * NT + i], _mm256_cvtepi32_ps(lanes), acc[r * NT + i]);
                }
            }
        }
    }
    _Alignas(64) float offsets[CK_MAX_PAIRS];
#if CK_WIDE
    _mm256_store_ps(offsets, offset[0]);
    _mm256_store_ps(offsets + 8, offset[1]);
#else
    _mm256_store_ps(offsets, offset);
#endif
    #pragma clang loop unroll(full)
    for (int r = 0; r < RB; r++) {
        #pragma clang loop unroll(full)
        for (int i = 0; i < NT; i++) out[r * 4 + i] = CK_SIMD(hsum)(acc[r * NT + i]) + offsets[r * NT + i];
    }
}

// `rows` consecutive rows (at most CK_MAX_ROWS) with `nt` tokens from t0 (1..4) into out[r * 4 + i],
// in the largest tiles that fit: 8 x 1 (wide) or 4 x 1 for a single token, 4 x nt (wide)
// for batches, then 2 x nt and 1 x nt.
static inline CK_ATTR __attribute__((always_inline)) void
CK_SIMD(int_group)(const int kind, const uint8_t *row, size_t row_bytes, const ck_activations *a,
                   int64_t t0, int64_t rows, int64_t nt, float *out) {
    int64_t k = 0;
#if CK_WIDE
    if (nt == 1 && rows >= 8) {
        CK_SIMD(int_tile)(kind, row, row_bytes, a, t0, 8, 1, out);
        k = 8;
    } else if (nt > 1 && rows >= 4) {
        switch (nt) {
        case 4: CK_SIMD(int_tile)(kind, row, row_bytes, a, t0, 4, 4, out); break;
        case 3: CK_SIMD(int_tile)(kind, row, row_bytes, a, t0, 4, 3, out); break;
        default: CK_SIMD(int_tile)(kind, row, row_bytes, a, t0, 4, 2, out); break;
        }
        k = 4;
    }
#endif
    if (nt == 1 && rows - k >= 4) {
        CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 4, 1, out + 4 * k);
        k += 4;
    }
    for (; rows - k >= 2; k += 2) {
        switch (nt) {
        case 4: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 2, 4, out + 4 * k); break;
        case 3: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 2, 3, out + 4 * k); break;
        case 2: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 2, 2, out + 4 * k); break;
        default: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 2, 1, out + 4 * k); break;
        }
    }
    if (rows - k == 1) {
        switch (nt) {
        case 4: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 1, 4, out + 4 * k); break;
        case 3: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 1, 3, out + 4 * k); break;
        case 2: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 1, 2, out + 4 * k); break;
        default: CK_SIMD(int_tile)(kind, row + k * row_bytes, row_bytes, a, t0, 1, 1, out + 4 * k); break;
        }
    }
}

// Rows r0..<r1 for all tokens, in groups of CK_MAX_ROWS rows for a single token (matrix x vector)
// and of 2 rows (4 when wide) for batches, each group over the tokens 4 at a time; the
// accumulators of a tile stay in registers (16 ymm, or 32 when wide).
static inline CK_ATTR __attribute__((always_inline)) void
CK_SIMD(int_rows)(const int kind, const uint8_t *w, size_t row_bytes, int64_t r0, int64_t r1,
                  const ck_activations *a, float *y, int64_t ldy) {
    float out[CK_MAX_ROWS * 4];
    const int64_t count = a->count;
    const int64_t rb = count == 1 ? CK_MAX_ROWS : (CK_WIDE ? 4 : 2);
    for (int64_t r = r0; r < r1; r += rb) {
        const uint8_t *row = w + (size_t)r * row_bytes;
        const int64_t rows = r1 - r < rb ? r1 - r : rb;
        for (int64_t t0 = 0; t0 < count; t0 += 4) {
            const int64_t nt = count - t0 < 4 ? count - t0 : 4;
            CK_SIMD(int_group)(kind, row, row_bytes, a, t0, rows, nt, out);
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

CK_ATTR int CK_SIMD(ck_matmul)(int type, const uint8_t *w, size_t row_bytes, int64_t r0, int64_t r1,
                               const ck_activations *a, float *y, int64_t ldy) {
    // One instance of the tiles per kind (the kind is a constant inside each).
    switch (type) {
    case CK_TYPE_Q4_0: CK_SIMD(int_rows)(CK_KIND_Q4_0, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_Q8_0: CK_SIMD(int_rows)(CK_KIND_Q8_0, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_Q4_1: CK_SIMD(int_rows)(CK_KIND_Q4_1, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_Q5_0: CK_SIMD(int_rows)(CK_KIND_Q5_0, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_Q5_1: CK_SIMD(int_rows)(CK_KIND_Q5_1, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_Q4_K: CK_SIMD(int_rows)(CK_KIND_Q4_K, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_Q5_K: CK_SIMD(int_rows)(CK_KIND_Q5_K, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_Q6_K: CK_SIMD(int_rows)(CK_KIND_Q6_K, w, row_bytes, r0, r1, a, y, ldy); return 0;
    case CK_TYPE_F32: case CK_TYPE_F16: case CK_TYPE_BF16:
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
            else v = CK_SIMD(dot_half)(type, row, x, n);
            y[t * ldy + r] = v;
        }
    }
    return 0;
}
