/* The fuzz targets' kept findings: tests/fuzz_regressions/<target>/ holds
 * each input that crashed a reader (or made it fail without its one line
 * naming the file) before the fix, named for what went wrong. Each is one
 * test here, replayed through the feed its target uses (fuzz/fuzz_feed.h);
 * all of them are malformed, so every read must fail, each with its one
 * line. Under `make test-sanitize` ASan and UBSan watch, as in the fuzzers.
 * `make fuzz` replays them too (they are part of each target's corpus),
 * under libFuzzer's memory limit: that is what sees a reader allocating
 * gigabytes for a small file again, which the sanitizers let through. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/fuzz_feed.h"
#include "test_util.h"

#define KEPT_DIR "tests/fuzz_regressions"
#define MAX_KEPT 64

static const struct target {
    const char *name;
    int (*feed)(const uint8_t *data, size_t size);
} targets[] = {
    { "fuzz_mnist_idx", feed_mnist_idx },
    { "fuzz_checkpoint", feed_checkpoint },
    { "fuzz_classifier_file", feed_classifier_file },
    { "fuzz_report_csv", feed_report_csv },
    { "fuzz_experiment", feed_experiment },
};

static struct kept_input {
    const struct target *target;
    char path[512];
    char test_name[512];
} kept[MAX_KEPT];
static size_t kept_count, files_found; /* files_found: kept_count, and those past MAX_KEPT */

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct kept_input *)a)->path, ((const struct kept_input *)b)->path);
}

/* Fills kept[] from the directories, in name order (a target without
 * findings has none). */
static void find_kept_inputs(void)
{
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        char dir[64];
        snprintf(dir, sizeof dir, "%s/%s", KEPT_DIR, targets[t].name);
        DIR *d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d));) {
            if (e->d_name[0] == '.' || files_found++ >= MAX_KEPT)
                continue;
            struct kept_input *k = &kept[kept_count++];
            k->target = &targets[t];
            snprintf(k->path, sizeof k->path, "%s/%s", dir, e->d_name);
            snprintf(k->test_name, sizeof k->test_name, "fuzz regression: %s/%s", targets[t].name, e->d_name);
        }
        if (d)
            closedir(d);
    }
    qsort(kept, kept_count, sizeof kept[0], by_path);
}

static void test_kept_input_is_refused(void **state)
{
    const struct kept_input *k = *state;
    FILE *f = fopen(k->path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    const long size = ftell(f);
    rewind(f);
    uint8_t *bytes = malloc((size_t)size + 1); /* + 1: never NULL, even for an empty input */
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    const int reads = k->target->feed(bytes, (size_t)size);
    free(bytes);
    if (reads != 0)
        fail_msg("%s: %d reads succeeded, expected none (-1: a failure without its one line, printed above)",
                 k->path, reads);
}

/* The replays above cannot see a directory they do not find. */
static void test_kept_inputs_are_found(void **state)
{
    (void)state;
    if (files_found == 0)
        fail_msg("no kept fuzz inputs under %s (the tests run from the repository's top)", KEPT_DIR);
    if (files_found > MAX_KEPT)
        fail_msg("%s holds %zu inputs, over MAX_KEPT (%d) in %s", KEPT_DIR, files_found, MAX_KEPT, __FILE__);
}

size_t fuzz_regression_tests(struct CMUnitTest *out)
{
    static int found;
    if (!found) {
        find_kept_inputs();
        found = 1;
    }
    if (out) {
        out[0] = (struct CMUnitTest){ .name = "fuzz regression: the kept inputs are found",
                                      .test_func = test_kept_inputs_are_found };
        for (size_t i = 0; i < kept_count; i++)
            out[1 + i] = (struct CMUnitTest){ .name = kept[i].test_name, .test_func = test_kept_input_is_refused,
                                              .initial_state = &kept[i] };
    }
    return 1 + kept_count;
}
