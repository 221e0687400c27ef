/* The ddim-lab command line, run as a program (the binary of the same
 * build, which the Makefile builds before running the tests). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_classifier_file.h"
#include "test_util.h"
#include "test_program.h"
#include "kernels/kernels.h"
#include "runtime/base/checkpoint.h"

/* A data directory that does not exist, so that `info` does not spend time
 * verifying the real files in tests that are not about them. */
#define NO_DATA "--data /nonexistent/ddim-lab-test"

static void test_cli_version(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_ddim_lab(NULL, NULL, "--version", out, sizeof out), 0);
    assert_string_equal(out, "ddim-lab " DDIM_VERSION "\n");
}

static void test_cli_help_lists_commands_and_options(void **state)
{
    (void)state;
    char out[16384];
    assert_int_equal(run_ddim_lab(NULL, NULL, "--help", out, sizeof out), 0);
    assert_contains(out, "usage: ddim-lab");
    assert_contains(out, "  info ");
    assert_contains(out, "\n  resume       RUN_DIR: ");
    assert_contains(out, "  --resume RUN_DIR ");
    assert_contains(out, "--data DIR");
    assert_contains(out, "DDIM_ISA");
    assert_contains(out, "default: 80% of the");
    /* After a command, --help is that command's: its options, not the others'. */
    assert_int_equal(run_ddim_lab(NULL, NULL, "sample --help", out, sizeof out), 0);
    assert_contains(out, "usage: ddim-lab [options] sample\n");
    assert_contains(out, "  -o FILE ");
    assert_null(strstr(out, "--memory-limit"));
    assert_int_equal(run_ddim_lab(NULL, NULL, "experiments/skip_vs_noskip.lua --help", out, sizeof out), 0);
    assert_contains(out, "  --memory-limit MIB ");
    assert_null(strstr(out, "  -o FILE "));
}

static void test_cli_unknown_option_is_a_usage_error(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_ddim_lab(NULL, NULL, "--frobnicate", out, sizeof out), 2);
    assert_string_equal(out, "ddim-lab: unknown option '--frobnicate' (see ddim-lab --help)\n");
    assert_int_equal(run_ddim_lab(NULL, NULL, "info --frobnicate", out, sizeof out), 2);
    assert_string_equal(out, "ddim-lab: unknown option '--frobnicate' (see ddim-lab --help)\n");
}

static void test_cli_unknown_command_is_a_usage_error(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_ddim_lab(NULL, NULL, "frobnicate", out, sizeof out), 2);
    assert_string_equal(out, "ddim-lab: unknown command 'frobnicate' (see ddim-lab --help)\n");
    assert_int_equal(run_ddim_lab(NULL, NULL, "", out, sizeof out), 2);
    assert_contains(out, "usage: ddim-lab");
}

static void test_cli_info_prints_the_chosen_isa(void **state)
{
    (void)state;
    const char *error = NULL;
    const struct kernels *chosen = kernels_select(&error);
    if (!chosen)
        fail_msg("kernels_select: %s", error);
    char out[8192], want[64];
    assert_int_equal(run_ddim_lab(NULL, NULL, "info " NO_DATA, out, sizeof out), 0);
    snprintf(want, sizeof want, "kernel ISA:   %s (", chosen->isa);
    assert_contains(out, want);
    assert_contains(out, "cpu features: ");
    assert_contains(out, "libraries:    Lua 5.4");
    assert_contains(out, "  train-images-idx3-ubyte.gz  missing");
}

static void test_cli_info_honours_ddim_isa(void **state)
{
    (void)state;
    char out[8192];
    assert_int_equal(run_ddim_lab(NULL, "DDIM_ISA=ref", "info " NO_DATA, out, sizeof out), 0);
    assert_contains(out, "kernel ISA:   ref (forced by DDIM_ISA)\n");
    assert_int_equal(run_ddim_lab(NULL, "DDIM_ISA=vax", "info " NO_DATA, out, sizeof out), 2);
    assert_contains(out, "ddim-lab: DDIM_ISA=vax: ");
    assert_non_null(strchr(out, '\n'));
    assert_string_equal(strchr(out, '\n'), "\n"); /* one line */
}

/* A data directory (from DDIM_DATA, then overridden by --data) holding one
 * damaged file: info names it and the problem, says the rest are missing,
 * and exits 1; missing files alone are not a failure. */
