/* Running a planned graph (plan.c plans it): each node is one call of a
 * kernel of kernels/, made by the function of its op's family, over the
 * buffers fixed at plan time; and a node's FLOPs and sizes for profiles. */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>
#include "kernels/image_ops.h"
#include "kernels/parallel.h"
#include "kernels/softmax.h"
#include "kernels/tensor_ops.h"
#include "runtime/graph/executor.h"

/* What a node's kernel reads and writes. */
struct operands {
    float *out;             /* the node's own buffer */
    const float *a, *b, *c; /* its inputs' buffers, NULL where unused */
    size_t count;           /* floats of out */
    size_t per_sample;      /* floats per sample of input a (0 without one): the broadcasts' */
};

/* A node's operand as a matrix (see graph_sgemm): rows x cols. */
static void matrix_of(const struct plan *p, int id, int *rows, int *cols)
{
    const struct shape *s = &p->graph->nodes[id].shape;
    *rows = s->batched ? p->batch : s->dims[0];
    *cols = s->batched ? (int)shape_size(s) : s->dims[1];
}

/* The bias fused into node id, or NULL. */
static const float *fused_bias(const struct plan *p, int id)
{
    return p->bias_of[id] >= 0 ? p->buffers[p->bias_of[id]] : NULL;
}

static void run_sgemm(const struct plan *p, int id, float *out)
{
    const struct node *n = &p->graph->nodes[id];
    int ar, ac, br, bc;
    matrix_of(p, n->inputs[0], &ar, &ac);
    matrix_of(p, n->inputs[1], &br, &bc);
    int m = n->layout == GEMM_TN ? ac : ar, k = n->layout == GEMM_TN ? ar : ac;
    int cols = n->layout == GEMM_NT ? br : bc;
    p->kernels->sgemm(n->layout, m, cols, k, p->buffers[n->inputs[0]], ac, p->buffers[n->inputs[1]], bc, out, cols,
                      0, fused_bias(p, id), p->act_of[id]);
}

static void run_conv_transpose2d(const struct plan *p, int id, const struct operands *o)
{
    const struct kernels *k = p->kernels;
    const enum op op = p->graph->nodes[id].op;
    const struct conv_transpose2d_shape s = plan_conv_transpose2d_shape(p, id);
    if (op == OP_CONV_TRANSPOSE2D)
        k->conv_transpose2d(&s, o->a, o->b, fused_bias(p, id), o->out, p->workspace);
    else if (op == OP_CONV_TRANSPOSE2D_BACKWARD_DATA)
        k->conv_transpose2d_backward_data(&s, o->a, o->b, o->out, p->workspace);
    else
        k->conv_transpose2d_backward_weights(&s, o->a, o->b, o->out, 0, p->workspace);
}

static void run_conv2d(const struct plan *p, int id, const struct operands *o)
{
    const struct kernels *k = p->kernels;
    const enum op op = p->graph->nodes[id].op;
    const struct conv2d_shape s = plan_conv2d_shape(p, id);
    if (op == OP_CONV2D)
        k->conv2d(&s, o->a, o->b, fused_bias(p, id), p->act_of[id],
                  p->residual_of[id] >= 0 ? p->buffers[p->residual_of[id]] : NULL, o->out, p->workspace);
    else if (op == OP_CONV2D_BACKWARD_DATA)
        k->conv2d_backward_data(&s, o->a, o->b, o->out, p->workspace);
    else
        k->conv2d_backward_weights(&s, o->a, o->b, o->out, 0, p->workspace);
}

/* The same-shape ops: arithmetic and the activations with their gradients. */
static void run_elementwise(const struct plan *p, const struct node *n, const struct operands *o)
{
    const struct kernels *k = p->kernels;
    switch (n->op) {
    case OP_ADD:              parallel_binary(k->add, o->count, o->a, o->b, o->out); break;
    case OP_SUB:              sub(o->count, o->a, o->b, o->out); break;
    case OP_MUL:              parallel_binary(k->mul, o->count, o->a, o->b, o->out); break;
    case OP_SCALE:            k->scale(o->count, n->alpha, o->a, o->out); break;
    case OP_RELU:             parallel_unary(k->relu, o->count, o->a, o->out); break;
    case OP_RELU_BACKWARD:    parallel_unary_backward(k->relu_backward, o->count, o->a, o->b, o->out); break;
    case OP_SIGMOID:          parallel_unary(k->sigmoid, o->count, o->a, o->out); break;
    case OP_SIGMOID_BACKWARD: parallel_unary_backward(k->sigmoid_backward, o->count, o->a, o->b, o->out); break;
    case OP_SWISH:            parallel_unary(k->swish, o->count, o->a, o->out); break;
    case OP_SWISH_BACKWARD:   parallel_unary_backward(k->swish_backward, o->count, o->a, o->b, o->out); break;
    default:
        break;
    }
}

