/* The resolved config of an experiment (lua_resolved.c), what a run saves
 * as config.lua and in its checkpoints: an experiment file that loads back
 * to the same variants and reruns the run to the same results; and the
 * documentation of the fields, docs/config.md, as `ddim-lab config --list`
 * prints it from the field table. Collected by config_tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test_classifier_file.h"
#include "test_util.h"
#include "test_program.h"
#include "runtime/config/config.h"
#include "runtime/config/config_fields.h"

#define SEED_EXPERIMENT "experiments/skip_vs_noskip.lua"

/* Every field of a and b formats the same (config_field_format: to the bit for numbers). */
static void assert_same_settings(const struct variant *a, const struct variant *b)
{
    const struct config_field *f;
    for (int i = 0; (f = config_field_at(NULL, i)) != NULL; i++) {
        char va[64], vb[64];
        config_field_format(f, a, va, sizeof va);
        config_field_format(f, b, vb, sizeof vb);
        if (strcmp(va, vb) != 0)
            fail_msg("variant %s: %s is %s, resolved again %s", a->name, config_field_name(f), va, vb);
    }
}

/* The resolved config is an experiment file: every setting of every
 * variant written out, each network rebuilt by ddim.model_of from the
 * original file. Loaded again (without the options, which it holds
 * already) it gives the same variants, seeds and networks. */
static void test_config_resolved_is_an_experiment(void **state)
{
    (void)state;
    char *overrides[] = { "train.learning_rate=3e-4", "diffusion.steps=7" };
    struct experiment_options options = { .quick = 1, .override_count = 2, .overrides = overrides };
    struct experiment e, again;
    char err[1024];
    if (experiment_load(SEED_EXPERIMENT, &options, &e, err, sizeof err))
        fail_msg("%s", err);
    assert_contains(e.resolved, "max_images = 20000");
    assert_contains(e.resolved, "max_images = 60000");
    assert_contains(e.resolved, "gradient_trick = true");
    assert_contains(e.resolved, "learning_rate = 0.0003,");
    assert_contains(e.resolved, "3132881 parameters");
    assert_contains(e.resolved, "dense(784, linear)");
    assert_contains(e.resolved, "\nreturn ddim.experiment {\n  name = \"skip_vs_noskip\",\n");
    assert_contains(e.resolved, "      model = ddim.model_of(\"" SEED_EXPERIMENT "\", \"skip\"),\n");
    if (experiment_load_text("config", e.resolved, strlen(e.resolved), NULL, &again, err, sizeof err))
        fail_msg("the resolved config does not load: %s\n%s", err, e.resolved);
    assert_string_equal(again.name, e.name);
    assert_int_equal(again.variant_count, e.variant_count);
    assert_int_equal(again.seed_count, e.seed_count);
    assert_memory_equal(again.seeds, e.seeds, (size_t)e.seed_count * sizeof e.seeds[0]);
    for (int i = 0; i < e.variant_count; i++) {
        assert_string_equal(again.variants[i].name, e.variants[i].name);
        assert_string_equal(again.variants[i].reference, e.variants[i].reference);
        assert_string_equal(again.variants[i].changes, e.variants[i].changes);
        assert_same_settings(&e.variants[i], &again.variants[i]);
        assert_int_equal(again.variants[i].graph.param_floats, e.variants[i].graph.param_floats);
        assert_int_equal(again.variants[i].graph.count, e.variants[i].graph.count);
    }
    /* Its own resolved config names the original file, not itself. */
    assert_contains(again.resolved, "      model = ddim.model_of(\"" SEED_EXPERIMENT "\", \"first\"),\n");
    experiment_free(&again);
    experiment_free(&e);
}

/* A finished run's config.lua is an experiment file that trains the same:
 * run again as `ddim-lab <run dir>/config.lua` (nothing else but where to
 * write and the classifier), it writes results.csv and metrics.csv byte
 * for byte as the run did. Both variants (one the other's reference) at two
 * seeds, with --quick and overrides on the first run that the second no
 * longer needs. */
