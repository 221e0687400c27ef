/* AVX2 dot-product microkernel for sgemm NT, 2 x 4 tile (see
 * kernels/sgemm_blocked.h and the AVX-512 4 x 4): 8 ymm accumulators, one
 * per element of the tile, each an 8-lane partial sum along k; per 8
 * values of k, 6 loads feed 8 FMAs. */
#include <immintrin.h>
#include "avx2.h"
#include "vector_math.h"

void sgemm_dot_2x4_avx2(size_t k, const float *const *a, const float *const *b, float *out)
{
    __m256 acc[2][4];
#pragma GCC unroll 2
    for (int i = 0; i < 2; i++)
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++)
            acc[i][j] = _mm256_setzero_ps();
    for (size_t p = 0; p < k; p += 8) {
        const __m256i m = tail_mask8(k - p < 8 ? k - p : 8);
        __m256 bv[4];
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++)
            bv[j] = _mm256_maskload_ps(b[j] + p, m);
#pragma GCC unroll 2
        for (int i = 0; i < 2; i++) {
            const __m256 av = _mm256_maskload_ps(a[i] + p, m);
#pragma GCC unroll 4
            for (int j = 0; j < 4; j++)
                acc[i][j] = _mm256_fmadd_ps(av, bv[j], acc[i][j]);
        }
    }
#pragma GCC unroll 2
    for (int i = 0; i < 2; i++)
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++)
            out[i * 4 + j] = hsum8(acc[i][j]);
}