/* The ops between a tensor and one value per channel or per sample. */
static void run_broadcast(const struct plan *p, const struct node *n, const struct operands *o)
{
    switch (n->op) {
    case OP_BIAS_ADD:
        bias_add(o->count, (size_t)n->shape.dims[n->shape.rank - 1], o->a, o->b, o->out);
        break;
    case OP_SUM_ROWS: {
        const size_t channels = (size_t)n->shape.dims[0];
        const size_t rows = plan_node_floats(p, n->inputs[0]) / channels;
        parallel_sum_rows(p->kernels->sum_rows, rows, channels, o->a, o->out);
        break;
    }
    case OP_SAMPLE_BROADCAST_ADD: sample_broadcast_add(p->batch, o->per_sample, o->a, o->b, o->out); break;
    case OP_SAMPLE_MUL:           sample_mul(p->batch, o->per_sample, o->a, o->b, o->out); break;
    case OP_SAMPLE_SUM:           sample_sum(p->kernels->sum, p->batch, o->per_sample, o->a, o->out); break;
    case OP_SAMPLE_BROADCAST:     sample_broadcast(p->batch, shape_size(&n->shape), o->a, o->out); break;
    default:
        break;
    }
}

/* The U-Net's data movements and its noise embedding, on NHWC images
 * (dims[0..2] = height, width, channels). */
static void run_image_op(const struct plan *p, const struct node *n, const struct operands *o)
{
    const struct graph *g = p->graph;
    const int *dims = n->shape.dims, in_c = g->nodes[n->inputs[0]].shape.dims[2];
    switch (n->op) {
    case OP_CONCAT:
        concat(o->count / (size_t)dims[2], in_c, g->nodes[n->inputs[1]].shape.dims[2], o->a, o->b, o->out);
        break;
    case OP_SLICE:
        slice(o->count / (size_t)n->channels, in_c, n->offset, n->channels, o->a, o->out);
        break;
    case OP_UNSLICE:
        unslice(o->count / (size_t)n->channels, n->channels, n->offset, in_c, o->a, o->out);
        break;
    case OP_AVG_POOL2:
        avg_pool2(p->batch, dims[0], dims[1], dims[2], o->a, o->out);
        break;
    case OP_AVG_POOL2_ADJOINT:
        avg_pool2_adjoint(p->batch, dims[0] / 2, dims[1] / 2, dims[2], o->a, o->out);
        break;
    case OP_UPSAMPLE2:
        upsample2(p->batch, dims[0] / 2, dims[1] / 2, dims[2], o->a, o->out);
        break;
    case OP_UPSAMPLE2_ADJOINT:
        upsample2_adjoint(p->batch, dims[0], dims[1], dims[2], o->a, o->out);
        break;
    case OP_UPSAMPLE_NEAREST:
        upsample_nearest(p->batch, (size_t)dims[0] * dims[1], dims[2], o->a, o->out);
        break;
    case OP_UPSAMPLE_NEAREST_ADJOINT:
        upsample_nearest_adjoint(p->batch, o->per_sample / (size_t)dims[2], dims[2], o->a, o->out);
        break;
    case OP_SINUSOIDAL_EMBEDDING:
        sinusoidal_embedding(p->batch, dims[2], n->alpha, n->beta, o->a, o->out);
        break;
    default:
        break;
    }
}

/* Batch normalization with the batch's statistics when the plan trains
 * (kept after the output for the backward and the moving averages), with
 * the moving ones otherwise. */
static void run_batch_norm(const struct plan *p, int id, const struct operands *o)
{
    const struct node *n = &p->graph->nodes[id];
    const int channels = n->shape.dims[2];
    const size_t pixels = o->count / (size_t)channels;
    if (n->op == OP_BATCH_NORM) {
        float *stats = plan_batch_norm_stats(p, id);
        if (p->training)
            batch_norm_train(pixels, channels, n->alpha, o->a, o->out, stats, stats + channels,
                             stats + 2 * channels);
        else
            batch_norm_infer(pixels, channels, n->alpha, o->a, o->b, o->c, o->out);
        return;
    }
    /* OP_BATCH_NORM_BACKWARD: (the OP_BATCH_NORM node, dy) */
    const struct node *bn = &p->graph->nodes[n->inputs[0]];
    if (p->training)
        batch_norm_backward(pixels, channels, o->a, plan_batch_norm_stats(p, n->inputs[0]) + 2 * channels, o->b,
                            o->out);
    else
        batch_norm_infer_backward(pixels, channels, bn->alpha, p->buffers[bn->inputs[2]], o->b, o->out);
}

