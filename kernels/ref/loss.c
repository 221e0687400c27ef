/* Scalar reference losses and their gradients. */
#include <math.h>
#include "ref.h"

float mae_loss_ref(size_t n, const float *pred, const float *target)
{
    double acc = 0.0;
    for (size_t i = 0; i < n; i++)
        acc += fabs((double)pred[i] - target[i]);
    return n ? (float)(acc / (double)n) : 0.0f;
}

float mse_loss_ref(size_t n, const float *pred, const float *target)
{
    double acc = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = (double)pred[i] - target[i];
        acc += d * d;
    }
    return n ? (float)(acc / (double)n) : 0.0f;
}

void mae_loss_backward_ref(size_t n, const float *pred, const float *target,
                           float dloss, float *dpred)
{
    float g = dloss / (float)n;
    for (size_t i = 0; i < n; i++)
        dpred[i] = pred[i] > target[i] ? g : pred[i] < target[i] ? -g : 0.0f;
}

void mse_loss_backward_ref(size_t n, const float *pred, const float *target,
                           float dloss, float *dpred)
{
    float g = 2.0f * dloss / (float)n;
    for (size_t i = 0; i < n; i++)
        dpred[i] = g * (pred[i] - target[i]);
}
