/* Planning and running a graph: each op is one call of a kernel (or a
 * plain loop for the cheap broadcasts), over buffers fixed at plan time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "runtime/graph/executor.h"
#include "kernels/image_ops.h"
#include "runtime/graph/memory_plan.h"
#include "kernels/parallel.h"
#include "kernels/softmax.h"

static size_t node_floats(const struct graph *g, int batch, int id)
{
    const struct node *n = &g->nodes[id];
    return shape_size(&n->shape) * (n->shape.batched ? (size_t)batch : 1);
}

/* Floats a node keeps after its output: batch normalization's batch mean,
 * variance and 1 / sqrt(variance + epsilon), per channel. */
static size_t aux_floats(const struct graph *g, int id)
{
    const struct node *n = &g->nodes[id];
    return n->op == OP_BATCH_NORM ? 3 * (size_t)n->shape.dims[n->shape.rank - 1] : 0;
}

/* A node's share of the arena, rounded to whole 64-byte lines. */
static size_t node_arena_floats(const struct graph *g, int batch, int id)
{
    return (node_floats(g, batch, id) + aux_floats(g, id) + 15) / 16 * 16;
}

float *plan_batch_norm_stats(const struct plan *p, int node)
{
    return p->buffers[node] + node_floats(p->graph, p->batch, node);
}

size_t plan_node_floats(const struct plan *p, int node)
{
    return node_floats(p->graph, p->batch, node);
}

float *plan_buffer(const struct plan *p, int node)
{
    return p->buffers[node];
}

/* The conv shape of a conv-transpose node from its operands: the forward
 * and the weight gradient see x first; the data gradient sees dy (the
 * output) first and produces x. */
static struct conv_shape conv_shape_of(const struct graph *g, int batch, int id)
{
    const struct node *n = &g->nodes[id];
    const struct shape *a = &g->nodes[n->inputs[0]].shape;
    const struct shape *x = n->op == OP_CONV_TRANSPOSE_DATA ? &n->shape : a;
    const struct shape *y = n->op == OP_CONV_TRANSPOSE ? &n->shape : n->op == OP_CONV_TRANSPOSE_DATA ? a
                                                                     : &g->nodes[n->inputs[1]].shape;
    return (struct conv_shape){ batch, x->dims[0], x->dims[1], x->dims[2], y->dims[2], n->stride };
}

/* The conv2d shape of a conv2d node from its operands: the forward and the
 * weight gradient see x first, the data gradient sees dy. */
static struct conv2d_shape conv2d_shape_of(const struct graph *g, int batch, int id)
{
    const struct node *n = &g->nodes[id];
    const struct shape *a = &g->nodes[n->inputs[0]].shape, *b = &g->nodes[n->inputs[1]].shape;
    int in_c = n->op == OP_CONV2D ? a->dims[2] : n->op == OP_CONV2D_DATA ? n->shape.dims[2] : a->dims[2];
    int out_c = n->op == OP_CONV2D ? n->shape.dims[2] : n->op == OP_CONV2D_DATA ? a->dims[2] : b->dims[2];
    return (struct conv2d_shape){ batch, a->dims[0], a->dims[1], in_c, out_c, n->kernel };
}

/* A forward matmul or convolution's epilogue can add a bias and apply an
 * activation in the same pass, and a conv2d's can then add a residual. A
 * bias add whose input is such a producer that nothing else reads is done
 * by it (bias_of), and so is an activation of the result when nothing else
 * reads that either (act_of: in a forward pass; training keeps the
 * pre-activation for the activation's gradient), and an add of a conv2d's
 * result, read by nothing else, and a tensor computed before the conv2d
 * (residual_of). The nodes done by their producer become aliases of its
 * output (fused), run as nothing. */
