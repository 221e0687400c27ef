#include "avx2.h"

const struct kernels kernels_avx2 = {
    .isa = "avx2",
    .sgemm = sgemm_avx2,
    .add = add_avx2, .mul = mul_avx2, .scale = scale_avx2,
    .relu = relu_avx2, .sigmoid = sigmoid_avx2, .swish = swish_avx2,
    .relu_backward = relu_backward_avx2, .sigmoid_backward = sigmoid_backward_avx2,
    .swish_backward = swish_backward_avx2,
    .sum = sum_avx2, .mean = mean_avx2,
    .mae_loss = mae_loss_avx2, .mse_loss = mse_loss_avx2,
    .mae_loss_backward = mae_loss_backward_avx2, .mse_loss_backward = mse_loss_backward_avx2,
    .adamw_step = adamw_step_avx2, .ema_update = ema_update_avx2,
    .fma_peak = fma_peak_avx2,
    .sum_rows = sum_rows_avx2,
    .conv_transpose2d = conv_transpose2d_avx2,
    .conv_transpose2d_backward_data = conv_transpose2d_backward_data_avx2,
    .conv_transpose2d_backward_weights = conv_transpose2d_backward_weights_avx2,
    .conv2d = conv2d_avx2,
    .conv2d_backward_data = conv2d_backward_data_avx2,
    .conv2d_backward_weights = conv2d_backward_weights_avx2,
};