static void test_cli_info_reports_the_state_of_the_data(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", path[64], env[64], args[128], out[8192];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t10k-labels-idx1-ubyte.gz", dir);
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs("not gzip\n", file);
    fclose(file);

    snprintf(env, sizeof env, "DDIM_DATA=%s", dir);
    int status = run_ddim_lab(NULL, env, "info", out, sizeof out);
    unlink(path);
    rmdir(dir);
    assert_int_equal(status, 1);
    char want[256];
    snprintf(want, sizeof want, "  t10k-labels-idx1-ubyte.gz   FAILED: %s: not a gzip file\n", path);
    assert_contains(out, want);
    assert_contains(out, "  train-labels-idx1-ubyte.gz  missing");
    assert_contains(out, ": 1 MNIST file(s) FAILED their check");

    snprintf(args, sizeof args, "info --data %s", "/nonexistent/elsewhere");
    assert_int_equal(run_ddim_lab(NULL, env, args, out, sizeof out), 0);
    assert_contains(out, "data:         /nonexistent/elsewhere\n");
}

/* ---- experiments --------------------------------------------------------------- */

/* A tiny run of the seed experiment's skip variant at seed 1: two epochs of
 * 128 digits, 2 sampling steps, 64 samples scored. */
#define TINY_RUN "experiments/skip_vs_noskip.lua --variant skip --seed 1 train.max_images=128 train.epochs=2 " \
                 "diffusion.steps=2 sample.metric_samples=64"

