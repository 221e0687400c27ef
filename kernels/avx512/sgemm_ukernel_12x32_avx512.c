/* AVX-512 sgemm microkernel, 12 x 32 tile: the 12 x 2 accumulators use 24
 * of the 32 zmm registers, 2 more hold the row of B. Each k step does 24
 * FMAs against 2 loads and 12 broadcasts (embedded in the FMAs). The
 * companion of the 8 x 48 tile for column counts that 32 divides and 48
 * does not: the 32- and 64-wide layers, where 8 x 48 tiles would compute a
 * third or a quarter of zeros. */
#include <immintrin.h>
#include "avx512.h"

#define MR 12
#define NR 32

/* a: k x 12 packed A panel, b: k x 32 packed B panel (see sgemm_blocked.h). */
void sgemm_ukernel_12x32_avx512(size_t k, const float *a, const float *b,
                                float *c, size_t ldc, int accumulate)
{
    __m512 acc[MR][2];
#pragma GCC unroll 12
    for (int i = 0; i < MR; i++)
        acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (size_t p = 0; p < k; p++, a += MR, b += NR) {
        const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 12
        for (int i = 0; i < MR; i++) {
            const __m512 ai = _mm512_set1_ps(a[i]);
            acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
        }
    }
#pragma GCC unroll 12
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
