// AVX-512 kernels: the VNNI kernels of matmul_vnni.c with the EVEX encodings of AVX-512VL, which
// give them 32 vector registers (CK_WIDE), with 256-bit arithmetic throughout: the
// tiles grow to 8 rows x 1 token and 4 rows x 4 tokens. Every (row, token) pair keeps its own
// 256-bit accumulator and order of operations, so the results are the other levels' bits.
#include "internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#define CK_ATTR __attribute__((target("avx2,fma,f16c,avx512f,avx512vl,avx512bw,avx512vnni")))
#define CK_SIMD(name) name##_avx512
#define CK_DOT_ACC(a, u, s) _mm256_dpbusd_epi32((a), (u), (s))
#define CK_DOT(u, s) _mm256_dpbusd_epi32(_mm256_setzero_si256(), (u), (s))
#define CK_WIDE 1
#include "matmul_simd.h"
#endif
