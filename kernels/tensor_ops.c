/* The portable elementwise ops and broadcasts of tensor_ops.h. */
#include "tensor_ops.h"

void sub(size_t n, const float *a, const float *b, float *out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = a[i] - b[i];
}

void bias_add(size_t n, size_t channels, const float *x, const float *bias, float *y)
{
    for (size_t i = 0; i < n; i += channels)
        for (size_t c = 0; c < channels; c++)
            y[i + c] = x[i + c] + bias[c];
}

void sample_broadcast_add(int batch, size_t per_sample, const float *x, const float *t, float *y)
{
    for (int s = 0; s < batch; s++)
        for (size_t i = 0; i < per_sample; i++)
            y[s * per_sample + i] = x[s * per_sample + i] + t[s];
}

void sample_mul(int batch, size_t per_sample, const float *x, const float *t, float *y)
{
    for (int s = 0; s < batch; s++)
        for (size_t i = 0; i < per_sample; i++)
            y[s * per_sample + i] = x[s * per_sample + i] * t[s];
}

void sample_sum(reduce_fn *sum, int batch, size_t per_sample, const float *x, float *y)
{
    for (int s = 0; s < batch; s++)
        y[s] = sum(per_sample, x + s * per_sample);
}

void sample_broadcast(int batch, size_t per_sample, const float *x, float *y)
{
    for (int s = 0; s < batch; s++)
        for (size_t i = 0; i < per_sample; i++)
            y[s * per_sample + i] = x[s];
}

void fill(size_t n, float value, float *y)
{
    for (size_t i = 0; i < n; i++)
        y[i] = value;
}
