/* The checks an experiment run makes before its run directory exists
 * (runtime/cli/run_checks.h), each run as the program: a batch larger than
 * the variant's training images, a variant whose training does not fit the
 * memory limit (refused in well under a second), MNIST files that are not
 * the listed ones (refused unless --allow-unverified-data, which then runs
 * and records their digests in meta.json). Each refusal is one line naming
 * the file at fault, exit status 1, and no run directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "runtime/base/mnist.h"
#include "runtime/config/config_fields.h"
#include "runtime/diffusion/train.h"
#include "runtime/diffusion/train_budget.h"
#include "test_util.h"
#include "test_program.h"

/* The tiny classifier kept with the fuzz seeds: loads in milliseconds. */
#define TINY_CLASSIFIER "fuzz/corpus/fuzz_classifier_file/classifier.ddim"
#define TINY_RUN "experiments/skip_vs_noskip.lua --variant skip --seed 1 --threads 1 train.max_images=32 " \
                 "train.batch_size=16 train.epochs=1 diffusion.steps=2 sample.metric_samples=16 sample.grid=2 " \
                 "--classifier " TINY_CLASSIFIER

/* Fails unless out is one "ddim-lab: " line that says part. */
static void assert_one_line(const char *out, const char *part)
{
    if (strncmp(out, "ddim-lab: ", 10) != 0 || strchr(out, '\n') != out + strlen(out) - 1)
        fail_msg("expected one line \"ddim-lab: ...\", got:\n%s", out);
    assert_contains(out, part);
}

static void assert_absent(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        fail_msg("%s exists: a refused run made it", path);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The count the checks use, without the data, is the trainer's. */
static void test_training_count_is_the_trainers(void **state)
{
    (void)state;
    static const char *const datasets[] = { "all", "train", "test" };
    static const long max_images[] = { 0, 100, 10000, 60001, 100000 };
    struct mnist_dataset all = { MNIST_TRAIN_COUNT + MNIST_TEST_COUNT, NULL, NULL };
    all.pixels = calloc(all.count, MNIST_IMAGE_PIXELS);
    all.labels = calloc(all.count, 1);
    assert_true(all.pixels && all.labels);
    for (int d = 0; d < 3; d++)
        for (int m = 0; m < 5; m++) {
            struct variant v;
            config_defaults(&v);
            snprintf(v.train.dataset, sizeof v.train.dataset, "%s", datasets[d]);
            v.train.max_images = max_images[m];
            if (variant_training_count(&v) != variant_training_set(&v, &all).count)
                fail_msg("train.dataset %s, train.max_images %ld: %zu images, the trainer's %zu", datasets[d],
                         max_images[m], variant_training_count(&v), variant_training_set(&v, &all).count);
        }
    mnist_free_dataset(&all);
}

/* train.batch_size 100000 over 4096 images: refused before anything is
 * written, naming the experiment file and the variant. */
static void test_run_refuses_a_batch_larger_than_the_training_set(void **state)
{
    char runs[256], args[1024], out[4096];
    scratch_path(runs, state, "runs");
    snprintf(args, sizeof args, TINY_RUN " train.max_images=4096 train.batch_size=100000 --out %s", runs);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, "ddim-lab: experiments/skip_vs_noskip.lua: variant skip: train.batch_size 100000 is larger "
                         "than its 4096 training images");
    assert_absent(runs);
}

/* A dense layer of 10^8 units (157 billion parameters, 585 GiB a copy) is
 * refused at once under the default limit, and the tiny run under
 * --memory-limit 1 (MiB). */
static void test_run_refuses_a_variant_over_the_memory_limit(void **state)
{
    char runs[256], file[256], args[1024], out[4096];
    scratch_path(runs, state, "runs");
    scratch_path(file, state, "huge.lua");
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("local ddim = require \"ddim\"\n"
          "local x = ddim.input{28, 28, 1, name = \"x\"}\n"
          "local t = ddim.input{1, 1, 1, name = \"t\"}\n"
          "local h = ddim.dense(ddim.flatten(x + t), 100000000, {activation = \"relu\"})\n"
          "local y = ddim.reshape(ddim.dense(h, 784), {28, 28, 1})\n"
          "return ddim.experiment { name = \"huge\", train = { epochs = 1, batch_size = 16, max_images = 32 },\n"
          "  diffusion = { steps = 2 }, sample = { metric_samples = 16, grid = 2 },\n"
          "  variants = { { name = \"wide\", model = ddim.model{inputs = {x, t}, output = y} } } }\n",
          f);
    assert_int_equal(fclose(f), 0);
    snprintf(args, sizeof args, "%s --classifier " TINY_CLASSIFIER " --out %s", file, runs);
    const double start = seconds_now();
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    const double seconds = seconds_now() - start;
    assert_one_line(out, ": variant wide: training needs about ");
    assert_contains(out, "(156900000784 parameters x 4 bytes x 6 copies");
    assert_contains(out, "more than the limit, 80% of the physical memory (--memory-limit MIB sets another)");
    if (seconds > 2)
        fail_msg("refused after %.1f s; the check comes before anything is allocated", seconds);
    assert_absent(runs);

    snprintf(args, sizeof args, TINY_RUN " --memory-limit 1 --out %s", runs);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, "ddim-lab: experiments/skip_vs_noskip.lua: variant skip: training needs about ");
    assert_contains(out, "more than the --memory-limit: 1 MiB");
    assert_absent(runs);
    assert_int_equal(run_ddim_lab(NULL, NULL, TINY_RUN " --memory-limit 0", out, sizeof out), 2);
    assert_one_line(out, "--memory-limit takes MiB, a whole number from 1 to ");
}

