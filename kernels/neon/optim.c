/* NEON optimizer updates: AdamW as Keras applies it, and the EMA of the
 * weights. Both are memory-bound (AdamW streams four arrays), so they do the
 * ref's operations in the ref's order, unfused, and match it bit for bit. */
#include <math.h>
#include "neon.h"

/* One AdamW update of four parameters; param, m and v are updated in place.
 * alpha is the bias-corrected step size, decay = lr * weight_decay. */
static inline void adamw_f32x4(float32x4_t *param, float32x4_t grad, float32x4_t *m, float32x4_t *v,
                               float alpha, float decay, float beta1, float beta2, float epsilon)
{
    float32x4_t p = vsubq_f32(*param, vmulq_n_f32(*param, decay));
    *m = vaddq_f32(*m, vmulq_n_f32(vsubq_f32(grad, *m), 1.0f - beta1));
    *v = vaddq_f32(*v, vmulq_n_f32(vsubq_f32(vmulq_f32(grad, grad), *v), 1.0f - beta2));
    float32x4_t denominator = vaddq_f32(vsqrtq_f32(*v), vdupq_n_f32(epsilon));
    *param = vsubq_f32(p, vdivq_f32(vmulq_n_f32(*m, alpha), denominator));
}

void adamw_step_neon(size_t n, float *param, const float *grad, float *m, float *v,
                     float lr, float beta1, float beta2, float epsilon,
                     float weight_decay, long step)
{
    /* Bias corrections folded into the step size, as Keras does (see ref). */
    float alpha = lr * sqrtf(1.0f - powf(beta2, (float)step)) / (1.0f - powf(beta1, (float)step));
    float decay = lr * weight_decay;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t p = vld1q_f32(param + i), mi = vld1q_f32(m + i), vi = vld1q_f32(v + i);
        adamw_f32x4(&p, vld1q_f32(grad + i), &mi, &vi, alpha, decay, beta1, beta2, epsilon);
        vst1q_f32(param + i, p);
        vst1q_f32(m + i, mi);
        vst1q_f32(v + i, vi);
    }
    if (i < n) {
        size_t r = n - i;
        float32x4_t p = load_tail(r, param + i), mi = load_tail(r, m + i), vi = load_tail(r, v + i);
        adamw_f32x4(&p, load_tail(r, grad + i), &mi, &vi, alpha, decay, beta1, beta2, epsilon);
        store_tail(r, p, param + i);
        store_tail(r, mi, m + i);
        store_tail(r, vi, v + i);
    }
}

/* ema = decay ema + (1 - decay) param */
static inline float32x4_t ema_f32x4(float decay, float32x4_t param, float32x4_t ema)
{
    return vaddq_f32(vmulq_n_f32(ema, decay), vmulq_n_f32(param, 1.0f - decay));
}

void ema_update_neon(size_t n, float decay, const float *param, float *ema)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(ema + i, ema_f32x4(decay, vld1q_f32(param + i), vld1q_f32(ema + i)));
    if (i < n)
        store_tail(n - i, ema_f32x4(decay, load_tail(n - i, param + i), load_tail(n - i, ema + i)), ema + i);
}
