/* tensor_ops.h: the graph's cheap elementwise ops and broadcasts that have
 * one portable C version for every ISA: a subtraction, the bias add, the
 * per-sample broadcasts and sums (a tensor [batch, per_sample] against one
 * value per sample), and a fill.
 *
 * Plain single-threaded loops, one IEEE operation per element (the sums go
 * through a table's reduce kernel), so the results depend on the arguments
 * alone. Outputs may be their first input exactly, never partly. */
#ifndef DDIM_TENSOR_OPS_H
#define DDIM_TENSOR_OPS_H

#include <stddef.h>
#include "kernels.h"

/* out[i] = a[i] - b[i], i < n */
void sub(size_t n, const float *a, const float *b, float *out);
/* y[r, c] = x[r, c] + bias[c] over the n / channels rows of x [n / channels, channels]. */
void bias_add(size_t n, size_t channels, const float *x, const float *bias, float *y);
/* y[s, i] = x[s, i] + t[s] for s < batch, i < per_sample. */
void sample_broadcast_add(int batch, size_t per_sample, const float *x, const float *t, float *y);
/* y[s, i] = x[s, i] * t[s]. */
void sample_mul(int batch, size_t per_sample, const float *x, const float *t, float *y);
/* y[s] = sum(x[s, 0 .. per_sample)), each sample by the table's sum kernel. */
void sample_sum(reduce_fn *sum, int batch, size_t per_sample, const float *x, float *y);
/* y[s, i] = x[s]: one value per sample copied to its per_sample places. */
void sample_broadcast(int batch, size_t per_sample, const float *x, float *y);
/* y[i] = value, i < n */
void fill(size_t n, float value, float *y);

#endif
