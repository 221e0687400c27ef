/* Experiment files: experiments/skip_vs_noskip.lua as the project ships it,
 * command-line options on top of it, and broken experiments, each written
 * to a temporary file, whose errors must name that file, the line, and
 * what was expected. (Under `make test-sanitize`, LeakSanitizer also checks
 * that the graphs of models no kept variant uses are freed.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include "test_util.h"
#include "test_program.h"
#include "runtime/config/config.h"

#define SEED_EXPERIMENT "experiments/skip_vs_noskip.lua"

/* The tests of the resolved config (test_config_resolved.c), run with these. */
size_t config_resolved_tests(struct CMUnitTest *out);

/* Parameters, by hand (kernel + bias of each layer; convolutions 3x3):
 *   dense 784 -> 3136               784 * 3136 + 3136 = 2,461,760
 *   conv_transpose2d 64 -> 64       9 * 64 * 64 + 64  =    36,928
 *   conv_transpose2d 64 -> 32       9 * 64 * 32 + 32  =    18,464
 *   conv_transpose2d 32 -> 1        9 * 32 * 1 + 1    =       289
 *   first: 2,461,760 + 36,928 + 18,464 + 289          = 2,517,441
 *   dense 784 -> 784 (the skip)     784 * 784 + 784   =   615,440
 *   skip: 2,517,441 + 615,440                         = 3,132,881 */
#define FIRST_PARAMETERS 2517441
#define SKIP_PARAMETERS 3132881

static void assert_shape(const struct graph *g, int node, int d0, int d1, int d2)
{
    assert_true(node >= 0 && node < g->count);
    const struct shape *s = &g->nodes[node].shape;
    assert_int_equal(s->rank, 3);
    assert_true(s->batched);
    assert_int_equal(s->dims[0], d0);
    assert_int_equal(s->dims[1], d1);
    assert_int_equal(s->dims[2], d2);
}

static void load_ok(const struct experiment_options *options, struct experiment *e)
{
    char err[1024];
    if (experiment_load(SEED_EXPERIMENT, options, e, err, sizeof err) != 0)
        fail_msg("loading %s: %s", SEED_EXPERIMENT, err);
}

/* Loads the seed experiment with options, which must fail; returns the message in err. */
static void load_fails(const struct experiment_options *options, char *err, size_t errlen)
{
    struct experiment e;
    assert_int_equal(experiment_load(SEED_EXPERIMENT, options, &e, err, errlen), -1);
}

static void test_config_seed_experiment(void **state)
{
    (void)state;
    struct experiment e;
    load_ok(NULL, &e);
    assert_string_equal(e.name, "skip_vs_noskip");
    assert_string_equal(e.path, SEED_EXPERIMENT);
    assert_int_equal(e.variant_count, 3);
    assert_string_equal(e.variants[0].name, "first");
    assert_string_equal(e.variants[1].name, "skip");
    assert_string_equal(e.variants[2].name, "recipe");
    /* the recipe's own settings over the file's (lib/recipe.lua) */
    assert_int_equal(e.variants[2].train.batch_size, 64);
    assert_int_equal(e.variants[2].train.max_images, 50000);
    assert_true(e.variants[2].train.learning_rate == 5e-3);
    assert_int_equal(e.variants[2].diffusion.schedule, SCHEDULE_COSINE);
    assert_false(e.variants[2].diffusion.gradient_trick);
    for (int i = 0; i < 2; i++) {
        const struct variant *v = &e.variants[i];
        assert_int_equal(v->train.epochs, 3);
        assert_int_equal(v->train.batch_size, 64);
        assert_true(v->train.learning_rate == 1e-3);
        assert_true(v->train.weight_decay == 0.004);
        assert_int_equal(v->train.loss, LOSS_MAE);
        assert_int_equal(v->train.seed, 1);
        assert_string_equal(v->train.dataset, "all");
        assert_true(v->train.ema == 0);
        assert_int_equal(v->train.max_images, 0);
        assert_int_equal(v->diffusion.steps, 20);
        assert_true(v->diffusion.min_signal_rate == 0.02);
        assert_true(v->diffusion.max_signal_rate == 0.95);
        assert_int_equal(v->diffusion.schedule, SCHEDULE_NONE);
        assert_true(v->diffusion.gradient_trick);
        assert_int_equal(v->sample.grid, 8);
        assert_int_equal(v->sample.scale, 3);
        assert_shape(&v->graph, v->input_image, 28, 28, 1);
        assert_shape(&v->graph, v->input_noise_level, 1, 1, 1);
        assert_shape(&v->graph, v->output, 28, 28, 1);
        assert_int_equal(v->graph.nodes[v->input_image].op, OP_INPUT);
        assert_int_equal(v->graph.nodes[v->input_noise_level].op, OP_INPUT);
    }
    assert_int_equal(e.variants[0].graph.param_floats, FIRST_PARAMETERS);
    assert_int_equal(e.variants[1].graph.param_floats, SKIP_PARAMETERS);
    /* first ends in a sigmoid; skip in the add of the skip path. */
    assert_int_equal(e.variants[0].graph.nodes[e.variants[0].output].op, OP_SIGMOID);
    assert_int_equal(e.variants[1].graph.nodes[e.variants[1].output].op, OP_ADD);
    /* Nodes know the line of the layer that made them. */
    assert_contains(e.variants[1].graph.nodes[e.variants[1].output].location, "experiments/lib/seed_nets.lua:");
    experiment_free(&e);
}

