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
#include "runtime/graph/graph_ops.h"

#define GRAPH_MAX_RANK 4
#define GRAPH_ERROR_SIZE 256
#define GRAPH_LOCATION_SIZE 160

struct shape {
    int rank;                      /* 0 for a scalar */
    int dims[GRAPH_MAX_RANK];      /* excluding the batch dimension when batched */
    int batched;
};

/* OP_INPUT, OP_PARAM, OP_SGEMM, ...: graph_ops.h lists them with their inputs. */
enum op {
#define OP_ENUMERATOR(op, name) op,
    GRAPH_OPS(OP_ENUMERATOR)
#undef OP_ENUMERATOR
};
/* The number of ops, for tables indexed by enum op. */
enum {
#define OP_PLUS_ONE(op, name) +1
    OP_COUNT = 0 GRAPH_OPS(OP_PLUS_ONE)
#undef OP_PLUS_ONE
};

/* The three ops of each convolution: its forward and two gradients. */
static inline int op_is_conv_transpose2d(enum op op)
{
    return op == OP_CONV_TRANSPOSE2D || op == OP_CONV_TRANSPOSE2D_BACKWARD_DATA ||
           op == OP_CONV_TRANSPOSE2D_BACKWARD_WEIGHTS;
}
static inline int op_is_conv2d(enum op op)
{
    return op == OP_CONV2D || op == OP_CONV2D_BACKWARD_DATA || op == OP_CONV2D_BACKWARD_WEIGHTS;
}

struct node {
    enum op op;
    int inputs[3];          /* node ids, -1 where unused */
    struct shape shape;
    /* attributes */
    enum gemm_layout layout;   /* OP_SGEMM */
    int stride;                /* OP_CONV_TRANSPOSE2D*: 1 or 2; kernel is 3x3 */
    int kernel;                /* OP_CONV2D*: 1 or 3 */
    int offset, channels;      /* OP_SLICE, OP_UNSLICE: channel range; OP_UNSLICE: total */
    float alpha;               /* OP_SCALE; OP_SINUSOIDAL_EMBEDDING: lowest frequency; OP_BATCH_NORM: epsilon */
    float beta;                /* OP_SINUSOIDAL_EMBEDDING: highest frequency; OP_BATCH_NORM: momentum */
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
/* The op's one name (graph_ops.h) in messages and profiles, e.g. "conv_transpose2d_backward_data". */
const char *graph_op_name(enum op op);
void graph_free(struct graph *g);
/* Drops the nodes from count on: what was appended to a model for one use
 * (a trainer's training nodes), so that the next use starts from the model. */
void graph_truncate(struct graph *g, int count);
size_t shape_size(const struct shape *s);   /* elements per sample (or in all, unbatched) */
int shape_equal(const struct shape *a, const struct shape *b); /* rank, dims and batchedness */
/* Whether a and b are the same network: the same nodes, shapes, attributes,
 * parameter layout and initialization (not where their layers were written). */
int graph_same_model(const struct graph *a, const struct graph *b);

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

/* The U-Net's layers (graph_image_ops.c). conv2d: 'same', kernel 1 or 3, stride
 * 1, Glorot-uniform kernel (or zeros: zero_kernel, as the Keras example's
 * last layer), zero bias. */
int graph_conv2d(struct graph *g, int x, int filters, int kernel, enum activation act, int zero_kernel);
int graph_concat(struct graph *g, int a, int b);
int graph_avg_pool2(struct graph *g, int x);
int graph_upsample2(struct graph *g, int x);
/* (1, 1, c) copied to every pixel of an h x w image (a 1x1 map's nearest upsampling). */
int graph_upsample_nearest(struct graph *g, int x, int h, int w);
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
int graph_sgemm(struct graph *g, enum gemm_layout layout, int a, int b);
int graph_scale(struct graph *g, int x, float alpha);
int graph_ones(struct graph *g, const struct shape *shape);
int graph_reshape_to(struct graph *g, int x, const struct shape *shape);
int graph_sample_broadcast(struct graph *g, int x, const struct shape *shape);
/* OP_CONV_TRANSPOSE2D and its two gradients, _BACKWARD_DATA and
 * _BACKWARD_WEIGHTS: (x, w), (dy, w) and (x, dy). */
int graph_conv_transpose2d_op(struct graph *g, enum op op, int a, int b, int stride);
/* OP_CONV2D and its two gradients, likewise. */
int graph_conv2d_op(struct graph *g, enum op op, int a, int b, int kernel);
/* The U-Net's linear data movements of one input whose output shape
 * follows from it: OP_SLICE (offset, channels: the range taken),
 * OP_UNSLICE (offset, channels: the total), OP_AVG_POOL2(_ADJOINT),
 * OP_UPSAMPLE2(_ADJOINT), OP_UPSAMPLE_NEAREST_ADJOINT (offset, channels
 * unused). */
int graph_movement_op(struct graph *g, enum op op, int x, int offset, int channels);

#endif
