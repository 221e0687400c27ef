/* Gradient checks of the U-Net's layers (graph_image_ops.c) with the harness of
 * test_graph.c: conv2d (3x3 and 1x1, with and without activation),
 * concatenation, average pooling, bilinear upsampling, batch normalization
 * (training mode) and the embedding's broadcast, alone and chained as in a
 * U-Net block, and the second derivative through the ops that have one,
 * which the gradient trick inside the loss needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/graph/autograd.h"
#include "runtime/graph/graph.h"
#include "graph_check.h"
#include "test_util.h"

static void test_conv2d_gradients(void **state)
{
    (void)state;
    static const struct { int kernel; enum activation act; } cases[] = {
        { 3, ACTIVATION_NONE }, { 3, ACTIVATION_SWISH }, { 1, ACTIVATION_NONE }, { 1, ACTIVATION_SIGMOID },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct check c;
        check_init(&c);
        int x = graph_input(&c.g, "x", 3, (int[]){ 5, 4, 3 });
        c.output = graph_conv2d(&c.g, x, 4, cases[i].kernel, cases[i].act, 0);
        assert_true(c.output >= 0);
        check_all_gradients(&c, cases[i].kernel == 3 ? "conv2d 3x3" : "conv2d 1x1");
        check_free(&c);
    }
}

/* One down-and-up block: conv, pool, upsample, the skip concatenated, and
 * the noise level's embedding broadcast to the image and concatenated, as
 * the Keras example's U-Net does; t is the constant (no gradient). */
static int small_unet(struct check *c, int *x_out, int batch_norm)
{
    struct graph *g = &c->g;
    int x = graph_input(g, "x", 3, (int[]){ 4, 6, 2 });
    int t = graph_input(g, "t", 3, (int[]){ 1, 1, 1 });
    int e = graph_upsample_nearest(g, graph_sinusoidal_embedding(g, t, 4, 1.0f, 1000.0f), 4, 6);
    int h = graph_conv2d(g, graph_concat(g, x, e), 3, 1, ACTIVATION_NONE, 0);
    int skip = h;
    if (batch_norm) /* which has no second derivative */
        h = graph_batch_norm(g, h, 0.99f, 1e-3f);
    h = graph_conv2d(g, h, 3, 3, ACTIVATION_SWISH, 0);
    h = graph_avg_pool2(g, h);
    h = graph_conv2d(g, h, 4, 3, ACTIVATION_SWISH, 0);
    h = graph_upsample2(g, h);
    h = graph_concat(g, h, skip);
    c->constant = t;
    *x_out = x;
    return graph_conv2d(g, h, 2, 1, ACTIVATION_NONE, 0);
}

static void test_unet_block_gradients(void **state)
{
    (void)state;
    struct check c;
    check_init(&c);
    int x;
    c.output = small_unet(&c, &x, 1);
    assert_true(c.output >= 0);
    check_all_gradients(&c, "U-Net block");
    check_free(&c);
}

static void test_unet_block_second_derivative(void **state)
{
    (void)state;
    struct check c;
    check_init(&c);
    int x;
    c.output = small_unet(&c, &x, 0);
    assert_true(c.output >= 0);
    check_second_derivative(&c, x, "U-Net block, second derivative");
    check_free(&c);
}

/* A forward pass does a bias add and an activation in the epilogue of the
 * convolution or matmul before them, and a residual block's add in its
 * second conv2d's (fuse_epilogues): the same values as the separate ops,
 * which it keeps when the pre-activations are read too. On every ISA; the
 * epilogue and the elementwise kernel may round apart. */
