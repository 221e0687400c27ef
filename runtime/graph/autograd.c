/* Reverse-mode automatic differentiation as graph construction (symbolic,
 * as graph-mode TensorFlow and JAX do): the gradient of a node is a new
 * node of the same graph, built from the same primitive ops, so gradients
 * can themselves be differentiated.
 *
 * Walk the nodes from the output down in reverse creation order (a reverse
 * topological order); each node with a cotangent adds, for every input that
 * leads to a wanted variable, that input's vector-Jacobian product, summing
 * contributions with OP_ADD. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/graph/autograd.h"
#include "runtime/graph/graph_build.h"

struct backward {
    struct graph *g;
    int *cotangent;     /* per node id, -1 while none */
    char *needed;       /* per node: leads to a wanted variable */
};

static int accumulate(struct backward *b, int node, int contribution)
{
    if (contribution < 0)
        return -1;
    int *slot = &b->cotangent[node];
    *slot = *slot < 0 ? contribution : graph_op(b->g, OP_ADD, *slot, contribution, -1);
    return *slot < 0 ? -1 : 0;
}

/* Adds the contribution `expr` to node's cotangent, building it only when
 * node leads to a wanted variable; evaluates to 0, or -1 on an error. */
#define ADD_GRAD(node, expr) (b->needed[node] ? accumulate(b, node, (expr)) : 0)

/* The cotangent shaped as node's own output (sgemm views flatten). */
static int shaped_like(struct backward *b, int node, int grad)
{
    if (grad < 0)
        return grad;
    return graph_reshape_to(b->g, grad, &b->g->nodes[node].shape);
}

/* Zeros of node's shape. */
static int zeros_like(struct graph *g, int node)
{
    return graph_scale(g, graph_ones(g, &g->nodes[node].shape), 0.0f);
}

/* 1 - 2 y, for the derivative of y (1 - y). */
static int one_minus_twice(struct graph *g, int y)
{
    int ones = graph_ones(g, &g->nodes[y].shape);
    int twice = graph_scale(g, y, -2.0f);
    return ones < 0 || twice < 0 ? -1 : graph_op(g, OP_ADD, ones, twice, -1);
}

/* f''(x) of swish f(x) = x s, s = sigmoid(x): s (1 - s) (2 + x (1 - 2 s)),
 * built as sigmoid_grad(s, 2 + x (1 - 2 s)). */
static int swish_second_derivative(struct graph *g, int x)
{
    int s = graph_op(g, OP_SIGMOID, x, -1, -1);
    int ones = s < 0 ? -1 : graph_ones(g, &g->nodes[x].shape);
    int two = ones < 0 ? -1 : graph_scale(g, ones, 2.0f);
    int slope = two < 0 ? -1 : one_minus_twice(g, s);
    int x_slope = slope < 0 ? -1 : graph_op(g, OP_MUL, x, slope, -1);
    int factor = x_slope < 0 ? -1 : graph_op(g, OP_ADD, two, x_slope, -1);
    return factor < 0 ? -1 : graph_op(g, OP_SIGMOID_BACKWARD, s, factor, -1);
}

/* The gradient rules, one function per family of ops: each adds the
 * vector-Jacobian products of node id (n, a copy of it: graph_* calls may
 * move the node array) with cotangent u to the cotangents of its inputs x
 * = n->inputs[0] and y = n->inputs[1], and returns 0, or -1 with a reason
 * in g->error. */

/* C = op(A) op(B); with A = x and B = y:
 *   NN: dA = U B^T (NT),  dB = A^T U (TN)
 *   NT: dA = U B   (NN),  dB = U^T A (TN)
 *   TN: dA = B U^T (NT),  dB = A U   (NN) */