static void test_config_lua_of_a_run_reruns_it(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-rerun-XXXXXX", args[1400], out[8192], pattern[700], config[MATCH_PATH_SIZE];
    static char files[2][2][8192];
    assert_non_null(mkdtemp(dir));
    snprintf(args, sizeof args, SEED_EXPERIMENT " --quick --seeds 1,2 train.max_images=128 diffusion.steps=2 "
             "sample.metric_samples=64 --classifier %s --out %s/run --threads 2", test_classifier_file(), dir);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(pattern, sizeof pattern, "%s/run/skip_vs_noskip/*/config.lua", dir);
    only_match(pattern, config);
    snprintf(args, sizeof args, "%s --classifier %s --out %s/rerun --threads 2", config, test_classifier_file(), dir);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    static const char *const names[2] = { "results.csv", "metrics.csv" };
    for (int run = 0; run < 2; run++)
        for (int i = 0; i < 2; i++) {
            snprintf(pattern, sizeof pattern, "%s/%s/skip_vs_noskip/*/%s", dir, run ? "rerun" : "run", names[i]);
            read_only_match_file(pattern, files[run][i], sizeof files[run][i]);
        }
    assert_contains(files[0][0], "\nskip,2,1,");
    assert_contains(files[0][1], "\nskip,2,64,2,");
    assert_string_equal(files[0][0], files[1][0]);
    assert_string_equal(files[0][1], files[1][1]);
    remove_tree(dir);
}

/* docs/config.md is what `ddim-lab config --list` prints from the field
 * table, so that the documentation of the fields cannot drift from them. */
static void test_config_docs_are_the_field_table(void **state)
{
    (void)state;
    static char listed[65536], committed[65536];
    assert_int_equal(run_ddim_lab(NULL, NULL, "config --list", listed, sizeof listed), 0);
    FILE *f = fopen("docs/config.md", "r");
    assert_non_null(f);
    committed[fread(committed, 1, sizeof committed - 1, f)] = '\0';
    fclose(f);
    if (strcmp(listed, committed) != 0)
        fail_msg("docs/config.md is not what `ddim-lab config --list` prints; rewrite it with "
                 "build/ddim-lab config --list > docs/config.md");
    assert_contains(listed, "| `diffusion.guide_epoch` | integer | `0` | an integer >= 0 (0 = no guide) | ");
    char out[1024];
    assert_int_equal(run_ddim_lab(NULL, NULL, "config", out, sizeof out), 2);
    assert_contains(out, "config takes --list");
}

/* docs/lua-api.md has a section "### `ddim.NAME`" for every function the
 * runtime registers in the `ddim` module, and none for one it does not:
 * the list comes from a file that sorts ddim's keys and raises them. */
static void test_lua_api_docs_cover_every_function(void **state)
{
    static const char lister[] = "local ddim = require 'ddim'\nlocal names = {}\n"
                                 "for name in pairs(ddim) do names[#names + 1] = name end\n"
                                 "table.sort(names)\nerror('ddim: ' .. table.concat(names, ' ') .. ' ', 0)\n";
    char path[256], err[2048];
    scratch_path(path, state, "list.lua");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(lister, f);
    fclose(f);
    struct experiment e;
    assert_int_equal(experiment_load(path, NULL, &e, err, sizeof err), -1);
    const char *names = strstr(err, "ddim: ");
    if (!names)
        fail_msg("the list of ddim's functions did not come back: %s", err);
    static char doc[65536];
    f = fopen("docs/lua-api.md", "r");
    assert_non_null(f);
    doc[fread(doc, 1, sizeof doc - 1, f)] = '\0';
    fclose(f);
    int registered = 0;
    for (const char *at = names + 6; *at; registered++) {   /* each registered name has its section */
        const char *end = strchr(at, ' ');
        char heading[128];
        snprintf(heading, sizeof heading, "\n### `ddim.%.*s`\n", (int)(end - at), at);
        if (!strstr(doc, heading))
            fail_msg("docs/lua-api.md has no section %.*s", (int)strlen(heading) - 2, heading + 1);
        at = end + 1;
    }
    int sections = 0;
    for (const char *at = doc; (at = strstr(at, "\n### `ddim.")) != NULL; sections++) { /* and no other */
        at += strlen("\n### `ddim.");
        const int length = (int)strcspn(at, "`");
        char name[64];
        snprintf(name, sizeof name, " %.*s ", length, at);
        if (!strstr(names + 5, name))
            fail_msg("docs/lua-api.md documents ddim.%.*s, which the runtime does not register", length, at);
    }
    assert_int_equal(sections, registered);
    assert_true(registered >= 21);
}

size_t config_resolved_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_resolved_is_an_experiment),
        cmocka_unit_test(test_config_docs_are_the_field_table),
        cmocka_unit_test_setup_teardown(test_lua_api_docs_cover_every_function, make_scratch, remove_scratch),
        cmocka_unit_test(test_config_lua_of_a_run_reruns_it),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