static void test_config_overrides_are_typed(void **state)
{
    (void)state;
    char *overrides[] = { "train.epochs=5", "train.learning_rate=3e-4", "diffusion.gradient_trick=false",
                          "train.loss=mse", "train.dataset=train", "sample.grid=4" };
    struct experiment_options options = { .override_count = 6, .overrides = overrides };
    struct experiment e;
    load_ok(&options, &e);
    for (int i = 0; i < e.variant_count; i++) {
        assert_int_equal(e.variants[i].train.epochs, 5);
        assert_true(e.variants[i].train.learning_rate == 3e-4);
        assert_false(e.variants[i].diffusion.gradient_trick);
        assert_int_equal(e.variants[i].train.loss, LOSS_MSE);
        assert_string_equal(e.variants[i].train.dataset, "train");
        assert_int_equal(e.variants[i].sample.grid, 4);
    }
    assert_contains(e.resolved, "train.epochs=5");
    assert_contains(e.resolved, "loss = \"mse\"");
    experiment_free(&e);
}

static void assert_override_fails(char *override, const char *expected)
{
    char *overrides[] = { override };
    struct experiment_options options = { .override_count = 1, .overrides = overrides };
    char err[1024];
    load_fails(&options, err, sizeof err);
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s: override '%s", SEED_EXPERIMENT, override);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
        fail_msg("expected the error to start with \"%s\", got \"%s\"", prefix, err);
    assert_contains(err, expected);
}

static void test_config_bad_overrides(void **state)
{
    (void)state;
    assert_override_fails("train.epochz=3", "unknown setting 'train.epochz' (did you mean 'train.epochs'?)");
    assert_override_fails("train.epochs=three", "train.epochs must be an integer >= 1, got string 'three'");
    assert_override_fails("train.epochs=2.5", "must be an integer >= 1, got 2.5");
    assert_override_fails("train.batch_size=0", "must be an integer >= 1, got 0");
    assert_override_fails("diffusion.gradient_trick=0", "must be a boolean (true or false), got 0");
    assert_override_fails("train.loss=l1", "must be one of \"mae\", \"mse\", got string 'l1'");
    assert_override_fails("epochs", "must be key.path=value");
    assert_override_fails("diffusion.eta=1.5", "diffusion.eta must be a number in [0, 1], got 1.5");
}

/* Fresh noise in the sampler needs a variance-preserving schedule: the
 * seed's ("none") is refused, naming the file. */
static void test_config_eta_needs_a_variance_preserving_schedule(void **state)
{
    (void)state;
    char *overrides[] = { "diffusion.eta=1" };
    struct experiment_options options = { .overrides = overrides, .override_count = 1 };
    char err[1024];
    load_fails(&options, err, sizeof err);
    assert_contains(err, SEED_EXPERIMENT);
    assert_contains(err, "diffusion.eta (1) needs a variance-preserving schedule");
    char *cosine[] = { "diffusion.eta=1", "diffusion.schedule=cosine" };
    options = (struct experiment_options){ .overrides = cosine, .override_count = 2 };
    struct experiment e;
    load_ok(&options, &e);
    assert_true(e.variants[0].diffusion.eta == 1.0);
    experiment_free(&e);
}