static int sgemm_gradient(struct backward *b, const struct node *n, int u)
{
    struct graph *g = b->g;
    const int x = n->inputs[0], y = n->inputs[1];
    if (n->layout == GEMM_NN)
        return ADD_GRAD(x, shaped_like(b, x, graph_sgemm(g, GEMM_NT, u, y))) ||
               ADD_GRAD(y, shaped_like(b, y, graph_sgemm(g, GEMM_TN, x, u)));
    if (n->layout == GEMM_NT)
        return ADD_GRAD(x, shaped_like(b, x, graph_sgemm(g, GEMM_NN, u, y))) ||
               ADD_GRAD(y, shaped_like(b, y, graph_sgemm(g, GEMM_TN, u, x)));
    return ADD_GRAD(x, shaped_like(b, x, graph_sgemm(g, GEMM_NT, y, u))) ||
           ADD_GRAD(y, shaped_like(b, y, graph_sgemm(g, GEMM_NN, x, u)));
}

/* The three ops are bilinear, each the adjoint of another in either input:
 * their gradients are the other two. */
static int conv_transpose2d_gradient(struct backward *b, const struct node *n, int u)
{
    struct graph *g = b->g;
    const int x = n->inputs[0], y = n->inputs[1], s = n->stride;
    switch (n->op) {
    case OP_CONV_TRANSPOSE2D:                  /* (x, w) -> y */
        return ADD_GRAD(x, graph_conv_transpose2d_op(g, OP_CONV_TRANSPOSE2D_BACKWARD_DATA, u, y, s)) ||
               ADD_GRAD(y, graph_conv_transpose2d_op(g, OP_CONV_TRANSPOSE2D_BACKWARD_WEIGHTS, x, u, s));
    case OP_CONV_TRANSPOSE2D_BACKWARD_DATA:    /* (dy, w) -> dx */
        return ADD_GRAD(x, graph_conv_transpose2d_op(g, OP_CONV_TRANSPOSE2D, u, y, s)) ||
               ADD_GRAD(y, graph_conv_transpose2d_op(g, OP_CONV_TRANSPOSE2D_BACKWARD_WEIGHTS, u, x, s));
    default:                                   /* _BACKWARD_WEIGHTS: (x, dy) -> dw */
        return ADD_GRAD(x, graph_conv_transpose2d_op(g, OP_CONV_TRANSPOSE2D_BACKWARD_DATA, y, u, s)) ||
               ADD_GRAD(y, graph_conv_transpose2d_op(g, OP_CONV_TRANSPOSE2D, x, u, s));
    }
}

/* As the transposed convolution's three. */
static int conv2d_gradient(struct backward *b, const struct node *n, int u)
{
    struct graph *g = b->g;
    const int x = n->inputs[0], y = n->inputs[1], k = n->kernel;
    switch (n->op) {
    case OP_CONV2D:                            /* (x, w) -> y */
        return ADD_GRAD(x, graph_conv2d_op(g, OP_CONV2D_BACKWARD_DATA, u, y, k)) ||
               ADD_GRAD(y, graph_conv2d_op(g, OP_CONV2D_BACKWARD_WEIGHTS, x, u, k));
    case OP_CONV2D_BACKWARD_DATA:              /* (dy, w) -> dx */
        return ADD_GRAD(x, graph_conv2d_op(g, OP_CONV2D, u, y, k)) ||
               ADD_GRAD(y, graph_conv2d_op(g, OP_CONV2D_BACKWARD_WEIGHTS, u, x, k));
    default:                                   /* _BACKWARD_WEIGHTS: (x, dy) -> dw */
        return ADD_GRAD(x, graph_conv2d_op(g, OP_CONV2D_BACKWARD_DATA, y, u, k)) ||
               ADD_GRAD(y, graph_conv2d_op(g, OP_CONV2D, x, u, k));
    }
}

/* Sums, differences, products and scalings of same-shape tensors, and reshapes. */
static int elementwise_gradient(struct backward *b, const struct node *n, int u)
{
    struct graph *g = b->g;
    const int x = n->inputs[0], y = n->inputs[1];
    switch (n->op) {
    case OP_ADD:
        return ADD_GRAD(x, u) || ADD_GRAD(y, u);
    case OP_SUB:
        return ADD_GRAD(x, u) || ADD_GRAD(y, graph_scale(g, u, -1.0f));
    case OP_MUL:
        return ADD_GRAD(x, graph_op(g, OP_MUL, u, y, -1)) || ADD_GRAD(y, graph_op(g, OP_MUL, u, x, -1));
    case OP_SCALE:
        return ADD_GRAD(x, graph_scale(g, u, n->alpha));
    default:                                   /* OP_RESHAPE */
        return ADD_GRAD(x, graph_reshape_to(g, u, &g->nodes[x].shape));
    }
}

