/* Runs that survive (runtime/diffusion/run_state.h, command_resume.c): a
 * tiny experiment killed with SIGKILL at 10 points (at random times, and
 * inside the write of a file, between its fsync and its rename), stopped
 * by SIGINT and SIGTERM, and cut off by a full disk (RLIMIT_FSIZE), each
 * resumed, ends with results.csv, metrics.csv and checkpoints byte for byte
 * those of an uninterrupted run; a diverging variant stops alone; a resume
 * with another config is refused, naming the fields. */
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test_program.h"
#include "test_util.h"

/* Two small networks (about 50,000 and 100,000 parameters) at two seeds,
 * two epochs of 16 steps, a state save every 6 steps. */
static const char tiny_experiment[] =
    "local ddim = require \"ddim\"\n"
    "local function net(width, learning_rate)\n"
    "  local x = ddim.input{28, 28, 1, name = \"x\"}\n"
    "  local t = ddim.input{1, 1, 1, name = \"t\"}\n"
    "  local h = ddim.dense(ddim.flatten(x + t), width, {activation = \"relu\"})\n"
    "  return ddim.model{inputs = {x, t}, output = ddim.reshape(ddim.dense(h, 784), {28, 28, 1})}\n"
    "end\n"
    "return ddim.experiment {\n"
    "  name = \"tiny\",\n"
    "  train = { epochs = 2, batch_size = 16, max_images = 256, dataset = \"train\", checkpoint_every = 6,\n"
    "            ema = 0.9 },\n"
    "  diffusion = { steps = 2, schedule = \"cosine\", gradient_trick = false, guide_epoch = 1, guidance = 1.5 },\n"
    "  sample = { grid = 2, metric_samples = 16 },\n"
    "  seeds = { 1, 2 },\n"
    "  variants = {\n"
    "    { name = \"narrow\", model = net(32), changes = \"32 hidden units\" },\n"
    "    { name = \"wide\", model = net(64), reference = \"narrow\", changes = \"64 hidden units\"%s },\n"
    "  },\n"
    "}\n";

/* fuzz/'s tiny classifier scores in a fraction of the time of the tests'
 * shared one: these tests compare files, not figures. */
#define TINY_CLASSIFIER "fuzz/corpus/fuzz_classifier_file/classifier.ddim"

static char scratch[] = "/tmp/ddim-lab-resume-XXXXXX";
static char experiment[160], reference[600];
static double reference_seconds; /* the reference run's time from its meta.json's first write to its end */

static void sleep_seconds(double seconds)
{
    struct timespec t = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
    nanosleep(&t, NULL);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* A new directory under scratch for one run's --out. */
static void out_dir(const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", scratch, name);
    remove_tree(path);
    if (mkdir(path, 0777))
        fail_msg("mkdir %s failed", path);
}

/* The one run directory under out. */
static void run_dir_of(const char *out, char path[MATCH_PATH_SIZE])
{
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/tiny/*/config.lua", out);
    only_match(pattern, path);
    *strrchr(path, '/') = '\0';
}

static void run_args(char *args, size_t size, const char *out)
{
    snprintf(args, size, "%s --threads 2 --classifier %s --out %s", experiment, TINY_CLASSIFIER, out);
}

/* Starts ddim-lab with args (the shell execs it, so pid is ddim-lab's),
 * its output to log, env ("NAME=value") set when not NULL; with fsize_limit > 0 under RLIMIT_FSIZE, SIGXFSZ
 * ignored so that a write past it fails with EFBIG (a full disk's way). */
static pid_t start(const char *env, const char *args, const char *log, rlim_t fsize_limit)
{
    char command[2048];
    snprintf(command, sizeof command, "exec %s %s >%s 2>&1", DDIM_LAB_BINARY, args, log);
    const pid_t pid = fork();
    if (pid == 0) {
        char name[64];
        const char *equals = env ? strchr(env, '=') : NULL;
        if (equals && (size_t)(equals - env) < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)(equals - env), env);
            setenv(name, equals + 1, 1);
        }
        if (fsize_limit) {
            const struct rlimit limit = { fsize_limit, fsize_limit };
            setrlimit(RLIMIT_FSIZE, &limit);
            signal(SIGXFSZ, SIG_IGN);
        }
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    if (pid < 0)
        fail_msg("fork failed");
    return pid;
}

static int wait_status(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid)
        fail_msg("waitpid failed");
    return status;
}

/* Waits (at most 60 s) until some meta.json exists under out: the run
 * directory is made and the run has started. */
