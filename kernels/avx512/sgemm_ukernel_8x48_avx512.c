/* AVX-512 sgemm microkernel, 8 x 48 tile: the 8 x 3 accumulators use 24 of
 * the 32 zmm registers, 3 more hold the row of B and 1 the broadcast of A.
 * Each k step does 24 FMAs against 3 loads + 8 broadcasts, so the two FMA
 * pipes, not the load ports, are the bottleneck. 8 rows divide the batch
 * of 64 and the 784 pixels of MNIST, so the network's GEMMs waste no rows;
 * 48 columns leave at most one part-filled panel per row of tiles. */
#include <immintrin.h>
#include "avx512.h"

#define MR 8
#define NR 48
#define NV (NR / 16) /* zmm vectors per row of the tile */

/* a: k x 8 packed A panel, b: k x 48 packed B panel (see sgemm_blocked.h). */
void sgemm_ukernel_8x48_avx512(size_t k, const float *a, const float *b,
                               float *c, size_t ldc, int accumulate)
{
    __m512 acc[MR][NV];
    /* The pragmas unroll the row and vector loops fully so the accumulators
     * stay in registers (at -O2 gcc would otherwise keep them in memory). */
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++)
            acc[i][v] = _mm512_setzero_ps();
    for (size_t p = 0; p < k; p++) {
        __m512 bv[NV];
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++)
            bv[v] = _mm512_load_ps(b + 16 * v);
#pragma GCC unroll 8
        for (int i = 0; i < MR; i++) {
            const __m512 ai = _mm512_set1_ps(a[i]);
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++)
                acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);
        }
        a += MR;
        b += NR;
    }
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++) {
        float *ci = c + i * ldc;
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            if (accumulate)
                acc[i][v] = _mm512_add_ps(acc[i][v], _mm512_loadu_ps(ci + 16 * v));
            _mm512_storeu_ps(ci + 16 * v, acc[i][v]);
        }
    }
}