/* train.p2_sampling draws the times by the P2 weight: without a gamma
 * there is no weight, and it is refused, naming the file. */
static void test_config_p2_sampling_needs_a_gamma(void **state)
{
    (void)state;
    char *overrides[] = { "train.p2_sampling=true" };
    struct experiment_options options = { .overrides = overrides, .override_count = 1 };
    char err[1024];
    load_fails(&options, err, sizeof err);
    assert_contains(err, SEED_EXPERIMENT);
    assert_contains(err, "train.p2_sampling draws the times by their P2 weight: it needs train.p2_gamma > 0");
    char *with_gamma[] = { "train.p2_sampling=true", "train.p2_gamma=2" };
    options = (struct experiment_options){ .overrides = with_gamma, .override_count = 2 };
    struct experiment e;
    load_ok(&options, &e);
    assert_true(e.variants[0].train.p2_sampling == 1);
    experiment_free(&e);
}

/* diffusion.prediction = "velocity" derives the noise and the image from
 * v with signal^2 + noise_rate^2 = 1: the seed's schedule (both rates 1) and
 * the gradient trick (a derivative of the predicted noise) are refused. */
static void test_config_velocity_needs_a_variance_preserving_schedule(void **state)
{
    (void)state;
    char *overrides[] = { "diffusion.prediction=velocity", "diffusion.gradient_trick=false" };
    struct experiment_options options = { .overrides = overrides, .override_count = 2 };
    char err[1024];
    load_fails(&options, err, sizeof err);
    assert_contains(err, SEED_EXPERIMENT);
    assert_contains(err, "diffusion.prediction = \"velocity\" needs a variance-preserving schedule");
    char *with_cosine[] = { "diffusion.prediction=velocity", "diffusion.gradient_trick=false",
                            "diffusion.schedule=cosine" };
    options = (struct experiment_options){ .overrides = with_cosine, .override_count = 3 };
    struct experiment e;
    load_ok(&options, &e);
    assert_true(e.variants[0].diffusion.prediction == PREDICT_VELOCITY);
    assert_contains(e.resolved, "prediction = \"velocity\"");
    experiment_free(&e);
    char *with_trick[] = { "diffusion.prediction=velocity", "diffusion.schedule=cosine" };
    options = (struct experiment_options){ .overrides = with_trick, .override_count = 2 };
    load_fails(&options, err, sizeof err);
    assert_contains(err, "and diffusion.gradient_trick = false");
}

/* diffusion.guidance mixes in a guide, which is an earlier epoch's
 * weights: it needs diffusion.guide_epoch, and that epoch must come before
 * the last (skip_vs_noskip trains 3 epochs). */
static void test_config_guidance_needs_an_earlier_guide_epoch(void **state)
{
    (void)state;
    char *without_guide[] = { "diffusion.guidance=2" };
    struct experiment_options options = { .overrides = without_guide, .override_count = 1 };
    char err[1024];
    load_fails(&options, err, sizeof err);
    assert_contains(err, SEED_EXPERIMENT);
    assert_contains(err, "diffusion.guidance (2) mixes in a guide: it needs diffusion.guide_epoch");
    char *last_epoch[] = { "diffusion.guidance=2", "diffusion.guide_epoch=3" };
    options = (struct experiment_options){ .overrides = last_epoch, .override_count = 2 };
    load_fails(&options, err, sizeof err);
    assert_contains(err, "diffusion.guide_epoch (3) must come before the last epoch (train.epochs = 3)");
    char *guided[] = { "diffusion.guidance=2.5", "diffusion.guide_epoch=2" };
    options = (struct experiment_options){ .overrides = guided, .override_count = 2 };
    struct experiment e;
    load_ok(&options, &e);
    assert_true(e.variants[0].diffusion.guidance == 2.5 && e.variants[0].diffusion.guide_epoch == 2);
    assert_contains(e.resolved, "guidance = 2.5");
    assert_contains(e.resolved, "guide_epoch = 2");
    experiment_free(&e);
}