static void wait_for_run(const char *out)
{
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/tiny/*/meta.json", out);
    for (int i = 0; i < 6000; i++) {
        glob_t g;
        const int found = glob(pattern, 0, NULL, &g) == 0;
        globfree(&g);
        if (found)
            return;
        sleep_seconds(0.01);
    }
    fail_msg("no run directory under %s after 60 s", out);
}

static void read_file(const char *path, char **data, long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    rewind(f);
    *data = malloc((size_t)*size + 1);
    if (!*data || fread(*data, 1, (size_t)*size, f) != (size_t)*size)
        fail_msg("cannot read %s", path);
    fclose(f);
}

static void assert_same_file(const char *a_dir, const char *b_dir, const char *name)
{
    char a_path[900], b_path[900], *a, *b;
    long a_size, b_size;
    snprintf(a_path, sizeof a_path, "%s/%s", a_dir, name);
    snprintf(b_path, sizeof b_path, "%s/%s", b_dir, name);
    read_file(a_path, &a, &a_size);
    read_file(b_path, &b, &b_size);
    if (a_size != b_size || memcmp(a, b, (size_t)a_size) != 0)
        fail_msg("%s differs from %s", b_path, a_path);
    free(a);
    free(b);
}

/* results.csv, metrics.csv and every checkpoint.ddim of run as the
 * reference run's, byte for byte. */
static void assert_same_as_reference(const char *run)
{
    static const char *const files[] = { "results.csv", "metrics.csv", "narrow/seed1/checkpoint.ddim",
                                         "wide/seed1/checkpoint.ddim", "narrow/seed2/checkpoint.ddim",
                                         "wide/seed2/checkpoint.ddim" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        assert_same_file(reference, run, files[i]);
}

/* `ddim-lab resume RUN` to the end (exit 0). */
static void resume(const char *run)
{
    char args[800], out[16384];
    snprintf(args, sizeof args, "resume %s --threads 1", run);
    const int status = run_ddim_lab(NULL, NULL, args, out, sizeof out);
    if (status != 0)
        fail_msg("ddim-lab %s exited %d:\n%s", args, status, out);
    assert_contains(out, "resuming");
}

static void remove_resume_scratch(void)
{
    remove_tree(scratch);
}

/* The experiment file and the uninterrupted reference run, once. */
static int make_reference(void **state)
{
    (void)state;
    if (reference[0])
        return 0;
    if (!mkdtemp(scratch))
        return -1;
    atexit(remove_resume_scratch);
    snprintf(experiment, sizeof experiment, "%s/tiny.lua", scratch);
    FILE *f = fopen(experiment, "w");
    if (!f)
        return -1;
    fprintf(f, tiny_experiment, "");
    fclose(f);
    char out[160], args[2048], log[256];
    out_dir("reference", out, sizeof out);
    run_args(args, sizeof args, out);
    snprintf(log, sizeof log, "%s/reference.log", scratch);
    const pid_t pid = start(NULL, args, log, 0);
    wait_for_run(out);
    const double started = now_seconds();
    const int status = wait_status(pid);
    reference_seconds = now_seconds() - started;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    char dir[MATCH_PATH_SIZE];
    run_dir_of(out, dir);
    snprintf(reference, sizeof reference, "%s", dir);
    return 0;
}

/* Kills run of args with signal after delay seconds from its start; the
 * exit status. */
static int stop_after(const char *args, const char *out, const char *log, double delay, int signal_number)
{
    const pid_t pid = start(NULL, args, log, 0);
    wait_for_run(out);
    sleep_seconds(delay);
    kill(pid, signal_number);
    return wait_status(pid);
}

/* Ten SIGKILLs: six at random times over the run (a fixed generator, so
 * that a failure repeats), four inside the Nth file write, after its fsync
 * and before its rename (DDIM_FAULT_KILL_AT_COMMIT, files.c). Each run is
 * resumed and must end as the uninterrupted one. */
static void test_resume_after_sigkill_at_ten_points(void **state)
{
    (void)state;
    /* Of the 150 file writes of the run: a state.ddim mid-epoch (15), the first
     * checkpoint.ddim (36), the state that says that run finished (37), a state
     * mid-epoch of the second seed (97). */
    static const int commits[4] = { 15, 36, 37, 97 };
    struct test_rng rng = { 20261207 };
    for (int point = 0; point < 10; point++) {
        char name[32], out[160], args[2048], log[256], dir[MATCH_PATH_SIZE], env[64];
        snprintf(name, sizeof name, "kill%d", point);
        out_dir(name, out, sizeof out);
        run_args(args, sizeof args, out);
        snprintf(log, sizeof log, "%s/%s.log", scratch, name);
        int status;
        if (point < 6) {
            /* A kill that comes after the run ended is tried again earlier:
             * the machine may run faster than for the reference. */
            double delay = test_rng_uniform(&rng, 0.05f, 0.85f) * reference_seconds;
            for (status = 0; !WIFSIGNALED(status) && delay > 0.01; delay /= 2) {
                out_dir(name, out, sizeof out);
                status = stop_after(args, out, log, delay, SIGKILL);
                print_message("kill %d: SIGKILL after %.2f s of %.2f s\n", point, delay, reference_seconds);
            }
        } else {
            snprintf(env, sizeof env, "DDIM_FAULT_KILL_AT_COMMIT=%d", commits[point - 6]);
            status = wait_status(start(env, args, log, 0));
            print_message("kill %d: SIGKILL in file write %d\n", point, commits[point - 6]);
        }
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
            fail_msg("kill %d: not killed (status %d)", point, status);
        run_dir_of(out, dir);
        resume(dir);
        assert_same_as_reference(dir);
    }
}

/* SIGINT twice and SIGTERM once, at random times: exit 130 and 143, the
 * state saved and the run marked interrupted; each resumed to the end. */
static void test_resume_after_sigint_and_sigterm(void **state)
{
    (void)state;
    struct test_rng rng = { 7 };
    for (int point = 0; point < 3; point++) {
        const int signal_number = point == 2 ? SIGTERM : SIGINT;
        char name[32], out[160], args[2048], log[256], dir[MATCH_PATH_SIZE], meta[8192], pattern[800];
        snprintf(name, sizeof name, "interrupt%d", point);
        out_dir(name, out, sizeof out);
        run_args(args, sizeof args, out);
        snprintf(log, sizeof log, "%s/%s.log", scratch, name);
        double delay = test_rng_uniform(&rng, 0.1f, 0.8f) * reference_seconds;
        int status = 0;
        for (; WIFEXITED(status) && WEXITSTATUS(status) == 0 && delay > 0.01; delay /= 2) { /* as for SIGKILL */
            out_dir(name, out, sizeof out);
            status = stop_after(args, out, log, delay, signal_number);
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 128 + signal_number)
            fail_msg("interrupt %d: signal %d after %.2f s: status %d, not exit %d", point, signal_number, delay,
                     status, 128 + signal_number);
        run_dir_of(out, dir);
        snprintf(pattern, sizeof pattern, "%s/meta.json", dir);
        read_only_match_file(pattern, meta, sizeof meta);
        assert_contains(meta, "\"status\": \"interrupted\"");
        snprintf(pattern, sizeof pattern, "%s/report.md", dir);
        char report[65536];
        read_only_match_file(pattern, report, sizeof report);
        assert_contains(report, "**This run is not complete:");
        resume(dir);
        assert_same_as_reference(dir);
    }
}

/* A file size limit of 300 KB (the first state.ddim needs about 1 MB): the
 * run stops with one line naming the file, keeps what it wrote, and a
 * resume without the limit ends as the uninterrupted run. */
static void test_resume_after_a_full_disk(void **state)
{
    (void)state;
    char out[160], args[2048], log[256], dir[MATCH_PATH_SIZE], pattern[900], text[16384];
    out_dir("full", out, sizeof out);
    run_args(args, sizeof args, out);
    snprintf(log, sizeof log, "%s/full.log", scratch);
    const int status = wait_status(start(NULL, args, log, 300 * 1024));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 1)
        fail_msg("under a 300 KB file size limit: status %d, not exit 1", status);
    read_only_match_file(log, text, sizeof text);
    assert_contains(text, "/state.ddim: ");
    assert_contains(text, "File too large");
    run_dir_of(out, dir);
    snprintf(pattern, sizeof pattern, "%s/meta.json", dir);
    read_only_match_file(pattern, text, sizeof text);
    assert_contains(text, "\"status\": \"failed\"");
    snprintf(pattern, sizeof pattern, "%s/narrow/seed1/.*.tmp.*", dir); /* no temporary file left */
    glob_t g;
    assert_int_equal(glob(pattern, 0, NULL, &g), GLOB_NOMATCH);
    globfree(&g);
    resume(dir);
    assert_same_as_reference(dir);
}

/* A resume of a finished run trains nothing, prints no run's progress
 * line (each run's state says it finished) and leaves its files as they
 * were; meta.json keeps when the run started and counts the session. */
static void test_resume_of_a_finished_run_runs_nothing(void **state)
{
    (void)state;
    char args[800], out[16384], path[700], meta[8192], started[64];
    snprintf(path, sizeof path, "%s/meta.json", reference);
    read_only_match_file(path, meta, sizeof meta);
    assert_contains(meta, "\"sessions\": 1,");
    const char *at = strstr(meta, "\"started_utc\": ");
    assert_non_null(at);
    snprintf(started, sizeof started, "%.38s", at); /* "started_utc": "YYYY-MM-DDTHH:MM:SSZ" */
    sleep_seconds(1.1); /* so that this session's start is another second */
    snprintf(args, sizeof args, "resume %s --threads 1", reference);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 0);
    assert_contains(out, "resuming");
    assert_null(strstr(out, " of 4: "));
    assert_null(strstr(out, " epoch 1/2 "));
    assert_same_as_reference(reference);
    read_only_match_file(path, meta, sizeof meta);
    assert_contains(meta, started);
    assert_contains(meta, "\"resumed_utc\": \"");
    assert_contains(meta, "\"sessions\": 2,");
    assert_contains(meta, "\"runs_done\": 4,");
}

