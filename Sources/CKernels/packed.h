#ifndef SWIFT_DECODING_CKERNELS_PACKED_H
#define SWIFT_DECODING_CKERNELS_PACKED_H
// The packed layout's geometry (CKernels.h describes it), shared by packed.c and the SIMD files.
#include "internal.h"

/// Whether a kind's packed quants are nibbles (Q4_0, Q4_1, Q4_K) rather than bytes.
static inline int ck_packed_is_nibbles(int kind) {
    return kind == CK_KIND_Q4_0 || kind == CK_KIND_Q4_1 || kind == CK_KIND_Q4_K;
}

/// The offset o of the stored unsigned values q = w + o.
static inline int ck_packed_offset(int kind) {
    switch (kind) {
    case CK_KIND_Q4_0: return 8;
    case CK_KIND_Q5_0: return 16;
    case CK_KIND_Q6_K: return 32;
    case CK_KIND_Q8_0: return 128;
    default: return 0;
    }
}

/// Bytes of a group block's quants.
static inline size_t ck_packed_quant_bytes(int kind) {
    return ck_packed_is_nibbles(kind) ? 8 * CK_PACK_ROWS * 2 : 8 * CK_PACK_ROWS * 4;
}

/// Bytes of one group block (16 rows x 32 values): quants, then d (Q6_K: two), then m.
static inline size_t ck_packed_block_bytes(int kind) {
    const size_t floats = kind == CK_KIND_Q6_K || ck_kind_has_min(kind) ? 2 : 1;
    return ck_packed_quant_bytes(kind) + floats * CK_PACK_ROWS * sizeof(float);
}

/// Row `lane` of the group block at `p`: its 32 weights w (signed, offset removed), d[0], d[1]
/// (the halves' scales; equal except for Q6_K) and m (0 without a minimum).
static inline void ck_packed_unpack(int kind, const uint8_t *p, int lane, int w[CK_QK], float d[2], float *m) {
    const int offset = ck_packed_offset(kind);
    for (int j = 0; j < CK_QK; j++) {
        int q;
        if (ck_packed_is_nibbles(kind)) {
            const int v = j % 16;
            const uint8_t byte = p[64 * (v / 4) + 4 * lane + v % 4];
            q = j < 16 ? byte & 0xF : byte >> 4;
        } else {
            q = p[64 * (j / 4) + 4 * lane + j % 4];
        }
        w[j] = q - offset;
    }
    const float *f = (const float *)(const void *)(p + ck_packed_quant_bytes(kind));
    d[0] = f[lane];
    d[1] = kind == CK_KIND_Q6_K ? f[CK_PACK_ROWS + lane] : d[0];
    *m = ck_kind_has_min(kind) ? f[CK_PACK_ROWS + lane] : 0;
}

// Per-ISA packed kernels; same contract as ck_packed_matmul with a known kind and valid range.
int ck_packed_matmul_avx2(int kind, const uint8_t *packed, int64_t r0, int64_t r1, const ck_activations *a,
                          float *y, int64_t ldy);
int ck_packed_matmul_avx512(int kind, const uint8_t *packed, int64_t r0, int64_t r1, const ck_activations *a,
                            float *y, int64_t ldy);

#endif
