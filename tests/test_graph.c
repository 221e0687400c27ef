/* Gradient checks of the graph's symbolic autograd: every layer, and both
 * seed networks end to end (parameters and inputs), against central finite
 * differences of the forward pass; and the second derivative the gradient
 * trick inside the loss needs (d/dparams of <d(sum out)/dx, r>) against
 * finite differences of the first derivative.
 *
 * They run on the ref kernels, which accumulate in double, so the finite
 * differences are not drowned in float rounding; the ISAs are checked
 * against ref kernel by kernel in test_kernels*.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/graph/autograd.h"
#include "runtime/graph/executor.h"
#include "runtime/graph/graph.h"
#include "graph_check.h"
#include "test_util.h"

#define FD_STEP 1e-3f
#define PROBES 8           /* coordinates probed per tensor */
#define STEPS 3            /* difference steps tried per probe */
#define TOLERANCE 1e-2     /* per probe, relative (see compare_gradient) */

void check_init(struct check *c)
{
    graph_init(&c->g);
    c->params = NULL;
    c->constant = -1;
}

void check_free(struct check *c)
{
    graph_free(&c->g);
    free(c->params);
}

/* Fills the inputs of a plan (random, fixed) and the parameters. */
void fill_inputs(const struct graph *g, const struct plan *p, uint64_t seed)
{
    for (int id = 0; id < g->count; id++)
        if (g->nodes[id].op == OP_INPUT && plan_buffer(p, id))
            fill_uniform(plan_buffer(p, id), plan_node_floats(p, id), -1, 1, seed + (uint64_t)id);
}

static double contract(const struct plan *p, int a, int b)
{
    double s = 0;
    const float *x = plan_buffer(p, a), *y = plan_buffer(p, b);
    for (size_t i = 0; i < plan_node_floats(p, a); i++)
        s += (double)x[i] * y[i];
    return s;
}

/* sum(value_node * cotangent) with x[i] moved by delta; *moved_to gets
 * x[i] + delta as rounded to float, for the quotient's denominator. */
static double perturbed_value(struct check *c, struct plan *forward, float *x, size_t i, float delta, int value_node,
                              float *moved_to)
{
    float saved = x[i];
    x[i] = *moved_to = saved + delta;
    plan_run(forward);
    double value = contract(forward, value_node, c->cotangent);
    x[i] = saved;
    return value;
}

/* Compares gradient node `grad` of tensor `var` (a parameter or an input)
 * with central differences of sum(value_node * cotangent) at PROBES
 * coordinates. A probe agrees when |analytic - numeric| <= TOLERANCE (|numeric|
 * + rms), rms over the probes, at step FD_STEP, FD_STEP / 10 or FD_STEP / 100.
 * ReLU's kinks make a difference quotient meaningless where one lies within
 * the step: the smaller steps cross fewer of them (an input like the noise
 * level, or a bias, feeds thousands of ReLUs), the larger round less. A wrong
 * derivative disagrees at every step and at most probes; at most a quarter
 * of the probes may disagree. */
void compare_gradient(struct check *c, struct plan *full, struct plan *forward, int var, int grad,
                      int value_node, const char *what)
{
    const struct graph *g = &c->g;
    float *x = plan_buffer(forward, var);
    const float *analytic = plan_buffer(full, grad);
    const size_t n = plan_node_floats(full, grad);
    if (!x) { /* the value does not depend on var at all (a bias after the gradient trick's x): zero */
        for (size_t i = 0; i < n; i++)
            if (analytic[i] != 0.0f)
                fail_msg("%s: %s does not reach the value, yet its gradient[%zu] is %g", what,
                         g->nodes[var].name, i, (double)analytic[i]);
        return;
    }
    const int probes = n < PROBES ? (int)n : PROBES;
    static const float steps[STEPS] = { FD_STEP, FD_STEP / 10, FD_STEP / 100 };
    double numeric[PROBES][STEPS], rms = 0;
    size_t at[PROBES];
    for (int p = 0; p < probes; p++) {
        at[p] = (size_t)p * 7919 % n;
        for (int s = 0; s < STEPS; s++) {
            float above, below, step = steps[s];
            double plus = perturbed_value(c, forward, x, at[p], step, value_node, &above);
            double minus = perturbed_value(c, forward, x, at[p], -step, value_node, &below);
            numeric[p][s] = (plus - minus) / ((double)above - below);
        }
        rms += numeric[p][0] * numeric[p][0] / probes;
    }
    rms = sqrt(rms);
    int disagree = 0, worst = 0;
    for (int p = 0; p < probes; p++) {
        double a = analytic[at[p]];
        int agrees = 0;
        for (int s = 0; s < STEPS; s++)
            agrees |= fabs(a - numeric[p][s]) <= TOLERANCE * (fabs(numeric[p][s]) + rms);
        if (!agrees && disagree++ == 0)
            worst = p;
    }
    if (4 * disagree > probes)
        fail_msg("%s: gradient of %s (node %d) disagrees with finite differences at %d of %d probes, e.g. "
                 "element %zu: %.6g vs %.6g", what, g->nodes[var].name[0] ? g->nodes[var].name : "tensor", var,
                 disagree, probes, at[worst], (double)analytic[at[worst]], numeric[worst][0]);
}

