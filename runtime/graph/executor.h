/* executor.h: a graph planned for one batch size and a set of outputs.
 *
 * Planning (plan.c) keeps only the nodes the outputs depend on and gives
 * each a buffer, all carved from one allocation made there; running
 * (executor.c) allocates nothing. Parameters live in the caller's flat
 * buffer; reshapes alias their input, and so do a bias add, an activation
 * and a residual add that their producer's kernel does (see fuse_epilogues
 * in plan.c). */
#ifndef DDIM_EXECUTOR_H
#define DDIM_EXECUTOR_H

#include <stddef.h>
#include "runtime/graph/graph.h"
#include "kernels/kernels.h"

struct plan {
    const struct graph *graph;
    const struct kernels *kernels;
    int batch;
    int *order;             /* ids of the nodes to run, in graph order */
    int order_count;
    float **buffers;        /* per node id: its values, or NULL when not planned */
    float *arena;           /* every buffer the plan owns */
    size_t arena_floats;
    float *workspace;       /* scratch shared by the convolutions */
    int *bias_of;           /* per node id: the bias node its kernel adds, or -1 */
    enum activation *act_of; /* per node id: the activation its kernel applies after the bias */
    int *residual_of;       /* per node id: the node a conv2d adds after its activation, or -1 */
    char *fused;            /* per node id: 1 for a bias add, activation or add done by its producer */
    int training;           /* batch normalization uses the batch's statistics (else the moving ones) */
    double *node_seconds;   /* when not NULL: plan_run adds each node's time (per node id) */
};

/* Plans g to compute the count nodes in outputs at batch size `batch`,
 * with parameters read from params (g->param_floats of them). Returns 0,
 * or -1 with a one-line reason in err. */
int plan_create(struct plan *p, const struct graph *g, const struct kernels *k, int batch,
                int count, const int *outputs, float *params, char *err, size_t errlen);
void plan_free(struct plan *p);

/* The values of a planned node: batch x shape_size for batched nodes. The
 * caller writes the OP_INPUT buffers before plan_run and reads outputs after. */
float *plan_buffer(const struct plan *p, int node);
size_t plan_node_floats(const struct plan *p, int node);

void plan_run(const struct plan *p);

/* plan_run that stops after the first node whose values hold a NaN or an
 * infinity and returns its id, or -1 when every value is finite: what a
 * diverged step names. The inputs must be as plan_run found them (the
 * memory plan may reuse an input's buffer for later nodes). */
int plan_run_to_first_nonfinite(const struct plan *p);

/* The kernel shape of a planned convolution node, any of its three
 * directions (the forward, the data and the weight gradient). */
struct conv_transpose2d_shape plan_conv_transpose2d_shape(const struct plan *p, int node);
struct conv2d_shape plan_conv2d_shape(const struct plan *p, int node);

/* An OP_BATCH_NORM node's statistics of the last training run: mean,
 * variance, 1 / sqrt(variance + epsilon), channels floats each. */
float *plan_batch_norm_stats(const struct plan *p, int node);

/* Model FLOPs of one plan_run: 2 x the multiply-adds of its sgemms and
 * convolutions (the other ops are not counted). */
double plan_flops(const struct plan *p);
/* plan_flops of the model g computing output for one image: the cost of
 * one sampling step, what a variant's report gives beside its parameters.
 * Returns 0, or -1 with the reason in err. */
int model_flops(const struct graph *g, int output, const struct kernels *k, double *flops, char *err, size_t errlen);
double node_flops(const struct plan *p, int node);
/* The node's sizes for a profile: "NN 64x785 by 785x3136" for an sgemm,
 * "7x7x64 to 14x14x64" for a convolution, "N floats" otherwise. */
void node_describe(const struct plan *p, int node, char *buf, size_t size);

#endif
