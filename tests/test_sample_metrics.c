/* The sample-quality metrics (sample_metrics.h) on cases whose answers are
 * known: the Frechet distance of Gaussians with a closed form; and, scored
 * by the tests' classifier (test_classifier_file.h), the
 * MNIST test set against itself (FID and KID about 0, recognisable, every
 * class), one digit repeated (the coverage collapses to its class), pure
 * noise (recognisable near 0) and real training digits (the data floor:
 * close to the test set). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/scoring/classifier.h"
#include "runtime/base/mnist.h"
#include "runtime/scoring/sample_metrics.h"
#include "test_classifier_file.h"
#include "test_util.h"

#define SCORED 2000 /* images per scored set, the metrics' default */

/* N(m1, diag(v1)) against N(m2, diag(v2)): |m1 - m2|^2 + sum (sqrt v1 - sqrt v2)^2;
 * and a rotated pair (the same distance in another basis). */
static void test_frechet_distance_of_known_gaussians(void **state)
{
    (void)state;
    enum { D = 3 };
    const double m1[D] = { 1, 2, 3 }, m2[D] = { 0, 2, 5 };
    const double c1[D * D] = { 4, 0, 0, 0, 1, 0, 0, 0, 9 }, c2[D * D] = { 1, 0, 0, 0, 1, 0, 0, 0, 16 };
    double distance;
    char err[256];
    assert_int_equal(frechet_distance(m1, c1, m2, c2, D, &distance, err, sizeof err), 0);
    const double want = (1 + 0 + 4) + (1 + 0 + 1);
    if (fabs(distance - want) > 1e-9)
        fail_msg("Frechet distance %.12g, want %.12g", distance, want);
    /* Rotating both covariances by 45 degrees in the first plane keeps the distance. */
    const double s = sqrt(0.5);
    const double r[D * D] = { s, -s, 0, s, s, 0, 0, 0, 1 };
    double rc1[D * D], rc2[D * D];
    for (int i = 0; i < D; i++)
        for (int j = 0; j < D; j++) {
            double a = 0, b = 0;
            for (int k = 0; k < D; k++) {
                a += r[i * D + k] * c1[k * D + k] * r[j * D + k];
                b += r[i * D + k] * c2[k * D + k] * r[j * D + k];
            }
            rc1[i * D + j] = a;
            rc2[i * D + j] = b;
        }
    double rotated_m1[D], rotated_m2[D];
    for (int i = 0; i < D; i++) {
        rotated_m1[i] = rotated_m2[i] = 0;
        for (int k = 0; k < D; k++) {
            rotated_m1[i] += r[i * D + k] * m1[k];
            rotated_m2[i] += r[i * D + k] * m2[k];
        }
    }
    assert_int_equal(frechet_distance(rotated_m1, rc1, rotated_m2, rc2, D, &distance, err, sizeof err), 0);
    if (fabs(distance - want) > 1e-9)
        fail_msg("rotated: Frechet distance %.12g, want %.12g", distance, want);
}

struct scored_sets {
    struct classifier classifier;
    struct metric_reference test_set;   /* all 10,000 test digits */
    struct mnist_dataset test, train;
};

static float *as_values(const unsigned char *pixels, long count)
{
    float *values = malloc((size_t)count * MNIST_IMAGE_PIXELS * sizeof *values);
    assert_non_null(values);
    for (size_t i = 0; i < (size_t)count * MNIST_IMAGE_PIXELS; i++)
        values[i] = pixels[i] * MNIST_PIXEL_SCALE;
    return values;
}

/* Loads the tests' classifier and prepares the test set's reference. */
static int setup_scored_sets(void **state)
{
    struct scored_sets *s = calloc(1, sizeof *s);
    assert_non_null(s);
    char err[512];
    const char *path = test_classifier_file();
    const char *error = NULL;
    const struct kernels *k = kernels_select(&error);
    const char *data_dir = getenv("DDIM_DATA") && *getenv("DDIM_DATA") ? getenv("DDIM_DATA") : "data/mnist";
    if (!k || classifier_load(&s->classifier, path, k, err, sizeof err) ||
        mnist_load_dataset(data_dir, "test", &s->test, err, sizeof err) ||
        mnist_load_dataset(data_dir, "train", &s->train, err, sizeof err))
        fail_msg("setup: %s", k ? err : error);
    float *test_values = as_values(s->test.pixels, (long)s->test.count);
    if (metric_reference_from_images(&s->test_set, &s->classifier, test_values, (long)s->test.count, NULL, NULL, err,
                                     sizeof err))
        fail_msg("%s", err);
    free(test_values);
    *state = s;
    return 0;
}

static int teardown_scored_sets(void **state)
{
    struct scored_sets *s = *state;
    classifier_free(&s->classifier);
    metric_reference_free(&s->test_set);
    mnist_free_dataset(&s->test);
    mnist_free_dataset(&s->train);
    free(s);
    return 0;
}

