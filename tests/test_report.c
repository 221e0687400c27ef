/* The report (report.h) and its statistics (statistics.h): Student's t,
 * means and intervals, and a report built from hand-written CSVs whose
 * figures are known: the table's mean ± sd [CI], an ablation's paired
 * difference marked when its interval excludes zero, the generated
 * summary; and a malformed CSV refused in one line naming file and line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/report/compare.h"
#include "runtime/report/report.h"
#include "runtime/scoring/statistics.h"
#include "test_util.h"
#include "test_program.h"

static void test_statistics_of_known_values(void **state)
{
    (void)state;
    assert_true(fabs(student_t_975(1) - 12.706) < 1e-9);
    assert_true(fabs(student_t_975(2) - 4.303) < 1e-9);
    assert_true(fabs(student_t_975(40) - 2.021) < 1e-3);   /* tables: 2.0211 */
    assert_true(fabs(student_t_975(1000) - 1.962) < 1e-3); /* tables: 1.9623 */
    const double values[3] = { 1, 2, 3 };
    const struct summary s = summarise(values, 3);
    assert_int_equal(s.count, 3);
    assert_true(fabs(s.mean - 2) < 1e-12 && fabs(s.sd - 1) < 1e-12);
    assert_true(fabs(s.half_width - 4.303 / sqrt(3)) < 1e-12);
    assert_false(excludes_zero(&s)); /* [-0.48, 4.48] */
    const double above_zero[3] = { 2, 3, 4 };
    const struct summary a = summarise(above_zero, 3);
    assert_true(excludes_zero(&a));  /* [0.52, 5.48] */
    const double around_zero[3] = { -1, 0.5, 1 };
    const struct summary z = summarise(around_zero, 3);
    assert_false(excludes_zero(&z));
    const struct summary one = summarise(values, 1);
    assert_true(isnan(one.sd) && isnan(one.half_width));
    assert_false(excludes_zero(&one));
}

