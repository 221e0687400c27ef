/* Small AVX2 helpers shared by the elementwise, loss and optimizer kernels of
 * this directory: the mask of a partial last vector, a horizontal sum and the
 * sigmoid. Static inline, so each kernel's loop is compiled around them. */
#ifndef DDIM_KERNELS_AVX2_VECTOR_MATH_H
#define DDIM_KERNELS_AVX2_VECTOR_MATH_H

#include <immintrin.h>
#include <stddef.h>
#include <sleef.h>

/* Mask of the last, partial vector of an array: lane l is on when
 * l < remaining (1 <= remaining < 8). _mm256_maskload_ps reads masked-off
 * lanes as 0 without touching memory, and _mm256_maskstore_ps leaves them
 * unwritten, so no kernel reads or writes past the end of its arrays. */
static inline __m256i tail_mask8(size_t remaining)
{
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)remaining), lane);
}

/* x[0] + ... + x[7], always in the same order (the two halves, then pairs),
 * so that reductions give the same result on every run. */
static inline float hsum8(__m256 x)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* 1 / (1 + e^-x) through SLEEF's 1-ulp vector expf: the formula of the
 * scalar reference. For x below about -88, e^-x overflows to +inf and the
 * result is 0, as in the reference. */
static inline __m256 sigmoid8(__m256 x)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    __m256 e = Sleef_expf8_u10avx2(_mm256_sub_ps(_mm256_setzero_ps(), x));
    return _mm256_div_ps(one, _mm256_add_ps(one, e));
}

#endif