/* Reads the one file matching pattern into buf. */
static void read_only_match(const char *pattern, char *buf, size_t size)
{
    char path[600];
    only_match(pattern, path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t used = fread(buf, 1, size - 1, f);
    buf[used] = '\0';
    fclose(f);
}

/* Fails unless the one file matching pattern_a and the one matching
 * pattern_b hold the same bytes (e.g. two runs' checkpoints: every weight). */
static void assert_same_file(const char *pattern_a, const char *pattern_b)
{
    const char *patterns[2] = { pattern_a, pattern_b };
    unsigned char *data[2];
    long size[2];
    for (int i = 0; i < 2; i++) {
        char path[600];
        only_match(patterns[i], path);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        fseek(f, 0, SEEK_END);
        size[i] = ftell(f);
        rewind(f);
        data[i] = malloc((size_t)size[i] + 1);
        assert_int_equal(fread(data[i], 1, (size_t)size[i], f), (size_t)size[i]);
        fclose(f);
    }
    if (size[0] != size[1] || memcmp(data[0], data[1], (size_t)size[0]) != 0)
        fail_msg("%s and %s differ", pattern_a, pattern_b);
    free(data[0]);
    free(data[1]);
}

/* Makes dir/1/skip_vs_noskip/<UTC time> for every second of the next 15
 * minutes, as if other runs had started then: a run into dir/1 must take
 * another name, not write into one of these. (A minute was too short for
 * the sanitizer build on a loaded machine: the checks, the data's digests
 * and the classifier come before the run directory's name.) */
static void take_the_next_run_directories(const char *dir)
{
    char path[600], stamp[32];
    snprintf(path, sizeof path, "%s/1", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/1/skip_vs_noskip", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    const time_t now = time(NULL);
    for (int second = 0; second < 900; second++) {
        const time_t then = now + second;
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", gmtime(&then));
        snprintf(path, sizeof path, "%s/1/skip_vs_noskip/%s", dir, stamp);
        assert_int_equal(mkdir(path, 0777), 0);
    }
}

/* Same config and seed: identical results.csv, on 1 thread and on 2; and
 * every output the run promises is there, meta.json with what reruns it. */
static void test_experiment_runs_are_reproducible(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", args[512], out[8192], pattern[600];
    char results[3][4096], metrics[3][4096];
    assert_non_null(mkdtemp(dir));
    for (int run = 0; run < 3; run++) {
        if (run == 1)
            take_the_next_run_directories(dir);
        snprintf(args, sizeof args, TINY_RUN " --classifier %s --out %s/%d --threads %d", test_classifier_file(), dir,
                 run, run == 2 ? 2 : 1);
        if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
            fail_msg("ddim-lab %s failed:\n%s", args, out);
        snprintf(pattern, sizeof pattern, "%s/%d/skip_vs_noskip/*/results.csv", dir, run);
        read_only_match(pattern, results[run], sizeof results[run]);
        snprintf(pattern, sizeof pattern, "%s/%d/skip_vs_noskip/*/metrics.csv", dir, run);
        read_only_match(pattern, metrics[run], sizeof metrics[run]);
    }
    assert_contains(results[0], "variant,seed,epoch,noise_loss,image_loss,best_noise_loss\nskip,1,1,");
    assert_contains(results[0], "\nskip,1,2,");
    assert_contains(metrics[0], "\ndata_floor,1,64,0,");
    assert_contains(metrics[0], "\nskip,1,64,2,");
    for (int run = 1; run < 3; run++) {
        assert_string_equal(results[0], results[run]);
        assert_string_equal(metrics[0], metrics[run]);
    }
    /* Run 1 found its directory name taken (as by another run started in
     * the same second): it took the next suffix and left the other alone. */
    char taken_run[600];
    snprintf(pattern, sizeof pattern, "%s/1/skip_vs_noskip/*/results.csv", dir);
    only_match(pattern, taken_run);
    assert_non_null(strstr(taken_run, "-2/results.csv"));
    snprintf(pattern, sizeof pattern, "%s/1/skip_vs_noskip/*/*", dir);
    glob_t written;
    assert_int_equal(glob(pattern, 0, NULL, &written), 0);
    for (size_t i = 0; i < written.gl_pathc; i++)
        assert_non_null(strstr(written.gl_pathv[i], "-2/"));
    globfree(&written);
    char first[600];
    snprintf(first, sizeof first, "%s/0/skip_vs_noskip/*/skip/seed1/checkpoint.ddim", dir);
    for (int run = 1; run < 3; run++) {
        snprintf(pattern, sizeof pattern, "%s/%d/skip_vs_noskip/*/skip/seed1/checkpoint.ddim", dir, run);
        assert_same_file(first, pattern);
    }
    char meta[4096];
    snprintf(pattern, sizeof pattern, "%s/2/skip_vs_noskip/*/meta.json", dir);
    read_only_match(pattern, meta, sizeof meta);
    assert_contains(meta, "\"command_line\": \"ddim-lab experiments/skip_vs_noskip.lua --variant skip");
    assert_contains(meta, "\"git_commit\": \"");
    assert_contains(meta, "\"config_sha256\": \"");
    assert_contains(meta, "\"threads\": 2,");
    assert_contains(meta, "\"runs_done\": 1,");
    assert_contains(meta, "\"seeds\": [1");
    assert_contains(meta, "\"classifier_sha256\": \"");
    static const char *const outputs[] = {
        "config.lua", "variants.csv", "report.md", "loss_curves.png", "timing.csv", "meta.json",
        "skip/seed1/epoch_01.png", "skip/seed1/epoch_02.png", "skip/seed1/samples.png", "skip/seed1/checkpoint.ddim",
    };
    for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++) {
        glob_t found;
        snprintf(pattern, sizeof pattern, "%s/0/skip_vs_noskip/*/%s", dir, outputs[i]);
        if (glob(pattern, 0, NULL, &found) != 0)
            fail_msg("the run wrote no %s", outputs[i]);
        globfree(&found);
    }
    /* `ddim-lab report` rebuilds the same report.md from the CSVs. */
    char report[16384], rebuilt[16384], run_dir[600], path[600];
    snprintf(pattern, sizeof pattern, "%s/0/skip_vs_noskip/*/report.md", dir);
    read_only_match(pattern, report, sizeof report);
    only_match(pattern, path);
    assert_int_equal(unlink(path), 0);
    snprintf(pattern, sizeof pattern, "%s/0/skip_vs_noskip/*", dir);
    only_match(pattern, run_dir);
    snprintf(args, sizeof args, "report %.500s", run_dir);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    read_only_match(path, rebuilt, sizeof rebuilt);
    assert_string_equal(report, rebuilt);
    remove_tree(dir);
}

/* The U-Net's ops (batch normalization, the fused epilogues, the segmented
 * weight gradients and bias sums) on 1 and on 2 threads: the same
 * results.csv and the same weights to the bit. */
static void test_unet_runs_do_not_depend_on_the_thread_count(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", args[512], out[8192], pattern[600];
    char results[2][4096];
    assert_non_null(mkdtemp(dir));
    for (int run = 0; run < 2; run++) {
        snprintf(args, sizeof args,
                 "experiments/unet_full.lua train.max_images=96 train.batch_size=32 train.epochs=1 "
                 "diffusion.steps=2 sample.grid=2 sample.metric_samples=16 --classifier %s --out %s/%d --threads %d",
                 test_classifier_file(), dir, run, run + 1);
        if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
            fail_msg("ddim-lab %s failed:\n%s", args, out);
        snprintf(pattern, sizeof pattern, "%s/%d/unet_full/*/results.csv", dir, run);
        read_only_match(pattern, results[run], sizeof results[run]);
    }
    assert_contains(results[0], "variant,seed,epoch,noise_loss,image_loss,best_noise_loss\nunet,1,1,");
    assert_string_equal(results[0], results[1]);
    char first[600];
    snprintf(first, sizeof first, "%s/0/unet_full/*/unet/seed1/checkpoint.ddim", dir);
    snprintf(pattern, sizeof pattern, "%s/1/unet_full/*/unet/seed1/checkpoint.ddim", dir);
    assert_same_file(first, pattern);
    /* With train.ema the checkpoint holds the EMA the samples came from. */
    char path[600], err[512];
    only_match(first, path);
    struct checkpoint c;
    if (checkpoint_read(path, &c, err, sizeof err))
        fail_msg("%s", err);
    const struct checkpoint_section *params = checkpoint_find(&c, "params");
    const struct checkpoint_section *ema = checkpoint_find(&c, "params_ema");
    assert_non_null(params);
    assert_non_null(ema);
    assert_int_equal(ema->size, params->size);
    assert_true(memcmp(ema->data, params->data, params->size) != 0);
    checkpoint_free(&c);
    remove_tree(dir);
}

/* The digits-in-minutes recipe's --quick (seconds): it trains, samples and
 * scores end to end, its noise loss falls below the untrained network's
 * (its last layer starts at zero: the loss of predicting v = 0, about 1),
 * and its report says that it is a smoke test. */
static void test_digits_in_minutes_quick_runs(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", args[1024], out[8192], pattern[600], text[8192];
    assert_non_null(mkdtemp(dir));
    snprintf(args, sizeof args, "experiments/digits_in_minutes.lua --quick --seed=1 --classifier=%s --out %s",
             test_classifier_file(), dir); /* options as --name=value or --name value */
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(pattern, sizeof pattern, "%s/digits_in_minutes/*/metrics.csv", dir);
    read_only_match(pattern, text, sizeof text);
    assert_contains(text, "\nsmall_unet,1,128,10,");
    snprintf(pattern, sizeof pattern, "%s/digits_in_minutes/*/results.csv", dir);
    read_only_match(pattern, text, sizeof text);
    const char *row = strstr(text, "\nsmall_unet,1,1,");
    assert_non_null(row);
    const double noise_loss = strtod(row + strlen("\nsmall_unet,1,1,"), NULL);
    if (!(noise_loss > 0 && noise_loss < 0.5))
        fail_msg("the quick run's noise loss is %g, not in (0, 0.5)", noise_loss);
    snprintf(pattern, sizeof pattern, "%s/digits_in_minutes/*/report.md", dir);
    read_only_match(pattern, text, sizeof text);
    assert_contains(text, "**A smoke test, not a result:**");
    remove_tree(dir);
}

/* docs/tutorial.md's experiment, as a reader would save it from the page,
 * runs with --quick (one seed here, to keep the suite short): both
 * variants train, and the report gives no_ema against recipe. */
static void test_tutorial_experiment_runs(void **state)
{
    (void)state;
    static char page[32768], text[16384];
    FILE *f = fopen("docs/tutorial.md", "r");
    assert_non_null(f);
    page[fread(page, 1, sizeof page - 1, f)] = '\0';
    fclose(f);
    const char *code = strstr(page, "```lua\n"), *end = code ? strstr(code, "\n```\n") : NULL;
    if (!code || !end)
        fail_msg("docs/tutorial.md has no ```lua block");
    code += strlen("```lua\n");
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", path[600], args[2048], out[8192], pattern[600];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/my_first_ablation.lua", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%.*s\n", (int)(end - code), code);
    fclose(f);
    snprintf(args, sizeof args, "%s --quick --seed 1 --classifier %s --out %s", path, test_classifier_file(), dir);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    /* The run measures its classifier's test accuracy, and warns below 98%
     * (the tests' classifier trains on 8,192 digits for one epoch). */
    const char *line = strstr(out, "% of the 10,000 test digits right");
    assert_non_null(line);
    while (line > out && line[-1] != ' ')
        line--;
    const double accuracy = strtod(line, NULL);
    assert_true(accuracy > 50 && accuracy <= 100);
    if (accuracy < 98)
        assert_contains(out, "of the test digits right (below 98%): the run's recognisable % and FID are not to be trusted");
    else
        assert_null(strstr(out, "(below 98%)"));
    snprintf(pattern, sizeof pattern, "%s/my_first_ablation/*/report.md", dir);
    read_only_match(pattern, text, sizeof text);
    assert_contains(text, "**A smoke test, not a result:**");
    assert_contains(text, "of the 10,000 test digits right (measured as the run loaded it)");
    assert_contains(text, "\n| no_ema | recipe |");
    assert_contains(text, "without the EMA of the weights (`no_ema` against `recipe`)");
    remove_tree(dir);
}

/* A typo in a key fails before training, naming file:line, exit code 2,
 * and nothing is written. */
static void test_experiment_bad_config_writes_nothing(void **state)
{
    (void)state;
    char dir[] = "/tmp/ddim-lab-test-XXXXXX", path[600], args[1400], out[4096];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/typo.lua", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("local ddim = require \"ddim\"\nlocal nets = require \"lib.seed_nets\"\n", f);
    fputs("return ddim.experiment {\n  train = { epochz = 3 },\n", f);
    fputs("  variants = { { name = \"skip\", model = nets.skip() } },\n}\n", f);
    fclose(f);
    /* lib.seed_nets is found beside the experiment file: link it there. */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(args, sizeof args, "ln -s %s/experiments/lib %s/lib", cwd, dir);
    assert_int_equal(system(args), 0);
    snprintf(args, sizeof args, "%s --out %s/runs", path, dir);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 2);
    char expected[700];
    snprintf(expected, sizeof expected, "%s:4: unknown key 'epochz'", path);
    assert_contains(out, expected);
    snprintf(path, sizeof path, "%s/runs", dir);
    assert_int_equal(access(path, F_OK), -1);
    remove_tree(dir);
}

