// Block formats -> float32, following ggml's GGUF block layouts (ggml-common.h).
#include "internal.h"

static void dequantize_q4_0(const uint8_t *src, float *y, int64_t blocks) {
    for (int64_t i = 0; i < blocks; i++, src += CK_Q4_0_BYTES, y += CK_QK) {
        float d = ck_fp16_to_fp32(ck_read_u16(src));
        const uint8_t *qs = src + 2;
        for (int j = 0; j < CK_QK / 2; j++) {
            y[j] = (float)((int)(qs[j] & 0xF) - 8) * d;
            y[j + CK_QK / 2] = (float)((int)(qs[j] >> 4) - 8) * d;
        }
    }
}

static void dequantize_q4_1(const uint8_t *src, float *y, int64_t blocks) {
    for (int64_t i = 0; i < blocks; i++, src += CK_Q4_1_BYTES, y += CK_QK) {
        float d = ck_fp16_to_fp32(ck_read_u16(src));
        float m = ck_fp16_to_fp32(ck_read_u16(src + 2));
        const uint8_t *qs = src + 4;
        for (int j = 0; j < CK_QK / 2; j++) {
            y[j] = (float)(qs[j] & 0xF) * d + m;
            y[j + CK_QK / 2] = (float)(qs[j] >> 4) * d + m;
        }
    }
}

static void dequantize_q8_0(const uint8_t *src, float *y, int64_t blocks) {
    for (int64_t i = 0; i < blocks; i++, src += CK_Q8_0_BYTES, y += CK_QK) {
        float d = ck_fp16_to_fp32(ck_read_u16(src));
        const int8_t *qs = (const int8_t *)(src + 2);
        for (int j = 0; j < CK_QK; j++) y[j] = (float)qs[j] * d;
    }
}

static inline uint32_t read_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

// Q5_0 / Q5_1: value j (< 16) is the low nibble of qs[j] plus bit j of qh as its fifth bit, value
// j + 16 the high nibble of qs[j] plus bit j + 16; Q5_0 subtracts 16, Q5_1 adds the minimum m.
static void dequantize_q5(int with_min, const uint8_t *src, float *y, int64_t blocks) {
    const size_t bytes = with_min ? CK_Q5_1_BYTES : CK_Q5_0_BYTES;
    for (int64_t i = 0; i < blocks; i++, src += bytes, y += CK_QK) {
        float d = ck_fp16_to_fp32(ck_read_u16(src));
        float m = with_min ? ck_fp16_to_fp32(ck_read_u16(src + 2)) : 0;
        const uint8_t *head = src + (with_min ? 4 : 2);
        uint32_t qh = read_u32(head);
        const uint8_t *qs = head + 4;
        for (int j = 0; j < CK_QK / 2; j++) {
            int lo = (int)((qs[j] & 0xF) | (((qh >> j) & 1) << 4));
            int hi = (int)((qs[j] >> 4) | (((qh >> (j + 16)) & 1) << 4));
            if (with_min) {
                y[j] = (float)lo * d + m;
                y[j + CK_QK / 2] = (float)hi * d + m;
            } else {
                y[j] = (float)(lo - 16) * d;
                y[j + CK_QK / 2] = (float)(hi - 16) * d;
            }
        }
    }
}

static void ck_dequantize_q4_k_block(const uint8_t *b, float *y) {
    float d = ck_fp16_to_fp32(ck_read_u16(b));
    float dmin = ck_fp16_to_fp32(ck_read_u16(b + 2));
    const uint8_t *scales = b + 4;
    const uint8_t *q = b + 16;
    // Four groups of 64 values: 32 low nibbles (sub-block 2g), then 32 high nibbles (2g+1).
    for (int g = 0; g < 4; g++, q += 32, y += 64) {
        uint8_t sc, m;
        ck_k_scale_min(2 * g, scales, &sc, &m);
        float d1 = d * sc, m1 = dmin * m;
        ck_k_scale_min(2 * g + 1, scales, &sc, &m);
        float d2 = d * sc, m2 = dmin * m;
        for (int l = 0; l < 32; l++) y[l] = d1 * (float)(q[l] & 0xF) - m1;
        for (int l = 0; l < 32; l++) y[l + 32] = d2 * (float)(q[l] >> 4) - m2;
    }
}

