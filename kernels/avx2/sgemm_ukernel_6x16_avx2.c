/* AVX2 sgemm microkernel, 6 x 16 tile: the 6 x 2 accumulators use 12 of the
 * 16 ymm registers, leaving 2 for the row of B and 1 for the broadcast of
 * A. Each k step does 12 FMAs against 2 loads + 6 broadcasts, so the two
 * FMA pipes, not the load ports, are the bottleneck. */
#include <immintrin.h>
#include "avx2.h"

#define MR 6
#define NR 16

/* a: k x 6 packed A panel, b: k x 16 packed B panel (see sgemm_blocked.h). */
void sgemm_ukernel_6x16_avx2(size_t k, const float *a, const float *b,
                             float *c, size_t ldc, int accumulate)
{
    __m256 acc[MR][2];
    /* The pragmas unroll the row loops fully so the accumulators stay in
     * registers (at -O2 gcc would otherwise keep the array in memory). */
#pragma GCC unroll 6
    for (int i = 0; i < MR; i++) {
        acc[i][0] = _mm256_setzero_ps();
        acc[i][1] = _mm256_setzero_ps();
    }
    for (size_t p = 0; p < k; p++) {
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
        for (int i = 0; i < MR; i++) {
            const __m256 ai = _mm256_broadcast_ss(a + i);
            acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
        }
        a += MR;
        b += NR;
    }
#pragma GCC unroll 6
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
