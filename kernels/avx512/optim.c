/* AVX-512 optimizer updates, 16 floats per vector: AdamW as Keras applies
 * it, and the EMA. Each performs the reference's float operations in the
 * reference's order (no FMA contraction; these loops are memory-bound, so
 * fused multiply-adds would buy no speed), so results match
 * kernels/ref/optim.c bit for bit. */
#include <math.h>
#include "avx512.h"
#include "vector_math.h"

/* The per-call constants of an AdamW step, broadcast to every lane. */
struct adamw_coefficients {
    __m512 decay;           /* lr * weight_decay */
    __m512 one_minus_beta1; /* 1 - beta1 */
    __m512 one_minus_beta2; /* 1 - beta2 */
    __m512 alpha;           /* lr with both bias corrections folded in */
    __m512 epsilon;
};

/* One AdamW update of 16 parameters with their gradient and moments. */
static inline void adamw16(const struct adamw_coefficients *c, __m512 grad,
                           __m512 *param, __m512 *m, __m512 *v)
{
    *param = _mm512_sub_ps(*param, _mm512_mul_ps(c->decay, *param));
    *m = _mm512_add_ps(*m, _mm512_mul_ps(c->one_minus_beta1, _mm512_sub_ps(grad, *m)));
    *v = _mm512_add_ps(*v, _mm512_mul_ps(c->one_minus_beta2,
                                         _mm512_sub_ps(_mm512_mul_ps(grad, grad), *v)));
    __m512 denominator = _mm512_add_ps(_mm512_sqrt_ps(*v), c->epsilon);
    *param = _mm512_sub_ps(*param, _mm512_div_ps(_mm512_mul_ps(c->alpha, *m), denominator));
}

void adamw_step_avx512(size_t n, float *param, const float *grad, float *m, float *v,
                       float lr, float beta1, float beta2, float epsilon,
                       float weight_decay, long step)
{
    /* Once per call, in float, exactly as the reference computes it. */
    float alpha = lr * sqrtf(1.0f - powf(beta2, (float)step)) / (1.0f - powf(beta1, (float)step));
    const struct adamw_coefficients c = {
        .decay = _mm512_set1_ps(lr * weight_decay),
        .one_minus_beta1 = _mm512_set1_ps(1.0f - beta1),
        .one_minus_beta2 = _mm512_set1_ps(1.0f - beta2),
        .alpha = _mm512_set1_ps(alpha),
        .epsilon = _mm512_set1_ps(epsilon),
    };
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 p = _mm512_loadu_ps(param + i), mi = _mm512_loadu_ps(m + i), vi = _mm512_loadu_ps(v + i);
        adamw16(&c, _mm512_loadu_ps(grad + i), &p, &mi, &vi);
        _mm512_storeu_ps(param + i, p);
        _mm512_storeu_ps(m + i, mi);
        _mm512_storeu_ps(v + i, vi);
    }
    if (i < n) {
        __mmask16 mask = tail_mask16(n - i);
        __m512 p = _mm512_maskz_loadu_ps(mask, param + i), mi = _mm512_maskz_loadu_ps(mask, m + i),
               vi = _mm512_maskz_loadu_ps(mask, v + i);
        adamw16(&c, _mm512_maskz_loadu_ps(mask, grad + i), &p, &mi, &vi);
        _mm512_mask_storeu_ps(param + i, mask, p);
        _mm512_mask_storeu_ps(m + i, mask, mi);
        _mm512_mask_storeu_ps(v + i, mask, vi);
    }
}

/* decay * ema + (1 - decay) * param: two products, then their sum. */
static inline __m512 ema16(__m512 decay, __m512 one_minus_decay, __m512 param, __m512 ema)
{
    return _mm512_add_ps(_mm512_mul_ps(decay, ema), _mm512_mul_ps(one_minus_decay, param));
}

void ema_update_avx512(size_t n, float decay, const float *param, float *ema)
{
    const __m512 d = _mm512_set1_ps(decay), one_minus_d = _mm512_set1_ps(1.0f - decay);
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(ema + i, ema16(d, one_minus_d, _mm512_loadu_ps(param + i),
                                        _mm512_loadu_ps(ema + i)));
    if (i < n) {
        __mmask16 m = tail_mask16(n - i);
        _mm512_mask_storeu_ps(ema + i, m, ema16(d, one_minus_d, _mm512_maskz_loadu_ps(m, param + i),
                                                _mm512_maskz_loadu_ps(m, ema + i)));
    }
}
