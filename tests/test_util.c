#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernels/kernels.h"
#include "test_util.h"

uint64_t test_rng_next(struct test_rng *rng)
{
    uint64_t z = (rng->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

float test_rng_uniform(struct test_rng *rng, float lo, float hi)
{
    return lo + (hi - lo) * (float)((test_rng_next(rng) >> 40) * 0x1p-24);
}

void fill_uniform(float *x, size_t n, float lo, float hi, uint64_t seed)
{
    struct test_rng rng = { seed };
    for (size_t i = 0; i < n; i++)
        x[i] = test_rng_uniform(&rng, lo, hi);
}

void fill_dyadic(float *x, size_t n, uint64_t seed)
{
    struct test_rng rng = { seed };
    for (size_t i = 0; i < n; i++)
        x[i] = (float)((int)(test_rng_next(&rng) % 513) - 256) * 0x1p-8f;
}

float *test_alloc(size_t n)
{
    size_t bytes = ((n ? n : 1) * sizeof(float) + 63) / 64 * 64;
    float *x = aligned_alloc(64, bytes);
    assert_non_null(x);
    for (size_t i = 0; i < bytes / sizeof(float); i++)
        x[i] = NAN;
    return x;
}

#define GUARD_SENTINEL 12345.0f

float *test_alloc_guarded(size_t n)
{
    float *p = test_alloc(n + TEST_GUARD_FLOATS);
    for (size_t i = 0; i < TEST_GUARD_FLOATS; i++)
        p[n + i] = GUARD_SENTINEL;
    return p;
}

void assert_guard_intact(const char *what, const float *p, size_t n)
{
    for (size_t i = 0; i < TEST_GUARD_FLOATS; i++)
        if (p[n + i] != GUARD_SENTINEL)
            fail_msg("%s: wrote %zu floats past the end of its %zu-float buffer", what, i + 1, n);
}

void assert_allclose(const char *what, const float *got, const float *want, size_t n,
                     float atol, float rtol)
{
    for (size_t i = 0; i < n; i++) {
        float tol = atol + rtol * fabsf(want[i]);
        if (!(fabsf(got[i] - want[i]) <= tol) && !(isnan(got[i]) && isnan(want[i])) &&
            !(isinf(want[i]) && got[i] == want[i])) {
            fail_msg("%s: element %zu of %zu is %.9g, expected %.9g (tolerance %.3g)",
                     what, i, n, (double)got[i], (double)want[i], (double)tol);
        }
    }
}

int make_scratch(void **state)
{
    struct scratch *scratch = malloc(sizeof *scratch);
    if (!scratch)
        return -1;
    strcpy(scratch->dir, "/tmp/ddim-lab-test-XXXXXX");
    if (!mkdtemp(scratch->dir)) {
        free(scratch);
        return -1;
    }
    *state = scratch;
    return 0;
}

void remove_tree(const char *path)
{
    /* lstat, not opendir: a symbolic link to a directory is removed, never
     * followed into what it points at. */
    struct stat st;
    DIR *dir = lstat(path, &st) == 0 && S_ISDIR(st.st_mode) ? opendir(path) : NULL;
    if (!dir) {
        unlink(path);
        return;
    }
    for (struct dirent *entry; (entry = readdir(dir));) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char child[512];
        snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
        remove_tree(child);
    }
    closedir(dir);
    rmdir(path);
}

void scratch_path(char path[256], void **state, const char *name)
{
    const struct scratch *scratch = *state;
    snprintf(path, 256, "%s/%s", scratch->dir, name);
}

int remove_scratch(void **state)
{
    struct scratch *scratch = *state;
    remove_tree(scratch->dir);
    free(scratch);
    return 0;
}

size_t collect_isa_tests(const struct isa_test *tests, size_t count, char (*names)[ISA_TEST_NAME_SIZE],
                         struct CMUnitTest *out)
{
    int isas;
    const struct kernels *const *available = kernels_available(&isas);
    size_t n = 0;
    for (int i = 0; i < isas && i < 4; i++)
        for (size_t t = 0; t < count; t++) {
            if (strcmp(available[i]->isa, "ref") == 0 && !tests[t].include_ref)
                continue;
            if (out) {
                char *name = names[(size_t)i * count + t];
                snprintf(name, ISA_TEST_NAME_SIZE, "%s: %s", available[i]->isa, tests[t].what);
                out[n] = (struct CMUnitTest){
                    .name = name, .test_func = tests[t].run, .initial_state = (void *)available[i],
                };
            }
            n++;
        }
    return n;
}