static int fuse_epilogues(struct plan *p, const char *wanted, int count, const int *outputs)
{
    const struct graph *g = p->graph;
    int *users = calloc((size_t)g->count, sizeof *users);
    p->bias_of = malloc((size_t)g->count * sizeof *p->bias_of);
    p->act_of = malloc((size_t)g->count * sizeof *p->act_of);
    p->residual_of = malloc((size_t)g->count * sizeof *p->residual_of);
    p->fused = calloc((size_t)g->count, 1);
    if (!users || !p->bias_of || !p->act_of || !p->residual_of || !p->fused) {
        free(users);
        return -1;
    }
    for (int i = 0; i < count; i++)
        users[outputs[i]]++;
    for (int id = 0; id < g->count; id++) {
        p->bias_of[id] = p->residual_of[id] = -1;
        p->act_of[id] = ACTIVATION_NONE;
        for (int j = 0; wanted[id] && j < 3; j++)
            if (g->nodes[id].inputs[j] >= 0)
                users[g->nodes[id].inputs[j]]++;
    }
    for (int id = 0; id < g->count; id++) {
        const struct node *n = &g->nodes[id];
        if (!wanted[id] || n->inputs[0] < 0 || users[n->inputs[0]] != 1)
            continue;
        const struct node *producer = &g->nodes[n->inputs[0]];
        if (n->op == OP_BIAS_ADD && (producer->op == OP_CONV_TRANSPOSE || producer->op == OP_CONV2D ||
                                     (producer->op == OP_MATMUL && producer->layout == GEMM_NN))) {
            p->bias_of[n->inputs[0]] = n->inputs[1];
            p->fused[id] = 1;
            continue;
        }
        int source = n->inputs[0]; /* the kernel whose output the input is */
        while (p->fused[source])
            source = g->nodes[source].inputs[0];
        const enum op source_op = g->nodes[source].op;
        const enum activation act = n->op == OP_RELU ? ACTIVATION_RELU : n->op == OP_SIGMOID ? ACTIVATION_SIGMOID
                                    : n->op == OP_SWISH ? ACTIVATION_SWISH : ACTIVATION_NONE;
        if (act != ACTIVATION_NONE && p->residual_of[source] < 0 &&
            (source_op == OP_CONV2D || (source_op == OP_MATMUL && g->nodes[source].layout == GEMM_NN))) {
            p->act_of[source] = act;
            p->fused[id] = 1;
        }
        if (n->op == OP_ADD && source_op == OP_CONV2D && p->residual_of[source] < 0) {
            int residual = n->inputs[1];
            while (g->nodes[residual].op == OP_RESHAPE || p->fused[residual])
                residual = g->nodes[residual].inputs[0];
            if (residual < source && g->nodes[residual].op != OP_PARAM) {
                p->residual_of[source] = n->inputs[1];
                p->fused[id] = 1;
            }
        }
    }
    free(users);
    return 0;
}

/* The node whose buffer id's values are: itself, or for a reshape or a
 * fused bias add or activation the node it aliases; -1 for a parameter (the caller's). */
static int owner_of(const struct plan *p, int id)
{
    const struct node *nodes = p->graph->nodes;
    while (nodes[id].op == OP_RESHAPE || p->fused[id])
        id = nodes[id].inputs[0];
    return nodes[id].op == OP_PARAM ? -1 : id;
}

/* Gives every planned node its buffer: parameters in params, aliases their
 * owner's, the others a place in the arena by their lifetimes (from their
 * step in the order to their last reader's), memory_plan.h. Inputs (written
 * before the run), constants, the outputs (read after it) and batch
 * normalization's statistics (read by the trainer after it) live through
 * the whole run. The convolutions' workspace follows the buffers. */
