// Run-time selection of the kernel level.
#include "internal.h"

int ck_isa_best(void) {
#if defined(__x86_64__) || defined(_M_X64)
    static int cached = -1;  // benign race: every thread computes the same value
    int level = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (level >= 0) return level;
    __builtin_cpu_init();
    level = CK_ISA_SCALAR;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
        level = CK_ISA_AVX2;
        if (__builtin_cpu_supports("avxvnni")) level = CK_ISA_VNNI;
    }
    __atomic_store_n(&cached, level, __ATOMIC_RELAXED);
    return level;
#else
    return CK_ISA_SCALAR;
#endif
}

int ck_matmul(int isa, int type, const void *weights, size_t row_bytes, int64_t row_begin,
              int64_t row_end, const ck_activations *a, float *y, int64_t ldy) {
    int best = ck_isa_best();
    if (isa > best) isa = best;
    const uint8_t *w = (const uint8_t *)weights;
#if defined(__x86_64__) || defined(_M_X64)
    if (isa == CK_ISA_VNNI) return ck_matmul_vnni(type, w, row_bytes, row_begin, row_end, a, y, ldy);
    if (isa == CK_ISA_AVX2) return ck_matmul_avx2(type, w, row_bytes, row_begin, row_end, a, y, ldy);
#endif
    return ck_matmul_scalar(type, w, row_bytes, row_begin, row_end, a, y, ldy);
}