/* A resume whose config differs is refused before anything is written,
 * naming the field, with the run's value and this one's. */
static void test_resume_with_another_config_is_refused(void **state)
{
    (void)state;
    char args[2048], out[8192];
    snprintf(args, sizeof args, "%s --resume %s --classifier %s train.epochs=3", experiment, reference,
             TINY_CLASSIFIER);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_contains(out, "config.lua: cannot resume: this run's config differs from the run's: ");
    assert_contains(out, "narrow.train.epochs (run: 2; now: 3)");
    assert_same_as_reference(reference);
}

/* One variant diverges (learning rate 1e3: a weight passes
 * train.max_weight within a few steps): it stops alone, the other
 * finishes, the report and runs.csv say so and the exit status is 3. */
static void test_a_diverging_variant_stops_alone(void **state)
{
    (void)state;
    char path[160], out_path[160], args[2048], out[16384], dir[MATCH_PATH_SIZE], pattern[900], text[65536];
    snprintf(path, sizeof path, "%s/diverging/tiny.lua", scratch);
    out_dir("diverging", out_path, sizeof out_path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, tiny_experiment, ", train = { learning_rate = 1e3 }");
    fclose(f);
    snprintf(args, sizeof args, "%s --threads 2 --classifier %s --out %s", path, TINY_CLASSIFIER, out_path);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 3);
    assert_contains(out, "ddim-lab: variant wide seed 1 diverged at epoch 1 step ");
    assert_contains(out, "(train.max_weight 10000); the other runs go on");
    run_dir_of(out_path, dir);
    snprintf(pattern, sizeof pattern, "%s/runs.csv", dir);
    read_only_match_file(pattern, text, sizeof text);
    assert_contains(text, "narrow,1,complete,\nwide,1,diverged,");
    assert_contains(text, "narrow,2,complete,\nwide,2,diverged,");
    snprintf(pattern, sizeof pattern, "%s/metrics.csv", dir);
    read_only_match_file(pattern, text, sizeof text);
    assert_contains(text, "\nnarrow,2,");
    assert_null(strstr(text, "\nwide,"));
    snprintf(pattern, sizeof pattern, "%s/report.md", dir);
    read_only_match_file(pattern, text, sizeof text);
    assert_contains(text, "runs finished, some diverged.**");
    assert_contains(text, "- `wide` seed 2: diverged: variant wide seed 2 diverged at epoch 1 step ");
    snprintf(pattern, sizeof pattern, "%s/meta.json", dir);
    read_only_match_file(pattern, text, sizeof text);
    assert_contains(text, "\"status\": \"diverged\"");
}

size_t resume_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_resume_after_sigkill_at_ten_points, make_reference),
        cmocka_unit_test_setup(test_resume_after_sigint_and_sigterm, make_reference),
        cmocka_unit_test_setup(test_resume_after_a_full_disk, make_reference),
        cmocka_unit_test_setup(test_resume_of_a_finished_run_runs_nothing, make_reference),
        cmocka_unit_test_setup(test_resume_with_another_config_is_refused, make_reference),
        cmocka_unit_test_setup(test_a_diverging_variant_stops_alone, make_reference),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