static int place_buffers(struct plan *p, int count, const int *outputs, float *params, size_t workspace)
{
    const struct graph *g = p->graph;
    int *step_of = malloc((size_t)g->count * sizeof *step_of);
    struct lifetime *lives = malloc((size_t)p->order_count * sizeof *lives);
    size_t *offsets = malloc((size_t)p->order_count * sizeof *offsets);
    int status = -1;
    if (!step_of || !lives || !offsets)
        goto done;
    for (int i = 0; i < p->order_count; i++) {
        const int id = p->order[i];
        const enum op op = g->nodes[id].op;
        const int whole_run = op == OP_INPUT || op == OP_ONES || op == OP_BATCH_NORM;
        step_of[id] = i;
        lives[i] = (struct lifetime){ node_arena_floats(g, p->batch, id), whole_run ? 0 : i, whole_run ? INT_MAX : i };
    }
    for (int i = 0; i < p->order_count; i++)
        for (int j = 0; j < 3; j++) {
            const int input = g->nodes[p->order[i]].inputs[j];
            const int owner = input >= 0 ? owner_of(p, input) : -1;
            if (owner >= 0 && lives[step_of[owner]].last != INT_MAX && lives[step_of[owner]].last < i)
                lives[step_of[owner]].last = i;
        }
    for (int i = 0; i < count; i++) {
        const int owner = owner_of(p, outputs[i]);
        if (owner >= 0)
            lives[step_of[owner]].last = INT_MAX;
    }
    /* Aliases and parameters take no arena space of their own. */
    for (int i = 0; i < p->order_count; i++)
        if (owner_of(p, p->order[i]) != p->order[i])
            lives[i] = (struct lifetime){ 0, i, i };
    const size_t arena = memory_plan(lives, p->order_count, offsets);
    if (arena == (size_t)-1)
        goto done;
    p->arena_floats = arena + workspace;
    p->arena = aligned_alloc(64, (p->arena_floats * sizeof(float) + 63) / 64 * 64);
    if (!p->arena)
        goto done;
    for (int i = 0; i < p->order_count; i++) {
        const int id = p->order[i], owner = owner_of(p, id);
        if (g->nodes[id].op == OP_PARAM)
            p->buffers[id] = params + g->nodes[id].param_offset;
        else if (owner != id) /* an alias: its input, earlier in the order, already has its buffer */
            p->buffers[id] = p->buffers[g->nodes[id].inputs[0]];
        else
            p->buffers[id] = p->arena + offsets[i];
    }
    p->workspace = p->arena + arena;
    status = 0;
done:
    free(step_of);
    free(lives);
    free(offsets);
    return status;
}

int plan_create(struct plan *p, const struct graph *g, const struct kernels *k, int batch,
                int count, const int *outputs, float *params, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->graph = g;
    p->kernels = k;
    p->batch = batch;
    char *wanted = calloc((size_t)g->count, 1);
    p->order = malloc((size_t)g->count * sizeof *p->order);
    p->buffers = calloc((size_t)g->count, sizeof *p->buffers);
    if (!wanted || !p->order || !p->buffers)
        goto out_of_memory;

    /* Keep what the outputs depend on: inputs come before their users, so
     * one backward sweep marks everything. */
    for (int i = 0; i < count; i++)
        wanted[outputs[i]] = 1;
    for (int id = g->count - 1; id >= 0; id--)
        if (wanted[id])
            for (int j = 0; j < 3; j++)
                if (g->nodes[id].inputs[j] >= 0)
                    wanted[g->nodes[id].inputs[j]] = 1;

    if (fuse_epilogues(p, wanted, count, outputs) != 0)
        goto out_of_memory;

    size_t workspace = 0;
    for (int id = 0; id < g->count; id++) {
        if (!wanted[id])
            continue;
        p->order[p->order_count++] = id;
        enum op op = g->nodes[id].op;
        size_t need = 0;
        if (op == OP_CONV_TRANSPOSE || op == OP_CONV_TRANSPOSE_DATA || op == OP_CONV_TRANSPOSE_WEIGHTS) {
            struct conv_shape s = conv_shape_of(g, batch, id);
            need = conv_transpose2d_workspace_floats(&s);
        } else if (op == OP_CONV2D || op == OP_CONV2D_DATA || op == OP_CONV2D_WEIGHTS) {
            struct conv2d_shape s = conv2d_shape_of(g, batch, id);
            need = conv2d_workspace_floats(&s);
        }
        workspace = need > workspace ? need : workspace;
    }
    if (place_buffers(p, count, outputs, params, workspace))
        goto out_of_memory;
    for (int i = 0; i < p->order_count; i++) {
        int id = p->order[i];
        if (g->nodes[id].op == OP_ONES)   /* constant: filled once here */
            for (size_t j = 0; j < node_floats(g, batch, id); j++)
                p->buffers[id][j] = 1.0f;
    }
    free(wanted);
    return 0;

out_of_memory:
    free(wanted);
    plan_free(p);
    snprintf(err, errlen, "out of memory planning the graph for batch %d", batch);
    return -1;
}