/* The ops between a tensor and one value per channel or per sample: each
 * broadcast's adjoint is the matching sum and the other way round. */
static int broadcast_gradient(struct backward *b, const struct node *n, int u)
{
    struct graph *g = b->g;
    const int x = n->inputs[0], y = n->inputs[1];
    switch (n->op) {
    case OP_BIAS_ADD:
        return ADD_GRAD(x, u) || ADD_GRAD(y, graph_op(g, OP_SUM_ROWS, u, -1, -1));
    case OP_SUM_ROWS:                          /* dx = u broadcast over every position */
        return ADD_GRAD(x, graph_op(g, OP_BIAS_ADD, zeros_like(g, x), u, -1));
    case OP_SAMPLE_BROADCAST_ADD:
        return ADD_GRAD(x, u) || ADD_GRAD(y, graph_op(g, OP_SAMPLE_SUM, u, -1, -1));
    case OP_SAMPLE_MUL:                        /* x s: d/dx = u s, d/ds = the per-sample sum of u x */
        return ADD_GRAD(x, graph_op(g, OP_SAMPLE_MUL, u, y, -1)) ||
               ADD_GRAD(y, graph_op(g, OP_SAMPLE_SUM, graph_op(g, OP_MUL, u, x, -1), -1, -1));
    case OP_SAMPLE_SUM:
        return ADD_GRAD(x, graph_sample_broadcast(g, u, &g->nodes[x].shape));
    default:                                   /* OP_SAMPLE_BROADCAST */
        return ADD_GRAD(x, graph_op(g, OP_SAMPLE_SUM, u, -1, -1));
    }
}

/* The activations and their backwards (which are differentiated again by
 * the gradient trick inside the loss). */
static int activation_gradient(struct backward *b, int id, const struct node *n, int u)
{
    struct graph *g = b->g;
    const int x = n->inputs[0], y = n->inputs[1];
    switch (n->op) {
    case OP_RELU:
        return ADD_GRAD(x, graph_op(g, OP_RELU_BACKWARD, x, u, -1));
    case OP_RELU_BACKWARD:                     /* (x, dy): linear in dy, piecewise constant in x */
        return ADD_GRAD(y, graph_op(g, OP_RELU_BACKWARD, x, u, -1));
    case OP_SIGMOID:                           /* the saved output is this node itself */
        return ADD_GRAD(x, graph_op(g, OP_SIGMOID_BACKWARD, id, u, -1));
    case OP_SIGMOID_BACKWARD:                  /* (s, dy) -> dy s (1 - s): d/ddy = s (1 - s), d/ds = dy (1 - 2 s) */
        return ADD_GRAD(y, graph_op(g, OP_SIGMOID_BACKWARD, x, u, -1)) ||
               ADD_GRAD(x, graph_op(g, OP_MUL, graph_op(g, OP_MUL, u, y, -1), one_minus_twice(g, x), -1));
    case OP_SWISH:
        return ADD_GRAD(x, graph_op(g, OP_SWISH_BACKWARD, x, u, -1));
    default:                                   /* OP_SWISH_BACKWARD: (x, dy) -> dy f'(x):
                                                * d/ddy = f'(x), d/dx = dy f''(x) */
        return ADD_GRAD(y, graph_op(g, OP_SWISH_BACKWARD, x, u, -1)) ||
               ADD_GRAD(x, graph_op(g, OP_MUL, graph_op(g, OP_MUL, u, y, -1), swish_second_derivative(g, x), -1));
    }
}

/* The U-Net's linear data movements: the gradient of each is its transpose
 * (adjoint), and the other way round. */
