/* Scalar reference optimizer updates: AdamW as Keras applies it, and the EMA. */
#include <math.h>
#include "ref.h"

void adamw_step_ref(size_t n, float *param, const float *grad, float *m, float *v,
                    float lr, float beta1, float beta2, float epsilon,
                    float weight_decay, long step)
{
    /* Bias corrections folded into the step size, as Keras does; epsilon is
     * added to the uncorrected sqrt(v). */
    float alpha = lr * sqrtf(1.0f - powf(beta2, (float)step)) / (1.0f - powf(beta1, (float)step));
    float decay = lr * weight_decay;
    for (size_t i = 0; i < n; i++) {
        param[i] -= decay * param[i];
        m[i] += (1.0f - beta1) * (grad[i] - m[i]);
        v[i] += (1.0f - beta2) * (grad[i] * grad[i] - v[i]);
        param[i] -= alpha * m[i] / (sqrtf(v[i]) + epsilon);
    }
}

void ema_update_ref(size_t n, float decay, const float *param, float *ema)
{
    for (size_t i = 0; i < n; i++)
        ema[i] = decay * ema[i] + (1.0f - decay) * param[i];
}
