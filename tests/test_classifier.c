/* The MNIST classifier: `ddim-lab classifier` end to end on a small subset
 * (its printed accuracy, and the same accuracy from the file it wrote,
 * loaded through classifier.h; the same file on 1 and 2 threads), and the
 * refusals of bad files and bad networks, each one line naming the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/checkpoint.h"
#include "runtime/scoring/classifier.h"
#include "runtime/base/mnist.h"
#include "runtime/scoring/sample_scorer.h"
#include "test_util.h"
#include "test_program.h"

#define SOURCE "experiments/lib/classifier.lua"
#define CHECKED_DIGITS 100

static const struct kernels *best_kernels(void)
{
    const char *error = NULL;
    const struct kernels *k = kernels_select(&error);
    if (!k)
        fail_msg("kernels_select: %s", error);
    return k;
}

/* Fails unless err is one line that names path and says problem. */
static void assert_error(const char *err, const char *path, const char *problem)
{
    if (strncmp(err, path, strlen(path)) != 0 || !strstr(err, problem) || strchr(err, '\n'))
        fail_msg("expected one line naming %s and saying \"%s\", got: %s", path, problem, err);
}

/* Reads the file at path whole; its size in *size. */
static unsigned char *read_whole(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    rewind(f);
    unsigned char *bytes = malloc(*size + 1);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, *size, f), *size);
    fclose(f);
    bytes[*size] = '\0';
    return bytes;
}

/* One epoch on 2048 digits, measured on the first 100 test digits: the
 * printed accuracy is well above chance, and the written file, loaded
 * through classifier.h, labels exactly as many of those digits right. An
 * image's results do not depend on the others in its call; the file with
 * one byte flipped is refused. */
