/* Scalar reference elementwise ops, activations and reductions. */
#include <sleef.h>
#include "ref.h"

/* 1 / (1 + e^-x), through SLEEF's 1-ulp expf. */
float sigmoid_scalar(float x)
{
    return 1.0f / (1.0f + Sleef_expf_u10(-x));
}

float activation_ref(enum activation act, float x)
{
    switch (act) {
    case ACTIVATION_RELU:    return x > 0.0f ? x : 0.0f;
    case ACTIVATION_SIGMOID: return sigmoid_scalar(x);
    case ACTIVATION_SWISH:   return x * sigmoid_scalar(x);
    case ACTIVATION_NONE:    break;
    }
    return x;
}

void add_ref(size_t n, const float *x, const float *y, float *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = x[i] + y[i];
}

void mul_ref(size_t n, const float *x, const float *y, float *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = x[i] * y[i];
}

void scale_ref(size_t n, float alpha, const float *x, float *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = alpha * x[i];
}

void relu_ref(size_t n, const float *x, float *y)
{
    for (size_t i = 0; i < n; i++)
        y[i] = activation_ref(ACTIVATION_RELU, x[i]);
}

void sigmoid_ref(size_t n, const float *x, float *y)
{
    for (size_t i = 0; i < n; i++)
        y[i] = sigmoid_scalar(x[i]);
}

void swish_ref(size_t n, const float *x, float *y)
{
    for (size_t i = 0; i < n; i++)
        y[i] = x[i] * sigmoid_scalar(x[i]);
}

/* d relu / dx = 1 where x > 0, else 0 (TensorFlow's convention at 0). */
void relu_backward_ref(size_t n, const float *x, const float *dy, float *dx)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = x[i] > 0.0f ? dy[i] : 0.0f;
}

/* d sigmoid / dx = y (1 - y), from the saved output y. */
void sigmoid_backward_ref(size_t n, const float *y, const float *dy, float *dx)
{
    for (size_t i = 0; i < n; i++)
        dx[i] = dy[i] * y[i] * (1.0f - y[i]);
}

/* d (x s(x)) / dx = s(x) (1 + x (1 - s(x))). */
void swish_backward_ref(size_t n, const float *x, const float *dy, float *dx)
{
    for (size_t i = 0; i < n; i++) {
        float s = sigmoid_scalar(x[i]);
        dx[i] = dy[i] * s * (1.0f + x[i] * (1.0f - s));
    }
}

/* Accumulates in double: the oracle is more accurate than what it checks. */
float sum_ref(size_t n, const float *x)
{
    double acc = 0.0;
    for (size_t i = 0; i < n; i++)
        acc += x[i];
    return (float)acc;
}

float mean_ref(size_t n, const float *x)
{
    return n ? (float)((double)sum_ref(n, x) / (double)n) : 0.0f;
}