static int image_op_gradient(struct backward *b, const struct node *n, int u)
{
    struct graph *g = b->g;
    const int x = n->inputs[0], y = n->inputs[1];
    switch (n->op) {
    case OP_CONCAT: {
        const int ca = g->nodes[x].shape.dims[2], cb = g->nodes[y].shape.dims[2];
        return ADD_GRAD(x, graph_movement_op(g, OP_SLICE, u, 0, ca)) ||
               ADD_GRAD(y, graph_movement_op(g, OP_SLICE, u, ca, cb));
    }
    case OP_SLICE:
        return ADD_GRAD(x, graph_movement_op(g, OP_UNSLICE, u, n->offset, g->nodes[x].shape.dims[2]));
    case OP_UNSLICE:
        return ADD_GRAD(x, graph_movement_op(g, OP_SLICE, u, n->offset, g->nodes[x].shape.dims[2]));
    case OP_AVG_POOL2:
        return ADD_GRAD(x, graph_movement_op(g, OP_AVG_POOL2_ADJOINT, u, 0, 0));
    case OP_AVG_POOL2_ADJOINT:
        return ADD_GRAD(x, graph_movement_op(g, OP_AVG_POOL2, u, 0, 0));
    case OP_UPSAMPLE2:
        return ADD_GRAD(x, graph_movement_op(g, OP_UPSAMPLE2_ADJOINT, u, 0, 0));
    case OP_UPSAMPLE2_ADJOINT:
        return ADD_GRAD(x, graph_movement_op(g, OP_UPSAMPLE2, u, 0, 0));
    case OP_UPSAMPLE_NEAREST:
        return ADD_GRAD(x, graph_movement_op(g, OP_UPSAMPLE_NEAREST_ADJOINT, u, 0, 0));
    default:                                   /* OP_UPSAMPLE_NEAREST_ADJOINT */
        return ADD_GRAD(x, graph_upsample_nearest(g, u, g->nodes[x].shape.dims[0], g->nodes[x].shape.dims[1]));
    }
}

/* Batch normalization: its moving statistics are state, with no gradient;
 * its backward is not differentiated again. */
static int batch_norm_gradient(struct backward *b, int id, const struct node *n, int u)
{
    struct graph *g = b->g;
    const int x = n->inputs[0];
    if (n->op == OP_BATCH_NORM_BACKWARD) {
        snprintf(g->error, sizeof g->error, "cannot differentiate batch normalization twice");
        return -1;
    }
    struct shape shape = g->nodes[x].shape;
    return ADD_GRAD(x, add_node(g, OP_BATCH_NORM_BACKWARD, id, u, -1, &shape));
}

/* The losses, in their predictions (and, for MAE and MSE, in their
 * targets); loss gradients are where differentiation starts, never what it
 * goes through: a second derivative of a loss is not supported. */
static int loss_gradient(struct backward *b, const struct node *n, int u)
{
    struct graph *g = b->g;
    const int x = n->inputs[0], y = n->inputs[1];
    switch (n->op) {
    case OP_MAE_LOSS: case OP_MSE_LOSS: {
        enum op backward_op = n->op == OP_MAE_LOSS ? OP_MAE_LOSS_BACKWARD : OP_MSE_LOSS_BACKWARD;
        return ADD_GRAD(x, graph_op(g, backward_op, x, y, u)) ||
               ADD_GRAD(y, graph_scale(g, graph_op(g, backward_op, x, y, u), -1.0f));
    }
    case OP_SOFTMAX_CROSS_ENTROPY:
        /* The labels are data, given: the loss is differentiated in its logits only. */
        if (b->needed[y]) {
            snprintf(g->error, sizeof g->error,
                     "the softmax cross-entropy has no gradient with respect to its labels");
            return -1;
        }
        return ADD_GRAD(x, graph_op(g, OP_SOFTMAX_CROSS_ENTROPY_BACKWARD, x, y, u));
    default:                                   /* the _BACKWARD ops */
        snprintf(g->error, sizeof g->error, "cannot differentiate the gradient of a loss");
        return -1;
    }
}

/* Adds the vector-Jacobian products of node id (cotangent u) to its inputs,
 * by the rule of its op's family. Every op has its case and no default, so
 * that -Wswitch (in -Wall) names an op added without a gradient rule. */
