#include "neon.h"

const struct kernels kernels_neon = {
    .isa = "neon",
    .sgemm = sgemm_neon,
    .add = add_neon, .mul = mul_neon, .scale = scale_neon,
    .relu = relu_neon, .sigmoid = sigmoid_neon, .swish = swish_neon,
    .relu_backward = relu_backward_neon, .sigmoid_backward = sigmoid_backward_neon,
    .swish_backward = swish_backward_neon,
    .sum = sum_neon, .mean = mean_neon,
    .mae_loss = mae_loss_neon, .mse_loss = mse_loss_neon,
    .mae_loss_backward = mae_loss_backward_neon, .mse_loss_backward = mse_loss_backward_neon,
    .adamw_step = adamw_step_neon, .ema_update = ema_update_neon,
    .fma_peak = fma_peak_neon,
    .sum_rows = sum_rows_neon,
    .conv_transpose2d = conv_transpose2d_neon,
    .conv_transpose2d_backward_data = conv_transpose2d_backward_data_neon,
    .conv_transpose2d_backward_weights = conv_transpose2d_backward_weights_neon,
    .conv2d = conv2d_neon,
    .conv2d_backward_data = conv2d_backward_data_neon,
    .conv2d_backward_weights = conv2d_backward_weights_neon,
};