/* The real data directory, absolute (the runs below are given another). */
static void real_data_dir(char dir[512])
{
    const char *data = getenv("DDIM_DATA") && *getenv("DDIM_DATA") ? getenv("DDIM_DATA") : "data/mnist";
    char cwd[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(dir, 512, "%s%s%s", data[0] == '/' ? "" : cwd, data[0] == '/' ? "" : "/", data);
}

/* dir/: the real files linked, but train-images re-gzipped with its first
 * three digits inverted (255 - pixel): a well-formed IDX file that is not
 * MNIST's. */
static void make_tampered_data(const char *dir)
{
    char real[512], from[1024], to[1024], err[512];
    real_data_dir(real);
    assert_int_equal(mkdir(dir, 0777), 0);
    for (int i = 0; i < MNIST_FILE_COUNT; i++) {
        snprintf(from, sizeof from, "%s/%s", real, mnist_files[i].name);
        snprintf(to, sizeof to, "%s/%s", dir, mnist_files[i].name);
        if (strcmp(mnist_files[i].name, "train-images-idx3-ubyte.gz") != 0) {
            assert_int_equal(symlink(from, to), 0);
            continue;
        }
        struct mnist_images images;
        if (mnist_load_images(from, &images, err, sizeof err))
            fail_msg("%s", err);
        for (size_t p = 0; p < 3 * MNIST_IMAGE_PIXELS; p++)
            images.pixels[p] = (unsigned char)(255 - images.pixels[p]);
        /* The IDX header: magic 0x803, count, 28, 28, big-endian. */
        const unsigned char header[16] = { 0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28 };
        assert_int_equal(images.count, 60000);
        gzFile gz = gzopen(to, "wb");
        assert_non_null(gz);
        assert_int_equal(gzwrite(gz, header, sizeof header), (int)sizeof header);
        assert_int_equal(gzwrite(gz, images.pixels, (unsigned)(images.count * MNIST_IMAGE_PIXELS)),
                         (int)(images.count * MNIST_IMAGE_PIXELS));
        assert_int_equal(gzclose(gz), Z_OK);
        mnist_free_images(&images);
    }
}

/* The tampered files: info says FAILED (exit 1); a run refuses them in one
 * line naming the file, and with --allow-unverified-data runs, its
 * meta.json holding their digests, the tampered one not verified. */
static void test_run_refuses_unverified_data_unless_allowed(void **state)
{
    char data[256], runs[256], args[1024], out[8192], pattern[600], meta[8192], want[600];
    scratch_path(data, state, "data");
    scratch_path(runs, state, "runs");
    make_tampered_data(data);

    snprintf(args, sizeof args, "info --data %s", data);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_contains(out, "  train-images-idx3-ubyte.gz  FAILED: ");
    assert_contains(out, "  t10k-images-idx3-ubyte.gz   verified");

    snprintf(args, sizeof args, "--data %s " TINY_RUN " --out %s", data, runs);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    snprintf(want, sizeof want, "ddim-lab: %s/train-images-idx3-ubyte.gz: not the MNIST file "
             "runtime/base/mnist.sha256 lists: the SHA-256 of its content is ", data);
    assert_one_line(out, want);
    assert_contains(out, "--allow-unverified-data runs on it anyway");
    assert_absent(runs);

    snprintf(args, sizeof args, "--data %s " TINY_RUN " --allow-unverified-data --out %s", data, runs);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/meta.json", runs);
    read_only_match_file(pattern, meta, sizeof meta);
    assert_contains(meta, "{\"file\": \"train-images-idx3-ubyte.gz\", \"sha256\": \"");
    assert_contains(meta, "\", \"verified\": false}");
    for (int i = 1; i < MNIST_FILE_COUNT; i++) {
        snprintf(want, sizeof want, "{\"file\": \"%s\", \"sha256\": \"%s\", \"verified\": true}",
                 mnist_files[i].name, mnist_files[i].sha256);
        assert_contains(meta, want);
    }
}

/* ddim-lab --help names the checks' two options. */
static void test_help_lists_the_check_options(void **state)
{
    (void)state;
    char out[16384];
    assert_int_equal(run_ddim_lab(NULL, NULL, "--help", out, sizeof out), 0);
    assert_contains(out, "\n  --memory-limit MIB  refuse, before anything is written, a variant whose training");
    assert_contains(out, "\n  --allow-unverified-data  run on MNIST files whose content is not the digests' of");
}

size_t run_check_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_training_count_is_the_trainers),
        cmocka_unit_test(test_help_lists_the_check_options),
        cmocka_unit_test_setup_teardown(test_run_refuses_a_batch_larger_than_the_training_set, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_run_refuses_a_variant_over_the_memory_limit, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_run_refuses_unverified_data_unless_allowed, make_scratch,
                                        remove_scratch),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