/* The training-step benchmark times a variant and profiles it by op. */
static void test_bench_profiles_a_variant(void **state)
{
    (void)state;
    char out[8192];
    int status = run_ddim_lab(NULL, NULL, "bench experiments/skip_vs_noskip.lua --variant first diffusion.steps=2", out,
                         sizeof out);
    if (status != 0)
        fail_msg("bench failed:\n%s", out);
    assert_contains(out, "first: 2517441 parameters, batch 64, gradient trick on");
    assert_contains(out, "FP32 FMA peak");
    assert_contains(out, "| model GFLOP/s | of the FP32 FMA peak |");
    assert_contains(out, "| conv_transpose2d_backward_data | backward |");
    assert_contains(out, "| sgemm | forward |");
    assert_contains(out, "where sampling's time goes");
    assert_contains(out, "peak resident memory:");
    assert_int_equal(run_ddim_lab(NULL, NULL, "bench experiments/skip_vs_noskip.lua --frobnicate", out, sizeof out), 2);
    /* --json: the peaks and the variant's figures, the profile left out. */
    status = run_ddim_lab(NULL, NULL, "bench experiments/skip_vs_noskip.lua --variant first diffusion.steps=2 --json",
                          out, sizeof out);
    if (status != 0)
        fail_msg("bench --json failed:\n%s", out);
    assert_contains(out, "\"fp32_fma_peak_gflops\": ");
    assert_contains(out, "\"one_core_fp32_fma_peak_gflops\": ");
    assert_contains(out, "{\"variant\": \"first\", \"parameters\": 2517441, \"batch\": 64, \"training_step_ms\": ");
    assert_contains(out, "\"sampling_steps\": 2, ");
    assert_null(strstr(out, "| sgemm |"));
}

size_t cli_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_version),
        cmocka_unit_test(test_cli_help_lists_commands_and_options),
        cmocka_unit_test(test_cli_unknown_option_is_a_usage_error),
        cmocka_unit_test(test_cli_unknown_command_is_a_usage_error),
        cmocka_unit_test(test_cli_info_prints_the_chosen_isa),
        cmocka_unit_test(test_cli_info_honours_ddim_isa),
        cmocka_unit_test(test_cli_info_reports_the_state_of_the_data),
        cmocka_unit_test(test_experiment_runs_are_reproducible),
        cmocka_unit_test(test_unet_runs_do_not_depend_on_the_thread_count),
        cmocka_unit_test(test_digits_in_minutes_quick_runs),
        cmocka_unit_test(test_tutorial_experiment_runs),
        cmocka_unit_test(test_experiment_bad_config_writes_nothing),
        cmocka_unit_test(test_bench_profiles_a_variant),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
