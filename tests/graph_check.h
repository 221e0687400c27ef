/* The gradient-check harness of test_graph.c, shared with the U-Net
 * layers' checks (test_graph_unet.c): central finite differences of the
 * forward pass on the ref kernels against the graph's symbolic gradients. */
#ifndef DDIM_TEST_GRAPH_CHECK_H
#define DDIM_TEST_GRAPH_CHECK_H

#include <stdint.h>
#include "runtime/graph/executor.h"
#include "runtime/graph/graph.h"

#define BATCH 2

struct check {
    struct graph g;
    int output, cotangent;      /* loss = sum(output * cotangent) */
    int constant;               /* an input not differentiated (-1: none), e.g. an embedded noise level */
    float *params;
};

void check_init(struct check *c);
void check_free(struct check *c);
/* Fills the inputs of a plan with fixed uniform values in [-1, 1]. */
void fill_inputs(const struct graph *g, const struct plan *p, uint64_t seed);
/* Compares gradient node grad of tensor var with finite differences of
 * sum(value_node * cotangent) (see test_graph.c for the tolerance). */
void compare_gradient(struct check *c, struct plan *full, struct plan *forward, int var, int grad,
                      int value_node, const char *what);
/* Checks d(sum(output * cotangent))/d(every parameter and input but the constant). */
void check_all_gradients(struct check *c, const char *what);
/* Checks d<d(sum output)/dx, r>/d(every parameter), the gradient trick
 * inside the loss, against finite differences of the first derivative. */
void check_second_derivative(struct check *c, int x, const char *what);

#endif
