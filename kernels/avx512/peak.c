/* AVX-512 FMA peak. Zen 5 issues two 512-bit FMAs per cycle with a 4-cycle
 * latency, so at least 2 x 4 = 8 independent accumulator chains are in
 * flight at once; 12 leave margin for cores with longer latency. */
#include <immintrin.h>
#include "avx512.h"

#define CHAINS 12

double fma_peak_avx512(long iterations, float *sink)
{
    __m512 acc[CHAINS];
    for (int c = 0; c < CHAINS; c++)
        acc[c] = _mm512_set1_ps((float)c);
    /* acc = acc * a + b stays finite and normal for any iteration count. */
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
    for (long it = 0; it < iterations; it++)
        /* Unrolled so that every chain lives in its own register. */
#pragma GCC unroll 12 /* CHAINS; the pragma does not expand macros */
        for (int c = 0; c < CHAINS; c++)
            acc[c] = _mm512_fmadd_ps(acc[c], a, b);
    __m512 total = acc[0];
    for (int c = 1; c < CHAINS; c++)
        total = _mm512_add_ps(total, acc[c]);
    *sink = _mm512_reduce_add_ps(total);
    return 2.0 * 16 * CHAINS * (double)iterations;
}
