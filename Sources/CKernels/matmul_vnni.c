// AVX-VNNI kernels: the same code as matmul_avx2.c with vpdpbusd (u8 x s8, groups of 4 summed
// straight into int32) for the integer lanes: one instruction where AVX2 needs maddubs + madd.
#include "internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#define CK_ATTR __attribute__((target("avx2,fma,f16c,avxvnni")))
#define CK_SIMD(name) name##_vnni
#define CK_DOT_ACC(a, u, s) _mm256_dpbusd_avx_epi32((a), (u), (s))
#define CK_DOT(u, s) _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), (u), (s))
#include "matmul_simd.h"
#endif
