/* graph.h: the static computation graph a Lua model compiles into.
 *
 * A graph is a list of nodes in creation order (which is a topological
 * order: a node's inputs always come before it). Tensors are NHWC. A node
 * is either batched (its shape excludes the leading batch dimension, fixed
 * only when the graph is planned for a batch size) or unbatched (parameters,
 * losses, parameter gradients).
 *
 * Layers (dense, conv_transpose2d, ...) are built from primitive ops whose
 * gradients are again primitive ops of this graph (graph_gradients in
 * autograd.c), so a gradient can itself be differentiated.
 */
#ifndef DDIM_GRAPH_H
#define DDIM_GRAPH_H

#include <stddef.h>
#include "kernels/kernels.h"

#define GRAPH_MAX_RANK 4
#define GRAPH_ERROR_SIZE 256
#define GRAPH_LOCATION_SIZE 160

struct shape {
    int rank;                      /* 0 for a scalar */
    int dims[GRAPH_MAX_RANK];      /* excluding the batch dimension when batched */
    int batched;
};

enum op {
    OP_INPUT,              /* fed by the caller */
    OP_PARAM,              /* a slice of the flat parameter buffer */
    OP_MATMUL,             /* 2-D product of the operands viewed as matrices (see graph.c) */
    OP_CONV_TRANSPOSE,     /* conv_transpose2d(x, w), no bias */
    OP_CONV_TRANSPOSE_DATA,    /* its input gradient: conv_transpose2d_backward_data(dy, w) */
    OP_CONV_TRANSPOSE_WEIGHTS, /* its weight gradient: conv_transpose2d_backward_weights(x, dy) */
    OP_BIAS_ADD,           /* x + b, b broadcast over all but the last axis */
    OP_CHANNEL_SUM,        /* sum over the batch and every axis but the last: bias gradient */
    OP_ADD,                /* a + b, same shape */
    OP_SUB,                /* a - b, same shape */
    OP_MUL,                /* a * b, same shape */
    OP_SCALE,              /* alpha * x */
    OP_SAMPLE_BROADCAST_ADD, /* x[B, ...] + t[B, 1, ..., 1] broadcast over each sample */
    OP_SAMPLE_SUM,         /* per-sample sum: [B, ...] -> [B, 1, ..., 1] */
    OP_SAMPLE_MUL,         /* x[B, ...] * s[B, 1, ..., 1], one factor per sample */
    OP_SAMPLE_BROADCAST,   /* [B, 1, ..., 1] -> [B, ...] of a given shape */
    OP_RELU,
    OP_RELU_GRAD,          /* dy where x > 0 else 0: inputs (x, dy) */
    OP_SIGMOID,
    OP_SIGMOID_GRAD,       /* dy * y * (1 - y): inputs (y, dy) */
    OP_SWISH,              /* x * sigmoid(x), one pass */
    OP_SWISH_GRAD,         /* dy * (s + x s (1 - s)), s = sigmoid(x): inputs (x, dy) */
    OP_RESHAPE,            /* same data, another shape */
    OP_ONES,               /* ones of a given shape */
    OP_MAE,                /* mean |a - b| over everything: unbatched scalar */
    OP_MSE,                /* mean (a - b)^2 */
    OP_MAE_GRAD,           /* sign(a - b) * g / count: inputs (a, b, g scalar) */
    OP_MSE_GRAD,           /* 2 (a - b) * g / count */
    OP_SOFTMAX_CROSS_ENTROPY,      /* (logits, labels), both (batch, classes): the batch's mean
                                    * softmax cross-entropy, an unbatched scalar (softmax.h) */
    OP_SOFTMAX_CROSS_ENTROPY_GRAD, /* (softmax(logits) - labels) * g / batch: inputs (logits, labels, g scalar) */
    /* the U-Net's ops (graph_unet.c) */
    OP_CONV2D,             /* conv2d(x, w), 'same', kernel 1 or 3, no bias */
    OP_CONV2D_DATA,        /* its input gradient: conv2d_backward_data(dy, w) */
    OP_CONV2D_WEIGHTS,     /* its weight gradient: conv2d_backward_weights(x, dy) */
    OP_CONCAT,             /* channels of a, then of b */
    OP_SLICE,              /* channels offset .. offset + channels of x */
    OP_UNSLICE,            /* x placed at channels offset.. of zeros of `channels` channels */
    OP_AVG_POOL,           /* 2x2 average pooling */
    OP_AVG_POOL_ADJOINT,   /* its transpose: each value spread over its window, / 4 */
    OP_UPSAMPLE,           /* 2x bilinear upsampling (TensorFlow's half-pixel centers) */
    OP_UPSAMPLE_ADJOINT,   /* its transpose */
    OP_PIXEL_BROADCAST,    /* (1, 1, c) -> (h, w, c), every pixel a copy */
    OP_PIXEL_SUM,          /* (h, w, c) -> (1, 1, c), its transpose */
    OP_SINUSOIDAL,         /* (1, 1, 1) noise variance -> (1, 1, channels) embedding */
    OP_BATCH_NORM,         /* (x, moving mean, moving variance): batch statistics when the plan
                            * trains, the moving ones otherwise; keeps the batch's per channel */
    OP_BATCH_NORM_GRAD,    /* (the OP_BATCH_NORM node, dy) -> dx */
    OP_COUNT_
};