static void score(struct scored_sets *s, const float *images, long count, struct sample_scores *out)
{
    char err[512];
    if (score_images(&s->classifier, &s->test_set, images, count, out, err, sizeof err))
        fail_msg("%s", err);
}

static int classes_present(const struct sample_scores *scores)
{
    int present = 0;
    for (int c = 0; c < METRIC_CLASSES; c++)
        present += scores->class_share[c] > 0;
    return present;
}

/* The test set against itself: FID 0 up to rounding, KID only the small
 * bias of counting each digit's kernel with itself; mostly recognisable
 * (this classifier is trained briefly: 77% at >= 0.9); all ten classes
 * near 10% each (entropy near log2 10). */
static void test_test_set_against_itself(void **state)
{
    struct scored_sets *s = *state;
    float *images = as_values(s->test.pixels, (long)s->test.count);
    struct sample_scores scores;
    score(s, images, (long)s->test.count, &scores);
    free(images);
    if (fabs(scores.fid) > 1e-3 || fabs(scores.kid) > 1)
        fail_msg("test set against itself: FID %g, KID %g; want about 0", scores.fid, scores.kid);
    if (scores.recognisable < 0.6 || scores.class_entropy < 3.2 || classes_present(&scores) != 10)
        fail_msg("test set: %.3f recognisable, entropy %.3f bits, %d classes", scores.recognisable,
                 scores.class_entropy, classes_present(&scores));
}

/* One test digit repeated: every image is one class (entropy 0), and the
 * set is far from the test set's. */
static void test_one_repeated_digit_collapses_the_coverage(void **state)
{
    struct scored_sets *s = *state;
    float *images = malloc((size_t)SCORED * MNIST_IMAGE_PIXELS * sizeof *images);
    assert_non_null(images);
    for (int i = 0; i < SCORED; i++)
        for (int p = 0; p < MNIST_IMAGE_PIXELS; p++)
            images[(size_t)i * MNIST_IMAGE_PIXELS + p] = s->test.pixels[p] * MNIST_PIXEL_SCALE;
    struct sample_scores scores;
    score(s, images, SCORED, &scores);
    free(images);
    if (scores.class_entropy != 0 || classes_present(&scores) != 1 || scores.class_share[s->test.labels[0]] != 1)
        fail_msg("one digit (a %d) repeated: entropy %g bits over %d classes", s->test.labels[0],
                 scores.class_entropy, classes_present(&scores));
    if (scores.fid < 50 || scores.kid < 1)
        fail_msg("one digit repeated: FID %g, KID %g; want far from the test set", scores.fid, scores.kid);
}

/* Uniform noise in [0, 1]: recognisable near 0, far from the test set. */
static void test_pure_noise_is_not_recognisable(void **state)
{
    struct scored_sets *s = *state;
    float *images = malloc((size_t)SCORED * MNIST_IMAGE_PIXELS * sizeof *images);
    assert_non_null(images);
    fill_uniform(images, (size_t)SCORED * MNIST_IMAGE_PIXELS, 0.0f, 1.0f, 42);
    struct sample_scores scores;
    score(s, images, SCORED, &scores);
    free(images);
    if (scores.recognisable > 0.05)
        fail_msg("pure noise: %.3f recognisable; want near 0", scores.recognisable);
    if (scores.fid < 50 || scores.kid < 1)
        fail_msg("pure noise: FID %g, KID %g; want far from the test set", scores.fid, scores.kid);
}

/* The data floor: 2,000 training digits are close to the test set (FID
 * under 5 where noise's is over 50, KID near 0) and score like it. */
static void test_training_digits_give_the_floor(void **state)
{
    struct scored_sets *s = *state;
    float *images = as_values(s->train.pixels, SCORED);
    struct sample_scores scores;
    score(s, images, SCORED, &scores);
    free(images);
    if (scores.fid > 5 || fabs(scores.kid) > 1 || scores.recognisable < 0.6 || classes_present(&scores) != 10)
        fail_msg("2,000 training digits: FID %g, KID %g, %.3f recognisable, %d classes", scores.fid, scores.kid,
                 scores.recognisable, classes_present(&scores));
}

/* Too few images: one line saying so. */
static void test_metrics_refuse_fewer_than_two_images(void **state)
{
    struct scored_sets *s = *state;
    float features[128] = { 0 }, probabilities[10] = { 1 };
    struct sample_scores scores;
    char err[256];
    assert_int_equal(score_features(&s->test_set, features, probabilities, 1, &scores, err, sizeof err), -1);
    assert_string_equal(err, "the metrics need at least 2 images, got 1");
}

/* One group: the classifier is trained once for all the scored cases. */
static void test_scored_cases(void **state)
{
    test_test_set_against_itself(state);
    test_one_repeated_digit_collapses_the_coverage(state);
    test_pure_noise_is_not_recognisable(state);
    test_training_digits_give_the_floor(state);
    test_metrics_refuse_fewer_than_two_images(state);
}

size_t sample_metrics_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frechet_distance_of_known_gaussians),
        cmocka_unit_test_setup_teardown(test_scored_cases, setup_scored_sets, teardown_scored_sets),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
