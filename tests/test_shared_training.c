/* Variants that train alike share one training (config_trains_alike,
 * find_shared_trainings): which fields keep two variants' trainings the
 * same, and a run in which one variant samples from another's training
 * gets what it would have got training itself, to the bit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include "test_classifier_file.h"
#include "test_util.h"
#include "test_program.h"
#include "runtime/config/config_fields.h"

static void set(struct variant *v, const char *path, const char *text)
{
    char err[256];
    const struct config_field *f = config_field_find_path(path);
    assert_non_null(f);
    if (config_field_set_text(f, text, v, err, sizeof err))
        fail_msg("%s = %s: %s", path, text, err);
}

static void test_which_fields_keep_a_training(void **state)
{
    (void)state;
    struct variant trained, v;
    config_defaults(&trained);
    set(&trained, "train.epochs", "3");
    set(&trained, "train.ema", "0.999");
    set(&trained, "diffusion.guide_epoch", "1");
    set(&trained, "diffusion.guidance", "1.5");
    v = trained;
    assert_true(config_trains_alike(&trained, &v, 0));
    /* Sampling fields: how the samples are drawn, scored or shown. */
    set(&v, "diffusion.eta", "1");
    set(&v, "diffusion.steps", "7");
    set(&v, "sample.metric_samples", "100");
    assert_true(config_trains_alike(&trained, &v, 0));
    /* Kept fields v goes without: no EMA (the training keeps its raw epoch
     * weights for the guide too), then no guide either. */
    set(&v, "train.ema", "0");
    assert_true(config_trains_alike(&trained, &v, 0));
    set(&v, "diffusion.guide_epoch", "0");
    set(&v, "diffusion.guidance", "1");
    assert_true(config_trains_alike(&trained, &v, 0));
    assert_false(config_trains_alike(&v, &trained, 0)); /* a training without an EMA keeps none to give */
    /* Kept fields v uses must be the training's. */
    struct variant guided = trained;
    set(&guided, "train.ema", "0.99");
    assert_false(config_trains_alike(&trained, &guided, 0));
    set(&guided, "train.ema", "0.999");
    set(&guided, "diffusion.guide_epoch", "2");
    assert_false(config_trains_alike(&trained, &guided, 0));
    /* Training fields, and the seed unless the experiment's seeds set it. */
    struct variant other = trained;
    set(&other, "train.learning_rate", "0.002");
    assert_false(config_trains_alike(&trained, &other, 0));
    other = trained;
    set(&other, "train.seed", "2");
    assert_false(config_trains_alike(&trained, &other, 0));
    assert_true(config_trains_alike(&trained, &other, 1));
}

/* a trains with an EMA and a guide (the recipe's); b samples otherwise
 * (without the EMA, so from the best epoch's weights guided by epoch 1's
 * raw weights; deterministic), so trains as a (test_which_fields_keep_a_
 * training has the variants that do not). */
static const char experiment[] =
    "local ddim = require \"ddim\"\n"
    "local recipe = require \"lib.recipe\"\n"
    "local train, diffusion = recipe.train(), recipe.diffusion()\n"
    "train.epochs, train.max_images, diffusion.steps = 2, 256, 5\n"
    "return ddim.experiment {\n"
    "  name = \"shared\", train = train, diffusion = diffusion, sample = { metric_samples = 64 },\n"
    "  variants = {\n"
    "    { name = \"a\", model = recipe.network() },\n"
    "    { name = \"b\", model = recipe.network(), train = { ema = 0, ema_warmup = false },\n"
    "      diffusion = { eta = 0 } },\n"
    "  },\n"
    "}\n";

static void read_run_file(const char *out_dir, const char *name, char *buf, size_t size)
{
    char pattern[700];
    snprintf(pattern, sizeof pattern, "%.500s/shared/*/%.100s", out_dir, name);
    read_only_match_file(pattern, buf, size);
}

/* The rows of variant in csv, in order, without their first field. */
static void rows_of(const char *csv, const char *variant, char *out, size_t size)
{
    const size_t length = strlen(variant);
    out[0] = '\0';
    for (const char *line = csv; *line;) {
        const char *end = strchr(line, '\n');
        const size_t n = end ? (size_t)(end - line + 1) : strlen(line);
        if (strncmp(line, variant, length) == 0 && line[length] == ',')
            strncat(out, line + length, n - length < size - strlen(out) - 1 ? n - length : 0);
        line += n;
    }
}

static void test_a_variant_that_trains_alike_samples_from_the_other(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", file[600], path[600], args[1024], out[16384];
    static char csv[2][8192], rows[4][4096];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/shared.lua", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs(experiment, f);
    fclose(f);
    for (int run = 0; run < 2; run++) { /* every variant; then b alone, training itself */
        snprintf(args, sizeof args, "%s --seed 1 --classifier %s --out %s/%d%s", file, test_classifier_file(), dir,
                 run, run ? " --variant b" : "");
        if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
            fail_msg("ddim-lab %s failed:\n%s", args, out);
        if (run == 0) {
            assert_contains(out, "b, seed 1: trains as a does (they differ only in how they sample)");
            snprintf(path, sizeof path, "%s/0", dir);
            read_run_file(path, "variants.csv", csv[0], sizeof csv[0]);
            assert_contains(csv[0], ",trained_as\n");
            rows_of(csv[0], "shared", rows[0], sizeof rows[0]);
            assert_contains(rows[0], ",a,,ema,"); /* each row ends with trained_as: a, a */
            assert_contains(rows[0], ",a\n,b,,best,");
            const char *b_row = strstr(rows[0], ",b,,best,");
            assert_non_null(b_row);
            assert_non_null(strstr(b_row, ",a\n")); /* the last row: b's */
            char report[32768];
            read_run_file(path, "report.md", report, sizeof report);
            assert_contains(report, "from the best epoch's weights of `a`'s training (they train alike)");
            glob_t grids;
            snprintf(args, sizeof args, "%s/0/shared/*/b/seed1/epoch_01.png", dir);
            assert_int_equal(glob(args, 0, NULL, &grids), GLOB_NOMATCH); /* b trained nothing */
        }
        snprintf(path, sizeof path, "%s/%d", dir, run);
        read_run_file(path, "results.csv", csv[0], sizeof csv[0]);
        read_run_file(path, "metrics.csv", csv[1], sizeof csv[1]);
        rows_of(csv[0], "b", rows[2 * run], sizeof rows[0]);
        rows_of(csv[1], "b", rows[2 * run + 1], sizeof rows[0]);
        if (run == 0) { /* b's training rows are a's */
            char a_rows[4096];
            rows_of(csv[0], "a", a_rows, sizeof a_rows);
            assert_string_equal(rows[0], a_rows);
        }
    }
    assert_contains(rows[0], ",1,2,");
    assert_string_equal(rows[0], rows[2]); /* the same training... */
    assert_contains(rows[1], ",1,64,5,");
    assert_string_equal(rows[1], rows[3]); /* ...and the same samples and scores as training itself */
    remove_tree(dir);
}

size_t shared_training_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_fields_keep_a_training),
        cmocka_unit_test(test_a_variant_that_trains_alike_samples_from_the_other),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
