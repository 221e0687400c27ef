/* autograd.h: symbolic reverse-mode differentiation over struct graph. */
#ifndef DDIM_AUTOGRAD_H
#define DDIM_AUTOGRAD_H

#include "runtime/graph/graph.h"

/* Adds to g the nodes of d(output)/d(wrt[i]) for i < count, contracted with
 * the cotangent seed (a node of output's shape; -1 for ones, which gives the
 * gradient of the sum of output), and stores their ids in gradients[i].
 * Returns 0, or -1 with a reason in g->error. */
int graph_gradients(struct graph *g, int output, int seed, int count, const int *wrt, int *gradients);

#endif
