/* The U-Net's ops and layers (the Keras DDIM example's residual U-Net):
 * conv2d, channel concatenation, 2x2 average pooling, 2x bilinear
 * upsampling, the noise-level embedding and its broadcast to the image,
 * batch normalization.
 * Each op's gradient is again one of these ops (see autograd.c): the
 * linear ones come in pairs with their transposes. */
#include <stdio.h>
#include "runtime/graph/graph_build.h"

static int check_image(struct graph *g, int x, const char *layer)
{
    if (!valid_node(g, x))
        return fail(g, "%s of an unknown tensor", layer);
    const struct shape *s = shape_of(g, x);
    if (!s->batched || s->rank != 3) {
        char text[64];
        format_shape(text, sizeof text, s);
        return fail(g, "%s expects an image (batch, height, width, channels), got %s", layer, text);
    }
    return 0;
}

int graph_conv2d_op(struct graph *g, enum op op, int a, int b, int kernel)
{
    if (!valid_node(g, a) || !valid_node(g, b))
        return fail(g, "conv2d of an unknown tensor");
    const struct shape *sa = shape_of(g, a), *sb = shape_of(g, b);
    struct shape out;
    /* Shapes: x (h, w, cin), w (k, k, cin, cout), y (h, w, cout). */
    if (op == OP_CONV2D)
        out = make_shape(1, 3, (int[]){ sa->dims[0], sa->dims[1], sb->dims[3] });
    else if (op == OP_CONV2D_BACKWARD_DATA) /* (dy, w) -> x */
        out = make_shape(1, 3, (int[]){ sa->dims[0], sa->dims[1], sb->dims[2] });
    else /* OP_CONV2D_BACKWARD_WEIGHTS: (x, dy) -> w */
        out = make_shape(0, 4, (int[]){ kernel, kernel, sa->dims[2], sb->dims[2] });
    int id = add_node(g, op, a, b, -1, &out);
    if (id >= 0)
        g->nodes[id].kernel = kernel;
    return id;
}

int graph_conv2d(struct graph *g, int x, int filters, int kernel, enum activation act, int zero_kernel)
{
    if (check_image(g, x, "conv2d"))
        return -1;
    if (kernel != 1 && kernel != 3)
        return fail(g, "conv2d kernel_size must be 1 or 3, got %d", kernel);
    if (filters < 1)
        return fail(g, "conv2d needs at least 1 filter, got %d", filters);
    int channels = shape_of(g, x)->dims[2];
    char layer[24];
    snprintf(layer, sizeof layer, "conv2d_%d", ++g->layer_count);
    /* Keras' kernel (k, k, channels, filters); Glorot fans: the receptive
     * field times the input and output channels. */
    int w = add_param(g, layer, "kernel", make_shape(0, 4, (int[]){ kernel, kernel, channels, filters }),
                      !zero_kernel, kernel * kernel * channels, kernel * kernel * filters);
    int b = add_param(g, layer, "bias", make_shape(0, 1, &filters), 0, 0, 0);
    if (w < 0 || b < 0)
        return -1;
    int y = graph_conv2d_op(g, OP_CONV2D, x, w, kernel);
    y = y < 0 ? y : graph_op(g, OP_BIAS_ADD, y, b, -1);
    return y < 0 ? y : graph_activation(g, y, act);
}

int graph_movement_op(struct graph *g, enum op op, int x, int offset, int channels)
{
    if (check_image(g, x, graph_op_name(op)))
        return -1;
    const struct shape *s = shape_of(g, x);
    int h = s->dims[0], w = s->dims[1], c = s->dims[2];
    switch (op) {
    case OP_SLICE:
        if (offset < 0 || channels < 1 || offset + channels > c)
            return fail(g, "slice of channels %d..%d of %d", offset, offset + channels, c);
        c = channels;
        break;
    case OP_UNSLICE:
        if (offset < 0 || offset + c > channels)
            return fail(g, "unslice of %d channels at %d into %d", c, offset, channels);
        c = channels;
        break;
    case OP_AVG_POOL2:
        if (h % 2 || w % 2)
            return fail(g, "avg_pool2 needs an even height and width, got %dx%d", h, w);
        h /= 2, w /= 2;
        break;
    case OP_UPSAMPLE2_ADJOINT:
        h /= 2, w /= 2;
        break;
    case OP_AVG_POOL2_ADJOINT: case OP_UPSAMPLE2:
        h *= 2, w *= 2;
        break;
    case OP_UPSAMPLE_NEAREST_ADJOINT:
        h = w = 1;
        break;
    default:
        return fail(g, "graph_movement_op cannot build op %d", (int)op);
    }
    struct shape out = make_shape(1, 3, (int[]){ h, w, c });
    int id = add_node(g, op, x, -1, -1, &out);
    if (id >= 0)
        g->nodes[id].offset = offset, g->nodes[id].channels = channels;
    return id;
}

