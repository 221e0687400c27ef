/* AVX-512 indirect GEMM microkernel for a single output column, 8 x 1 (see
 * kernels/igemm.h): the layers with one output channel (the networks' last
 * convolutions, and the input gradient of an image input), where a tile 32
 * columns wide would compute 31 columns of zeros. Each row is a dot product
 * over taps and channels, vectorised along the channels (masked tail) in
 * one accumulator per row and summed horizontally at the end. */
#include <immintrin.h>
#include "avx512.h"
#include "vector_math.h"

#define MR 8

void igemm_ukernel_8x1_avx512(size_t taps, size_t k, const float *const *a, const float *w,
                              float *const *c)
{
    __m512 acc[MR];
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++)
        acc[i] = _mm512_setzero_ps();
    for (size_t t = 0; t < taps; t++, a += MR, w += k) {
        size_t p = 0;
        for (; p + 16 <= k; p += 16) {
            const __m512 wv = _mm512_loadu_ps(w + p);
#pragma GCC unroll 8
            for (int i = 0; i < MR; i++)
                acc[i] = _mm512_fmadd_ps(_mm512_loadu_ps(a[i] + p), wv, acc[i]);
        }
        if (p < k) { /* the last k % 16 channels, masked */
            const __mmask16 m = tail_mask16(k - p);
            const __m512 wv = _mm512_maskz_loadu_ps(m, w + p);
#pragma GCC unroll 8
            for (int i = 0; i < MR; i++)
                acc[i] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a[i] + p), wv, acc[i]);
        }
    }
#pragma GCC unroll 8
    for (int i = 0; i < MR; i++)
        c[i][0] = hsum16(acc[i]);
}