static void test_fused_epilogues(void **state)
{
    (void)state;
    struct graph g;
    graph_init(&g);
    int x = graph_input(&g, "x", 3, (int[]){ 6, 5, 3 });
    int residual = graph_conv2d(&g, x, 4, 1, ACTIVATION_NONE, 0);
    int h = graph_conv2d(&g, x, 4, 3, ACTIVATION_SWISH, 0);
    h = graph_add_layer(&g, graph_conv2d(&g, h, 4, 3, ACTIVATION_NONE, 0), residual);
    h = graph_conv2d(&g, h, 3, 1, ACTIVATION_SIGMOID, 0);
    int out = graph_dense(&g, graph_flatten(&g, h), 7, ACTIVATION_RELU);
    assert_true(out >= 0);
    int outputs[8] = { out }, count = 1;
    for (int id = 0; id < g.count; id++)   /* every pre-activation read: nothing to fuse */
        if (g.nodes[id].op == OP_BIAS_ADD)
            outputs[count++] = id;
    float *params = malloc(g.param_floats * sizeof(float));
    fill_uniform(params, g.param_floats, -0.5f, 0.5f, 3);
    int n;
    const struct kernels *const *tables = kernels_available(&n);
    for (int t = 0; t < n; t++) {
        struct plan fused, separate;
        char err[256], what[64];
        assert_int_equal(plan_create(&fused, &g, tables[t], BATCH, 1, outputs, params, err, sizeof err), 0);
        assert_int_equal(plan_create(&separate, &g, tables[t], BATCH, count, outputs, params, err, sizeof err), 0);
        int fused_ops = 0, separate_ops = 0;
        for (int id = 0; id < g.count; id++) {
            fused_ops += (fused.act_of[id] != ACTIVATION_NONE) + (fused.residual_of[id] >= 0);
            separate_ops += (separate.act_of[id] != ACTIVATION_NONE) + (separate.residual_of[id] >= 0);
        }
        assert_int_equal(fused_ops, 4);
        assert_int_equal(separate_ops, 0);
        fill_inputs(&g, &fused, 4);
        fill_inputs(&g, &separate, 4);
        plan_run(&fused);
        plan_run(&separate);
        snprintf(what, sizeof what, "%s: fused epilogues against separate ops", tables[t]->isa);
        assert_allclose(what, plan_buffer(&fused, out), plan_buffer(&separate, out), plan_node_floats(&fused, out),
                        1e-6f, 1e-5f);
        plan_free(&fused);
        plan_free(&separate);
    }
    free(params);
    graph_free(&g);
}

/* The embedding's input is a given: asking for its gradient is an error
 * that says so, and layers that do not fit are refused with the reason. */
static void test_unet_layer_errors(void **state)
{
    (void)state;
    struct graph g;
    graph_init(&g);
    int x = graph_input(&g, "x", 3, (int[]){ 5, 5, 2 });
    int t = graph_input(&g, "t", 3, (int[]){ 1, 1, 1 });
    int e = graph_sinusoidal_embedding(&g, t, 4, 1.0f, 1000.0f);
    int grad;
    assert_int_equal(graph_gradients(&g, e, -1, 1, &t, &grad), -1);
    assert_non_null(strstr(g.error, "no gradient"));
    assert_int_equal(graph_avg_pool2(&g, x), -1);
    assert_non_null(strstr(g.error, "even height and width"));
    assert_int_equal(graph_conv2d(&g, x, 4, 5, ACTIVATION_NONE, 0), -1);
    assert_non_null(strstr(g.error, "kernel_size must be 1 or 3"));
    int y = graph_input(&g, "y", 3, (int[]){ 4, 5, 2 });
    assert_int_equal(graph_concat(&g, x, y), -1);
    assert_non_null(strstr(g.error, "different sizes"));
    assert_int_equal(graph_sinusoidal_embedding(&g, t, 5, 1.0f, 1000.0f), -1);
    assert_non_null(strstr(g.error, "even number of channels"));
    graph_free(&g);
}

size_t graph_unet_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv2d_gradients),
        cmocka_unit_test(test_unet_block_gradients),
        cmocka_unit_test(test_unet_block_second_derivative),
        cmocka_unit_test(test_unet_layer_errors),
        cmocka_unit_test(test_fused_epilogues),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
