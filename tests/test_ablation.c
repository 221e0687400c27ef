/* The ablation generator (experiments/lib/ablation.lua) through the
 * experiment loader: experiments/seed_extras.lua and seed_extras_bottom_up.lua
 * resolve to the full and minimal configurations and one variant per extra,
 * each with the right settings and the extras it needs; a name that is no
 * extra is refused at file:line. */
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

static void load(const char *path, struct experiment *e)
{
    char err[1024];
    if (experiment_load(path, NULL, e, err, sizeof err) != 0)
        fail_msg("%s", err);
}

/* Top-down from the recipe: the full configuration is the recipe's, and a
 * variant that turns an extra off turns off what needs it, saying so. */
static void test_seed_extras_variants(void **state)
{
    (void)state;
    struct experiment e;
    load("experiments/seed_extras.lua", &e);
    assert_int_equal(e.variant_count, 14); /* full and 13 extras */
    assert_int_equal(e.seed_count, 3);      /* each run at seeds 1, 2, 3 */
    assert_true(e.seeds[0] == 1 && e.seeds[1] == 2 && e.seeds[2] == 3);
    const struct variant *full = find(&e, "full");
    assert_true(full->diffusion.schedule == SCHEDULE_COSINE && full->train.normalize && full->train.ema > 0 &&
                !full->diffusion.gradient_trick && full->train.loss == LOSS_MSE &&
                full->diffusion.prediction == PREDICT_VELOCITY && full->train.p2_gamma == 2 &&
                full->diffusion.eta == 1 && full->diffusion.guide_epoch == 1 && full->train.cosine_decay);
    assert_int_equal(full->graph.param_floats, 129011); /* the recipe's U-Net */
    assert_string_equal(full->reference, "");
    /* One switch differs from the full configuration, the others stay. */
    const struct variant *no_ema = find(&e, "full_without_ema");
    assert_true(no_ema->train.ema == 0 && no_ema->diffusion.prediction == PREDICT_VELOCITY);
    assert_string_equal(no_ema->reference, "full");
    assert_string_equal(no_ema->changes, "without the EMA of the weights (0.999, warmed up)");
    /* Without the schedule, v prediction and the stochastic sampler go too. */
    const struct variant *no_cosine = find(&e, "full_without_cosine");
    assert_true(no_cosine->diffusion.schedule == SCHEDULE_NONE && no_cosine->diffusion.prediction == PREDICT_NOISE &&
                no_cosine->diffusion.eta == 0 && no_cosine->train.ema > 0);
    assert_string_equal(no_cosine->changes, "without the offset cosine schedule (or the seed's none) "
                                            "(and so without velocity, without stochastic)");
    const struct variant *trick = find(&e, "full_without_no_trick");
    assert_true(trick->diffusion.gradient_trick && trick->diffusion.prediction == PREDICT_NOISE &&
                trick->diffusion.eta == 1);
    /* The network extras: the seed's dense skip network, the U-Net without
     * its skips (fewer weights), with the sinusoids (more). */
    assert_true(find(&e, "full_without_unet")->graph.param_floats > 3000000);
    assert_true(find(&e, "full_without_unet_skips")->graph.param_floats < 129011);
    assert_true(find(&e, "full_with_sinusoidal")->graph.param_floats > 129011);
    assert_string_equal(find(&e, "full_with_sinusoidal")->changes,
                        "with the sinusoidal noise embedding (or the noise level itself)");
    experiment_free(&e);
}

/* Bottom-up from the seed's minimal configuration: a variant that turns an
 * extra on turns on what it needs. */
static void test_seed_extras_bottom_up_variants(void **state)
{
    (void)state;
    struct experiment e;
    load("experiments/seed_extras_bottom_up.lua", &e);
    assert_int_equal(e.variant_count, 13); /* minimal and 12 extras: the U-Net's skips come with the U-Net */
    const struct variant *minimal = find(&e, "minimal");
    assert_true(minimal->diffusion.schedule == SCHEDULE_NONE && !minimal->train.normalize &&
                minimal->train.ema == 0 && minimal->diffusion.gradient_trick && minimal->train.loss == LOSS_MAE &&
                minimal->diffusion.prediction == PREDICT_NOISE && minimal->train.p2_gamma == 0 &&
                minimal->diffusion.eta == 0 && minimal->diffusion.guide_epoch == 0 && !minimal->train.cosine_decay);
    assert_true(minimal->graph.param_floats > 3000000); /* the seed's skip network */
    const struct variant *velocity = find(&e, "minimal_with_velocity");
    assert_true(velocity->diffusion.prediction == PREDICT_VELOCITY && velocity->diffusion.schedule == SCHEDULE_COSINE &&
                !velocity->diffusion.gradient_trick && velocity->train.ema == 0);
    assert_string_equal(velocity->changes, "with v prediction (or the noise) (and so with cosine, with no_trick)");
    assert_string_equal(velocity->reference, "minimal");
    assert_int_equal(find(&e, "minimal_with_unet")->graph.param_floats, 129011);
    experiment_free(&e);
}

/* An ablation file whose extras and only are `extras_and_only` is refused
 * with the message `message` at its line 4 (the generate call). */
static void assert_refused(const char *extras_and_only, const char *message)
{
    char dir[] = "/tmp/ddim-ablation-XXXXXX", path[128], command[PATH_MAX + 256], cwd[PATH_MAX];
    assert_non_null(mkdtemp(dir));
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(command, sizeof command, "ln -s %s/experiments/lib %s/lib", cwd, dir);
    assert_int_equal(system(command), 0);
    snprintf(path, sizeof path, "%s/bad.lua", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "local ddim = require 'ddim'\nlocal ablation = require 'lib.ablation'\nlocal nets = require 'lib.seed_nets'\n"
               "return ddim.experiment(ablation.generate {\n"
               "  network = function(on) return nets.first() end,\n"
               "%s\n"
               "})\n", extras_and_only);
    fclose(f);
    struct experiment e;
    char err[1024], expected[256];
    int status = experiment_load(path, NULL, &e, err, sizeof err);
    if (status == 0)
        experiment_free(&e);
    assert_int_equal(status, -1);
    snprintf(expected, sizeof expected, "%s:4: %s", path, message);
    if (strstr(err, expected) == NULL)
        fail_msg("expected \"%s\", got \"%s\"", expected, err);
    snprintf(command, sizeof command, "rm -r %s", dir);
    assert_int_equal(system(command), 0);
}

static void test_unknown_extra_is_refused(void **state)
{
    (void)state;
    assert_refused("  extras = { { name = 'ema', full = { train = { ema = 0.999 } } } },\n  only = { 'emaa' },",
                   "ablation.generate: unknown extra 'emaa' in only; the extras are: ema");
    assert_refused("  extras = { { name = 'ema', needs = { 'cosin' } }, { name = 'cosine' } },",
                   "ablation.generate: unknown extra 'cosin' in ema.needs; the extras are: ema, cosine");
}

size_t ablation_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_extras_variants),
        cmocka_unit_test(test_seed_extras_bottom_up_variants),
        cmocka_unit_test(test_unknown_extra_is_refused),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