static void test_config_quick(void **state)
{
    (void)state;
    struct experiment_options options = { .quick = 1 };
    struct experiment e;
    load_ok(&options, &e);
    assert_int_equal(e.variants[0].train.epochs, 1);
    assert_int_equal(e.variants[1].train.max_images, 20000);
    assert_int_equal(e.variants[1].train.batch_size, 64);
    assert_int_equal(e.variants[2].train.epochs, 1); /* quick comes after the variant's own 3 */
    assert_int_equal(e.variants[2].diffusion.guide_epoch, 0);
    assert_int_equal(e.variants[2].train.max_images, 60000); /* its own quick after the file's */
    experiment_free(&e);
    /* The command line comes after quick. */
    char *overrides[] = { "train.epochs=2" };
    options.override_count = 1;
    options.overrides = overrides;
    load_ok(&options, &e);
    assert_int_equal(e.variants[0].train.epochs, 2);
    assert_int_equal(e.variants[0].train.max_images, 20000);
    experiment_free(&e);
}

static void test_config_variant_and_seed_options(void **state)
{
    (void)state;
    struct experiment_options options = { .variant = "skip", .seed_count = 1, .seeds = { 42 } };
    struct experiment e;
    load_ok(&options, &e);
    assert_int_equal(e.variant_count, 1);
    assert_string_equal(e.variants[0].name, "skip");
    assert_int_equal(e.variants[0].graph.param_floats, SKIP_PARAMETERS);
    /* --seed replaces the file's seeds {1, 2, 3}: the run sets train.seed to each. */
    assert_int_equal(e.seed_count, 1);
    assert_int_equal(e.seeds[0], 42);
    experiment_free(&e);

    /* A pattern keeps every variant it matches, in the file's order,
     * without their references when those do not run. */
    options.variant = "[rf]*";
    load_ok(&options, &e);
    assert_int_equal(e.variant_count, 2);
    assert_string_equal(e.variants[0].name, "first");
    assert_string_equal(e.variants[1].name, "recipe");
    assert_contains(e.resolved, "-- Options: --variant [rf]* --seeds 42");
    experiment_free(&e);

    char err[1024];
    options.variant = "nope";
    load_fails(&options, err, sizeof err);
    assert_string_equal(err, SEED_EXPERIMENT ": --variant nope: no such variant; the variants are first, skip, recipe");
}

/* ---- experiments in temporary files -------------------------------------------- */

/* A temporary directory holding `bad.lua`. */
struct temp_file {
    char dir[64];
    char path[96];
};

static void temp_write(struct temp_file *t, const char *source)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/ddim-config-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/bad.lua", t->dir);
    FILE *f = fopen(t->path, "w");
    assert_non_null(f);
    fputs(source, f);
    fclose(f);
}

static void temp_remove(struct temp_file *t)
{
    unlink(t->path);
    rmdir(t->dir);
}

/* Lines 1-6 of most temporary experiments: a model with no layers but the add. */
#define TINY_MODEL                                                                                     \
    "local ddim = require 'ddim'\n"                                                                    \
    "local function tiny()\n"                                                                          \
    "  local x = ddim.input{28, 28, 1}\n"                                                              \
    "  local t = ddim.input{1, 1, 1}\n"                                                                \
    "  return ddim.model{inputs = {x, t}, output = x + t}\n"                                           \
    "end\n"

/* A file that sets nothing gets the safe defaults: the training digits
 * (never the test digits FID is measured against), the offset cosine
 * schedule, plain gradients. */
static void test_config_defaults_are_safe(void **state)
{
    (void)state;
    struct temp_file t;
    temp_write(&t, TINY_MODEL "return ddim.experiment { variants = { { name = 'a', model = tiny() } } }\n");
    struct experiment e;
    char err[1024];
    const int status = experiment_load(t.path, NULL, &e, err, sizeof err);
    temp_remove(&t);
    if (status != 0)
        fail_msg("%s", err);
    assert_string_equal(e.variants[0].train.dataset, "train");
    assert_int_equal(e.variants[0].diffusion.schedule, SCHEDULE_COSINE);
    assert_false(e.variants[0].diffusion.gradient_trick);
    experiment_free(&e);
}

/* Loading source must fail with "<its path>:<line>: ..." (line 0: "<its
 * path>: ...") containing expected. */
