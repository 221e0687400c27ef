#include "avx512.h"

const struct kernels kernels_avx512 = {
    .isa = "avx512",
    .sgemm = sgemm_avx512,
    .add = add_avx512, .mul = mul_avx512, .scale = scale_avx512,
    .relu = relu_avx512, .sigmoid = sigmoid_avx512, .swish = swish_avx512,
    .relu_backward = relu_backward_avx512, .sigmoid_backward = sigmoid_backward_avx512,
    .swish_backward = swish_backward_avx512,
    .sum = sum_avx512, .mean = mean_avx512,
    .mae_loss = mae_loss_avx512, .mse_loss = mse_loss_avx512,
    .mae_loss_backward = mae_loss_backward_avx512, .mse_loss_backward = mse_loss_backward_avx512,
    .adamw_step = adamw_step_avx512, .ema_update = ema_update_avx512,
    .fma_peak = fma_peak_avx512,
    .sum_rows = sum_rows_avx512,
    .conv_transpose2d = conv_transpose2d_avx512,
    .conv_transpose2d_backward_data = conv_transpose2d_backward_data_avx512,
    .conv_transpose2d_backward_weights = conv_transpose2d_backward_weights_avx512,
    .conv2d = conv2d_avx512,
    .conv2d_backward_data = conv2d_backward_data_avx512,
    .conv2d_backward_weights = conv2d_backward_weights_avx512,
};
