/* AVX-512 losses and their gradients, 16 floats per vector. The losses sum
 * in four float vector accumulators (see sum_avx512) where the reference sums
 * in double; the gradients match kernels/ref/loss.c bit for bit. */
#include "avx512.h"
#include "vector_math.h"

/* |pred - target|: the difference with its sign bit cleared. */
static inline __m512 abs_diff16(__m512 pred, __m512 target)
{
    return _mm512_abs_ps(_mm512_sub_ps(pred, target));
}

/* acc + (pred - target)^2, the square and the add rounded once (FMA). */
static inline __m512 add_square_diff16(__m512 acc, __m512 pred, __m512 target)
{
    __m512 d = _mm512_sub_ps(pred, target);
    return _mm512_fmadd_ps(d, d, acc);
}

float mae_loss_avx512(size_t n, const float *pred, const float *target)
{
    if (n == 0)
        return 0.0f;
    __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const float *p = pred + i, *t = target + i;
        acc0 = _mm512_add_ps(acc0, abs_diff16(_mm512_loadu_ps(p), _mm512_loadu_ps(t)));
        acc1 = _mm512_add_ps(acc1, abs_diff16(_mm512_loadu_ps(p + 16), _mm512_loadu_ps(t + 16)));
        acc2 = _mm512_add_ps(acc2, abs_diff16(_mm512_loadu_ps(p + 32), _mm512_loadu_ps(t + 32)));
        acc3 = _mm512_add_ps(acc3, abs_diff16(_mm512_loadu_ps(p + 48), _mm512_loadu_ps(t + 48)));
    }
    for (; i + 16 <= n; i += 16)
        acc0 = _mm512_add_ps(acc0, abs_diff16(_mm512_loadu_ps(pred + i), _mm512_loadu_ps(target + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        __m512 d = abs_diff16(_mm512_maskz_loadu_ps(m, pred + i),
                              _mm512_maskz_loadu_ps(m, target + i));
        acc1 = _mm512_add_ps(acc1, d);
    }
    float total = hsum16(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
    return (float)((double)total / (double)n);
}

float mse_loss_avx512(size_t n, const float *pred, const float *target)
{
    if (n == 0)
        return 0.0f;
    __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const float *p = pred + i, *t = target + i;
        acc0 = add_square_diff16(acc0, _mm512_loadu_ps(p), _mm512_loadu_ps(t));
        acc1 = add_square_diff16(acc1, _mm512_loadu_ps(p + 16), _mm512_loadu_ps(t + 16));
        acc2 = add_square_diff16(acc2, _mm512_loadu_ps(p + 32), _mm512_loadu_ps(t + 32));
        acc3 = add_square_diff16(acc3, _mm512_loadu_ps(p + 48), _mm512_loadu_ps(t + 48));
    }
    for (; i + 16 <= n; i += 16)
        acc0 = add_square_diff16(acc0, _mm512_loadu_ps(pred + i), _mm512_loadu_ps(target + i));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        acc1 = add_square_diff16(acc1, _mm512_maskz_loadu_ps(m, pred + i),
                                 _mm512_maskz_loadu_ps(m, target + i));
    }
    float total = hsum16(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
    return (float)((double)total / (double)n);
}

/* up where pred > target, down where pred < target, else +0 (equal, or a NaN). */
static inline __m512 sign_select16(__m512 pred, __m512 target, __m512 up, __m512 down)
{
    __m512 above = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(pred, target, _CMP_GT_OQ), up);
    return _mm512_mask_mov_ps(above, _mm512_cmp_ps_mask(pred, target, _CMP_LT_OQ), down);
}

void mae_loss_backward_avx512(size_t n, const float *pred, const float *target,
                              float dloss, float *dpred)
{
    float g = dloss / (float)n;
    const __m512 up = _mm512_set1_ps(g), down = _mm512_set1_ps(-g);
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(dpred + i, sign_select16(_mm512_loadu_ps(pred + i),
                                                  _mm512_loadu_ps(target + i), up, down));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        __m512 p = _mm512_maskz_loadu_ps(m, pred + i), t = _mm512_maskz_loadu_ps(m, target + i);
        _mm512_mask_storeu_ps(dpred + i, m, sign_select16(p, t, up, down));
    }
}

void mse_loss_backward_avx512(size_t n, const float *pred, const float *target,
                              float dloss, float *dpred)
{
    const __m512 g = _mm512_set1_ps(2.0f * dloss / (float)n);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(pred + i), _mm512_loadu_ps(target + i));
        _mm512_storeu_ps(dpred + i, _mm512_mul_ps(g, d));
    }
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        __m512 p = _mm512_maskz_loadu_ps(m, pred + i), t = _mm512_maskz_loadu_ps(m, target + i);
        __m512 d = _mm512_sub_ps(p, t);
        _mm512_mask_storeu_ps(dpred + i, m, _mm512_mul_ps(g, d));
    }
}
