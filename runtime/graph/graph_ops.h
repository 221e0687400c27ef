/* graph_ops.h: every op of the graph, once. GRAPH_OPS(X) calls X(OP, name)
 * for each op in enum order: graph.h makes enum op from the OPs, graph.c
 * graph_op_name's table from the names.
 *
 * An op's name is its one name end to end: the graph op (OP_CONV2D,
 * "conv2d", graph_conv2d_op), its kernels (conv2d in kernels.h's table,
 * conv2d_ref, conv2d_avx512, ...), its Lua builder when it has one
 * (ddim.conv2d), its tests and its bench cases. A gradient op is named as
 * its kernel, <op>_backward (conv2d_backward_data and _weights for the
 * two of a convolution); the transpose of a linear data movement, which is
 * no gradient kernel but the same movement run backwards, <op>_adjoint.
 * Inputs are (a, b, c) = node.inputs[0 .. 2]. */
#ifndef DDIM_GRAPH_OPS_H
#define DDIM_GRAPH_OPS_H

#define GRAPH_OPS(X)                                                                                             \
    X(OP_INPUT, input)             /* fed by the caller */                                                     \
    X(OP_PARAM, param)             /* a slice of the flat parameter buffer */                                  \
    X(OP_SGEMM, sgemm)             /* 2-D product of the operands viewed as matrices (see graph_sgemm) */      \
    X(OP_CONV_TRANSPOSE2D, conv_transpose2d) /* (x, w) -> y, no bias */                                        \
    X(OP_CONV_TRANSPOSE2D_BACKWARD_DATA, conv_transpose2d_backward_data)       /* (dy, w) -> dx */             \
    X(OP_CONV_TRANSPOSE2D_BACKWARD_WEIGHTS, conv_transpose2d_backward_weights) /* (x, dy) -> dw */             \
    X(OP_BIAS_ADD, bias_add)       /* x + b, b broadcast over all but the last axis */                         \
    X(OP_SUM_ROWS, sum_rows)       /* sum over the batch and every axis but the last: bias gradient */         \
    X(OP_ADD, add)                 /* a + b, same shape */                                                     \
    X(OP_SUB, sub)                 /* a - b, same shape */                                                     \
    X(OP_MUL, mul)                 /* a * b, same shape */                                                     \
    X(OP_SCALE, scale)             /* alpha * x */                                                             \
    X(OP_SAMPLE_BROADCAST_ADD, sample_broadcast_add) /* x[B, ...] + t[B, 1, ..., 1] over each sample */        \
    X(OP_SAMPLE_SUM, sample_sum)   /* per-sample sum: [B, ...] -> [B, 1, ..., 1] */                            \
    X(OP_SAMPLE_MUL, sample_mul)   /* x[B, ...] * s[B, 1, ..., 1], one factor per sample */                    \
    X(OP_SAMPLE_BROADCAST, sample_broadcast) /* [B, 1, ..., 1] -> [B, ...] of a given shape */                 \
    X(OP_RELU, relu)                                                                                           \
    X(OP_RELU_BACKWARD, relu_backward)       /* dy where x > 0 else 0: inputs (x, dy) */                       \
    X(OP_SIGMOID, sigmoid)                                                                                     \
    X(OP_SIGMOID_BACKWARD, sigmoid_backward) /* dy * y * (1 - y): inputs (y, dy) */                            \
    X(OP_SWISH, swish)             /* x * sigmoid(x), one pass */                                              \
    X(OP_SWISH_BACKWARD, swish_backward)     /* dy * (s + x s (1 - s)), s = sigmoid(x): inputs (x, dy) */      \
    X(OP_RESHAPE, reshape)         /* same data, another shape */                                              \
    X(OP_ONES, ones)               /* ones of a given shape */                                                 \
    X(OP_MAE_LOSS, mae_loss)       /* mean |a - b| over everything: unbatched scalar */                        \
    X(OP_MSE_LOSS, mse_loss)       /* mean (a - b)^2 */                                                        \
    X(OP_MAE_LOSS_BACKWARD, mae_loss_backward) /* sign(a - b) * g / count: inputs (a, b, g scalar) */          \
    X(OP_MSE_LOSS_BACKWARD, mse_loss_backward) /* 2 (a - b) * g / count */                                     \
    /* (logits, labels), both (batch, classes): the batch's mean softmax cross-entropy, an unbatched          \
     * scalar (kernels/softmax.h); its backward (softmax(logits) - labels) * g / batch, inputs                \
     * (logits, labels, g scalar) */                                                                           \
    X(OP_SOFTMAX_CROSS_ENTROPY, softmax_cross_entropy)                                                         \
    X(OP_SOFTMAX_CROSS_ENTROPY_BACKWARD, softmax_cross_entropy_backward)                                       \
    /* the U-Net's ops (graph_image_ops.c, kernels/image_ops.h) */                                             \
    X(OP_CONV2D, conv2d)           /* (x, w) -> y, 'same', kernel 1 or 3, no bias */                           \
    X(OP_CONV2D_BACKWARD_DATA, conv2d_backward_data)       /* (dy, w) -> dx */                                 \
    X(OP_CONV2D_BACKWARD_WEIGHTS, conv2d_backward_weights) /* (x, dy) -> dw */                                 \
    X(OP_CONCAT, concat)           /* channels of a, then of b */                                              \
    X(OP_SLICE, slice)             /* channels offset .. offset + channels of x */                             \
    X(OP_UNSLICE, unslice)         /* x placed at channels offset.. of zeros of `channels` channels */         \
    X(OP_AVG_POOL2, avg_pool2)     /* 2x2 average pooling */                                                   \
    X(OP_AVG_POOL2_ADJOINT, avg_pool2_adjoint)   /* each value spread over its window, / 4 */                  \
    X(OP_UPSAMPLE2, upsample2)     /* 2x bilinear upsampling (TensorFlow's half-pixel centers) */              \
    X(OP_UPSAMPLE2_ADJOINT, upsample2_adjoint)                                                                 \
    X(OP_UPSAMPLE_NEAREST, upsample_nearest)     /* (1, 1, c) -> (h, w, c), every pixel a copy */              \
    X(OP_UPSAMPLE_NEAREST_ADJOINT, upsample_nearest_adjoint) /* (h, w, c) -> (1, 1, c), the sum */             \
    X(OP_SINUSOIDAL_EMBEDDING, sinusoidal_embedding) /* (1, 1, 1) noise variance -> (1, 1, channels) */        \
    /* (x, moving mean, moving variance): batch statistics when the plan trains, the moving ones              \
     * otherwise; keeps the batch's per channel. Its backward: (the OP_BATCH_NORM node, dy) -> dx */           \
    X(OP_BATCH_NORM, batch_norm)                                                                               \
    X(OP_BATCH_NORM_BACKWARD, batch_norm_backward)

#endif
