/* AVX2 optimizer updates, 8 floats per vector: AdamW as Keras applies it,
 * and the EMA. Each performs the reference's float operations in the
 * reference's order (no FMA contraction; these loops are memory-bound, so
 * fused multiply-adds would buy no speed), so results match
 * kernels/ref/optim.c bit for bit. */
#include <math.h>
#include "avx2.h"
#include "vector_math.h"

/* The per-call constants of an AdamW step, broadcast to every lane. */
struct adamw_coefficients {
    __m256 decay;           /* lr * weight_decay */
    __m256 one_minus_beta1; /* 1 - beta1 */
    __m256 one_minus_beta2; /* 1 - beta2 */
    __m256 alpha;           /* lr with both bias corrections folded in */
    __m256 epsilon;
};

/* One AdamW update of 8 parameters with their gradient and moments. */
static inline void adamw8(const struct adamw_coefficients *c, __m256 grad,
                          __m256 *param, __m256 *m, __m256 *v)
{
    *param = _mm256_sub_ps(*param, _mm256_mul_ps(c->decay, *param));
    *m = _mm256_add_ps(*m, _mm256_mul_ps(c->one_minus_beta1, _mm256_sub_ps(grad, *m)));
    *v = _mm256_add_ps(*v, _mm256_mul_ps(c->one_minus_beta2,
                                         _mm256_sub_ps(_mm256_mul_ps(grad, grad), *v)));
    __m256 denominator = _mm256_add_ps(_mm256_sqrt_ps(*v), c->epsilon);
    *param = _mm256_sub_ps(*param, _mm256_div_ps(_mm256_mul_ps(c->alpha, *m), denominator));
}

void adamw_step_avx2(size_t n, float *param, const float *grad, float *m, float *v,
                     float lr, float beta1, float beta2, float epsilon,
                     float weight_decay, long step)
{
    /* Once per call, in float, exactly as the reference computes it. */
    float alpha = lr * sqrtf(1.0f - powf(beta2, (float)step)) / (1.0f - powf(beta1, (float)step));
    const struct adamw_coefficients c = {
        .decay = _mm256_set1_ps(lr * weight_decay),
        .one_minus_beta1 = _mm256_set1_ps(1.0f - beta1),
        .one_minus_beta2 = _mm256_set1_ps(1.0f - beta2),
        .alpha = _mm256_set1_ps(alpha),
        .epsilon = _mm256_set1_ps(epsilon),
    };
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 p = _mm256_loadu_ps(param + i), mi = _mm256_loadu_ps(m + i), vi = _mm256_loadu_ps(v + i);
        adamw8(&c, _mm256_loadu_ps(grad + i), &p, &mi, &vi);
        _mm256_storeu_ps(param + i, p);
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
    }
    if (i < n) {
        __m256i mask = tail_mask8(n - i);
        __m256 p = _mm256_maskload_ps(param + i, mask), mi = _mm256_maskload_ps(m + i, mask),
               vi = _mm256_maskload_ps(v + i, mask);
        adamw8(&c, _mm256_maskload_ps(grad + i, mask), &p, &mi, &vi);
        _mm256_maskstore_ps(param + i, mask, p);
        _mm256_maskstore_ps(m + i, mask, mi);
        _mm256_maskstore_ps(v + i, mask, vi);
    }
}

/* decay * ema + (1 - decay) * param: two products, then their sum. */
static inline __m256 ema8(__m256 decay, __m256 one_minus_decay, __m256 param, __m256 ema)
{
    return _mm256_add_ps(_mm256_mul_ps(decay, ema), _mm256_mul_ps(one_minus_decay, param));
}

void ema_update_avx2(size_t n, float decay, const float *param, float *ema)
{
    const __m256 d = _mm256_set1_ps(decay), one_minus_d = _mm256_set1_ps(1.0f - decay);
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(ema + i, ema8(d, one_minus_d, _mm256_loadu_ps(param + i),
                                       _mm256_loadu_ps(ema + i)));
    if (i < n) {
        __m256i m = tail_mask8(n - i);
        _mm256_maskstore_ps(ema + i, m, ema8(d, one_minus_d, _mm256_maskload_ps(param + i, m),
                                             _mm256_maskload_ps(ema + i, m)));
    }
}
