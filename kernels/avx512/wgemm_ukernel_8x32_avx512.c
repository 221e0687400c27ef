/* AVX-512 weight-gradient microkernel, 8 x 32 tile (see kernels/igemm.h):
 * 8 channels of one tap (broadcast from the pixel's own row, in place) by
 * 32 output columns. 16 accumulators, 2 more zmm for the row of B; each
 * pixel step does 16 FMAs against 2 loads and 8 broadcasts, so the FMA
 * pipes stay the bottleneck, and the 8 rows divide every channel count of
 * the networks here (32, 64, 96, 160), so the A rows need no packing. */
#include <immintrin.h>
#include "avx512.h"

#define MR 8
#define NR 32

void wgemm_ukernel_8x32_avx512(size_t k, const float *const *a, const float *b, float *c,
                               size_t ldc, int accumulate)
{
    __m512 acc[MR][2];
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++)
        acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (size_t p = 0; p < k; p++, b += NR) {
        const float *ap = a[p];
        const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 8
        for (int i = 0; i < MR; i++) {
            const __m512 ai = _mm512_set1_ps(ap[i]);
            acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
        }
    }
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++) {
        float *ci = c + i * ldc;
        if (accumulate) {
            acc[i][0] = _mm512_add_ps(acc[i][0], _mm512_loadu_ps(ci));
            acc[i][1] = _mm512_add_ps(acc[i][1], _mm512_loadu_ps(ci + 16));
        }
        _mm512_storeu_ps(ci, acc[i][0]);
        _mm512_storeu_ps(ci + 16, acc[i][1]);
    }
}
