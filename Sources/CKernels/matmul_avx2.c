// AVX2 + FMA + F16C kernels (x86-64 only; elsewhere this file is empty and dispatch never
// selects it). Integer lanes: maddubs (u8 x s8 -> pairs in int16, no saturation for the value
// ranges here) then madd with ones (-> groups of 4 in int32).
#include "internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#define CK_ATTR __attribute__((target("avx2,fma,f16c")))
#define CK_SIMD(name) name##_avx2
#define CK_DOT(u, s) _mm256_madd_epi16(_mm256_maddubs_epi16((u), (s)), _mm256_set1_epi16(1))
#include "matmul_simd.h"
#endif