void check_all_gradients(struct check *c, const char *what)
{
    struct graph *g = &c->g;
    const struct kernels *ref = kernels_by_name("ref");
    const struct shape out_shape = g->nodes[c->output].shape;
    /* A loss (an unbatched scalar) is weighed by a constant 0.75, which
     * also checks that its gradient scales with the seed. */
    c->cotangent = out_shape.rank == 0 ? graph_scale(g, graph_ones(g, &out_shape), 0.75f)
                                       : graph_input(g, "cotangent", out_shape.rank, out_shape.dims);
    int vars[64], grads[64], count = 0;
    for (int id = 0; id < g->count && count < 64; id++)
        if ((g->nodes[id].op == OP_PARAM || g->nodes[id].op == OP_INPUT) && id != c->cotangent &&
            id != c->constant)
            vars[count++] = id;
    if (graph_gradients(g, c->output, c->cotangent, count, vars, grads))
        fail_msg("%s: %s", what, g->error);
    c->params = malloc((g->param_floats + 1) * sizeof(float));
    fill_uniform(c->params, g->param_floats, -0.3f, 0.3f, 99);

    int outputs[65];
    outputs[0] = c->output;
    memcpy(outputs + 1, grads, (size_t)count * sizeof(int));
    struct plan full, forward;
    char err[256];
    int forward_outputs[2] = { c->output, c->cotangent };
    assert_int_equal(plan_create(&full, g, ref, BATCH, count + 1, outputs, c->params, err, sizeof err), 0);
    assert_int_equal(plan_create(&forward, g, ref, BATCH, 2, forward_outputs, c->params, err, sizeof err), 0);
    full.training = forward.training = 1; /* batch normalization as in a training step */
    fill_inputs(g, &full, 1);
    fill_inputs(g, &forward, 1);
    plan_run(&full);
    for (int i = 0; i < count; i++)
        compare_gradient(c, &full, &forward, vars[i], grads[i], c->output, what);
    plan_free(&full);
    plan_free(&forward);
}

/* ---- layers --------------------------------------------------------------------- */

static void test_dense_gradients(void **state)
{
    (void)state;
    static const enum activation acts[] = { ACTIVATION_NONE, ACTIVATION_RELU, ACTIVATION_SIGMOID, ACTIVATION_SWISH };
    for (size_t a = 0; a < 4; a++) {
        struct check c;
        check_init(&c);
        int x = graph_input(&c.g, "x", 1, (int[]){ 13 });
        c.output = graph_dense(&c.g, x, 7, acts[a]);
        assert_true(c.output >= 0);
        check_all_gradients(&c, "dense");
        check_free(&c);
    }
}

static void test_conv_transpose2d_gradients(void **state)
{
    (void)state;
    for (int stride = 1; stride <= 2; stride++) {
        struct check c;
        check_init(&c);
        int x = graph_input(&c.g, "x", 3, (int[]){ 5, 4, 3 });
        c.output = graph_conv_transpose2d(&c.g, x, 4, stride, stride == 1 ? ACTIVATION_SIGMOID : ACTIVATION_RELU);
        assert_true(c.output >= 0);
        check_all_gradients(&c, stride == 1 ? "conv_transpose2d stride 1" : "conv_transpose2d stride 2");
        check_free(&c);
    }
}

