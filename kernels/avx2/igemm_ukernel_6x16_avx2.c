/* AVX2 indirect GEMM microkernel, 6 x 16 tile (see kernels/igemm.h): the
 * 6 x 2 accumulators use 12 of the 16 ymm registers, 2 more hold the row of
 * packed weights and 1 the broadcast. Each channel step does 12 FMAs against
 * 2 loads and 6 broadcasts, as the sgemm microkernel of the same tile; the
 * 6 rows are 6 pixels, each with its own row pointer per tap. */
#include <immintrin.h>
#include "avx2.h"

#define MR 6
#define NR 16

void igemm_ukernel_6x16_avx2(size_t taps, size_t k, const float *const *a, const float *w,
                             float *const *c)
{
    __m256 acc[MR][2];
#pragma GCC unroll 6
    for (int i = 0; i < MR; i++)
        acc[i][0] = acc[i][1] = _mm256_setzero_ps();
    for (size_t t = 0; t < taps; t++, a += MR) {
        const float *row[MR];
#pragma GCC unroll 6
        for (int i = 0; i < MR; i++)
            row[i] = a[i];
        for (size_t p = 0; p < k; p++, w += NR) {
            const __m256 w0 = _mm256_load_ps(w), w1 = _mm256_load_ps(w + 8);
#pragma GCC unroll 6
            for (int i = 0; i < MR; i++) {
                const __m256 ai = _mm256_broadcast_ss(row[i] + p);
                acc[i][0] = _mm256_fmadd_ps(ai, w0, acc[i][0]);
                acc[i][1] = _mm256_fmadd_ps(ai, w1, acc[i][1]);
            }
        }
    }
#pragma GCC unroll 6
    for (int i = 0; i < MR; i++) {
        _mm256_storeu_ps(c[i], acc[i][0]);
        _mm256_storeu_ps(c[i] + 8, acc[i][1]);
    }
}
