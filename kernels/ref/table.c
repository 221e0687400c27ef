#include "ref.h"

const struct kernels kernels_ref = {
    .isa = "ref",
    .sgemm = sgemm_ref,
    .add = add_ref, .mul = mul_ref, .scale = scale_ref,
    .relu = relu_ref, .sigmoid = sigmoid_ref, .swish = swish_ref,
    .relu_backward = relu_backward_ref, .sigmoid_backward = sigmoid_backward_ref,
    .swish_backward = swish_backward_ref,
    .sum = sum_ref, .mean = mean_ref,
    .mae_loss = mae_loss_ref, .mse_loss = mse_loss_ref,
    .mae_loss_backward = mae_loss_backward_ref, .mse_loss_backward = mse_loss_backward_ref,
    .adamw_step = adamw_step_ref, .ema_update = ema_update_ref,
    .fma_peak = fma_peak_ref,
    .sum_rows = sum_rows_ref,
    .conv_transpose2d = conv_transpose2d_ref,
    .conv_transpose2d_backward_data = conv_transpose2d_backward_data_ref,
    .conv_transpose2d_backward_weights = conv_transpose2d_backward_weights_ref,
    .conv2d = conv2d_ref,
    .conv2d_backward_data = conv2d_backward_data_ref,
    .conv2d_backward_weights = conv2d_backward_weights_ref,
};