void plan_free(struct plan *p)
{
    free(p->bias_of);
    free(p->act_of);
    free(p->residual_of);
    free(p->fused);
    free(p->order);
    free(p->buffers);
    free(p->arena);
    memset(p, 0, sizeof *p);
}

/* A node's operand as a matrix (see graph_matmul): rows x cols. */
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

static void run_matmul(const struct plan *p, int id, float *out)
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

static void run_node(const struct plan *p, int id)
{
    const struct graph *g = p->graph;
    const struct kernels *k = p->kernels;
    const struct node *n = &g->nodes[id];
    float *out = p->buffers[id];
    const float *a = n->inputs[0] >= 0 ? p->buffers[n->inputs[0]] : NULL;
    const float *b = n->inputs[1] >= 0 ? p->buffers[n->inputs[1]] : NULL;
    const size_t count = node_floats(g, p->batch, id);
    /* Per-sample size of the first operand, for the broadcasts. */
    const size_t per_sample = n->inputs[0] >= 0 ? shape_size(&g->nodes[n->inputs[0]].shape) : 0;
    switch (n->op) {
    case OP_INPUT: case OP_PARAM: case OP_RESHAPE: case OP_ONES:
        break;
    case OP_MATMUL:
        run_matmul(p, id, out);
        break;
    case OP_CONV_TRANSPOSE: {
        struct conv_shape s = conv_shape_of(g, p->batch, id);
        k->conv_transpose2d(&s, a, b, fused_bias(p, id), out, p->workspace);
        break;
    }
    case OP_CONV_TRANSPOSE_DATA: {
        struct conv_shape s = conv_shape_of(g, p->batch, id);
        k->conv_transpose2d_backward_data(&s, a, b, out, p->workspace);
        break;
    }
    case OP_CONV_TRANSPOSE_WEIGHTS: {
        struct conv_shape s = conv_shape_of(g, p->batch, id);
        k->conv_transpose2d_backward_weights(&s, a, b, out, 0, p->workspace);
        break;
    }
    case OP_CONV2D: {
        struct conv2d_shape s = conv2d_shape_of(g, p->batch, id);
        k->conv2d(&s, a, b, fused_bias(p, id), p->act_of[id],
                  p->residual_of[id] >= 0 ? p->buffers[p->residual_of[id]] : NULL, out, p->workspace);
        break;
    }
    case OP_CONV2D_DATA: {
        struct conv2d_shape s = conv2d_shape_of(g, p->batch, id);
        k->conv2d_backward_data(&s, a, b, out, p->workspace);
        break;
    }
    case OP_CONV2D_WEIGHTS: {
        struct conv2d_shape s = conv2d_shape_of(g, p->batch, id);
        k->conv2d_backward_weights(&s, a, b, out, 0, p->workspace);
        break;
    }
    case OP_CONCAT:
        concat_channels(count / (size_t)n->shape.dims[2], g->nodes[n->inputs[0]].shape.dims[2],
                        g->nodes[n->inputs[1]].shape.dims[2], a, b, out);
        break;
    case OP_SLICE:
        slice_channels(count / (size_t)n->channels, g->nodes[n->inputs[0]].shape.dims[2], n->offset, n->channels,
                       a, out);
        break;
    case OP_UNSLICE:
        unslice_channels(count / (size_t)n->channels, n->channels, n->offset, g->nodes[n->inputs[0]].shape.dims[2],
                         a, out);
        break;
    case OP_AVG_POOL:
        avg_pool2(p->batch, n->shape.dims[0], n->shape.dims[1], n->shape.dims[2], a, out);
        break;
    case OP_AVG_POOL_ADJOINT:
        avg_pool2_adjoint(p->batch, n->shape.dims[0] / 2, n->shape.dims[1] / 2, n->shape.dims[2], a, out);
        break;
    case OP_UPSAMPLE:
        upsample_bilinear2(p->batch, n->shape.dims[0] / 2, n->shape.dims[1] / 2, n->shape.dims[2], a, out);
        break;
    case OP_UPSAMPLE_ADJOINT:
        upsample_bilinear2_adjoint(p->batch, n->shape.dims[0], n->shape.dims[1], n->shape.dims[2], a, out);
        break;
    case OP_PIXEL_BROADCAST:
        pixel_broadcast(p->batch, (size_t)n->shape.dims[0] * n->shape.dims[1], n->shape.dims[2], a, out);
        break;
    case OP_PIXEL_SUM:
        pixel_sum(p->batch, per_sample / (size_t)n->shape.dims[2], n->shape.dims[2], a, out);
        break;
    case OP_SINUSOIDAL:
        sinusoidal_embedding(p->batch, n->shape.dims[2], n->alpha, n->beta, a, out);
        break;
    case OP_BATCH_NORM: {
        const int channels = n->shape.dims[2];
        float *stats = plan_batch_norm_stats(p, id);
        if (p->training)
            batch_norm_train(count / (size_t)channels, channels, n->alpha, a, out, stats, stats + channels,
                             stats + 2 * channels);
        else
            batch_norm_infer(count / (size_t)channels, channels, n->alpha, a, b, p->buffers[n->inputs[2]], out);
        break;
    }
    case OP_BATCH_NORM_GRAD: {
        const struct node *bn = &g->nodes[n->inputs[0]];
        const int channels = n->shape.dims[2];
        if (p->training) {
            batch_norm_backward(count / (size_t)channels, channels, a, plan_batch_norm_stats(p, n->inputs[0]) +
                                2 * channels, b, out);
            break;
        }
        /* With the moving statistics the layer is the affine map x / sqrt(variance + epsilon) + c. */
        const float *variance = p->buffers[bn->inputs[2]];
        for (size_t i = 0; i < count; i += (size_t)channels)
            for (int c = 0; c < channels; c++)
                out[i + c] = b[i + c] / sqrtf(variance[c] + bn->alpha);
        break;
    }
    case OP_BIAS_ADD: {
        const size_t channels = (size_t)n->shape.dims[n->shape.rank - 1];
        for (size_t i = 0; i < count; i += channels)
            for (size_t c = 0; c < channels; c++)
                out[i + c] = a[i + c] + b[c];
        break;
    }
    case OP_CHANNEL_SUM: {
        const size_t channels = (size_t)n->shape.dims[0];
        parallel_sum_rows(k->sum_rows, node_floats(g, p->batch, n->inputs[0]) / channels, channels, a, out);
        break;
    }
    case OP_ADD:
        parallel_binary(k->add, count, a, b, out);
        break;
    case OP_SUB:
        for (size_t i = 0; i < count; i++)
            out[i] = a[i] - b[i];
        break;
    case OP_MUL:
        parallel_binary(k->mul, count, a, b, out);
        break;
    case OP_SCALE:
        k->scale(count, n->alpha, a, out);
        break;
    case OP_SAMPLE_BROADCAST_ADD:
        for (int s = 0; s < p->batch; s++)
            for (size_t i = 0; i < per_sample; i++)
                out[s * per_sample + i] = a[s * per_sample + i] + b[s];
        break;
    case OP_SAMPLE_MUL:
        for (int s = 0; s < p->batch; s++)
            for (size_t i = 0; i < per_sample; i++)
                out[s * per_sample + i] = a[s * per_sample + i] * b[s];
        break;
    case OP_SAMPLE_SUM:
        for (int s = 0; s < p->batch; s++)
            out[s] = k->sum(per_sample, a + s * per_sample);
        break;
    case OP_SAMPLE_BROADCAST: {
        const size_t size = shape_size(&n->shape);
        for (int s = 0; s < p->batch; s++)
            for (size_t i = 0; i < size; i++)
                out[s * size + i] = a[s];
        break;
    }
    case OP_RELU:
        parallel_unary(k->relu, count, a, out);
        break;
    case OP_RELU_GRAD:
        parallel_unary_backward(k->relu_backward, count, a, b, out);
        break;
    case OP_SIGMOID:
        parallel_unary(k->sigmoid, count, a, out);
        break;
    case OP_SIGMOID_GRAD:
        parallel_unary_backward(k->sigmoid_backward, count, a, b, out);
        break;
    case OP_SWISH:
        parallel_unary(k->swish, count, a, out);
        break;
    case OP_SWISH_GRAD:
        parallel_unary_backward(k->swish_backward, count, a, b, out);
        break;
    case OP_MAE:
        out[0] = k->mae_loss(node_floats(g, p->batch, n->inputs[0]), a, b);
        break;
    case OP_MSE:
        out[0] = k->mse_loss(node_floats(g, p->batch, n->inputs[0]), a, b);
        break;
    case OP_MAE_GRAD:
        k->mae_loss_backward(count, a, b, p->buffers[n->inputs[2]][0], out);
        break;
    case OP_MSE_GRAD:
        k->mse_loss_backward(count, a, b, p->buffers[n->inputs[2]][0], out);
        break;
    case OP_SOFTMAX_CROSS_ENTROPY:  /* per_sample: the classes */
        out[0] = softmax_cross_entropy((size_t)p->batch, per_sample, a, b);
        break;
    case OP_SOFTMAX_CROSS_ENTROPY_GRAD:
        softmax_cross_entropy_backward((size_t)p->batch, per_sample, a, b, p->buffers[n->inputs[2]][0], out);
        break;
    case OP_COUNT_:
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
        p->node_seconds[p->order[i]] += (double)(end.tv_sec - start.tv_sec) + 1e-9 * (double)(end.tv_nsec - start.tv_nsec);
    }
}