struct node {
    enum op op;
    int inputs[3];          /* node ids, -1 where unused */
    struct shape shape;
    /* attributes */
    enum gemm_layout layout;   /* OP_MATMUL */
    int stride;                /* OP_CONV_TRANSPOSE*: 1 or 2; kernel is 3x3 */
    int kernel;                /* OP_CONV2D*: 1 or 3 */
    int offset, channels;      /* OP_SLICE, OP_UNSLICE: channel range; OP_UNSLICE: total */
    float alpha;               /* OP_SCALE; OP_SINUSOIDAL: lowest frequency; OP_BATCH_NORM: epsilon */
    float beta;                /* OP_SINUSOIDAL: highest frequency; OP_BATCH_NORM: momentum */
    size_t param_offset;       /* OP_PARAM: floats into the parameter buffer */
    enum { INIT_ZEROS, INIT_GLOROT_UNIFORM, INIT_ONES } init; /* OP_PARAM */
    int state;                 /* OP_PARAM: not trained, updated by its layer (batch norm's moving statistics) */
    int fan_in, fan_out;       /* OP_PARAM with Glorot init */
    char name[32];             /* OP_INPUT, OP_PARAM: e.g. "x", "dense_1.kernel" */
    char location[GRAPH_LOCATION_SIZE]; /* where the layer was written, "file.lua:12" */
};

struct graph {
    struct node *nodes;
    int count, capacity;
    size_t param_floats;       /* size of the flat parameter buffer */
    int layer_count;           /* for naming parameters */
    char location[GRAPH_LOCATION_SIZE]; /* stamped on the nodes created next */
    char error[GRAPH_ERROR_SIZE];
};

void graph_init(struct graph *g);
/* The op's name in messages and profiles, e.g. "conv_transpose_data". */
const char *graph_op_name(enum op op);
void graph_free(struct graph *g);
/* Drops the nodes from count on: what was appended to a model for one use
 * (a trainer's training nodes), so that the next use starts from the model. */
void graph_truncate(struct graph *g, int count);
size_t shape_size(const struct shape *s);   /* elements per sample (or in all, unbatched) */
int shape_equal(const struct shape *a, const struct shape *b); /* rank, dims and batchedness */

/* Sets the source location stamped on the nodes created from now on. */
void graph_set_location(struct graph *g, const char *location);

/* Layer builders, as Keras' functional API: each returns its output node,
 * or -1 with a one-line reason in g->error (e.g. a layer that does not fit
 * its input). dims exclude the batch dimension. */
int graph_input(struct graph *g, const char *name, int rank, const int *dims);
int graph_dense(struct graph *g, int x, int units, enum activation act);
int graph_conv_transpose2d(struct graph *g, int x, int filters, int stride, enum activation act);
int graph_reshape(struct graph *g, int x, int rank, const int *dims);
int graph_flatten(struct graph *g, int x);
/* a + b of the same shape, or b of shape [1, ..., 1] broadcast per sample. */
int graph_add_layer(struct graph *g, int a, int b);
int graph_activation(struct graph *g, int x, enum activation act);

/* The U-Net's layers (graph_unet.c). conv2d: 'same', kernel 1 or 3, stride
 * 1, Glorot-uniform kernel (or zeros: zero_kernel, as the Keras example's
 * last layer), zero bias. */
int graph_conv2d(struct graph *g, int x, int filters, int kernel, enum activation act, int zero_kernel);
int graph_concat(struct graph *g, int a, int b);
int graph_avg_pool2(struct graph *g, int x);
int graph_upsample2(struct graph *g, int x);
/* (1, 1, c) copied to every pixel of an h x w image. */
int graph_pixel_broadcast(struct graph *g, int x, int h, int w);
/* The Keras example's embedding of a (1, 1, 1) noise variance: `channels`
 * (even) values, sin then cos of 2 pi f x for channels / 2 frequencies f
 * log-spaced from min_frequency to max_frequency. */
int graph_sinusoidal_embedding(struct graph *g, int x, int channels, float min_frequency, float max_frequency);
/* Keras BatchNormalization(center=False, scale=False): moving mean (zeros)
 * and variance (ones) as state parameters, updated with `momentum` by the
 * trainer after each step. */
int graph_batch_norm(struct graph *g, int x, float momentum, float epsilon);

/* Primitive ops (also what autograd emits). */
int graph_op(struct graph *g, enum op op, int a, int b, int c);
int graph_matmul(struct graph *g, enum gemm_layout layout, int a, int b);
int graph_scale(struct graph *g, int x, float alpha);
int graph_ones(struct graph *g, const struct shape *shape);
int graph_reshape_to(struct graph *g, int x, const struct shape *shape);
int graph_sample_broadcast(struct graph *g, int x, const struct shape *shape);
/* OP_CONV_TRANSPOSE and its two gradients: (x, w), (dy, w) and (x, dy). */
int graph_conv_transpose_op(struct graph *g, enum op op, int a, int b, int stride);
/* OP_CONV2D and its two gradients: (x, w), (dy, w) and (x, dy). */
int graph_conv2d_op(struct graph *g, enum op op, int a, int b, int kernel);
/* The U-Net's linear data movements of one input whose output shape
 * follows from it: OP_SLICE (offset, channels: the range taken),
 * OP_UNSLICE (offset, channels: the total), OP_AVG_POOL(_ADJOINT),
 * OP_UPSAMPLE(_ADJOINT), OP_PIXEL_SUM (offset, channels unused). */
int graph_movement_op(struct graph *g, enum op op, int x, int offset, int channels);

#endif
