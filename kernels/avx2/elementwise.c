/* AVX2 elementwise ops, activations and reductions, 8 floats per vector.
 * Every loop runs over whole vectors and finishes with one masked vector for
 * the last n % 8 floats. Results match kernels/ref/elementwise.c bit for bit
 * with two exceptions: SLEEF's vector expf sometimes rounds differently from
 * its scalar one, which moves sigmoid by up to 2 ulp and swish and the swish
 * derivative by a few ulp; and sum and mean add in float, in another order
 * than the reference's double loop. */
#include "avx2.h"
#include "vector_math.h"

/* x where x > 0, else +0 (also for -0 and NaN, as the reference). */
static inline __m256 relu8(__m256 x)
{
    return _mm256_and_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ), x);
}

static inline __m256 swish8(__m256 x)
{
    return _mm256_mul_ps(x, sigmoid8(x));
}

static inline __m256 activation8(enum activation act, __m256 x)
{
    switch (act) {
    case ACTIVATION_RELU:    return relu8(x);
    case ACTIVATION_SIGMOID: return sigmoid8(x);
    case ACTIVATION_SWISH:   return swish8(x);
    case ACTIVATION_NONE:    break;
    }
    return x;
}

void add_avx2(size_t n, const float *x, const float *y, float *out)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_add_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(out + i, m, _mm256_add_ps(_mm256_maskload_ps(x + i, m),
                                                      _mm256_maskload_ps(y + i, m)));
    }
}

void mul_avx2(size_t n, const float *x, const float *y, float *out)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(out + i, m, _mm256_mul_ps(_mm256_maskload_ps(x + i, m),
                                                      _mm256_maskload_ps(y + i, m)));
    }
}

void scale_avx2(size_t n, float alpha, const float *x, float *out)
{
    const __m256 a = _mm256_set1_ps(alpha);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(out + i, _mm256_mul_ps(a, _mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(out + i, m, _mm256_mul_ps(a, _mm256_maskload_ps(x + i, m)));
    }
}

void relu_avx2(size_t n, const float *x, float *y)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, relu8(_mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(y + i, m, relu8(_mm256_maskload_ps(x + i, m)));
    }
}

void sigmoid_avx2(size_t n, const float *x, float *y)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, sigmoid8(_mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(y + i, m, sigmoid8(_mm256_maskload_ps(x + i, m)));
    }
}

void swish_avx2(size_t n, const float *x, float *y)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, swish8(_mm256_loadu_ps(x + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(y + i, m, swish8(_mm256_maskload_ps(x + i, m)));
    }
}

/* dy where x > 0, else 0. */
static inline __m256 relu_grad8(__m256 x, __m256 dy)
{
    return _mm256_and_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ), dy);
}

/* dy y (1 - y), multiplied in the reference's order. */
static inline __m256 sigmoid_grad8(__m256 y, __m256 dy)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    return _mm256_mul_ps(_mm256_mul_ps(dy, y), _mm256_sub_ps(one, y));
}

/* dy s (1 + x (1 - s)) with s = sigmoid(x), in the reference's order. */
static inline __m256 swish_grad8(__m256 x, __m256 dy)
{
    const __m256 one = _mm256_set1_ps(1.0f);
    __m256 s = sigmoid8(x);
    __m256 slope = _mm256_add_ps(one, _mm256_mul_ps(x, _mm256_sub_ps(one, s)));
    return _mm256_mul_ps(_mm256_mul_ps(dy, s), slope);
}

void relu_backward_avx2(size_t n, const float *x, const float *dy, float *dx)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dx + i, relu_grad8(_mm256_loadu_ps(x + i), _mm256_loadu_ps(dy + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(dx + i, m, relu_grad8(_mm256_maskload_ps(x + i, m),
                                                  _mm256_maskload_ps(dy + i, m)));
    }
}

void sigmoid_backward_avx2(size_t n, const float *y, const float *dy, float *dx)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dx + i, sigmoid_grad8(_mm256_loadu_ps(y + i), _mm256_loadu_ps(dy + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(dx + i, m, sigmoid_grad8(_mm256_maskload_ps(y + i, m),
                                                     _mm256_maskload_ps(dy + i, m)));
    }
}

void swish_backward_avx2(size_t n, const float *x, const float *dy, float *dx)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dx + i, swish_grad8(_mm256_loadu_ps(x + i), _mm256_loadu_ps(dy + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(dx + i, m, swish_grad8(_mm256_maskload_ps(x + i, m),
                                                   _mm256_maskload_ps(dy + i, m)));
    }
}

/* Four accumulators: the adds of one accumulator form a dependency chain,
 * and four chains keep both FP add pipes busy. They also split the sum into
 * 32 partial sums of n / 32 terms each, which keeps the float rounding error
 * far below that of one running sum. */
float sum_avx2(size_t n, const float *x)
{
    __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm256_add_ps(acc0, _mm256_loadu_ps(x + i));
        acc1 = _mm256_add_ps(acc1, _mm256_loadu_ps(x + i + 8));
        acc2 = _mm256_add_ps(acc2, _mm256_loadu_ps(x + i + 16));
        acc3 = _mm256_add_ps(acc3, _mm256_loadu_ps(x + i + 24));
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_add_ps(acc0, _mm256_loadu_ps(x + i));
    if (i < n)
        acc1 = _mm256_add_ps(acc1, _mm256_maskload_ps(x + i, tail_mask8(n - i)));
    return hsum8(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
}

/* Divides in double, as the reference does, so an exact sum gives the
 * reference's mean bit for bit. */
float mean_avx2(size_t n, const float *x)
{
    return n ? (float)((double)sum_avx2(n, x) / (double)n) : 0.0f;
}

/* The sgemm epilogue over one row of C. act and bias are the same for the
 * whole row, so their branches are always predicted. */
void bias_activation_avx2(size_t n, const float *bias, float *row, enum activation act)
{
    if (!bias && act == ACTIVATION_NONE)
        return; /* nothing to do: skip the pass over the row */
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 x = _mm256_loadu_ps(row + i);
        if (bias)
            x = _mm256_add_ps(x, _mm256_loadu_ps(bias + i));
        _mm256_storeu_ps(row + i, activation8(act, x));
    }
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        __m256 x = _mm256_maskload_ps(row + i, m);
        if (bias)
            x = _mm256_add_ps(x, _mm256_maskload_ps(bias + i, m));
        _mm256_maskstore_ps(row + i, m, activation8(act, x));
    }
}