double node_flops(const struct plan *p, int node)
{
    const struct node *n = &p->graph->nodes[node];
    if (n->op == OP_MATMUL) {
        int ar, ac, br, bc;
        matrix_of(p, n->inputs[0], &ar, &ac);
        matrix_of(p, n->inputs[1], &br, &bc);
        double m = n->layout == GEMM_TN ? ac : ar, k = n->layout == GEMM_TN ? ar : ac;
        double cols = n->layout == GEMM_NT ? br : bc;
        return 2.0 * m * cols * k;
    }
    if (n->op == OP_CONV_TRANSPOSE || n->op == OP_CONV_TRANSPOSE_DATA || n->op == OP_CONV_TRANSPOSE_WEIGHTS) {
        /* Every direction does the forward's multiply-adds: one per input
         * pixel, input channel, output channel and tap. */
        struct conv_shape s = conv_shape_of(p->graph, p->batch, node);
        return 2.0 * s.batch * s.in_h * s.in_w * s.in_c * s.out_c * 9;
    }
    if (n->op == OP_CONV2D || n->op == OP_CONV2D_DATA || n->op == OP_CONV2D_WEIGHTS) {
        struct conv2d_shape s = conv2d_shape_of(p->graph, p->batch, node);
        return 2.0 * s.batch * s.height * s.width * s.in_c * s.out_c * s.kernel * s.kernel;
    }
    return 0;
}

