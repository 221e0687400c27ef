/* AVX2 FMA peak. Zen 5 issues two FMAs per cycle with a 4-cycle latency, so
 * at least 2 x 4 = 8 independent accumulator chains are in flight at once;
 * 12 leave margin for cores with longer latency or more pipes. */
#include <immintrin.h>
#include "avx2.h"

#define CHAINS 12

double fma_peak_avx2(long iterations, float *sink)
{
    __m256 acc[CHAINS];
    for (int c = 0; c < CHAINS; c++)
        acc[c] = _mm256_set1_ps((float)c);
    /* acc = acc * a + b stays finite and normal for any iteration count. */
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    for (long it = 0; it < iterations; it++)
        /* Unrolled so that every chain lives in its own register. */
#pragma GCC unroll 12 /* CHAINS; the pragma does not expand macros */
        for (int c = 0; c < CHAINS; c++)
            acc[c] = _mm256_fmadd_ps(acc[c], a, b);
    __m256 total = acc[0];
    for (int c = 1; c < CHAINS; c++)
        total = _mm256_add_ps(total, acc[c]);
    float lanes[8];
    _mm256_storeu_ps(lanes, total);
    *sink = lanes[0];
    return 2.0 * 8 * CHAINS * (double)iterations;
}