int graph_concat(struct graph *g, int a, int b)
{
    if (check_image(g, a, "concat") || check_image(g, b, "concat"))
        return -1;
    const struct shape *sa = shape_of(g, a), *sb = shape_of(g, b);
    if (sa->dims[0] != sb->dims[0] || sa->dims[1] != sb->dims[1])
        return fail(g, "concat of images of different sizes, %dx%d and %dx%d", sa->dims[0], sa->dims[1],
                    sb->dims[0], sb->dims[1]);
    struct shape out = make_shape(1, 3, (int[]){ sa->dims[0], sa->dims[1], sa->dims[2] + sb->dims[2] });
    return add_node(g, OP_CONCAT, a, b, -1, &out);
}

int graph_avg_pool2(struct graph *g, int x)
{
    return graph_movement_op(g, OP_AVG_POOL2, x, 0, 0);
}

int graph_upsample2(struct graph *g, int x)
{
    return graph_movement_op(g, OP_UPSAMPLE2, x, 0, 0);
}

int graph_upsample_nearest(struct graph *g, int x, int h, int w)
{
    if (check_image(g, x, "upsample_nearest"))
        return -1;
    const struct shape *s = shape_of(g, x);
    if (s->dims[0] != 1 || s->dims[1] != 1 || h < 1 || w < 1)
        return fail(g, "upsample_nearest takes a 1x1 map to a positive size, got %dx%d to %dx%d", s->dims[0],
                    s->dims[1], h, w);
    struct shape out = make_shape(1, 3, (int[]){ h, w, s->dims[2] });
    return add_node(g, OP_UPSAMPLE_NEAREST, x, -1, -1, &out);
}

int graph_sinusoidal_embedding(struct graph *g, int x, int channels, float min_frequency, float max_frequency)
{
    if (check_image(g, x, "sinusoidal_embedding"))
        return -1;
    const struct shape *s = shape_of(g, x);
    if (s->dims[0] != 1 || s->dims[1] != 1 || s->dims[2] != 1)
        return fail(g, "sinusoidal_embedding takes one value per sample (1, 1, 1), got (%d, %d, %d)", s->dims[0],
                    s->dims[1], s->dims[2]);
    if (channels < 2 || channels % 2)
        return fail(g, "sinusoidal_embedding needs an even number of channels, got %d", channels);
    if (!(min_frequency > 0) || !(max_frequency >= min_frequency))
        return fail(g, "sinusoidal_embedding frequencies must satisfy 0 < min <= max, got %g and %g",
                    (double)min_frequency, (double)max_frequency);
    struct shape out = make_shape(1, 3, (int[]){ 1, 1, channels });
    int id = add_node(g, OP_SINUSOIDAL_EMBEDDING, x, -1, -1, &out);
    if (id >= 0)
        g->nodes[id].alpha = min_frequency, g->nodes[id].beta = max_frequency;
    return id;
}

int graph_batch_norm(struct graph *g, int x, float momentum, float epsilon)
{
    if (check_image(g, x, "batch_norm"))
        return -1;
    if (!(momentum >= 0 && momentum < 1) || !(epsilon > 0))
        return fail(g, "batch_norm needs 0 <= momentum < 1 and epsilon > 0, got %g and %g", (double)momentum,
                    (double)epsilon);
    int channels = shape_of(g, x)->dims[2];
    char layer[24];
    snprintf(layer, sizeof layer, "batch_norm_%d", ++g->layer_count);
    const struct shape stats = make_shape(0, 1, &channels);
    int mean = add_param(g, layer, "moving_mean", stats, 0, 0, 0);
    int variance = add_param(g, layer, "moving_variance", stats, 0, 0, 0);
    if (mean < 0 || variance < 0)
        return -1;
    g->nodes[mean].state = g->nodes[variance].state = 1;
    g->nodes[variance].init = INIT_ONES;
    int id = add_node(g, OP_BATCH_NORM, x, mean, variance, shape_of(g, x));
    if (id >= 0)
        g->nodes[id].alpha = epsilon, g->nodes[id].beta = momentum;
    return id;
}