/* The losses, unbatched scalars over their whole inputs, and their
 * gradients, scaled by the scalar upstream gradient c. */
static void run_loss(const struct plan *p, const struct node *n, const struct operands *o)
{
    const struct kernels *k = p->kernels;
    const size_t in_floats = plan_node_floats(p, n->inputs[0]);
    switch (n->op) {
    case OP_MAE_LOSS:          o->out[0] = k->mae_loss(in_floats, o->a, o->b); break;
    case OP_MSE_LOSS:          o->out[0] = k->mse_loss(in_floats, o->a, o->b); break;
    case OP_MAE_LOSS_BACKWARD: k->mae_loss_backward(o->count, o->a, o->b, o->c[0], o->out); break;
    case OP_MSE_LOSS_BACKWARD: k->mse_loss_backward(o->count, o->a, o->b, o->c[0], o->out); break;
    case OP_SOFTMAX_CROSS_ENTROPY: /* per_sample: the classes */
        o->out[0] = softmax_cross_entropy((size_t)p->batch, o->per_sample, o->a, o->b);
        break;
    case OP_SOFTMAX_CROSS_ENTROPY_BACKWARD:
        softmax_cross_entropy_backward((size_t)p->batch, o->per_sample, o->a, o->b, o->c[0], o->out);
        break;
    default:
        break;
    }
}

static const float *input_buffer(const struct plan *p, const struct node *n, int i)
{
    return n->inputs[i] >= 0 ? p->buffers[n->inputs[i]] : NULL;
}

/* Every op has its case and no default, so that -Wswitch (in -Wall) names
 * an op added to the graph without a way to run it. */
static void run_node(const struct plan *p, int id)
{
    const struct node *n = &p->graph->nodes[id];
    const struct operands o = {
        .out = p->buffers[id],
        .a = input_buffer(p, n, 0), .b = input_buffer(p, n, 1), .c = input_buffer(p, n, 2),
        .count = plan_node_floats(p, id),
        .per_sample = n->inputs[0] >= 0 ? shape_size(&p->graph->nodes[n->inputs[0]].shape) : 0,
    };
    switch (n->op) {
    case OP_INPUT: case OP_PARAM: case OP_RESHAPE: case OP_ONES: /* given, aliased or filled at plan time */
        break;
    case OP_SGEMM:
        run_sgemm(p, id, o.out);
        break;
    case OP_CONV_TRANSPOSE2D: case OP_CONV_TRANSPOSE2D_BACKWARD_DATA: case OP_CONV_TRANSPOSE2D_BACKWARD_WEIGHTS:
        run_conv_transpose2d(p, id, &o);
        break;
    case OP_CONV2D: case OP_CONV2D_BACKWARD_DATA: case OP_CONV2D_BACKWARD_WEIGHTS:
        run_conv2d(p, id, &o);
        break;
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_SCALE: case OP_RELU: case OP_RELU_BACKWARD: case OP_SIGMOID:
    case OP_SIGMOID_BACKWARD: case OP_SWISH: case OP_SWISH_BACKWARD:
        run_elementwise(p, n, &o);
        break;
    case OP_BIAS_ADD: case OP_SUM_ROWS: case OP_SAMPLE_BROADCAST_ADD: case OP_SAMPLE_MUL: case OP_SAMPLE_SUM:
    case OP_SAMPLE_BROADCAST:
        run_broadcast(p, n, &o);
        break;
    case OP_CONCAT: case OP_SLICE: case OP_UNSLICE: case OP_AVG_POOL2: case OP_AVG_POOL2_ADJOINT:
    case OP_UPSAMPLE2: case OP_UPSAMPLE2_ADJOINT: case OP_UPSAMPLE_NEAREST: case OP_UPSAMPLE_NEAREST_ADJOINT:
    case OP_SINUSOIDAL_EMBEDDING:
        run_image_op(p, n, &o);
        break;
    case OP_BATCH_NORM: case OP_BATCH_NORM_BACKWARD:
        run_batch_norm(p, id, &o);
        break;
    case OP_MAE_LOSS: case OP_MSE_LOSS: case OP_MAE_LOSS_BACKWARD: case OP_MSE_LOSS_BACKWARD:
    case OP_SOFTMAX_CROSS_ENTROPY: case OP_SOFTMAX_CROSS_ENTROPY_BACKWARD:
        run_loss(p, n, &o);
        break;
    }
}

