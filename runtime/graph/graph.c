/* The graph: node creation with shape inference and checks, and the layers
 * of the Lua API as compositions of primitive ops. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/graph/graph.h"
#include "runtime/graph/graph_build.h"

void graph_init(struct graph *g)
{
    memset(g, 0, sizeof *g);
}

/* "sgemm", "conv_transpose2d", ...: each op's one name (graph_ops.h). */
static const char *const op_names[] = {
#define OP_NAME(op, name) [op] = #name,
    GRAPH_OPS(OP_NAME)
#undef OP_NAME
};
_Static_assert(sizeof op_names / sizeof op_names[0] == OP_COUNT, "graph_ops.h gives every op one name");

const char *graph_op_name(enum op op)
{
    return (int)op >= 0 && (int)op < OP_COUNT ? op_names[op] : "?";
}

void graph_free(struct graph *g)
{
    free(g->nodes);
    memset(g, 0, sizeof *g);
}

void graph_truncate(struct graph *g, int count)
{
    if (count < g->count)
        g->count = count;
}

size_t shape_size(const struct shape *s)
{
    size_t n = 1;
    for (int i = 0; i < s->rank; i++)
        n *= (size_t)s->dims[i];
    return n;
}

void graph_set_location(struct graph *g, const char *location)
{
    snprintf(g->location, sizeof g->location, "%s", location);
}

void format_shape(char *buf, size_t size, const struct shape *s)
{
    int used = snprintf(buf, size, s->batched ? "(batch" : "(");
    for (int i = 0; i < s->rank && used > 0 && (size_t)used < size; i++)
        used += snprintf(buf + used, size - (size_t)used, "%s%d", i || s->batched ? ", " : "", s->dims[i]);
    if (used > 0 && (size_t)used < size)
        snprintf(buf + used, size - (size_t)used, ")");
}

int fail(struct graph *g, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(g->error, sizeof g->error, format, args);
    va_end(args);
    return -1;
}

int valid_node(const struct graph *g, int id)
{
    return id >= 0 && id < g->count;
}

int add_node(struct graph *g, enum op op, int a, int b, int c, const struct shape *shape)
{
    /* A copy first: callers pass shapes of existing nodes, which the
     * realloc below may move. */
    const struct shape copy = *shape;
    if (g->count == g->capacity) {
        int capacity = g->capacity ? 2 * g->capacity : 64;
        struct node *nodes = realloc(g->nodes, (size_t)capacity * sizeof *nodes);
        if (!nodes)
            return fail(g, "out of memory building the graph");
        g->nodes = nodes;
        g->capacity = capacity;
    }
    struct node *n = &g->nodes[g->count];
    memset(n, 0, sizeof *n);
    n->op = op;
    n->inputs[0] = a;
    n->inputs[1] = b;
    n->inputs[2] = c;
    n->shape = copy;
    snprintf(n->location, sizeof n->location, "%s", g->location);
    return g->count++;
}

const struct shape *shape_of(const struct graph *g, int id)
{
    return &g->nodes[id].shape;
}

int shape_equal(const struct shape *a, const struct shape *b)
{
    if (a->rank != b->rank || a->batched != b->batched)
        return 0;
    for (int i = 0; i < a->rank; i++)
        if (a->dims[i] != b->dims[i])
            return 0;
    return 1;
}

/* Everything of a node but where it was written. */
static int node_equal(const struct node *a, const struct node *b)
{
    return a->op == b->op && memcmp(a->inputs, b->inputs, sizeof a->inputs) == 0 &&
           shape_equal(&a->shape, &b->shape) && a->layout == b->layout && a->stride == b->stride &&
           a->kernel == b->kernel && a->offset == b->offset && a->channels == b->channels && a->alpha == b->alpha &&
           a->beta == b->beta && a->param_offset == b->param_offset && a->init == b->init && a->state == b->state &&
           a->fan_in == b->fan_in && a->fan_out == b->fan_out && strcmp(a->name, b->name) == 0;
}

int graph_same_model(const struct graph *a, const struct graph *b)
{
    if (a->count != b->count || a->param_floats != b->param_floats)
        return 0;
    for (int i = 0; i < a->count; i++)
        if (!node_equal(&a->nodes[i], &b->nodes[i]))
            return 0;
    return 1;
}

struct shape make_shape(int batched, int rank, const int *dims)
{
    struct shape s = { .rank = rank, .batched = batched };
    for (int i = 0; i < rank; i++)
        s.dims[i] = dims[i];
    return s;
}

/* ---- primitive ops --------------------------------------------------------- */

