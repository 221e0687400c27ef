/* The ablation generator (experiments/lib/ablation.lua) through the
 * experiment loader: experiments/seed_extras.lua resolves to the full and
 * minimal configurations and one variant per extra and direction, each with
 * the right settings; a name that is no extra is refused at file:line. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/config/config.h"
#include "test_util.h"

static const struct variant *find(const struct experiment *e, const char *name)
{
    for (int i = 0; i < e->variant_count; i++)
        if (strcmp(e->variants[i].name, name) == 0)
            return &e->variants[i];
    fail_msg("no variant named %s", name);
    return NULL;
}

static void test_seed_extras_variants(void **state)
{
    (void)state;
    struct experiment e;
    char err[1024];
    if (experiment_load("experiments/seed_extras.lua", NULL, &e, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(e.variant_count, 16); /* full, minimal, and 7 extras each way */
    assert_int_equal(e.seed_count, 3);      /* each run at seeds 1, 2, 3 */
    assert_true(e.seeds[0] == 1 && e.seeds[1] == 2 && e.seeds[2] == 3);
    const struct variant *full = find(&e, "full"), *minimal = find(&e, "minimal");
    assert_true(full->diffusion.schedule == SCHEDULE_COSINE && full->train.normalize && full->train.ema > 0 &&
                !full->diffusion.gradient_trick && full->train.loss == LOSS_MAE);
    assert_true(minimal->diffusion.schedule == SCHEDULE_NONE && !minimal->train.normalize &&
                minimal->train.ema == 0 && minimal->diffusion.gradient_trick && minimal->train.loss == LOSS_MSE);
    /* One switch differs from its end point, the others stay. */
    const struct variant *no_ema = find(&e, "full_without_ema"), *with_cosine = find(&e, "minimal_with_cosine");
    assert_true(no_ema->train.ema == 0 && no_ema->diffusion.schedule == SCHEDULE_COSINE);
    assert_true(with_cosine->diffusion.schedule == SCHEDULE_COSINE && with_cosine->train.ema == 0);
    /* Each ablation names its reference and says what it changes. */
    assert_string_equal(no_ema->reference, "full");
    assert_string_equal(no_ema->changes, "without the EMA of the weights (0.999, warmed up)");
    assert_string_equal(with_cosine->reference, "minimal");
    assert_string_equal(with_cosine->changes, "with the offset cosine schedule (or the seed's none)");
    assert_string_equal(full->reference, "");
    /* The network extras build different models: the U-Net has far fewer
     * parameters than the seed's dense first network. */
    assert_true(full->graph.param_floats < 1000000 && find(&e, "full_without_unet")->graph.param_floats > 2000000);
    assert_true(find(&e, "minimal_with_unet")->graph.param_floats < 1000000);
    experiment_free(&e);
}

static void test_unknown_extra_is_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-ablation-XXXXXX", path[128], command[PATH_MAX + 256], cwd[PATH_MAX];
    assert_non_null(mkdtemp(dir));
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(command, sizeof command, "ln -s %s/experiments/lib %s/lib", cwd, dir);
    assert_int_equal(system(command), 0);
    snprintf(path, sizeof path, "%s/bad.lua", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("local ddim = require 'ddim'\nlocal ablation = require 'lib.ablation'\nlocal nets = require 'lib.seed_nets'\n"
          "return ddim.experiment(ablation.generate {\n"
          "  network = function(on) return nets.first() end,\n"
          "  extras = { { name = 'ema', full = { train = { ema = 0.999 } } } },\n"
          "  only = { 'emaa' },\n"
          "})\n", f);
    fclose(f);
    struct experiment e;
    char err[1024], expected[256];
    int status = experiment_load(path, NULL, &e, err, sizeof err);
    if (status == 0)
        experiment_free(&e);
    assert_int_equal(status, -1);
    snprintf(expected, sizeof expected, "%s:4: ablation.generate: unknown extra 'emaa' in only; the extras are: ema",
             path);
    if (strstr(err, expected) == NULL)
        fail_msg("expected \"%s\", got \"%s\"", expected, err);
    snprintf(command, sizeof command, "rm -r %s", dir);
    assert_int_equal(system(command), 0);
}

size_t ablation_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_extras_variants),
        cmocka_unit_test(test_unknown_extra_is_refused),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
