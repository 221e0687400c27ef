/* graph_build.h: node creation and checks, for the files that define ops
 * and layers (graph.c, graph_image_ops.c); the rest of the runtime uses graph.h. */
#ifndef DDIM_GRAPH_BUILD_H
#define DDIM_GRAPH_BUILD_H

#include "runtime/graph/graph.h"

/* Appends a node of the given shape; its inputs must already exist.
 * Returns its id, or -1 (out of memory, reason in g->error). */
int add_node(struct graph *g, enum op op, int a, int b, int c, const struct shape *shape);
/* A parameter of the flat buffer named "<layer>.<what>", Glorot-uniform
 * (with its fans) or zeros. */
int add_param(struct graph *g, const char *layer, const char *what, struct shape shape,
              int glorot, int fan_in, int fan_out);
/* Sets g->error from the format and returns -1. */
int fail(struct graph *g, const char *format, ...) __attribute__((format(printf, 2, 3)));
int valid_node(const struct graph *g, int id);
const struct shape *shape_of(const struct graph *g, int id);
struct shape make_shape(int batched, int rank, const int *dims);
/* "(batch, 28, 28, 1)" */
void format_shape(char *buf, size_t size, const struct shape *s);

#endif
