/* Small AVX-512 helpers shared by the elementwise, loss and optimizer kernels
 * of this directory: the mask of a partial last vector and the sigmoid.
 * Static inline, so each kernel's loop is compiled around them. AVX-512F
 * only: no BW, DQ or VL instructions. */
#ifndef DDIM_KERNELS_AVX512_VECTOR_MATH_H
#define DDIM_KERNELS_AVX512_VECTOR_MATH_H

#include <immintrin.h>
#include <stddef.h>
#include <sleef.h>

/* Mask of the last, partial vector of an array: bit l is set when
 * l < remaining (1 <= remaining < 16). _mm512_maskz_loadu_ps reads masked-off
 * lanes as 0 without touching memory, and _mm512_mask_storeu_ps leaves them
 * unwritten, so no kernel reads or writes past the end of its arrays. */
static inline __mmask16 tail_mask16(size_t remaining)
{
    return (__mmask16)((1u << remaining) - 1u);
}

/* x[0] + ... + x[15], always in the same order (halves, quarters, then
 * pairs: _mm512_reduce_add_ps is a fixed sequence of shuffles and adds), so
 * that reductions give the same result on every run. */
static inline float hsum16(__m512 x)
{
    return _mm512_reduce_add_ps(x);
}

/* 1 / (1 + e^-x) through SLEEF's 1-ulp vector expf: the formula of the
 * scalar reference. For x below about -88, e^-x overflows to +inf and the
 * result is 0, as in the reference. */
static inline __m512 sigmoid16(__m512 x)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 e = Sleef_expf16_u10avx512f(_mm512_sub_ps(_mm512_setzero_ps(), x));
    return _mm512_div_ps(one, _mm512_add_ps(one, e));
}

#endif
