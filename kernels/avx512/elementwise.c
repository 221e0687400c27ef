/* AVX-512 elementwise ops, activations and reductions, 16 floats per vector.
 * Every loop runs over whole vectors and finishes with one masked vector for
 * the last n % 16 floats. Results match kernels/ref/elementwise.c bit for
 * bit with two exceptions: SLEEF's vector expf sometimes rounds differently
 * from its scalar one, which moves sigmoid by up to 2 ulp and swish and the
 * swish derivative by a few ulp; and sum and mean add in float, in another
 * order than the reference's double loop. */
#include "avx512.h"
#include "vector_math.h"

/* x where x > 0, else +0 (also for -0 and NaN, as the reference). */
static inline __m512 relu16(__m512 x)
{
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), x);
}

static inline __m512 swish16(__m512 x)
{
    return _mm512_mul_ps(x, sigmoid16(x));
}

static inline __m512 activation16(enum activation act, __m512 x)
{
    switch (act) {
    case ACTIVATION_RELU:    return relu16(x);
    case ACTIVATION_SIGMOID: return sigmoid16(x);
    case ACTIVATION_SWISH:   return swish16(x);
    case ACTIVATION_NONE:    break;
    }
    return x;
}

void add_avx512(size_t n, const float *x, const float *y, float *out)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(out + i, _mm512_add_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(out + i, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, x + i),
                                                        _mm512_maskz_loadu_ps(m, y + i)));
    }
}

void mul_avx512(size_t n, const float *x, const float *y, float *out)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(out + i, _mm512_mul_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(out + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + i),
                                                        _mm512_maskz_loadu_ps(m, y + i)));
    }
}

void scale_avx512(size_t n, float alpha, const float *x, float *out)
{
    const __m512 a = _mm512_set1_ps(alpha);
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(out + i, _mm512_mul_ps(a, _mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(out + i, m, _mm512_mul_ps(a, _mm512_maskz_loadu_ps(m, x + i)));
    }
}

void relu_avx512(size_t n, const float *x, float *y)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, relu16(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(y + i, m, relu16(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

void sigmoid_avx512(size_t n, const float *x, float *y)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, sigmoid16(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(y + i, m, sigmoid16(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

void swish_avx512(size_t n, const float *x, float *y)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, swish16(_mm512_loadu_ps(x + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(y + i, m, swish16(_mm512_maskz_loadu_ps(m, x + i)));
    }
}

/* dy where x > 0, else 0. */
static inline __m512 relu_grad16(__m512 x, __m512 dy)
{
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), dy);
}

/* dy y (1 - y), multiplied in the reference's order. */
static inline __m512 sigmoid_grad16(__m512 y, __m512 dy)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    return _mm512_mul_ps(_mm512_mul_ps(dy, y), _mm512_sub_ps(one, y));
}

/* dy s (1 + x (1 - s)) with s = sigmoid(x), in the reference's order. */
static inline __m512 swish_grad16(__m512 x, __m512 dy)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 s = sigmoid16(x);
    __m512 slope = _mm512_add_ps(one, _mm512_mul_ps(x, _mm512_sub_ps(one, s)));
    return _mm512_mul_ps(_mm512_mul_ps(dy, s), slope);
}

void relu_backward_avx512(size_t n, const float *x, const float *dy, float *dx)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(dx + i, relu_grad16(_mm512_loadu_ps(x + i), _mm512_loadu_ps(dy + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(dx + i, m, relu_grad16(_mm512_maskz_loadu_ps(m, x + i),
                                                     _mm512_maskz_loadu_ps(m, dy + i)));
    }
}

void sigmoid_backward_avx512(size_t n, const float *y, const float *dy, float *dx)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(dx + i, sigmoid_grad16(_mm512_loadu_ps(y + i), _mm512_loadu_ps(dy + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(dx + i, m, sigmoid_grad16(_mm512_maskz_loadu_ps(m, y + i),
                                                        _mm512_maskz_loadu_ps(m, dy + i)));
    }
}

void swish_backward_avx512(size_t n, const float *x, const float *dy, float *dx)
{
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(dx + i, swish_grad16(_mm512_loadu_ps(x + i), _mm512_loadu_ps(dy + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(dx + i, m, swish_grad16(_mm512_maskz_loadu_ps(m, x + i),
                                                      _mm512_maskz_loadu_ps(m, dy + i)));
    }
}

/* Four accumulators: the adds of one accumulator form a dependency chain,
 * and four chains keep both FP add pipes busy. They also split the sum into
 * 64 partial sums of n / 64 terms each, which keeps the float rounding error
 * far below that of one running sum. */
float sum_avx512(size_t n, const float *x)
{
    __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        acc0 = _mm512_add_ps(acc0, _mm512_loadu_ps(x + i));
        acc1 = _mm512_add_ps(acc1, _mm512_loadu_ps(x + i + 16));
        acc2 = _mm512_add_ps(acc2, _mm512_loadu_ps(x + i + 32));
        acc3 = _mm512_add_ps(acc3, _mm512_loadu_ps(x + i + 48));
    }
    for (; i + 16 <= n; i += 16)
        acc0 = _mm512_add_ps(acc0, _mm512_loadu_ps(x + i));
    if (i < n)
        acc1 = _mm512_add_ps(acc1, _mm512_maskz_loadu_ps(tail_mask16(n - i), x + i));
    return hsum16(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
}

/* Divides in double, as the reference does, so an exact sum gives the
 * reference's mean bit for bit. */
float mean_avx512(size_t n, const float *x)
{
    return n ? (float)((double)sum_avx512(n, x) / (double)n) : 0.0f;
}

/* The sgemm epilogue over one row of C. act and bias are the same for the
 * whole row, so their branches are always predicted. */
void bias_activation_avx512(size_t n, const float *bias, float *row, enum activation act)
{
    if (!bias && act == ACTIVATION_NONE)
        return; /* nothing to do: skip the pass over the row */
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 x = _mm512_loadu_ps(row + i);
        if (bias)
            x = _mm512_add_ps(x, _mm512_loadu_ps(bias + i));
        _mm512_storeu_ps(row + i, activation16(act, x));
    }
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        __m512 x = _mm512_maskz_loadu_ps(m, row + i);
        if (bias)
            x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(m, bias + i));
        _mm512_mask_storeu_ps(row + i, m, activation16(act, x));
    }
}