void node_describe(const struct plan *p, int node, char *buf, size_t size)
{
    const struct node *n = &p->graph->nodes[node];
    if (n->op == OP_MATMUL) {
        int ar, ac, br, bc;
        matrix_of(p, n->inputs[0], &ar, &ac);
        matrix_of(p, n->inputs[1], &br, &bc);
        static const char *const layouts[] = { "NN", "NT", "TN" };
        snprintf(buf, size, "%s %dx%d by %dx%d", layouts[n->layout], ar, ac, br, bc);
    } else if (n->op == OP_CONV_TRANSPOSE || n->op == OP_CONV_TRANSPOSE_DATA || n->op == OP_CONV_TRANSPOSE_WEIGHTS) {
        struct conv_shape s = conv_shape_of(p->graph, p->batch, node);
        snprintf(buf, size, "%dx%dx%d to %dx%dx%d", s.in_h, s.in_w, s.in_c, s.in_h * s.stride, s.in_w * s.stride,
                 s.out_c);
    } else if (n->op == OP_CONV2D || n->op == OP_CONV2D_DATA || n->op == OP_CONV2D_WEIGHTS) {
        struct conv2d_shape s = conv2d_shape_of(p->graph, p->batch, node);
        snprintf(buf, size, "%dx%d %dx%dx%d to %d", s.kernel, s.kernel, s.height, s.width, s.in_c, s.out_c);
    } else {
        snprintf(buf, size, "%zu floats", node_floats(p->graph, p->batch, node));
    }
}

double plan_flops(const struct plan *p)
{
    double flops = 0;
    for (int i = 0; i < p->order_count; i++)
        flops += node_flops(p, p->order[i]);
    return flops;
}