static void ck_dequantize_q5_k_block(const uint8_t *b, float *y) {
    float d = ck_fp16_to_fp32(ck_read_u16(b));
    float dmin = ck_fp16_to_fp32(ck_read_u16(b + 2));
    const uint8_t *scales = b + 4;
    const uint8_t *qh = b + 16;
    const uint8_t *ql = b + 48;
    uint8_t u1 = 1, u2 = 2;
    for (int g = 0; g < 4; g++, ql += 32, y += 64, u1 <<= 2, u2 <<= 2) {
        uint8_t sc, m;
        ck_k_scale_min(2 * g, scales, &sc, &m);
        float d1 = d * sc, m1 = dmin * m;
        ck_k_scale_min(2 * g + 1, scales, &sc, &m);
        float d2 = d * sc, m2 = dmin * m;
        for (int l = 0; l < 32; l++) {
            y[l] = d1 * (float)((ql[l] & 0xF) + ((qh[l] & u1) ? 16 : 0)) - m1;
        }
        for (int l = 0; l < 32; l++) {
            y[l + 32] = d2 * (float)((ql[l] >> 4) + ((qh[l] & u2) ? 16 : 0)) - m2;
        }
    }
}

static void ck_dequantize_q6_k_block(const uint8_t *b, float *y) {
    const uint8_t *ql = b;
    const uint8_t *qh = b + 128;
    const int8_t *sc = (const int8_t *)(b + 192);
    float d = ck_fp16_to_fp32(ck_read_u16(b + 208));
    // Two halves of 128 values; value e of the super-block uses scale sc[e / 16].
    for (int h = 0; h < 2; h++, ql += 64, qh += 32, sc += 8, y += 128) {
        for (int l = 0; l < 32; l++) {
            int is = l / 16;
            int q1 = (int)((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
            int q2 = (int)((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
            int q3 = (int)((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            int q4 = (int)((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            y[l] = d * (float)sc[is] * (float)q1;
            y[l + 32] = d * (float)sc[is + 2] * (float)q2;
            y[l + 64] = d * (float)sc[is + 4] * (float)q3;
            y[l + 96] = d * (float)sc[is + 6] * (float)q4;
        }
    }
}

int ck_dequantize(int type, const void *src, float *dst, int64_t count) {
    const uint8_t *s = (const uint8_t *)src;
    switch (type) {
    case CK_TYPE_F32:
        memcpy(dst, src, (size_t)count * sizeof(float));
        return 0;
    case CK_TYPE_F16:
        for (int64_t i = 0; i < count; i++) dst[i] = ck_fp16_to_fp32(ck_read_u16(s + 2 * i));
        return 0;
    case CK_TYPE_BF16:
        for (int64_t i = 0; i < count; i++) dst[i] = ck_bf16_to_fp32(ck_read_u16(s + 2 * i));
        return 0;
    case CK_TYPE_Q4_0:
        dequantize_q4_0(s, dst, count / CK_QK);
        return 0;
    case CK_TYPE_Q4_1:
        dequantize_q4_1(s, dst, count / CK_QK);
        return 0;
    case CK_TYPE_Q8_0:
        dequantize_q8_0(s, dst, count / CK_QK);
        return 0;
    case CK_TYPE_Q5_0:
        dequantize_q5(0, s, dst, count / CK_QK);
        return 0;
    case CK_TYPE_Q5_1:
        dequantize_q5(1, s, dst, count / CK_QK);
        return 0;
    case CK_TYPE_Q4_K:
        for (int64_t i = 0; i < count / CK_QK_K; i++) {
            ck_dequantize_q4_k_block(s + i * CK_Q4_K_BYTES, dst + i * CK_QK_K);
        }
        return 0;
    case CK_TYPE_Q5_K:
        for (int64_t i = 0; i < count / CK_QK_K; i++) {
            ck_dequantize_q5_k_block(s + i * CK_Q5_K_BYTES, dst + i * CK_QK_K);
        }
        return 0;
    case CK_TYPE_Q6_K:
        for (int64_t i = 0; i < count / CK_QK_K; i++) {
            ck_dequantize_q6_k_block(s + i * CK_Q6_K_BYTES, dst + i * CK_QK_K);
        }
        return 0;
    default:
        return -1;
    }
}
