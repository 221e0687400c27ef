/* NEON kernels: the declarations and small inline helpers shared by the
 * kernels/neon/ files. Intrinsics stay in this directory; the runtime sees
 * only the table in table.c. */
#ifndef DDIM_KERNELS_NEON_H
#define DDIM_KERNELS_NEON_H

#include <arm_neon.h>
#include <string.h>
#include "../kernels.h"
#include "../sgemm_blocked.h"
#include "../igemm.h"

sgemm_fn sgemm_neon;
binary_fn add_neon, mul_neon;
scale_fn scale_neon;
unary_fn relu_neon, sigmoid_neon, swish_neon;
unary_backward_fn relu_backward_neon, sigmoid_backward_neon, swish_backward_neon;
reduce_fn sum_neon, mean_neon;
loss_fn mae_loss_neon, mse_loss_neon;
loss_backward_fn mae_loss_backward_neon, mse_loss_backward_neon;
adamw_fn adamw_step_neon;
ema_fn ema_update_neon;
fma_peak_fn fma_peak_neon;
sum_rows_fn sum_rows_neon;
conv_transpose2d_fn conv_transpose2d_neon;
conv_transpose2d_backward_data_fn conv_transpose2d_backward_data_neon;
conv_transpose2d_backward_weights_fn conv_transpose2d_backward_weights_neon;
conv2d_fn conv2d_neon;
conv2d_backward_data_fn conv2d_backward_data_neon;
conv2d_backward_weights_fn conv2d_backward_weights_neon;
bias_activation_fn bias_activation_neon;
igemm_microkernel_fn igemm_ukernel_8x12_neon;
sgemm_microkernel_fn sgemm_ukernel_8x12_neon;

/* The n < 4 elements left after an array's 4-float steps: load_tail copies
 * them into the low lanes of a zero-padded vector, store_tail writes back just
 * those lanes. The tail then goes through the same vector code, rounding as
 * the body does, and nothing reads or writes past the end of the array. */
static inline float32x4_t load_tail(size_t n, const float *x)
{
    float lanes[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
    memcpy(lanes, x, n * sizeof *x);
    return vld1q_f32(lanes);
}

static inline void store_tail(size_t n, float32x4_t v, float *y)
{
    float lanes[4];
    vst1q_f32(lanes, v);
    memcpy(y, lanes, n * sizeof *y);
}

/* The reductions (sum, mean, the losses) add up blocks of at most
 * REDUCE_BLOCK floats in float vector accumulators, then add the blocks'
 * partial sums in double: within a block each of the 16 float lanes adds at
 * most 256 terms, so its rounding error stays small at any n, while the inner
 * loop keeps the full float throughput. */
#define REDUCE_BLOCK 4096

/* total (2 doubles) += the 4 float lanes of partial. */
static inline float64x2_t add_widened(float64x2_t total, float32x4_t partial)
{
    total = vaddq_f64(total, vcvt_f64_f32(vget_low_f32(partial)));
    return vaddq_f64(total, vcvt_high_f64_f32(partial));
}

extern const struct sgemm_microkernel sgemm_8x12_neon;

wgemm_microkernel_fn wgemm_ukernel_8x12_neon;

igemm_microkernel_fn igemm_ukernel_4x1_neon;

#endif
