// Run-time selection of the kernel level.
#include "internal.h"

// Bit `level` set for every CK_ISA_* level this CPU can run (probed once; benign race: every
// thread computes the same value). Levels are not nested: a CPU can have AVX-512 VNNI without
// AVX-VNNI (Ice Lake), so a request for a level it lacks falls to the next one below it.
static int ck_isa_supported(void) {
#if defined(__x86_64__) || defined(_M_X64)
    static int cached = -1;
    int mask = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (mask >= 0) return mask;
    __builtin_cpu_init();
    mask = 1 << CK_ISA_SCALAR;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
        mask |= 1 << CK_ISA_AVX2;
        if (__builtin_cpu_supports("avxvnni")) mask |= 1 << CK_ISA_VNNI;
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
            __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni"))
            mask |= 1 << CK_ISA_AVX512;
    }
    __atomic_store_n(&cached, mask, __ATOMIC_RELAXED);
    return mask;
#else
    return 1 << CK_ISA_SCALAR;
#endif
}

int ck_isa_best(void) {
    int mask = ck_isa_supported(), level = CK_ISA_SCALAR;
    for (int l = CK_ISA_SCALAR; l <= CK_ISA_AVX512; l++) {
        if (mask & (1 << l)) level = l;
    }
    return level;
}

int ck_isa_lowered(int isa) {
    const int mask = ck_isa_supported();
    if (isa > CK_ISA_AVX512) isa = CK_ISA_AVX512;
    while (isa > CK_ISA_SCALAR && !(mask & (1 << isa))) isa--;
    return isa;
}

int ck_matmul(int isa, int type, const void *weights, size_t row_bytes, int64_t row_begin,
              int64_t row_end, const ck_activations *a, float *y, int64_t ldy) {
    isa = ck_isa_lowered(isa);
    const uint8_t *w = (const uint8_t *)weights;
#if defined(__x86_64__) || defined(_M_X64)
    if (isa == CK_ISA_AVX512) return ck_matmul_avx512(type, w, row_bytes, row_begin, row_end, a, y, ldy);
    if (isa == CK_ISA_VNNI) return ck_matmul_vnni(type, w, row_bytes, row_begin, row_end, a, y, ldy);
    if (isa == CK_ISA_AVX2) return ck_matmul_avx2(type, w, row_bytes, row_begin, row_end, a, y, ldy);
#endif
    return ck_matmul_scalar(type, w, row_bytes, row_begin, row_end, a, y, ldy);
}