/* A tensor as a matrix for OP_SGEMM: a batched tensor is (batch x size),
 * an unbatched rank-2 tensor is itself; MATRIX_BATCH stands for the batch. */
#define MATRIX_BATCH -1
static int matrix_view(const struct shape *s, int *rows, int *cols)
{
    if (s->batched) {
        *rows = MATRIX_BATCH;
        *cols = (int)shape_size(s);
        return 0;
    }
    if (s->rank != 2)
        return -1;
    *rows = s->dims[0];
    *cols = s->dims[1];
    return 0;
}

int graph_sgemm(struct graph *g, enum gemm_layout layout, int a, int b)
{
    int ar, ac, br, bc;
    if (!valid_node(g, a) || !valid_node(g, b))
        return fail(g, "sgemm of an unknown tensor");
    if (matrix_view(shape_of(g, a), &ar, &ac) || matrix_view(shape_of(g, b), &br, &bc))
        return fail(g, "sgemm needs batched or rank-2 operands");
    int m = layout == GEMM_TN ? ac : ar, k = layout == GEMM_TN ? ar : ac;
    int kb = layout == GEMM_NT ? bc : br, n = layout == GEMM_NT ? br : bc;
    if (k != kb || n == MATRIX_BATCH)
        return fail(g, "sgemm operands do not fit: inner sizes %d and %d", k, kb);
    struct shape out = m == MATRIX_BATCH ? make_shape(1, 1, &n) : make_shape(0, 2, (int[]){ m, n });
    int id = add_node(g, OP_SGEMM, a, b, -1, &out);
    if (id >= 0)
        g->nodes[id].layout = layout;
    return id;
}

int graph_conv_transpose2d_op(struct graph *g, enum op op, int a, int b, int stride)
{
    if (!valid_node(g, a) || !valid_node(g, b))
        return fail(g, "conv_transpose2d of an unknown tensor");
    const struct shape *sa = shape_of(g, a), *sb = shape_of(g, b);
    struct shape out;
    /* Shapes: x (h, w, cin), w (3, 3, cout, cin), y (h*s, w*s, cout). */
    if (op == OP_CONV_TRANSPOSE2D) {
        out = make_shape(1, 3, (int[]){ sa->dims[0] * stride, sa->dims[1] * stride, sb->dims[2] });
    } else if (op == OP_CONV_TRANSPOSE2D_BACKWARD_DATA) { /* (dy, w) -> x */
        out = make_shape(1, 3, (int[]){ sa->dims[0] / stride, sa->dims[1] / stride, sb->dims[3] });
    } else { /* OP_CONV_TRANSPOSE2D_BACKWARD_WEIGHTS: (x, dy) -> w */
        out = make_shape(0, 4, (int[]){ 3, 3, sb->dims[2], sa->dims[2] });
    }
    int id = add_node(g, op, a, b, -1, &out);
    if (id >= 0)
        g->nodes[id].stride = stride;
    return id;
}

int graph_scale(struct graph *g, int x, float alpha)
{
    if (!valid_node(g, x))
        return fail(g, "scale of an unknown tensor");
    int id = add_node(g, OP_SCALE, x, -1, -1, shape_of(g, x));
    if (id >= 0)
        g->nodes[id].alpha = alpha;
    return id;
}

int graph_ones(struct graph *g, const struct shape *shape)
{
    return add_node(g, OP_ONES, -1, -1, -1, shape);
}

int graph_reshape_to(struct graph *g, int x, const struct shape *shape)
{
    if (!valid_node(g, x))
        return fail(g, "reshape of an unknown tensor");
    if (shape_size(shape) != shape_size(shape_of(g, x)) || shape->batched != shape_of(g, x)->batched) {
        char from[64], to[64];
        format_shape(from, sizeof from, shape_of(g, x));
        format_shape(to, sizeof to, shape);
        return fail(g, "cannot reshape %s (%zu values) to %s (%zu values)", from, shape_size(shape_of(g, x)), to,
                    shape_size(shape));
    }
    if (shape_equal(shape, shape_of(g, x)))
        return x;
    return add_node(g, OP_RESHAPE, x, -1, -1, shape);
}

int graph_sample_broadcast(struct graph *g, int x, const struct shape *shape)
{
    if (!valid_node(g, x))
        return fail(g, "broadcast of an unknown tensor");
    return add_node(g, OP_SAMPLE_BROADCAST, x, -1, -1, shape);
}

