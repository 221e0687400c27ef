/* AVX2 indirect GEMM microkernel for a single output column, 8 x 1 (see
 * kernels/igemm.h and its AVX-512 twin): one dot product per row over taps
 * and channels, vectorised along the channels (masked tail), one
 * accumulator per row, summed horizontally at the end. */
#include <immintrin.h>
#include "avx2.h"
#include "vector_math.h"

#define MR 8

void igemm_ukernel_8x1_avx2(size_t taps, size_t k, const float *const *a, const float *w,
                            float *const *c)
{
    __m256 acc[MR];
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++)
        acc[i] = _mm256_setzero_ps();
    for (size_t t = 0; t < taps; t++, a += MR, w += k)
        for (size_t p = 0; p < k; p += 8) {
            const __m256i m = tail_mask8(k - p < 8 ? k - p : 8);
            const __m256 wv = _mm256_maskload_ps(w + p, m);
#pragma GCC unroll 8
            for (int i = 0; i < MR; i++)
                acc[i] = _mm256_fmadd_ps(_mm256_maskload_ps(a[i] + p, m), wv, acc[i]);
        }
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++)
        c[i][0] = hsum8(acc[i]);
}
