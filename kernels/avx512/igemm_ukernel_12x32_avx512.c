/* AVX-512 indirect GEMM microkernel, 12 x 32 tile (see kernels/igemm.h):
 * the 12 x 2 accumulators use 24 of the 32 zmm registers, 2 more hold the
 * row of packed weights. Each channel step does 24 FMAs against 2 loads and
 * 12 broadcasts (folded into the FMAs as embedded broadcasts), so the two
 * FMA pipes are the bottleneck. 32 columns divide the U-Net's widths (32,
 * 64, 96) and the seed networks' (32, 64), so no column of a tile is
 * wasted; 12 rows of a tile are 12 pixels, each with its own row pointer
 * per tap. */
#include <immintrin.h>
#include "avx512.h"

#define MR 12
#define NR 32

void igemm_ukernel_12x32_avx512(size_t taps, size_t k, const float *const *a, const float *w,
                                float *const *c)
{
    __m512 acc[MR][2];
    /* The pragmas unroll the row loops fully so the accumulators stay in
     * registers. */
#pragma GCC unroll 12
    for (int i = 0; i < MR; i++)
        acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (size_t t = 0; t < taps; t++, a += MR) {
        const float *row[MR];
#pragma GCC unroll 12
        for (int i = 0; i < MR; i++)
            row[i] = a[i];
        for (size_t p = 0; p < k; p++, w += NR) {
            const __m512 w0 = _mm512_load_ps(w), w1 = _mm512_load_ps(w + 16);
#pragma GCC unroll 12
            for (int i = 0; i < MR; i++) {
                const __m512 ai = _mm512_set1_ps(row[i][p]);
                acc[i][0] = _mm512_fmadd_ps(ai, w0, acc[i][0]);
                acc[i][1] = _mm512_fmadd_ps(ai, w1, acc[i][1]);
            }
        }
    }
#pragma GCC unroll 12
    for (int i = 0; i < MR; i++) {
        _mm512_storeu_ps(c[i], acc[i][0]);
        _mm512_storeu_ps(c[i] + 16, acc[i][1]);
    }
}
