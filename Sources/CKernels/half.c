// IEEE binary16 and bfloat16 conversions, bit-exact and portable (no F16C needed).
#include "internal.h"

float ck_fp16_to_fp32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1F;
    uint32_t mantissa = h & 0x3FF;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {
            // Subnormal half: shift the mantissa up to an implicit leading one.
            uint32_t shift = 0;
            while ((mantissa & 0x400) == 0) {
                mantissa <<= 1;
                shift += 1;
            }
            mantissa &= 0x3FF;
            bits = sign | ((113 - shift) << 23) | (mantissa << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

uint16_t ck_fp32_to_fp16(float f) {
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t magnitude = x & 0x7FFFFFFFu;
    if (magnitude > 0x7F800000u) return (uint16_t)(sign | 0x7E00);   // NaN
    if (magnitude >= 0x477FF000u) return (uint16_t)(sign | 0x7C00);  // >= 65520 rounds to inf
    if (magnitude < 0x38800000u) {
        // Below the smallest normal half (2^-14): a multiple of 2^-24, rounded to even.
        float a;
        memcpy(&a, &magnitude, sizeof a);
        float scaled = ck_round_even(a * 16777216.0f);
        return (uint16_t)(sign | (uint16_t)scaled);
    }
    uint32_t half = (((magnitude >> 23) - 112) << 10) | ((magnitude >> 13) & 0x3FF);
    uint32_t rest = magnitude & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) half += 1;
    return (uint16_t)(sign | half);
}

float ck_bf16_to_fp32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

uint16_t ck_fp32_to_bf16(float f) {
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((x >> 16) | 0x40);  // quiet NaN
    x += 0x7FFF + ((x >> 16) & 1);
    return (uint16_t)(x >> 16);
}