/* reshape, flatten, and the broadcast add of one value per sample. */
static void test_shape_and_broadcast_gradients(void **state)
{
    (void)state;
    struct check c;
    check_init(&c);
    int x = graph_input(&c.g, "x", 3, (int[]){ 4, 4, 1 });
    int t = graph_input(&c.g, "t", 3, (int[]){ 1, 1, 1 });
    int h = graph_add_layer(&c.g, x, t);
    h = graph_flatten(&c.g, h);
    h = graph_dense(&c.g, h, 8, ACTIVATION_SIGMOID);
    h = graph_reshape(&c.g, h, 3, (int[]){ 2, 2, 2 });
    c.output = graph_add_layer(&c.g, h, h);
    assert_true(c.output >= 0);
    check_all_gradients(&c, "reshape/flatten/add");
    check_free(&c);
}

/* The classifier's loss: a dense layer's logits against labels (random
 * values, not one-hot: the gradient holds for any labels, see softmax.h). */
static void test_softmax_cross_entropy_gradients(void **state)
{
    (void)state;
    struct check c;
    check_init(&c);
    int x = graph_input(&c.g, "x", 1, (int[]){ 13 });
    c.constant = graph_input(&c.g, "labels", 1, (int[]){ 10 });
    int logits = graph_dense(&c.g, x, 10, ACTIVATION_NONE);
    c.output = graph_op(&c.g, OP_SOFTMAX_CROSS_ENTROPY, logits, c.constant, -1);
    assert_true(c.output >= 0);
    check_all_gradients(&c, "softmax cross-entropy");
    check_free(&c);
}

/* Three rows of three classes, by hand: -log softmax([1, 2, 3])[2] =
 * log(e + e^2 + e^3) - 3, -log softmax([0, 0, 0])[0] = log 3, and
 * [1000, 0, -1000] with label 0 gives 0 (the max is subtracted before exp);
 * the gradient is (softmax - onehot) / 3. Labels are refused a gradient,
 * and so is the loss's gradient a second derivative. */
static void test_softmax_cross_entropy_values(void **state)
{
    (void)state;
    struct graph g;
    graph_init(&g);
    int logits = graph_input(&g, "logits", 1, (int[]){ 3 });
    int labels = graph_input(&g, "labels", 1, (int[]){ 3 });
    int loss = graph_op(&g, OP_SOFTMAX_CROSS_ENTROPY, logits, labels, -1);
    int grad;
    assert_true(loss >= 0);
    assert_int_equal(graph_gradients(&g, loss, -1, 1, &logits, &grad), 0);
    struct plan p;
    char err[256];
    int outputs[2] = { loss, grad };
    assert_int_equal(plan_create(&p, &g, kernels_by_name("ref"), 3, 2, outputs, NULL, err, sizeof err), 0);
    memcpy(plan_buffer(&p, logits), (float[]){ 1, 2, 3, 0, 0, 0, 1000, 0, -1000 }, 9 * sizeof(float));
    memcpy(plan_buffer(&p, labels), (float[]){ 0, 0, 1, 1, 0, 0, 1, 0, 0 }, 9 * sizeof(float));
    plan_run(&p);
    const float want_loss = (float)((0.40760596444438013 + 1.0986122886681098 + 0) / 3);
    assert_allclose("loss", plan_buffer(&p, loss), &want_loss, 1, 0, 1e-6f);
    const float want_grad[9] = {
        0.09003057317038046f / 3, 0.24472847105479767f / 3, (0.6652409557748219f - 1) / 3,
        (1.0f / 3 - 1) / 3, 1.0f / 9, 1.0f / 9,
        0, 0, 0,
    };
    assert_allclose("gradient", plan_buffer(&p, grad), want_grad, 9, 1e-7f, 1e-6f);
    plan_free(&p);

    int refused;
    assert_int_equal(graph_gradients(&g, loss, -1, 1, &labels, &refused), -1);
    assert_non_null(strstr(g.error, "no gradient with respect to its labels"));
    assert_int_equal(graph_gradients(&g, grad, -1, 1, &logits, &refused), -1);
    assert_non_null(strstr(g.error, "cannot differentiate the gradient of a loss"));
    assert_int_equal(graph_op(&g, OP_SOFTMAX_CROSS_ENTROPY, logits, graph_input(&g, "y", 1, (int[]){ 4 }), -1), -1);
    assert_non_null(strstr(g.error, "softmax cross-entropy needs logits and labels of one shape"));
    graph_free(&g);
}

/* ---- the seed networks ------------------------------------------------------------ */

