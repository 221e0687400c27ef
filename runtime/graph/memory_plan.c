/* Arena offsets from buffer lifetimes (see memory_plan.h): a first-fit
 * allocator over an address space of floats, free intervals kept sorted
 * and merged. Plans hold a few hundred buffers, so plain arrays do. */
#include <stdlib.h>
#include "runtime/graph/memory_plan.h"

struct interval {
    size_t start, floats;
};

struct space {
    struct interval *free; /* sorted by start, none adjacent */
    int count;
    size_t end;            /* the arena's size so far */
};

static size_t take(struct space *s, size_t floats)
{
    for (int i = 0; i < s->count; i++)
        if (s->free[i].floats >= floats) {
            size_t at = s->free[i].start;
            s->free[i].start += floats;
            s->free[i].floats -= floats;
            if (s->free[i].floats == 0) {
                for (int j = i; j + 1 < s->count; j++)
                    s->free[j] = s->free[j + 1];
                s->count--;
            }
            return at;
        }
    /* None fits: grow the arena, starting inside a free tail if there is one. */
    if (s->count > 0 && s->free[s->count - 1].start + s->free[s->count - 1].floats == s->end) {
        size_t at = s->free[--s->count].start;
        s->end = at + floats;
        return at;
    }
    s->end += floats;
    return s->end - floats;
}

static void give_back(struct space *s, size_t start, size_t floats)
{
    int i = 0;
    while (i < s->count && s->free[i].start < start)
        i++;
    for (int j = s->count; j > i; j--)
        s->free[j] = s->free[j - 1];
    s->free[i] = (struct interval){ start, floats };
    s->count++;
    if (i + 1 < s->count && s->free[i].start + s->free[i].floats == s->free[i + 1].start) {
        s->free[i].floats += s->free[i + 1].floats;
        for (int j = i + 1; j + 1 < s->count; j++)
            s->free[j] = s->free[j + 1];
        s->count--;
    }
    if (i > 0 && s->free[i - 1].start + s->free[i - 1].floats == s->free[i].start) {
        s->free[i - 1].floats += s->free[i].floats;
        for (int j = i; j + 1 < s->count; j++)
            s->free[j] = s->free[j + 1];
        s->count--;
    }
}

size_t memory_plan(const struct lifetime *items, int count, size_t *offsets)
{
    struct space s = { malloc((size_t)(count + 1) * sizeof *s.free), 0, 0 };
    if (!s.free)
        return (size_t)-1;
    int steps = 0;
    for (int i = 0; i < count; i++)
        steps = items[i].last != INT_MAX && items[i].last + 1 > steps ? items[i].last + 1 : steps;
    for (int i = 0; i < count; i++)
        steps = items[i].first + 1 > steps ? items[i].first + 1 : steps;
    for (int step = 0; step < steps; step++) {
        for (int i = 0; i < count; i++)
            if (items[i].first == step)
                offsets[i] = take(&s, items[i].floats);
        for (int i = 0; i < count; i++)
            if (items[i].last == step)
                give_back(&s, offsets[i], items[i].floats);
    }
    free(s.free);
    return s.end;
}