static void assert_fails_at(const char *source, int line, const char *expected)
{
    struct temp_file t;
    temp_write(&t, source);
    struct experiment e;
    char err[1024], prefix[128];
    int status = experiment_load(t.path, NULL, &e, err, sizeof err);
    temp_remove(&t);
    if (status == 0) {
        experiment_free(&e);
        fail_msg("expected an error about \"%s\" in:\n%s", expected, source);
    }
    if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%d: ", t.path, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", t.path);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
        fail_msg("expected the error to start with \"%s\", got \"%s\"", prefix, err);
    assert_contains(err, expected);
    assert_null(strchr(err, '\n'));
}

static void test_config_typo_in_a_key(void **state)
{
    (void)state;
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"
                    "  train = { epochz = 3 },\n"                             /* 8 */
                    "  variants = { { name = 'a', model = tiny() } },\n"
                    "}\n",
                    8, "unknown key 'epochz' in train (did you mean 'epochs'?); valid keys: epochs, batch_size");
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"
                    "  variants = { { name = 'a', model = tiny(), diffusion = { stepz = 3 } } },\n" /* 8 */
                    "}\n",
                    8, "variants[1] ('a'): unknown key 'stepz' in diffusion (did you mean 'steps'?)");
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"
                    "  varients = { { name = 'a', model = tiny() } },\n"      /* 8 */
                    "}\n",
                    8, "unknown key 'varients' in the experiment (did you mean 'variants'?)");
}

/* Seeds, references and descriptions: what the report's statistics rest on. */
static void test_config_seeds_and_references(void **state)
{
    (void)state;
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"                               /* 7 */
                    "  seeds = { 1, 2, 1 },\n"
                    "  variants = { { name = 'a', model = tiny() } },\n"
                    "}\n",
                    7, "seeds lists 1 twice");
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"                               /* 7 */
                    "  seeds = { 1, -2 },\n"
                    "  variants = { { name = 'a', model = tiny() } },\n"
                    "}\n",
                    7, "seeds[2] must be an integer >= 0, got -2");
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"                               /* 7 */
                    "  variants = { { name = 'a', model = tiny() },\n"
                    "               { name = 'b', model = tiny(), reference = 'c' } },\n"
                    "}\n",
                    7, "variants[2] ('b'): reference must name another variant of the experiment, got 'c'");
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"                               /* 7 */
                    "  variants = { { name = 'a', model = tiny(), reference = 'a' } },\n"
                    "}\n",
                    7, "variants[1] ('a'): reference must name another variant of the experiment, got 'a'");
}

static void test_config_wrong_type(void **state)
{
    (void)state;
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"                               /* 7 */
                    "  train = { epochs = 'three' },\n"
                    "  variants = { { name = 'a', model = tiny() } },\n"
                    "}\n",
                    7, "train.epochs must be an integer >= 1, got string 'three'");
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"                               /* 7 */
                    "  variants = { { name = 'a', model = tiny(), train = { loss = 'l1' } } },\n"
                    "}\n",
                    7, "train.loss must be one of \"mae\", \"mse\", got string 'l1'");
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"                               /* 7 */
                    "  diffusion = { steps = 0 },\n"
                    "  variants = { { name = 'a', model = tiny() } },\n"
                    "}\n",
                    7, "diffusion.steps must be an integer >= 1, got 0");
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"                               /* 7 */
                    "  variants = { { name = 'a', model = 'tiny' } },\n"
                    "}\n",
                    7, "model must be a model made by ddim.model{...}, got string");
}

