/* AVX2 weight-gradient microkernel, 4 x 16 tile (see kernels/igemm.h): 4
 * channels of one tap (broadcast from the pixel's own row, in place) by 16
 * output columns. 8 accumulators, enough to cover the FMA latency on two
 * pipes; each pixel step does 8 FMAs against 2 loads and 4 broadcasts. 4
 * rows divide every channel count of the networks here, so the A rows need
 * no packing. */
#include <immintrin.h>
#include "avx2.h"

#define MR 4
#define NR 16

void wgemm_ukernel_4x16_avx2(size_t k, const float *const *a, const float *b, float *c,
                             size_t ldc, int accumulate)
{
    __m256 acc[MR][2];
#pragma GCC unroll 4
    for (int i = 0; i < MR; i++)
        acc[i][0] = acc[i][1] = _mm256_setzero_ps();
    for (size_t p = 0; p < k; p++, b += NR) {
        const float *ap = a[p];
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 4
        for (int i = 0; i < MR; i++) {
            const __m256 ai = _mm256_broadcast_ss(ap + i);
            acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
        }
    }
#pragma GCC unroll 4
    for (int i = 0; i < MR; i++) {
        float *ci = c + i * ldc;
        if (accumulate) {
            acc[i][0] = _mm256_add_ps(acc[i][0], _mm256_loadu_ps(ci));
            acc[i][1] = _mm256_add_ps(acc[i][1], _mm256_loadu_ps(ci + 8));
        }
        _mm256_storeu_ps(ci, acc[i][0]);
        _mm256_storeu_ps(ci + 8, acc[i][1]);
    }
}
