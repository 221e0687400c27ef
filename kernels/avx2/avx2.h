/* AVX2 kernels: the declarations shared by kernels/avx2/ files. Intrinsics
 * stay in this directory; the runtime sees only the table in table.c. */
#ifndef DDIM_KERNELS_AVX2_H
#define DDIM_KERNELS_AVX2_H

#include "../kernels.h"
#include "../sgemm_blocked.h"
#include "../igemm.h"

sgemm_fn sgemm_avx2;
binary_fn add_avx2, mul_avx2;
scale_fn scale_avx2;
unary_fn relu_avx2, sigmoid_avx2, swish_avx2;
unary_backward_fn relu_backward_avx2, sigmoid_backward_avx2, swish_backward_avx2;
reduce_fn sum_avx2, mean_avx2;
loss_fn mae_loss_avx2, mse_loss_avx2;
loss_backward_fn mae_loss_backward_avx2, mse_loss_backward_avx2;
adamw_fn adamw_step_avx2;
ema_fn ema_update_avx2;
fma_peak_fn fma_peak_avx2;
sum_rows_fn sum_rows_avx2;
conv_transpose2d_fn conv_transpose2d_avx2;
conv_transpose2d_backward_data_fn conv_transpose2d_backward_data_avx2;
conv_transpose2d_backward_weights_fn conv_transpose2d_backward_weights_avx2;
conv2d_fn conv2d_avx2;
conv2d_backward_data_fn conv2d_backward_data_avx2;
conv2d_backward_weights_fn conv2d_backward_weights_avx2;
panel_transpose_fn sgemm_transpose_panel_avx2;
bias_activation_fn bias_activation_avx2;
igemm_microkernel_fn igemm_ukernel_6x16_avx2;
sgemm_microkernel_fn sgemm_ukernel_6x16_avx2;

extern const struct sgemm_microkernel sgemm_6x16_avx2;

wgemm_microkernel_fn wgemm_ukernel_4x16_avx2;

igemm_microkernel_fn igemm_ukernel_8x1_avx2;

sgemm_dot_fn sgemm_dot_2x4_avx2;

#endif