static void test_classifier_command_writes_a_loadable_classifier(void **state)
{
    char path[256], args[512], out[8192];
    scratch_path(path, state, "nested/classifier.ddim");
    snprintf(args, sizeof args, "classifier --max-images 2048 --epochs 1 --test-images %d --out %s", CHECKED_DIGITS,
             path);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    if (!strstr(out, "epoch 1/1  learning rate 0.001  train loss "))
        fail_msg("no epoch line in:\n%s", out);
    const char *line = strstr(out, "test accuracy: ");
    double percent;
    long printed_correct, measured;
    char written[256];
    if (!line || sscanf(line, "test accuracy: %lf%% (%ld of %ld), classifier written to %255s", &percent,
                        &printed_correct, &measured, written) != 4)
        fail_msg("no final accuracy line in:\n%s", out);
    assert_int_equal(measured, CHECKED_DIGITS);
    assert_string_equal(written, path);
    if (printed_correct < 80)
        fail_msg("only %ld of %d test digits right after an epoch on 2048:\n%s", printed_correct, CHECKED_DIGITS, out);

    struct classifier c;
    char err[512];
    if (classifier_load(&c, path, best_kernels(), err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(c.classes, 10);
    assert_int_equal(c.feature_count, 128);
    struct mnist_dataset test;
    const char *data_dir = getenv("DDIM_DATA") && *getenv("DDIM_DATA") ? getenv("DDIM_DATA") : "data/mnist";
    if (mnist_load_dataset(data_dir, "test", &test, err, sizeof err))
        fail_msg("%s", err);
    /* 250 digits: the forward pass's batches of 100, and a padded last one. */
    enum { COUNT = 250, OFFSET = 37 };
    float *images = malloc((size_t)COUNT * MNIST_IMAGE_PIXELS * sizeof(float));
    float *probabilities = malloc((size_t)COUNT * 10 * sizeof(float));
    float *features = malloc((size_t)COUNT * 128 * sizeof(float));
    float *alone = malloc((size_t)CHECKED_DIGITS * 128 * sizeof(float));
    assert_true(images && probabilities && features && alone);
    for (size_t i = 0; i < (size_t)COUNT * MNIST_IMAGE_PIXELS; i++)
        images[i] = test.pixels[i] * MNIST_PIXEL_SCALE;
    classifier_run(&c, images, COUNT, probabilities, features);
    long correct = 0;
    for (int i = 0; i < COUNT; i++) {
        double sum = 0;
        for (int j = 0; j < 10; j++)
            sum += probabilities[i * 10 + j];
        if (sum < 0.9999 || sum > 1.0001)
            fail_msg("the probabilities of digit %d sum to %.6f", i, sum);
        correct += i < CHECKED_DIGITS && classifier_prediction(&c, probabilities + i * 10) == test.labels[i];
    }
    assert_int_equal(correct, printed_correct);
    /* The same digits at other places in their batches: the same features, bit for bit. */
    classifier_run(&c, images + (size_t)OFFSET * MNIST_IMAGE_PIXELS, CHECKED_DIGITS, NULL, alone);
    assert_memory_equal(alone, features + (size_t)OFFSET * 128, (size_t)CHECKED_DIGITS * 128 * sizeof(float));
    classifier_free(&c);

    size_t size;
    unsigned char *bytes = read_whole(path, &size);
    bytes[size / 2] ^= 0x10;
    char corrupt[256];
    scratch_path(corrupt, state, "corrupt.ddim");
    FILE *f = fopen(corrupt, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, size, f), size);
    fclose(f);
    assert_int_equal(classifier_load(&c, corrupt, best_kernels(), err, sizeof err), -1);
    assert_error(err, corrupt, "CRC mismatch");
    free(bytes);
    free(images);
    free(probabilities);
    free(features);
    free(alone);
    mnist_free_dataset(&test);
}

/* Two steps on 1 thread and on 2: the same file, bit for bit. */
static void test_classifier_does_not_depend_on_the_thread_count(void **state)
{
    char path[2][256], args[512], out[4096];
    unsigned char *bytes[2];
    size_t size[2];
    for (int run = 0; run < 2; run++) {
        scratch_path(path[run], state, run ? "two.ddim" : "one.ddim");
        snprintf(args, sizeof args, "classifier --max-images 256 --epochs 1 --test-images 10 --threads %d --out %s",
                 run + 1, path[run]);
        if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
            fail_msg("ddim-lab %s failed:\n%s", args, out);
        bytes[run] = read_whole(path[run], &size[run]);
    }
    assert_int_equal(size[0], size[1]);
    assert_memory_equal(bytes[0], bytes[1], size[0]);
    free(bytes[0]);
    free(bytes[1]);
}

/* Writes a classifier file of the given format and source (the other
 * sections plausible) at path. */
static void write_classifier_file(const char *path, const char *format, const char *source, size_t param_floats)
{
    static const float standardisation[2] = { 0.13f, 0.31f };
    float *params = calloc(param_floats + 1, sizeof(float));
    assert_non_null(params);
    const struct checkpoint_section sections[5] = {
        { "format", format, strlen(format) },
        { "source_name", SOURCE, strlen(SOURCE) },
        { "source", source, strlen(source) },
        { "standardisation", standardisation, sizeof standardisation },
        { "params", params, param_floats * sizeof(float) },
    };
    char err[512];
    if (checkpoint_write(path, sections, 5, err, sizeof err))
        fail_msg("%s", err);
    free(params);
}

/* A missing file, a checkpoint that is no classifier, another version, a
 * network that does not fit its parameters, and broken Lua: each refused
 * in one line naming the file. */
static void test_classifier_load_refuses_bad_files(void **state)
{
    char path[256], err[512];
    struct classifier c;
    const struct kernels *k = best_kernels();
    size_t size;
    char *source = (char *)read_whole(SOURCE, &size);

    scratch_path(path, state, "missing.ddim");
    assert_int_equal(classifier_load(&c, path, k, err, sizeof err), -1);
    assert_error(err, path, "No such file");

    scratch_path(path, state, "diffusion.ddim");
    const struct checkpoint_section other = { "params", "abcd", 4 };
    assert_int_equal(checkpoint_write(path, &other, 1, err, sizeof err), 0);
    assert_int_equal(classifier_load(&c, path, k, err, sizeof err), -1);
    assert_error(err, path, "not a classifier: the checkpoint has no 'format' section");

    scratch_path(path, state, "v0.ddim");
    write_classifier_file(path, "ddim-lab mnist classifier v0", source, 467818);
    assert_int_equal(classifier_load(&c, path, k, err, sizeof err), -1);
    assert_error(err, path, "unsupported classifier format 'ddim-lab mnist classifier v0'");

    scratch_path(path, state, "short.ddim");
    write_classifier_file(path, CLASSIFIER_FORMAT, source, 1000);
    assert_int_equal(classifier_load(&c, path, k, err, sizeof err), -1);
    assert_error(err, path, "4000 bytes of parameters for the 467818 floats of its network");

    scratch_path(path, state, "broken.ddim");
    write_classifier_file(path, CLASSIFIER_FORMAT, "local ddim = require \"ddim\"\nreturn {network = 3", 0);
    assert_int_equal(classifier_load(&c, path, k, err, sizeof err), -1);
    assert_error(err, path, ":2:");

    scratch_path(path, state, "ok.ddim");
    write_classifier_file(path, CLASSIFIER_FORMAT, source, 467818);
    if (classifier_load(&c, path, k, err, sizeof err))
        fail_msg("%s", err);
    classifier_free(&c);
    free(source);
}

/* Networks that are no classifier: refused with the reason, at the line. */
static void test_classifier_network_contract(void **state)
{
    (void)state;
    static const struct { const char *source, *problem; } cases[] = {
        { "return {}", "m.lua: the module must return a table whose network() returns ddim.classifier{...}" },
        { "return {network = function() return 1 end}", "m.lua: network() must return ddim.classifier{...}, got number" },
        { "local x = ddim.input{28, 28, 1}\nlocal t = ddim.input{1, 1, 1}\n"
          "local f = ddim.dense(ddim.flatten(x + t), 8)\n"
          "return {network = function() return ddim.classifier{input = x, features = f, output = f} end}",
          "m.lua:4: ddim.classifier: the graph has 2 inputs, expected the image alone" },
        { "local x = ddim.input{28, 28, 1}\n"
          "return {network = function() return ddim.classifier{input = x, features = x, output = x} end}",
          "m.lua:2: ddim.classifier: features must be the penultimate layer, flat (batch, n); got shape 28x28x1" },
        { "local x = ddim.input{28, 28, 1}\nlocal f = ddim.flatten(x)\n"
          "return {network = function() return ddim.classifier{input = x, features = f, output = f, logits = f} end}",
          "m.lua:3: ddim.classifier: unknown option 'logits'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct classifier_network net;
        char err[512];
        assert_int_equal(classifier_network_build("m.lua", cases[i].source, strlen(cases[i].source), &net, err,
                                                  sizeof err), -1);
        if (strncmp(err, cases[i].problem, strlen(cases[i].problem)) != 0)
            fail_msg("case %zu: expected \"%s\", got \"%s\"", i, cases[i].problem, err);
    }
}

/* The classifier in the repository (models/mnist_classifier_v2.ddim, the
 * one every run scores with unless told otherwise): its network is
 * experiments/lib/classifier.lua's as committed, and it gets at least 99%
 * of the 10,000 test digits right as a run measures it at load. */
static void test_committed_classifier_is_the_sources_and_accurate(void **state)
{
    (void)state;
    const char *path = "models/mnist_classifier_v2.ddim";
    size_t source_size;
    unsigned char *source = read_whole(SOURCE, &source_size);
    struct checkpoint c;
    char err[1024];
    if (checkpoint_read(path, &c, err, sizeof err))
        fail_msg("%s", err);
    const struct checkpoint_section *saved = checkpoint_find(&c, "source");
    assert_non_null(saved);
    if (saved->size != source_size || memcmp(saved->data, source, source_size) != 0)
        fail_msg("%s was trained from another %s than the committed one: retrain it with `ddim-lab classifier`",
                 path, SOURCE);
    checkpoint_free(&c);
    free(source);
    struct sample_scorer scorer = { 0 };
    const char *data_dir = getenv("DDIM_DATA") && *getenv("DDIM_DATA") ? getenv("DDIM_DATA") : "data/mnist";
    if (sample_scorer_load(&scorer, path, best_kernels(), data_dir, err, sizeof err))
        fail_msg("%s", err);
    if (scorer.test_accuracy < 0.99)
        fail_msg("%s gets %.2f%% of the test digits right, below 99%%", path, 100 * scorer.test_accuracy);
    sample_scorer_free(&scorer);
}

static void test_classifier_command_rejects_bad_options(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_ddim_lab(NULL, NULL, "classifier --epochs 0", out, sizeof out), 2);
    assert_string_equal(out, "ddim-lab: --epochs takes a whole number from 1 to 1000, got '0' (see ddim-lab --help)\n");
    assert_int_equal(run_ddim_lab(NULL, NULL, "classifier --frobnicate 3", out, sizeof out), 2);
    assert_string_equal(out, "ddim-lab: classifier: unknown option '--frobnicate' (see ddim-lab --help)\n");
    assert_int_equal(run_ddim_lab(NULL, NULL, "classifier --data /nonexistent/ddim-lab-test", out, sizeof out), 1);
    assert_non_null(strstr(out, "ddim-lab: /nonexistent/ddim-lab-test/train-images-idx3-ubyte.gz: "));
}

size_t classifier_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_classifier_command_writes_a_loadable_classifier, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_classifier_does_not_depend_on_the_thread_count, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_classifier_load_refuses_bad_files, make_scratch, remove_scratch),
        cmocka_unit_test(test_classifier_network_contract),
        cmocka_unit_test(test_committed_classifier_is_the_sources_and_accurate),
        cmocka_unit_test(test_classifier_command_rejects_bad_options),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
