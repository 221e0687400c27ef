/* AVX2 losses and their gradients, 8 floats per vector. The losses sum in
 * four float vector accumulators (see sum_avx2) where the reference sums in
 * double; the gradients match kernels/ref/loss.c bit for bit. */
#include "avx2.h"
#include "vector_math.h"

/* |pred - target|: the difference with its sign bit cleared. */
static inline __m256 abs_diff8(__m256 pred, __m256 target)
{
    return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), _mm256_sub_ps(pred, target));
}

/* acc + (pred - target)^2, the square and the add rounded once (FMA). */
static inline __m256 add_square_diff8(__m256 acc, __m256 pred, __m256 target)
{
    __m256 d = _mm256_sub_ps(pred, target);
    return _mm256_fmadd_ps(d, d, acc);
}

float mae_loss_avx2(size_t n, const float *pred, const float *target)
{
    if (n == 0)
        return 0.0f;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const float *p = pred + i, *t = target + i;
        acc0 = _mm256_add_ps(acc0, abs_diff8(_mm256_loadu_ps(p), _mm256_loadu_ps(t)));
        acc1 = _mm256_add_ps(acc1, abs_diff8(_mm256_loadu_ps(p + 8), _mm256_loadu_ps(t + 8)));
        acc2 = _mm256_add_ps(acc2, abs_diff8(_mm256_loadu_ps(p + 16), _mm256_loadu_ps(t + 16)));
        acc3 = _mm256_add_ps(acc3, abs_diff8(_mm256_loadu_ps(p + 24), _mm256_loadu_ps(t + 24)));
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_add_ps(acc0, abs_diff8(_mm256_loadu_ps(pred + i), _mm256_loadu_ps(target + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        __m256 d = abs_diff8(_mm256_maskload_ps(pred + i, m),
                             _mm256_maskload_ps(target + i, m));
        acc1 = _mm256_add_ps(acc1, d);
    }
    float total = hsum8(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    return (float)((double)total / (double)n);
}

float mse_loss_avx2(size_t n, const float *pred, const float *target)
{
    if (n == 0)
        return 0.0f;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const float *p = pred + i, *t = target + i;
        acc0 = add_square_diff8(acc0, _mm256_loadu_ps(p), _mm256_loadu_ps(t));
        acc1 = add_square_diff8(acc1, _mm256_loadu_ps(p + 8), _mm256_loadu_ps(t + 8));
        acc2 = add_square_diff8(acc2, _mm256_loadu_ps(p + 16), _mm256_loadu_ps(t + 16));
        acc3 = add_square_diff8(acc3, _mm256_loadu_ps(p + 24), _mm256_loadu_ps(t + 24));
    }
    for (; i + 8 <= n; i += 8)
        acc0 = add_square_diff8(acc0, _mm256_loadu_ps(pred + i), _mm256_loadu_ps(target + i));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        acc1 = add_square_diff8(acc1, _mm256_maskload_ps(pred + i, m),
                                _mm256_maskload_ps(target + i, m));
    }
    float total = hsum8(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    return (float)((double)total / (double)n);
}

/* up where pred > target, down where pred < target, else +0 (equal, or a NaN). */
static inline __m256 sign_select8(__m256 pred, __m256 target, __m256 up, __m256 down)
{
    __m256 above = _mm256_and_ps(_mm256_cmp_ps(pred, target, _CMP_GT_OQ), up);
    __m256 below = _mm256_and_ps(_mm256_cmp_ps(pred, target, _CMP_LT_OQ), down);
    return _mm256_or_ps(above, below);
}

void mae_loss_backward_avx2(size_t n, const float *pred, const float *target,
                            float dloss, float *dpred)
{
    float g = dloss / (float)n;
    const __m256 up = _mm256_set1_ps(g), down = _mm256_set1_ps(-g);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dpred + i, sign_select8(_mm256_loadu_ps(pred + i),
                                                 _mm256_loadu_ps(target + i), up, down));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        __m256 p = _mm256_maskload_ps(pred + i, m), t = _mm256_maskload_ps(target + i, m);
        _mm256_maskstore_ps(dpred + i, m, sign_select8(p, t, up, down));
    }
}

void mse_loss_backward_avx2(size_t n, const float *pred, const float *target,
                            float dloss, float *dpred)
{
    const __m256 g = _mm256_set1_ps(2.0f * dloss / (float)n);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(pred + i), _mm256_loadu_ps(target + i));
        _mm256_storeu_ps(dpred + i, _mm256_mul_ps(g, d));
    }
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        __m256 p = _mm256_maskload_ps(pred + i, m), t = _mm256_maskload_ps(target + i, m);
        __m256 d = _mm256_sub_ps(p, t);
        _mm256_maskstore_ps(dpred + i, m, _mm256_mul_ps(g, d));
    }
}