void plan_run(const struct plan *p)
{
    for (int i = 0; i < p->order_count; i++) {
        if (p->fused[p->order[i]])
            continue;
        if (!p->node_seconds) {
            run_node(p, p->order[i]);
            continue;
        }
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        run_node(p, p->order[i]);
        clock_gettime(CLOCK_MONOTONIC, &end);
        p->node_seconds[p->order[i]] +=
            (double)(end.tv_sec - start.tv_sec) + 1e-9 * (double)(end.tv_nsec - start.tv_nsec);
    }
}

int plan_run_to_first_nonfinite(const struct plan *p)
{
    for (int i = 0; i < p->order_count; i++) {
        const int node = p->order[i];
        if (p->fused[node])
            continue;
        run_node(p, node);
        const float *values = p->buffers[node];
        const size_t count = plan_node_floats(p, node);
        for (size_t j = 0; j < count; j++)
            if (!isfinite(values[j]))
                return node;
    }
    return -1;
}

double node_flops(const struct plan *p, int node)
{
    const struct node *n = &p->graph->nodes[node];
    if (n->op == OP_SGEMM) {
        int ar, ac, br, bc;
        matrix_of(p, n->inputs[0], &ar, &ac);
        matrix_of(p, n->inputs[1], &br, &bc);
        double m = n->layout == GEMM_TN ? ac : ar, k = n->layout == GEMM_TN ? ar : ac;
        double cols = n->layout == GEMM_NT ? br : bc;
        return 2.0 * m * cols * k;
    }
    if (op_is_conv_transpose2d(n->op)) {
        /* Every direction does the forward's multiply-adds: one per input
         * pixel, input channel, output channel and tap. */
        struct conv_transpose2d_shape s = plan_conv_transpose2d_shape(p, node);
        return 2.0 * s.batch * s.in_h * s.in_w * s.in_c * s.out_c * 9;
    }
    if (op_is_conv2d(n->op)) {
        struct conv2d_shape s = plan_conv2d_shape(p, node);
        return 2.0 * s.batch * s.height * s.width * s.in_c * s.out_c * s.kernel * s.kernel;
    }
    return 0;
}

void node_describe(const struct plan *p, int node, char *buf, size_t size)
{
    const struct node *n = &p->graph->nodes[node];
    if (n->op == OP_SGEMM) {
        int ar, ac, br, bc;
        matrix_of(p, n->inputs[0], &ar, &ac);
        matrix_of(p, n->inputs[1], &br, &bc);
        static const char *const layouts[] = { "NN", "NT", "TN" };
        snprintf(buf, size, "%s %dx%d by %dx%d", layouts[n->layout], ar, ac, br, bc);
    } else if (op_is_conv_transpose2d(n->op)) {
        struct conv_transpose2d_shape s = plan_conv_transpose2d_shape(p, node);
        snprintf(buf, size, "%dx%dx%d to %dx%dx%d", s.in_h, s.in_w, s.in_c, s.in_h * s.stride, s.in_w * s.stride,
                 s.out_c);
    } else if (op_is_conv2d(n->op)) {
        struct conv2d_shape s = plan_conv2d_shape(p, node);
        snprintf(buf, size, "%dx%d %dx%dx%d to %d", s.kernel, s.kernel, s.height, s.width, s.in_c, s.out_c);
    } else {
        snprintf(buf, size, "%zu floats", plan_node_floats(p, node));
    }
}

double plan_flops(const struct plan *p)
{
    double flops = 0;
    for (int i = 0; i < p->order_count; i++)
        flops += node_flops(p, p->order[i]);
    return flops;
}

int model_flops(const struct graph *g, int output, const struct kernels *k, double *flops, char *err, size_t errlen)
{
    float *params = calloc(g->param_floats ? g->param_floats : 1, sizeof *params); /* a plan reads no value */
    if (!params) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct plan p;
    const int status = plan_create(&p, g, k, 1, 1, &output, params, err, errlen);
    if (status == 0) {
        *flops = plan_flops(&p);
        plan_free(&p);
    }
    free(params);
    return status;
}
