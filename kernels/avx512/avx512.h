/* AVX512 kernels: the declarations shared by kernels/avx512/ files. Intrinsics
 * stay in this directory; the runtime sees only the table in table.c. */
#ifndef DDIM_KERNELS_AVX512_H
#define DDIM_KERNELS_AVX512_H

#include "../kernels.h"
#include "../sgemm_blocked.h"
#include "../igemm.h"
#include "../avx2/avx2.h" /* the panel transpose is shared */

sgemm_fn sgemm_avx512;
binary_fn add_avx512, mul_avx512;
scale_fn scale_avx512;
unary_fn relu_avx512, sigmoid_avx512, swish_avx512;
unary_backward_fn relu_backward_avx512, sigmoid_backward_avx512, swish_backward_avx512;
reduce_fn sum_avx512, mean_avx512;
loss_fn mae_loss_avx512, mse_loss_avx512;
loss_backward_fn mae_loss_backward_avx512, mse_loss_backward_avx512;
adamw_fn adamw_step_avx512;
ema_fn ema_update_avx512;
fma_peak_fn fma_peak_avx512;
sum_rows_fn sum_rows_avx512;
conv_transpose2d_fn conv_transpose2d_avx512;
conv_transpose2d_backward_data_fn conv_transpose2d_backward_data_avx512;
conv_transpose2d_backward_weights_fn conv_transpose2d_backward_weights_avx512;
conv2d_fn conv2d_avx512;
conv2d_backward_data_fn conv2d_backward_data_avx512;
conv2d_backward_weights_fn conv2d_backward_weights_avx512;
bias_activation_fn bias_activation_avx512;
igemm_microkernel_fn igemm_ukernel_12x32_avx512;
sgemm_microkernel_fn sgemm_ukernel_8x48_avx512;

extern const struct sgemm_microkernel sgemm_8x48_avx512, sgemm_12x32_avx512;
sgemm_microkernel_fn sgemm_ukernel_12x32_avx512;

wgemm_microkernel_fn wgemm_ukernel_8x32_avx512;

igemm_microkernel_fn igemm_ukernel_8x1_avx512;

sgemm_dot_fn sgemm_dot_4x4_avx512;

#endif