static void test_config_bad_variants(void **state)
{
    (void)state;
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment {\n"                               /* 7 */
                    "  variants = { { name = 'a', model = tiny() }, { name = 'a', model = tiny() } },\n"
                    "}\n",
                    7, "variants[2] ('a'): another variant has the same name");
    assert_fails_at(TINY_MODEL "return ddim.experiment { variants = {} }\n", 7, "variants is empty");
    assert_fails_at(TINY_MODEL
                    "local m = tiny()\n"
                    "return ddim.experiment {\n"                               /* 8 */
                    "  variants = { { name = 'a', model = m }, { name = 'b', model = m } },\n"
                    "}\n",
                    8, "variants[2] ('b'): it shares its model with variant 'a'");
    assert_fails_at(TINY_MODEL "return { variants = { { name = 'a', model = tiny() } } }\n", 0,
                    "the script must return ddim.experiment{...}, got table");
    assert_fails_at(TINY_MODEL "return ddim.experiment { variants = { { name = 'a', model = tiny(), quick = 3 } } }\n",
                    7, "variants[1] ('a'): quick must be a table { train = {...}, ... }, got number");
    assert_fails_at(TINY_MODEL
                    "return ddim.experiment { variants = { { name = 'a', model = tiny(),\n"   /* 7 */
                    "  quick = { train = { epochs = 0 } } } } }\n",
                    7, "variants[1] ('a') with quick: ");
}

static void test_config_layer_that_does_not_fit(void **state)
{
    (void)state;
    assert_fails_at("local ddim = require 'ddim'\n"
                    "local x = ddim.input{28, 28, 1}\n"
                    "local h = ddim.flatten(x)\n"
                    "h = ddim.reshape(h, {7, 7, 64})\n",                       /* 4 */
                    4, "cannot reshape (batch, 784) (784 values) to (batch, 7, 7, 64) (3136 values)");
    assert_fails_at("local ddim = require 'ddim'\n"
                    "local x = ddim.input{28, 28, 1}\n"
                    "local h = ddim.dense(x, 10)\n",                           /* 3 */
                    3, "dense expects a flat input");
    assert_fails_at("local ddim = require 'ddim'\n"
                    "local x = ddim.input{28, 28, 1}\n"
                    "local h = ddim.conv_transpose2d(x, 8, {kernel_size = 5})\n",
                    3, "only kernel_size = 3 is implemented, got 5");
    assert_fails_at("local ddim = require 'ddim'\n"
                    "local x = ddim.input{28, 28, 1}\n"
                    "local h = ddim.dense(ddim.flatten(x), 10, {activation = 'tanh'})\n",
                    3, "activation must be one of \"linear\", \"relu\", \"sigmoid\", \"swish\", got 'tanh'");
    assert_fails_at("local ddim = require 'ddim'\n"
                    "local x = ddim.input{28, 28}\n"
                    "local t = ddim.input{1, 1, 1}\n"
                    "local y = ddim.reshape(x + t, {28, 28, 1})\n"
                    "local m = ddim.model{inputs = {x, t}, output = y}\n",     /* 5 */
                    5, "inputs[1] must be the image, a ddim.input of shape 28x28x1; got an input of shape 28x28");
}

static void test_config_mixing_models(void **state)
{
    (void)state;
    assert_fails_at(TINY_MODEL
                    "local a = tiny()\n"
                    "local x = ddim.input{28, 28, 1}\n"                        /* 8 */
                    "local t = ddim.input{1, 1, 1}\n"
                    "local m = ddim.model{inputs = {x, t}, output = x + t}\n"
                    "local x2 = ddim.input{28, 28, 1}\n"                       /* 11 */
                    "local y = ddim.add(x2, x)\n",                             /* 12 */
                    12, "tensors of different models: the first comes from the ddim.input at ");
    assert_fails_at(TINY_MODEL
                    "local x = ddim.input{28, 28, 1}\n"
                    "local t = ddim.input{1, 1, 1}\n"
                    "local m = ddim.model{inputs = {x, t}, output = x + t}\n"  /* 9 */
                    "local y = ddim.relu(x)\n",                                /* 10 */
                    10, "this tensor belongs to the model made at ");
}

static void test_config_script_errors(void **state)
{
    (void)state;
    assert_fails_at("local ddim = require 'ddim'\n"
                    "local x = ddim.input{28, 28, 1\n"
                    "return x\n",                                              /* 3 */
                    3, "'}' expected (to close '{' at line 2) near 'return'");
    assert_fails_at("local ddim = require 'ddim'\n"
                    "local settings = nil\n"
                    "return settings.train\n",                                 /* 3 */
                    3, "attempt to index a nil value (local 'settings')");
    assert_fails_at("error('the experiment is not ready')\n", 1, "the experiment is not ready");
    /* No io, os or C modules in an experiment. */
    assert_fails_at("local f = io.open('/tmp/x', 'w')\n", 1, "attempt to index a nil value (global 'io')");
    assert_fails_at("local nets = require 'lib.missing'\n", 1,
                    "module 'lib.missing' not found: no file '/tmp/ddim-config-");
    assert_fails_at("local nets = require 'lib.missing'\n", 1, "/lib/missing.lua'");
}