/* ../shared/seed/README.md: the first network, and update 2 (skip). */
static int seed_network(struct graph *g, int skip)
{
    int x = graph_input(g, "x", 3, (int[]){ 28, 28, 1 });
    int t = graph_input(g, "t", 3, (int[]){ 1, 1, 1 });
    int h = graph_flatten(g, graph_add_layer(g, x, t));
    int s = -1;
    if (skip)
        h = s = graph_dense(g, h, 784, ACTIVATION_NONE);
    h = graph_dense(g, h, 7 * 7 * 64, ACTIVATION_RELU);
    h = graph_reshape(g, h, 3, (int[]){ 7, 7, 64 });
    h = graph_conv_transpose2d(g, h, 64, 2, ACTIVATION_RELU);
    h = graph_conv_transpose2d(g, h, 32, 2, ACTIVATION_RELU);
    h = graph_conv_transpose2d(g, h, 1, 1, skip ? ACTIVATION_RELU : ACTIVATION_SIGMOID);
    if (skip)
        h = graph_add_layer(g, h, graph_reshape(g, s, 3, (int[]){ 28, 28, 1 }));
    return h;
}

static void test_seed_network_gradients(void **state)
{
    (void)state;
    for (int skip = 0; skip <= 1; skip++) {
        struct check c;
        check_init(&c);
        c.output = seed_network(&c.g, skip);
        assert_true(c.output >= 0);
        check_all_gradients(&c, skip ? "skip network" : "first network");
        check_free(&c);
    }
}

void check_second_derivative(struct check *c, int x, const char *what)
{
    const struct kernels *ref = kernels_by_name("ref");
    struct graph *g = &c->g;
    int trick;
    assert_int_equal(graph_gradients(g, c->output, -1, 1, &x, &trick), 0);
    c->cotangent = graph_input(g, "r", g->nodes[x].shape.rank, g->nodes[x].shape.dims);
    int params[16], grads[16], count = 0;
    for (int id = 0; id < g->count && count < 16; id++)
        if (g->nodes[id].op == OP_PARAM)
            params[count++] = id;
    if (graph_gradients(g, trick, c->cotangent, count, params, grads))
        fail_msg("%s: %s", what, g->error);
    c->params = malloc(g->param_floats * sizeof(float));
    fill_uniform(c->params, g->param_floats, -0.5f, 0.5f, 5);
    struct plan full, forward;
    char err[256];
    int forward_outputs[2] = { trick, c->cotangent };
    assert_int_equal(plan_create(&full, g, ref, BATCH, count, grads, c->params, err, sizeof err), 0);
    assert_int_equal(plan_create(&forward, g, ref, BATCH, 2, forward_outputs, c->params, err, sizeof err), 0);
    fill_inputs(g, &full, 3);
    fill_inputs(g, &forward, 3);
    plan_run(&full);
    for (int i = 0; i < count; i++)
        compare_gradient(c, &full, &forward, params[i], grads[i], trick, what);
    plan_free(&full);
    plan_free(&forward);
}

/* The gradient trick inside the loss needs d/dW of g = d(sum out)/dx:
 * check d<g, r>/dW against finite differences of <g, r> in W. */
static void test_second_derivative(void **state)
{
    (void)state;
    struct check c;
    check_init(&c);
    struct graph *g = &c.g;
    int x = graph_input(g, "x", 3, (int[]){ 3, 3, 2 });
    int h = graph_conv_transpose2d(g, x, 3, 2, ACTIVATION_SIGMOID);
    h = graph_flatten(g, h);
    c.output = graph_dense(g, h, 5, ACTIVATION_SIGMOID);
    check_second_derivative(&c, x, "second derivative");
    check_free(&c);
}

/* A layer that does not fit its input is refused with the reason. */
static void test_shape_errors(void **state)
{
    (void)state;
    struct graph g;
    graph_init(&g);
    int x = graph_input(&g, "x", 3, (int[]){ 28, 28, 1 });
    assert_int_equal(graph_reshape(&g, x, 3, (int[]){ 7, 7, 64 }), -1);
    assert_non_null(strstr(g.error, "cannot reshape"));
    assert_int_equal(graph_dense(&g, x, 10, ACTIVATION_RELU), -1);
    assert_non_null(strstr(g.error, "flatten it first"));
    graph_free(&g);
}

size_t graph_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dense_gradients),
        cmocka_unit_test(test_conv_transpose2d_gradients),
        cmocka_unit_test(test_shape_and_broadcast_gradients),
        cmocka_unit_test(test_softmax_cross_entropy_gradients),
        cmocka_unit_test(test_softmax_cross_entropy_values),
        cmocka_unit_test(test_seed_network_gradients),
        cmocka_unit_test(test_second_derivative),
        cmocka_unit_test(test_shape_errors),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
