/* Planning a graph for one batch size: which nodes run (those the outputs
 * depend on), which epilogues their producers' kernels take over
 * (fuse_epilogues), and where each buffer lives in the plan's one arena
 * (place_buffers). executor.c runs the plan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernels/tensor_ops.h"
#include "runtime/graph/executor.h"
#include "runtime/graph/memory_plan.h"

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

/* The forward and the weight gradient see x first; the data gradient sees
 * dy (the output) first and produces x. */
struct conv_transpose2d_shape plan_conv_transpose2d_shape(const struct plan *p, int node)
{
    const struct graph *g = p->graph;
    const struct node *n = &g->nodes[node];
    const struct shape *a = &g->nodes[n->inputs[0]].shape;
    const int data = n->op == OP_CONV_TRANSPOSE2D_BACKWARD_DATA;
    const struct shape *x = data ? &n->shape : a;
    const struct shape *y = n->op == OP_CONV_TRANSPOSE2D ? &n->shape : data ? a : &g->nodes[n->inputs[1]].shape;
    return (struct conv_transpose2d_shape){ p->batch, x->dims[0], x->dims[1], x->dims[2], y->dims[2], n->stride };
}

/* The forward and the weight gradient see x first, the data gradient sees dy. */
struct conv2d_shape plan_conv2d_shape(const struct plan *p, int node)
{
    const struct graph *g = p->graph;
    const struct node *n = &g->nodes[node];
    const struct shape *a = &g->nodes[n->inputs[0]].shape, *b = &g->nodes[n->inputs[1]].shape;
    const int data = n->op == OP_CONV2D_BACKWARD_DATA;
    int in_c = n->op == OP_CONV2D ? a->dims[2] : data ? n->shape.dims[2] : a->dims[2];
    int out_c = n->op == OP_CONV2D ? n->shape.dims[2] : data ? a->dims[2] : b->dims[2];
    return (struct conv2d_shape){ p->batch, a->dims[0], a->dims[1], in_c, out_c, n->kernel };
}

/* A forward sgemm or convolution's epilogue can add a bias and apply an
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
        if (n->op == OP_BIAS_ADD && (producer->op == OP_CONV_TRANSPOSE2D || producer->op == OP_CONV2D ||
                                     (producer->op == OP_SGEMM && producer->layout == GEMM_NN))) {
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
            (source_op == OP_CONV2D || (source_op == OP_SGEMM && g->nodes[source].layout == GEMM_NN))) {
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
        if (op_is_conv_transpose2d(op)) {
            struct conv_transpose2d_shape s = plan_conv_transpose2d_shape(p, id);
            need = conv_transpose2d_workspace_floats(&s);
        } else if (op_is_conv2d(op)) {
            struct conv2d_shape s = plan_conv2d_shape(p, id);
            need = conv2d_workspace_floats(&s);
        }
        workspace = need > workspace ? need : workspace;
    }
    if (place_buffers(p, count, outputs, params, workspace))
        goto out_of_memory;
    for (int i = 0; i < p->order_count; i++) {
        int id = p->order[i];
        if (g->nodes[id].op == OP_ONES)   /* constant: filled once here */
            fill(node_floats(g, batch, id), 1.0f, p->buffers[id]);
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