/* ddim.model_of names the variant or the file it cannot find, at its
 * line; a variant the command line does not keep needs neither. */
static void test_config_model_of_errors(void **state)
{
    (void)state;
    assert_fails_at("local ddim = require 'ddim'\n"
                    "return ddim.experiment {\n"
                    "  variants = { { name = 'a', model = ddim.model_of('experiments/unet_full.lua', 'skip') } },\n"
                    "}\n",
                    3, "ddim.model_of: experiments/unet_full.lua has no variant 'skip'; its variants are unet");
    assert_fails_at("return ddim.experiment {\n"
                    "  variants = { { name = 'a', model = ddim.model_of('/nonexistent/x.lua', 'a') } },\n"
                    "}\n",
                    2,
                    "ddim.model_of: cannot open /nonexistent/x.lua: No such file or directory (a run's config.lua "
                    "runs from the directory the run started in)");
    struct temp_file t;
    temp_write(&t, TINY_MODEL
               "return ddim.experiment {\n"
               "  variants = { { name = 'a', model = tiny() },\n"
               "               { name = 'b', model = ddim.model_of('/nonexistent/x.lua', 'b') } },\n"
               "}\n");
    struct experiment_options only_a = { .variant = "a" };
    struct experiment e;
    char err[1024];
    int status = experiment_load(t.path, &only_a, &e, err, sizeof err);
    temp_remove(&t);
    if (status)
        fail_msg("%s", err);
    assert_int_equal(e.variant_count, 1);
    experiment_free(&e);
}

static void test_config_defaults_and_variant_settings(void **state)
{
    (void)state;
    struct temp_file t;
    temp_write(&t, TINY_MODEL
               "return ddim.experiment {\n"
               "  name = 'tiny',\n"
               "  train = { epochs = 2 },\n"
               "  variants = {\n"
               "    { name = 'mae', model = tiny() },\n"
               "    { name = 'mse', model = tiny(), train = { loss = 'mse', epochs = 4 } },\n"
               "  },\n"
               "}\n");
    char *overrides[] = { "train.epochs=7" };
    struct experiment_options cli = { .override_count = 1, .overrides = overrides };
    struct experiment e, e2;
    char err[1024];
    int status = experiment_load(t.path, NULL, &e, err, sizeof err);
    int status2 = experiment_load(t.path, &cli, &e2, err, sizeof err);
    temp_remove(&t);
    if (status || status2)
        fail_msg("%s", err);
    assert_string_equal(e.name, "tiny");
    assert_int_equal(e.variants[0].train.epochs, 2);
    assert_int_equal(e.variants[0].train.loss, LOSS_MAE);
    assert_int_equal(e.variants[0].diffusion.steps, 20);
    assert_int_equal(e.variants[0].graph.param_floats, 0);
    assert_int_equal(e.variants[1].train.epochs, 4);
    assert_int_equal(e.variants[1].train.loss, LOSS_MSE);
    /* The command line wins over the variant's own settings. */
    assert_int_equal(e2.variants[1].train.epochs, 7);
    assert_int_equal(e2.variants[1].train.loss, LOSS_MSE);
    experiment_free(&e);
    experiment_free(&e2);
}

/* Ops of kind op in g, and pixel broadcasts to an h x h map. */
static int count_ops(const struct graph *g, enum op op, int h)
{
    int n = 0;
    for (int i = 0; i < g->count; i++)
        n += g->nodes[i].op == op && (h == 0 || g->nodes[i].shape.dims[0] == h);
    return n;
}

/* experiments/lib/unet.lua's options, widths {32, 64, 96}, one block per
 * level, the noise level itself as the embedding: five residual blocks
 * (input widths 33, 32, 64, 160, 96 to widths 32, 64, 96, 64, 32), each a
 * 1x1 projection, batch norm's two moving statistics over its input, and
 * two 3x3 convolutions; 402,435 parameters with the Keras blocks (the
 * count report.md gave best_in_budget's earlier runs). batch_norm = false
 * drops 2 (33 + 32 + 64 + 160 + 96) = 770 statistics; noise_in_blocks
 * gives each block's first convolution one more input channel: 9 (32 + 64
 * + 96 + 64 + 32) = 2,592 weights, and 5 more concats of the noise level
 * broadcast to 28x28 (twice: the input's and the level's), 14x14 and 7x7. */
