/* Values that are not finite are refused, never scored: finding them
 * (finite.h); samples and classifier features holding one (score_images,
 * score_features); a classifier file whose parameters hold a NaN, its CRC
 * made valid again by the checkpoint writer (classifier_load, and a run
 * that would score with it); and a run's checkpoint whose weights hold a
 * NaN, which `eval` and `sample` refuse in one line, writing nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "runtime/base/checkpoint.h"
#include "runtime/base/finite.h"
#include "runtime/base/mnist.h"
#include "runtime/scoring/classifier.h"
#include "runtime/scoring/sample_metrics.h"
#include "test_util.h"
#include "test_program.h"

/* The tiny classifier kept with the fuzz seeds (250 parameters, 4 features). */
#define TINY_CLASSIFIER "fuzz/corpus/fuzz_classifier_file/classifier.ddim"
#define TINY_RUN "experiments/skip_vs_noskip.lua --variant skip --seed 1 --threads 1 train.max_images=32 " \
                 "train.batch_size=16 train.epochs=1 diffusion.steps=2 sample.metric_samples=16 sample.grid=2 " \
                 "--classifier " TINY_CLASSIFIER

static void assert_one_line(const char *out, const char *part)
{
    if (strncmp(out, "ddim-lab: ", 10) != 0 || strchr(out, '\n') != out + strlen(out) - 1)
        fail_msg("expected one line \"ddim-lab: ...\", got:\n%s", out);
    assert_contains(out, part);
}

/* Counted from an unaligned start: NaN, +inf and -inf, the first named. */
static void test_find_non_finite(void **state)
{
    (void)state;
    float values[9] = { 0, 1, -2, 3e38f, 0, 0, 0, 0, 0 };
    unsigned char bytes[sizeof values + 1];
    memcpy(bytes + 1, values, sizeof values);
    struct non_finite found = find_non_finite(bytes + 1, 9);
    assert_int_equal(found.count, 0);
    values[4] = INFINITY;
    values[6] = NAN;
    values[8] = -INFINITY;
    memcpy(bytes + 1, values, sizeof values);
    found = find_non_finite(bytes + 1, 9);
    assert_int_equal(found.count, 3);
    assert_int_equal(found.first, 4);
    assert_string_equal(non_finite_name(found.first_value), "+inf");
    assert_string_equal(non_finite_name(NAN), "NaN");
    assert_string_equal(non_finite_name(-INFINITY), "-inf");
}

/* The tiny classifier and a reference of 16 noise images. */
static void load_scorer(struct classifier *c, struct metric_reference *r)
{
    char err[512];
    const char *error = NULL;
    const struct kernels *k = kernels_select(&error);
    if (!k)
        fail_msg("kernels_select: %s", error);
    if (classifier_load(c, TINY_CLASSIFIER, k, err, sizeof err))
        fail_msg("%s", err);
    float images[16 * MNIST_IMAGE_PIXELS];
    fill_uniform(images, 16 * MNIST_IMAGE_PIXELS, 0.0f, 1.0f, 7);
    if (metric_reference_from_images(r, c, images, 16, NULL, NULL, err, sizeof err))
        fail_msg("%s", err);
}

/* Samples with a NaN or an infinity are refused before clipping (which made
 * a NaN pixel 0, a blank digit that scored); so are NaN features. */
static void test_scoring_refuses_non_finite_samples(void **state)
{
    (void)state;
    struct classifier c;
    struct metric_reference r;
    struct sample_scores scores;
    char err[512];
    load_scorer(&c, &r);
    static float images[8 * MNIST_IMAGE_PIXELS];
    fill_uniform(images, 8 * MNIST_IMAGE_PIXELS, 0.0f, 1.0f, 8);
    assert_int_equal(score_images(&c, &r, images, 8, &scores, err, sizeof err), 0);
    images[3 * MNIST_IMAGE_PIXELS + 5] = NAN;
    images[6 * MNIST_IMAGE_PIXELS] = INFINITY;
    assert_int_equal(score_images(&c, &r, images, 8, &scores, err, sizeof err), -1);
    assert_string_equal(err, "the samples hold 2 non-finite values (the first, NaN, in sample 3): not scored");
    images[3 * MNIST_IMAGE_PIXELS + 5] = 0.5f;
    assert_int_equal(score_images(&c, &r, images, 8, &scores, err, sizeof err), -1);
    assert_string_equal(err, "the samples hold 1 non-finite value (the first, +inf, in sample 6): not scored");

    float features[3 * 4] = { 0 }, probabilities[3 * 10] = { 1 };
    features[5] = NAN;
    assert_int_equal(score_features(&r, features, probabilities, 3, &scores, err, sizeof err), -1);
    assert_string_equal(err, "the classifier's features of the samples hold 1 non-finite value (the first, NaN, "
                             "at element 5): not scored");
    metric_reference_free(&r);
    classifier_free(&c);
}

