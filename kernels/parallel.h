/* parallel.h: elementwise kernels split over OpenMP's threads.
 *
 * The work is cut into chunks of a fixed size, whatever the thread count,
 * and each element is computed by the same kernel code in any chunk, so the
 * results are bit-identical for any number of threads. These ops are
 * memory-bound; a second core adds its own load and store bandwidth. */
#ifndef DDIM_PARALLEL_H
#define DDIM_PARALLEL_H

#include <stddef.h>
#include "kernels.h"

void parallel_unary(unary_fn *f, size_t n, const float *x, float *y);
void parallel_binary(binary_fn *f, size_t n, const float *x, const float *y, float *out);
void parallel_unary_backward(unary_backward_fn *f, size_t n, const float *saved, const float *dy,
                             float *dx);
/* sum_rows of kernels.h; from 4096 rows on, 8 fixed segments of rows summed
 * apart (on the threads) and then added in order. */
void parallel_sum_rows(sum_rows_fn *f, size_t rows, size_t cols, const float *x, float *out);
/* adamw_step and ema_update of kernels.h, same arguments. */
void parallel_adamw(adamw_fn *f, size_t n, float *param, const float *grad, float *m, float *v,
                    float lr, float beta1, float beta2, float epsilon, float weight_decay, long step);
void parallel_ema(ema_fn *f, size_t n, float decay, const float *param, float *ema);

#endif