/* Ops whose output has the shape of one input, checked against the others. */
int graph_op(struct graph *g, enum op op, int a, int b, int c)
{
    const int inputs[3] = { a, b, c };
    for (int i = 0; i < 3; i++)
        if (inputs[i] != -1 && !valid_node(g, inputs[i]))
            return fail(g, "op on an unknown tensor");
    struct shape out;
    char sa[64], sb[64];
    switch (op) {
    case OP_ADD: case OP_SUB: case OP_MUL:
        if (!shape_equal(shape_of(g, a), shape_of(g, b))) {
            format_shape(sa, sizeof sa, shape_of(g, a));
            format_shape(sb, sizeof sb, shape_of(g, b));
            return fail(g, "shapes %s and %s differ", sa, sb);
        }
        out = *shape_of(g, a);
        break;
    case OP_RELU: case OP_SIGMOID: case OP_SWISH: case OP_BIAS_ADD: case OP_SAMPLE_BROADCAST_ADD: case OP_SAMPLE_MUL:
        out = *shape_of(g, a);
        break;
    case OP_RELU_BACKWARD: case OP_SIGMOID_BACKWARD: case OP_SWISH_BACKWARD:
        out = *shape_of(g, b);
        break;
    case OP_SUM_ROWS: {
        const struct shape *s = shape_of(g, a);
        out = make_shape(0, 1, &s->dims[s->rank - 1]);
        break;
    }
    case OP_SAMPLE_SUM: {
        out = *shape_of(g, a);
        for (int i = 0; i < out.rank; i++)
            out.dims[i] = 1;
        break;
    }
    case OP_MAE_LOSS: case OP_MSE_LOSS:
        if (!shape_equal(shape_of(g, a), shape_of(g, b)))
            return fail(g, "loss of tensors of different shapes");
        out = make_shape(0, 0, NULL);
        break;
    case OP_SOFTMAX_CROSS_ENTROPY:
        if (b < 0)
            return fail(g, "softmax cross-entropy needs labels");
        if (!shape_equal(shape_of(g, a), shape_of(g, b)) || !shape_of(g, a)->batched || shape_of(g, a)->rank != 1) {
            format_shape(sa, sizeof sa, shape_of(g, a));
            format_shape(sb, sizeof sb, shape_of(g, b));
            return fail(g, "softmax cross-entropy needs logits and labels of one shape (batch, classes), got %s "
                        "and %s", sa, sb);
        }
        out = make_shape(0, 0, NULL);
        break;
    case OP_MAE_LOSS_BACKWARD: case OP_MSE_LOSS_BACKWARD: case OP_SOFTMAX_CROSS_ENTROPY_BACKWARD:
        out = *shape_of(g, a);
        break;
    default:
        return fail(g, "graph_op cannot build op %d", (int)op);
    }
    return add_node(g, op, a, b, c, &out);
}

/* ---- layers ------------------------------------------------------------------- */

int add_param(struct graph *g, const char *layer, const char *what, struct shape shape,
              int glorot, int fan_in, int fan_out)
{
    int id = add_node(g, OP_PARAM, -1, -1, -1, &shape);
    if (id < 0)
        return id;
    struct node *n = &g->nodes[id];
    n->param_offset = g->param_floats;
    n->init = glorot ? INIT_GLOROT_UNIFORM : INIT_ZEROS;
    n->fan_in = fan_in;
    n->fan_out = fan_out;
    snprintf(n->name, sizeof n->name, "%s.%s", layer, what);
    g->param_floats += shape_size(&shape);
    return id;
}

int graph_input(struct graph *g, const char *name, int rank, const int *dims)
{
    if (rank < 1 || rank > GRAPH_MAX_RANK)
        return fail(g, "an input has 1 to %d dimensions (without the batch), got %d", GRAPH_MAX_RANK, rank);
    for (int i = 0; i < rank; i++)
        if (dims[i] < 1)
            return fail(g, "input dimension %d is %d, expected a positive size", i + 1, dims[i]);
    struct shape s = make_shape(1, rank, dims);
    int id = add_node(g, OP_INPUT, -1, -1, -1, &s);
    if (id >= 0)
        snprintf(g->nodes[id].name, sizeof g->nodes[id].name, "%s", name);
    return id;
}

int graph_activation(struct graph *g, int x, enum activation act)
{
    switch (act) {
    case ACTIVATION_NONE:    return x;
    case ACTIVATION_RELU:    return graph_op(g, OP_RELU, x, -1, -1);
    case ACTIVATION_SIGMOID: return graph_op(g, OP_SIGMOID, x, -1, -1);
    case ACTIVATION_SWISH:   return graph_op(g, OP_SWISH, x, -1, -1);
    }
    return fail(g, "unknown activation");
}