static void write_file(void **state, const char *name, const char *text)
{
    char path[256];
    scratch_path(path, state, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(void **state, const char *name)
{
    char path[256];
    scratch_path(path, state, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[65536];
    size_t used = fread(text, 1, sizeof text - 1, f);
    text[used] = '\0';
    fclose(f);
    return text;
}

/* Loads the scratch run and writes its report; the report's text (and,
 * with quick, whether the run had --quick). */
static const char *rebuild_report(void **state, int *quick)
{
    const struct scratch *scratch = *state;
    struct report_data d;
    char err[512];
    if (report_load(scratch->dir, &d, err, sizeof err) || report_write(scratch->dir, &d, err, sizeof err))
        fail_msg("%s", err);
    if (quick)
        *quick = d.quick;
    report_free(&d);
    return read_file(state, "report.md");
}

/* Fails unless text holds part. */
#define METRICS_HEADER                                                                                             \
    "variant,seed,samples,sampling_steps,classifier,classifier_sha256,fid,kid,recognisable,class_entropy,class_0," \
    "class_1,class_2,class_3,class_4,class_5,class_6,class_7,class_8,class_9\n"
#define SHARES ",0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1\n"

/* Variant b is a with a change: FID 10 lower at every seed (10, 20, 30
 * against 20, 30, 40: a difference of exactly -10, zero spread), its
 * recognisability the same give or take noise. */
static void write_run(void **state)
{
    write_file(state, "variants.csv",
               "experiment,variant,reference,samples_from,parameters,changes\n"
               "demo,a,,best,100,\"the base, as is\"\n"
               "demo,b,a,ema,120,with the \"change\"\n");
    write_file(state, "results.csv",
               "variant,seed,epoch,noise_loss,image_loss,best_noise_loss\n"
               "a,1,1,0.5,0.6,0.5\na,1,2,0.4,0.5,0.4\na,2,1,0.5,0.6,0.5\na,2,2,0.42,0.5,0.42\n"
               "a,3,1,0.5,0.6,0.5\na,3,2,0.44,0.5,0.44\n"
               "b,1,1,0.3,0.6,0.3\nb,2,1,0.3,0.6,0.3\nb,3,1,0.3,0.6,0.3\n");
    write_file(state, "timing.csv",
               "variant,seed,epoch,seconds,images_per_second\n"
               "a,1,1,10,100\na,1,2,10,300\na,2,1,20,100\na,2,2,20,100\na,3,1,20,100\na,3,2,20,100\n"
               "b,1,1,10,100\nb,2,1,10,100\nb,3,1,10,100\n");
    write_file(state, "metrics.csv",
               METRICS_HEADER
               "data_floor,1,100,0,c.ddim,abcd,1.5,0.01,0.97,3.3" SHARES
               "a,1,100,20,c.ddim,abcd,20,1,0.5,3.3" SHARES
               "b,1,100,20,c.ddim,abcd,10,1,0.51,3.3" SHARES
               "a,2,100,20,c.ddim,abcd,30,1,0.6,3.3" SHARES
               "b,2,100,20,c.ddim,abcd,20,1,0.59,3.3" SHARES
               "a,3,100,20,c.ddim,abcd,40,1,0.7,3.3" SHARES
               "b,3,100,20,c.ddim,abcd,30,1,0.71,3.3" SHARES);
}

static void test_report_from_known_results(void **state)
{
    write_run(state);
    const struct scratch *scratch = *state;
    struct report_data d;
    char err[512];
    if (report_load(scratch->dir, &d, err, sizeof err) || report_write(scratch->dir, &d, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(d.variant_count, 2);
    assert_int_equal(d.run_count, 7); /* 3 + 3 seeds and one floor */
    assert_string_equal(d.variants[0].changes, "the base, as is");
    assert_string_equal(d.variants[1].changes, "with the \"change\"");
    /* a, seed 1: 20 s at 200 images/s on average (10 s at 100, 10 s at 300). */
    assert_true(fabs(d.runs[0].seconds - 20) < 1e-9 && fabs(d.runs[0].images_per_second - 200) < 1e-9);
    report_free(&d);
    const char *report = read_file(state, "report.md");
    /* a's FID: mean 30, sd 10, CI 30 -+ 4.303 * 10 / sqrt 3 = 24.84. */
    assert_contains(report, "| a | the base, as is | 100 | | 1, 2, 3 | 0.4200 ± 0.0200 [0.3703, 0.4697] | "
                            "30.00 ± 10.00 [5.16, 54.84] |");
    /* b - a: FID exactly -10 at every seed: significant; recognisable +1, -1, +1: not. */
    assert_contains(report, "| b | a | **-0.1200 [-0.1697, -0.0703]** | **-10.00 [-10.00, -10.00]** | "
                            "+0.000 [+0.000, +0.000] | +0.3 [-2.5, +3.2] | +0.00 [+0.00, +0.00] |");
    assert_contains(report, "- with the \"change\" (`b` against `a`): FID down by 10.00 [10.00, 10.00] (better).");
    assert_contains(report, "| *data floor* | training digits, not samples | | | 1 | | 1.50 |");
    assert_contains(report, "![b samples](b/seed1/samples.png)");
    assert_null(strstr(report, "## The ladder")); /* two variants are no ladder */
    char path[256];
    scratch_path(path, state, "loss_curves.png");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fclose(f);
}

/* A run made with --quick (meta.json's arguments) says under its title that
 * it is a smoke test; one without --quick, or without meta.json, does not. */
static void test_report_of_quick_run_says_smoke_test(void **state)
{
    const char *const metas[3] = {
        "{\n  \"status\": \"complete\",\n  \"arguments\": [\"e.lua\", \"--seed\", \"1\", \"--quick\"]\n}\n",
        "{\n  \"status\": \"complete\",\n  \"arguments\": [\"e.lua\", \"--seed\", \"1\"]\n}\n",
        NULL,
    };
    for (int i = 0; i < 3; i++) {
        write_run(state);
        char path[256];
        scratch_path(path, state, "meta.json");
        remove(path);
        if (metas[i])
            write_file(state, "meta.json", metas[i]);
        int quick;
        const char *report = rebuild_report(state, &quick);
        assert_int_equal(quick, i == 0);
        const char *smoke = strstr(report, "**A smoke test, not a result:**");
        if (i == 0)
            assert_true(smoke && smoke == strstr(report, "\n\n") + 2); /* right under the title */
        else
            assert_null(smoke);
    }
}

/* A ladder (each variant against the one before): rung a draws 10%
 * recognisable, b 60 and 62%, c 70%. The report names b as the simplest
 * at 50% with its grid, and says that none reaches 80%; the table gives
 * each rung's MFLOP a step from variants.csv. */
static void test_report_of_ladder_names_simplest_rung(void **state)
{
    write_file(state, "variants.csv",
               "experiment,variant,reference,samples_from,parameters,changes,mflop_per_image\n"
               "ladder,a,,ema,10,simplest,1.250\nladder,b,a,ema,20,plus one,12.500\nladder,c,b,ema,30,plus two,40.000\n");
    write_file(state, "results.csv", "variant,seed,epoch,noise_loss,image_loss,best_noise_loss\n"
                                     "a,1,1,0.5,0.6,0.5\na,2,1,0.5,0.6,0.5\nb,1,1,0.4,0.6,0.4\nb,2,1,0.4,0.6,0.4\n"
                                     "c,1,1,0.3,0.6,0.3\nc,2,1,0.3,0.6,0.3\n");
    write_file(state, "timing.csv", "variant,seed,epoch,seconds,images_per_second\n"
                                    "a,1,1,10,100\na,2,1,10,100\nb,1,1,10,100\nb,2,1,10,100\nc,1,1,10,100\nc,2,1,10,100\n");
    write_file(state, "metrics.csv", METRICS_HEADER
               "a,1,100,20,c.ddim,abcd,90,1,0.1,3.3" SHARES "a,2,100,20,c.ddim,abcd,90,1,0.1,3.3" SHARES
               "b,1,100,20,c.ddim,abcd,30,1,0.6,3.3" SHARES "b,2,100,20,c.ddim,abcd,30,1,0.62,3.3" SHARES
               "c,1,100,20,c.ddim,abcd,20,1,0.7,3.3" SHARES "c,2,100,20,c.ddim,abcd,20,1,0.7,3.3" SHARES);
    const char *report = rebuild_report(state, NULL);
    assert_contains(report, "| b | plus one | 20 | 12.5 | 1, 2 |");
    /* b: mean 61, sd 1.414, CI 61 -+ 12.706 * 1.414 / sqrt 2 = 12.7. */
    assert_contains(report, "- **50%: `b`**, 61.0% [48.3, 73.7] over 2 seeds.\n\n  ![b samples](b/seed1/samples.png)");
    assert_contains(report, "- **80%: none** of the 3; the most recognisable is `c` at 70.0%.");
}

/* compare: run B is run A with variant b's FID 5 higher at every seed and
 * scored by another classifier. The Markdown pairs b's seeds (+5 exactly,
 * bold) and a's (0, not bold), and says the classifiers differ; the JSON
 * gives the same difference; fewer than two runs is a usage error. */
static void test_compare_pairs_runs_by_variant_and_seed(void **state)
{
    const struct scratch *scratch = *state;
    char b_dir[300], command[700];
    write_run(state);
    snprintf(b_dir, sizeof b_dir, "%s/b", scratch->dir);
    snprintf(command, sizeof command, "mkdir %s && cp %s/*.csv %s/", b_dir, scratch->dir, b_dir);
    assert_int_equal(system(command), 0);
    write_file(state, "b/metrics.csv",
               METRICS_HEADER
               "data_floor,1,100,0,c.ddim,ffff,1.5,0.01,0.97,3.3" SHARES
               "a,1,100,20,c.ddim,ffff,20,1,0.5,3.3" SHARES "b,1,100,20,c.ddim,ffff,15,1,0.51,3.3" SHARES
               "a,2,100,20,c.ddim,ffff,30,1,0.6,3.3" SHARES "b,2,100,20,c.ddim,ffff,25,1,0.59,3.3" SHARES
               "a,3,100,20,c.ddim,ffff,40,1,0.7,3.3" SHARES "b,3,100,20,c.ddim,ffff,35,1,0.71,3.3" SHARES);
    struct report_data runs[2];
    char err[512];
    if (report_load(scratch->dir, &runs[0], err, sizeof err) || report_load(b_dir, &runs[1], err, sizeof err))
        fail_msg("%s", err);
    const char *dirs[2] = { "runA", "runB" };
    struct text md = { 0 }, json = { 0 };
    compare_write(&md, runs, dirs, 2, 0);
    compare_write(&json, runs, dirs, 2, 1);
    report_free(&runs[0]);
    report_free(&runs[1]);
    assert_contains(md.text, "| b | B - A | 3 | **+5.00 [+5.00, +5.00]** |");
    assert_contains(md.text, "| a | B - A | 3 | +0.00 [+0.00, +0.00] |");
    assert_contains(md.text, "**Run B's samples were scored by another classifier than run A's**");
    assert_contains(json.text, "{\"variant\": \"b\", \"run\": \"runB\", \"against\": \"runA\", "
                               "\"fid\": {\"seeds\": 3, \"mean\": 5, \"sd\": 0, \"low\": 5, \"high\": 5}");
    text_free(&md);
    text_free(&json);
    char out[1024];
    assert_int_equal(run_ddim_lab(NULL, NULL, "compare runs/one", out, sizeof out), 2);
    assert_contains(out, "compare takes two or more run directories");
}

/* The report gives the classifier's test accuracy from meta.json, and
 * warns when it is below 98% or when the data floor is below 90%
 * recognisable; a good classifier gets no warning. */
static void test_report_warns_of_a_weak_classifier(void **state)
{
    static const struct { const char *accuracy, *floor, *says; int warnings; } cases[] = {
        { "0.9936", "0.97", "gets 99.36% of the 10,000 test digits right", 0 },
        { "0.8700", "0.97", "gets 87.00% of the 10,000 test digits right", 1 },
        { "0.9936", "0.50", "It finds only 50.0% of training digits recognisable", 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        write_run(state);
        char meta[256], metrics[1024];
        snprintf(meta, sizeof meta, "{\n  \"classifier_test_accuracy\": %s,\n  \"arguments\": [\"e.lua\"]\n}\n",
                 cases[i].accuracy);
        write_file(state, "meta.json", meta);
        snprintf(metrics, sizeof metrics, METRICS_HEADER "data_floor,1,100,0,c.ddim,abcd,1.5,0.01,%s,3.3" SHARES
                 "a,1,100,20,c.ddim,abcd,20,1,0.5,3.3" SHARES "b,1,100,20,c.ddim,abcd,10,1,0.51,3.3" SHARES,
                 cases[i].floor);
        write_file(state, "metrics.csv", metrics);
        const char *report = rebuild_report(state, NULL);
        assert_contains(report, cases[i].says);
        if (cases[i].warnings)
            assert_contains(report, "**Warning: a weak classifier.**");
        else
            assert_null(strstr(report, "Warning"));
    }
}

static void test_report_refuses_malformed_csv(void **state)
{
    write_run(state);
    write_file(state, "results.csv", "variant,seed,epoch,noise_loss,image_loss,best_noise_loss\na,1,1,0.5,x,0.5\n");
    const struct scratch *scratch = *state;
    struct report_data d;
    char err[512], want[512];
    assert_int_equal(report_load(scratch->dir, &d, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s/results.csv: line 2: field 5 is 'x', not a number", scratch->dir);
    assert_string_equal(err, want);
    write_file(state, "metrics.csv", "variant,seed\n");
    write_run(state);
    write_file(state, "metrics.csv", "variant,seed\n");
    assert_int_equal(report_load(scratch->dir, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "/metrics.csv: the first line must be the header 'variant,seed,samples,"));
    assert_null(strchr(err, '\n'));
}

size_t report_tests(struct CMUnitTest *out)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statistics_of_known_values),
        cmocka_unit_test_setup_teardown(test_report_from_known_results, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_report_of_quick_run_says_smoke_test, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_report_of_ladder_names_simplest_rung, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_compare_pairs_runs_by_variant_and_seed, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_report_warns_of_a_weak_classifier, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_report_refuses_malformed_csv, make_scratch, remove_scratch),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
