/* Scalar reference kernels (declarations shared by kernels/ref/ files). */
#ifndef DDIM_KERNELS_REF_H
#define DDIM_KERNELS_REF_H

#include "../kernels.h"

float sigmoid_scalar(float x);
float activation_ref(enum activation act, float x);

sgemm_fn sgemm_ref;
binary_fn add_ref, mul_ref;
scale_fn scale_ref;
unary_fn relu_ref, sigmoid_ref, swish_ref;
unary_backward_fn relu_backward_ref, sigmoid_backward_ref, swish_backward_ref;
reduce_fn sum_ref, mean_ref;
loss_fn mae_loss_ref, mse_loss_ref;
loss_backward_fn mae_loss_backward_ref, mse_loss_backward_ref;
adamw_fn adamw_step_ref;
ema_fn ema_update_ref;
fma_peak_fn fma_peak_ref;
sum_rows_fn sum_rows_ref;
conv_transpose2d_fn conv_transpose2d_ref;
conv_transpose2d_backward_data_fn conv_transpose2d_backward_data_ref;
conv_transpose2d_backward_weights_fn conv_transpose2d_backward_weights_ref;
conv2d_fn conv2d_ref;
conv2d_backward_data_fn conv2d_backward_data_ref;
conv2d_backward_weights_fn conv2d_backward_weights_ref;

#endif