static int backward_node(struct backward *b, int id, int u)
{
    struct graph *g = b->g;
    const struct node n = g->nodes[id]; /* a copy: graph_* calls may move the array */
    switch (n.op) {
    case OP_INPUT: case OP_PARAM: case OP_ONES:
        return 0;
    case OP_SGEMM:
        return sgemm_gradient(b, &n, u);
    case OP_CONV_TRANSPOSE2D: case OP_CONV_TRANSPOSE2D_BACKWARD_DATA: case OP_CONV_TRANSPOSE2D_BACKWARD_WEIGHTS:
        return conv_transpose2d_gradient(b, &n, u);
    case OP_CONV2D: case OP_CONV2D_BACKWARD_DATA: case OP_CONV2D_BACKWARD_WEIGHTS:
        return conv2d_gradient(b, &n, u);
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_SCALE: case OP_RESHAPE:
        return elementwise_gradient(b, &n, u);
    case OP_RELU: case OP_RELU_BACKWARD: case OP_SIGMOID: case OP_SIGMOID_BACKWARD: case OP_SWISH:
    case OP_SWISH_BACKWARD:
        return activation_gradient(b, id, &n, u);
    case OP_BIAS_ADD: case OP_SUM_ROWS: case OP_SAMPLE_BROADCAST_ADD: case OP_SAMPLE_MUL: case OP_SAMPLE_SUM:
    case OP_SAMPLE_BROADCAST:
        return broadcast_gradient(b, &n, u);
    case OP_CONCAT: case OP_SLICE: case OP_UNSLICE: case OP_AVG_POOL2: case OP_AVG_POOL2_ADJOINT:
    case OP_UPSAMPLE2: case OP_UPSAMPLE2_ADJOINT: case OP_UPSAMPLE_NEAREST: case OP_UPSAMPLE_NEAREST_ADJOINT:
        return image_op_gradient(b, &n, u);
    case OP_SINUSOIDAL_EMBEDDING:
        /* Its input is the noise level, a given of each step: nothing is
         * differentiated with respect to it. */
        snprintf(g->error, sizeof g->error, "the sinusoidal embedding has no gradient with respect to its input");
        return -1;
    case OP_BATCH_NORM: case OP_BATCH_NORM_BACKWARD:
        return batch_norm_gradient(b, id, &n, u);
    case OP_MAE_LOSS: case OP_MSE_LOSS: case OP_MAE_LOSS_BACKWARD: case OP_MSE_LOSS_BACKWARD:
    case OP_SOFTMAX_CROSS_ENTROPY: case OP_SOFTMAX_CROSS_ENTROPY_BACKWARD:
        return loss_gradient(b, &n, u);
    }
    snprintf(g->error, sizeof g->error, "no gradient for op %d", (int)n.op);
    return -1;
}

int graph_gradients(struct graph *g, int output, int seed, int count, const int *wrt, int *gradients)
{
    int size = g->count;   /* nodes added from here on are the gradient's own */
    struct backward b = { g, malloc((size_t)size * sizeof(int)), calloc((size_t)size, 1) };
    int status = -1;
    if (!b.cotangent || !b.needed) {
        snprintf(g->error, sizeof g->error, "out of memory differentiating the graph");
        goto done;
    }
    for (int i = 0; i < size; i++)
        b.cotangent[i] = -1;
    for (int i = 0; i < count; i++)
        b.needed[wrt[i]] = 1;
    for (int i = 0; i < size; i++)
        for (int j = 0; j < 3; j++)
            if (g->nodes[i].inputs[j] >= 0 && b.needed[g->nodes[i].inputs[j]])
                b.needed[i] = 1;

    if (seed < 0)
        seed = graph_ones(g, &g->nodes[output].shape);
    b.cotangent[output] = seed;
    for (int id = output; id >= 0 && seed >= 0; id--)
        if (b.cotangent[id] >= 0 && b.needed[id] && backward_node(&b, id, b.cotangent[id]))
            goto done;
    for (int i = 0; i < count; i++) {
        /* A variable the output does not depend on has a zero gradient. */
        gradients[i] = b.cotangent[wrt[i]] >= 0 ? b.cotangent[wrt[i]] : zeros_like(g, wrt[i]);
        if (gradients[i] < 0)
            goto done;
    }
    status = seed < 0 ? -1 : 0;
done:
    free(b.cotangent);
    free(b.needed);
    return status;
}