/* A copy of the checkpoint file from at to, with the float at element of
 * section name set to NaN; written by the checkpoint writer, so its CRC
 * holds and only the value is wrong. */
static void write_with_nan(const char *from, const char *to, const char *name, size_t element)
{
    struct checkpoint c;
    char err[1024];
    if (checkpoint_read(from, &c, err, sizeof err))
        fail_msg("%s", err);
    const struct checkpoint_section *s = checkpoint_find(&c, name);
    if (!s || (element + 1) * sizeof(float) > s->size)
        fail_msg("%s: no section %s with an element %zu", from, name, element);
    const float nan = NAN;
    memcpy((unsigned char *)s->data + element * sizeof nan, &nan, sizeof nan); /* the bytes are c's own */
    if (checkpoint_write(to, c.sections, c.count, err, sizeof err))
        fail_msg("%s", err);
    checkpoint_free(&c);
}

/* A classifier with a NaN parameter: classifier_load refuses it (it scored
 * FID 0 and KID 0), and so does a run, before its run directory exists. */
static void test_classifier_with_a_nan_is_refused(void **state)
{
    char path[256], runs[256], args[1024], out[4096], want[512], err[1024];
    scratch_path(path, state, "nan.ddim");
    scratch_path(runs, state, "runs");
    write_with_nan(TINY_CLASSIFIER, path, "params", 123);
    const char *error = NULL;
    const struct kernels *k = kernels_select(&error);
    struct classifier c;
    assert_int_equal(classifier_load(&c, path, k, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: the classifier's parameters hold 1 non-finite value (the first, NaN, at element "
             "123): a diverged or damaged classifier, not used", path);
    assert_string_equal(err, want);

    snprintf(args, sizeof args, TINY_RUN " --classifier %s --out %s", path, runs); /* the last --classifier */
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, want);
    struct stat st;
    assert_int_not_equal(stat(runs, &st), 0);
}

/* A tiny run's checkpoint with a NaN in the weights it samples (params_best:
 * the run kept no EMA): eval and sample refuse it in one line, and sample
 * writes no grid. */
static void test_checkpoint_with_a_nan_is_refused(void **state)
{
    char runs[256], nan_path[256], png[256], pattern[600], checkpoint[MATCH_PATH_SIZE], args[1024], out[8192];
    char want[1024];
    scratch_path(runs, state, "runs");
    scratch_path(nan_path, state, "nan.ddim");
    scratch_path(png, state, "samples.png");
    snprintf(args, sizeof args, TINY_RUN " --out %s", runs);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/skip/seed1/checkpoint.ddim", runs);
    only_match(pattern, checkpoint);
    write_with_nan(checkpoint, nan_path, "params_best", 123);

    snprintf(want, sizeof want, "ddim-lab: %s: section params_best holds a non-finite value (NaN) at element 123 "
             "(1 of its ", nan_path);
    snprintf(args, sizeof args, "eval %s -n 16 --classifier " TINY_CLASSIFIER, nan_path);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, want);
    assert_contains(out, " values are not finite): not sampled\n");
    snprintf(args, sizeof args, "sample %s -n 4 -o %s", nan_path, png);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, want);
    struct stat st;
    assert_int_not_equal(stat(png, &st), 0);
    /* The last epoch's weights, untouched, still sample. */
    snprintf(args, sizeof args, "sample %s -n 4 -o %s --weights last", nan_path, png);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
}

size_t non_finite_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_non_finite),
        cmocka_unit_test(test_scoring_refuses_non_finite_samples),
        cmocka_unit_test_setup_teardown(test_classifier_with_a_nan_is_refused, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_checkpoint_with_a_nan_is_refused, make_scratch, remove_scratch),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
