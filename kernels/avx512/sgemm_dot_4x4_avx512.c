/* AVX-512 dot-product microkernel for sgemm NT, 4 x 4 tile (see
 * kernels/sgemm_blocked.h): with B stored n x k, each element of C is the
 * dot product of a row of A and a row of B, both contiguous, so nothing is
 * packed. 16 zmm accumulators, one per element of the tile, each a
 * 16-lane partial sum along k; per 16 values of k, 8 loads feed 16 FMAs. */
#include <immintrin.h>
#include "avx512.h"
#include "vector_math.h"

void sgemm_dot_4x4_avx512(size_t k, const float *const *a, const float *const *b, float *out)
{
    __m512 acc[4][4];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++)
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++)
            acc[i][j] = _mm512_setzero_ps();
    size_t p = 0;
    for (; p + 16 <= k; p += 16) {
        __m512 bv[4];
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++)
            bv[j] = _mm512_loadu_ps(b[j] + p);
#pragma GCC unroll 4
        for (int i = 0; i < 4; i++) {
            const __m512 av = _mm512_loadu_ps(a[i] + p);
#pragma GCC unroll 4
            for (int j = 0; j < 4; j++)
                acc[i][j] = _mm512_fmadd_ps(av, bv[j], acc[i][j]);
        }
    }
    if (p < k) { /* the last k % 16, masked */
        const __mmask16 m = tail_mask16(k - p);
        __m512 bv[4];
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++)
            bv[j] = _mm512_maskz_loadu_ps(m, b[j] + p);
#pragma GCC unroll 4
        for (int i = 0; i < 4; i++) {
            const __m512 av = _mm512_maskz_loadu_ps(m, a[i] + p);
#pragma GCC unroll 4
            for (int j = 0; j < 4; j++)
                acc[i][j] = _mm512_fmadd_ps(av, bv[j], acc[i][j]);
        }
    }
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++)
#pragma GCC unroll 4
        for (int j = 0; j < 4; j++)
            out[i * 4 + j] = hsum16(acc[i][j]);
}