static void test_config_unet_options(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", path[600], cwd[512], lib[600], err[1024];
    assert_non_null(mkdtemp(dir));
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(lib, sizeof lib, "%s/experiments/lib", cwd);
    snprintf(path, sizeof path, "%s/lib", dir);
    assert_int_equal(symlink(lib, path), 0);
    snprintf(path, sizeof path, "%s/unet_options.lua", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("local ddim = require 'ddim'\n"
          "local unet = require 'lib.unet'\n"
          "local function net(o)\n"
          "  o.widths, o.block_depth, o.embedding = {32, 64, 96}, 1, 'raw'\n"
          "  return unet.network(o)\n"
          "end\n"
          "return ddim.experiment {\n"
          "  name = 'unet_options',\n"
          "  variants = {\n"
          "    { name = 'keras', model = net{} },\n"
          "    { name = 'no_batch_norm', model = net{batch_norm = false} },\n"
          "    { name = 'noise_in_blocks', model = net{noise_in_blocks = true} },\n"
          "  },\n"
          "}\n", f);
    assert_int_equal(fclose(f), 0);
    struct experiment e;
    int status = experiment_load(path, NULL, &e, err, sizeof err);
    unlink(path);
    snprintf(path, sizeof path, "%s/lib", dir);
    unlink(path);
    rmdir(dir);
    if (status)
        fail_msg("%s", err);
    const struct graph *keras = &e.variants[0].graph, *no_bn = &e.variants[1].graph;
    const struct graph *noise = &e.variants[2].graph;
    assert_int_equal(keras->param_floats, 402435);
    assert_int_equal(count_ops(keras, OP_BATCH_NORM, 0), 5);
    assert_int_equal(count_ops(keras, OP_CONCAT, 0), 3);
    assert_int_equal(no_bn->param_floats, 402435 - 770);
    assert_int_equal(count_ops(no_bn, OP_BATCH_NORM, 0), 0);
    assert_int_equal(noise->param_floats, 402435 + 2592);
    assert_int_equal(count_ops(noise, OP_CONCAT, 0), 8);
    assert_int_equal(count_ops(noise, OP_UPSAMPLE_NEAREST, 28), 2);
    assert_int_equal(count_ops(noise, OP_UPSAMPLE_NEAREST, 14), 1);
    assert_int_equal(count_ops(noise, OP_UPSAMPLE_NEAREST, 7), 1);
    experiment_free(&e);
}

size_t config_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_seed_experiment),
        cmocka_unit_test(test_config_defaults_are_safe),
        cmocka_unit_test(test_config_overrides_are_typed),
        cmocka_unit_test(test_config_bad_overrides),
        cmocka_unit_test(test_config_eta_needs_a_variance_preserving_schedule),
        cmocka_unit_test(test_config_p2_sampling_needs_a_gamma),
        cmocka_unit_test(test_config_velocity_needs_a_variance_preserving_schedule),
        cmocka_unit_test(test_config_guidance_needs_an_earlier_guide_epoch),
        cmocka_unit_test(test_config_quick),
        cmocka_unit_test(test_config_variant_and_seed_options),
        cmocka_unit_test(test_config_typo_in_a_key),
        cmocka_unit_test(test_config_wrong_type),
        cmocka_unit_test(test_config_seeds_and_references),
        cmocka_unit_test(test_config_bad_variants),
        cmocka_unit_test(test_config_layer_that_does_not_fit),
        cmocka_unit_test(test_config_mixing_models),
        cmocka_unit_test(test_config_unet_options),
        cmocka_unit_test(test_config_script_errors),
        cmocka_unit_test(test_config_defaults_and_variant_settings),
        cmocka_unit_test(test_config_model_of_errors),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    const size_t count = sizeof tests / sizeof tests[0];
    return count + config_resolved_tests(out ? out + count : NULL);
}
