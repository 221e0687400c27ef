/* memory_plan.h: where each buffer of a planned graph lives in the plan's
 * one arena. Buffers whose lifetimes (first to last step of the run order
 * that touches them) do not overlap share memory, so a training step needs
 * its forward activations and a few backward temporaries at a time rather
 * than every node's output at once. */
#ifndef DDIM_MEMORY_PLAN_H
#define DDIM_MEMORY_PLAN_H

#include <limits.h>
#include <stddef.h>

struct lifetime {
    size_t floats;   /* a multiple of 16 (whole 64-byte lines) */
    int first, last; /* steps of the run order, first <= last; last = INT_MAX: kept to the end */
};

/* Writes an arena offset (floats) for each of the count lifetimes and
 * returns the arena's size, or (size_t)-1 when out of memory. Greedy in run
 * order: at each step the buffers that start there are placed first-fit
 * (in index order), then those that end there are released. Deterministic:
 * the same lifetimes always get the same offsets. */
size_t memory_plan(const struct lifetime *items, int count, size_t *offsets);

#endif