int graph_dense(struct graph *g, int x, int units, enum activation act)
{
    if (!valid_node(g, x))
        return fail(g, "dense of an unknown tensor");
    const struct shape *in = shape_of(g, x);
    if (!in->batched || in->rank != 1) {
        char s[64];
        format_shape(s, sizeof s, in);
        return fail(g, "dense expects a flat input (batch, features), got %s: flatten it first", s);
    }
    if (units < 1)
        return fail(g, "dense needs at least 1 unit, got %d", units);
    int features = in->dims[0];
    char layer[24];
    snprintf(layer, sizeof layer, "dense_%d", ++g->layer_count);
    int w = add_param(g, layer, "kernel", make_shape(0, 2, (int[]){ features, units }), 1, features, units);
    int b = add_param(g, layer, "bias", make_shape(0, 1, &units), 0, 0, 0);
    if (w < 0 || b < 0)
        return -1;
    int y = graph_sgemm(g, GEMM_NN, x, w);
    y = y < 0 ? y : graph_op(g, OP_BIAS_ADD, y, b, -1);
    return y < 0 ? y : graph_activation(g, y, act);
}

int graph_conv_transpose2d(struct graph *g, int x, int filters, int stride, enum activation act)
{
    if (!valid_node(g, x))
        return fail(g, "conv_transpose2d of an unknown tensor");
    const struct shape *in = shape_of(g, x);
    if (!in->batched || in->rank != 3) {
        char s[64];
        format_shape(s, sizeof s, in);
        return fail(g, "conv_transpose2d expects an image (batch, height, width, channels), got %s", s);
    }
    if (stride != 1 && stride != 2)
        return fail(g, "conv_transpose2d stride must be 1 or 2, got %d", stride);
    if (filters < 1)
        return fail(g, "conv_transpose2d needs at least 1 filter, got %d", filters);
    int channels = in->dims[2];
    char layer[32];
    snprintf(layer, sizeof layer, "conv_transpose2d_%d", ++g->layer_count);
    /* Keras' kernel (3, 3, filters, channels); its Glorot fans count the
     * 3x3 receptive field times the last two axes. */
    int w = add_param(g, layer, "kernel", make_shape(0, 4, (int[]){ 3, 3, filters, channels }), 1, 9 * filters,
                      9 * channels);
    int b = add_param(g, layer, "bias", make_shape(0, 1, &filters), 0, 0, 0);
    if (w < 0 || b < 0)
        return -1;
    int y = graph_conv_transpose2d_op(g, OP_CONV_TRANSPOSE2D, x, w, stride);
    y = y < 0 ? y : graph_op(g, OP_BIAS_ADD, y, b, -1);
    return y < 0 ? y : graph_activation(g, y, act);
}

int graph_reshape(struct graph *g, int x, int rank, const int *dims)
{
    if (!valid_node(g, x))
        return fail(g, "reshape of an unknown tensor");
    if (rank < 1 || rank > GRAPH_MAX_RANK)
        return fail(g, "reshape to 1 to %d dimensions (without the batch), got %d", GRAPH_MAX_RANK, rank);
    struct shape s = make_shape(1, rank, dims);
    return graph_reshape_to(g, x, &s);
}

int graph_flatten(struct graph *g, int x)
{
    if (!valid_node(g, x))
        return fail(g, "flatten of an unknown tensor");
    int size = (int)shape_size(shape_of(g, x));
    return graph_reshape(g, x, 1, &size);
}

int graph_add_layer(struct graph *g, int a, int b)
{
    if (!valid_node(g, a) || !valid_node(g, b))
        return fail(g, "add of an unknown tensor");
    const struct shape *sa = shape_of(g, a), *sb = shape_of(g, b);
    if (shape_equal(sa, sb))
        return graph_op(g, OP_ADD, a, b, -1);
    /* x + t with t one value per sample (the seed's noise level). */
    if (sa->batched && sb->batched && shape_size(sb) == 1)
        return graph_op(g, OP_SAMPLE_BROADCAST_ADD, a, b, -1);
    if (sa->batched && sb->batched && shape_size(sa) == 1)
        return graph_op(g, OP_SAMPLE_BROADCAST_ADD, b, a, -1);
    char fa[64], fb[64];
    format_shape(fa, sizeof fa, sa);
    format_shape(fb, sizeof fb, sb);
    return fail(g, "add needs equal shapes or one value per sample, got %s and %s", fa, fb);
}
