/* `ddim-lab EXPERIMENT.lua [flags] [key.path=value ...]`: trains every
 * variant of an experiment once per seed, samples from its best weights (or
 * its EMA), scores the samples with the MNIST classifier
 * (sample_metrics.h), and writes the run directory:
 *
 *   OUT/<experiment>/<UTC timestamp>/
 *     config.lua        the resolved config of every variant, an experiment file that reruns the run
 *     variants.csv      variant, reference, what it changes, parameters, MFLOP a sampling step, the
 *                       variant whose training it samples from (itself, or one it trains as)
 *     results.csv       variant, seed, epoch, losses   } deterministic: same seeds,
 *     metrics.csv       variant, seed, FID, KID, ...   } same files
 *     timing.csv        variant, seed, epoch, seconds, images/s
 *     runs.csv          variant, seed, state (pending, running, complete, diverged, interrupted), detail
 *     report.md, loss_curves.png (report.h), meta.json (run_meta.h: its status says how the run ended)
 *     <variant>/seed<N>/epoch_NN.png, samples.png, checkpoint.ddim, state.ddim (run_state.h)
 *
 * Every file is written atomically; meta.json, runs.csv and the report are
 * written when the run starts and again as it goes. A diverging (variant,
 * seed) run stops alone; SIGINT and SIGTERM save the state and stop the
 * experiment (exit 130, 143); `--resume RUN_DIR` (or `ddim-lab resume
 * RUN_DIR`, command_resume.c) goes on from the saved states. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "runtime/base/files.h"
#include "runtime/base/interrupt.h"
#include "runtime/base/progress.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/experiment_run.h"
#include "runtime/config/config.h"
#include "runtime/diffusion/run_state.h"
#include "runtime/graph/executor.h"
#include "runtime/report/run_meta.h"

/* --seed N (one seed) or --seeds N,M,... (a list) into o's seeds. */
static int parse_seeds(const char *value, struct experiment_options *o, int list, char *err, size_t errlen)
{
    o->seed_count = 0;
    for (const char *at = value;;) {
        char *end;
        errno = 0;
        const unsigned long long seed = strtoull(at, &end, 10);
        if (errno || end == at || *at == '-' || *at == '+' || (*end && (*end != ',' || !list)) ||
            o->seed_count == EXPERIMENT_MAX_SEEDS) {
            if (list)
                snprintf(err, errlen, "--seeds takes 1 to %d integers >= 0 separated by commas, got '%s'",
                         EXPERIMENT_MAX_SEEDS, value);
            else
                snprintf(err, errlen, "--seed takes a non-negative integer, got '%s'", value);
            return -1;
        }
        o->seeds[o->seed_count++] = seed;
        if (!*end)
            return 0;
        at = end + 1;
    }
}

static int parse_options(int argc, char **argv, struct run_options *o, char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        const int check = run_checks_option(argc, argv, &i, &o->checks, err, errlen);
        if (check < 0)
            return -1;
        if (check)
            continue;
        if (strcmp(arg, "--quick") == 0) {
            o->experiment.quick = 1;
        } else if (strcmp(arg, "--out") == 0 || strcmp(arg, "--variant") == 0 || strcmp(arg, "--seed") == 0 ||
                   strcmp(arg, "--seeds") == 0 || strcmp(arg, "--threads") == 0 ||
                   strcmp(arg, "--classifier") == 0 || strcmp(arg, "--resume") == 0) {
            if (!value) {
                snprintf(err, errlen, "option '%s' needs a value", arg);
                return -1;
            }
            i++;
            if (strcmp(arg, "--out") == 0) {
                o->out = value;
            } else if (strcmp(arg, "--resume") == 0) {
                o->resume = value;
            } else if (strcmp(arg, "--classifier") == 0) {
                o->classifier = value;
            } else if (strcmp(arg, "--variant") == 0) {
                o->experiment.variant = value;
            } else if (strcmp(arg, "--seed") == 0 || strcmp(arg, "--seeds") == 0) {
                if (parse_seeds(value, &o->experiment, strcmp(arg, "--seeds") == 0, err, errlen))
                    return -1;
            } else {
                char *end;
                long threads = strtol(value, &end, 10);
                if (*end || threads < 1 || threads > 1024) {
                    snprintf(err, errlen, "--threads takes a number of threads from 1 to 1024, got '%s'", value);
                    return -1;
                }
                o->threads = (int)threads;
            }
        } else if (arg[0] != '-' && strchr(arg, '=')) {
            o->experiment.overrides[o->experiment.override_count++] = argv[i];
        } else {
            snprintf(err, errlen, "unknown option '%s'", arg);
            return -1;
        }
    }
    return 0;
}

/* OUT/<name>/<UTC time>, with -2, -3... if two runs start in one second.
 * The run's own directory is made by one mkdir(), which fails with EEXIST
 * when another run took the name first (checking with stat() and then
 * creating would let two runs share a directory). */
static int make_run_directory(const char *out, const char *name, char *dir, size_t size, char *err, size_t errlen)
{
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", gmtime(&now));
    int length = snprintf(dir, size, "%s/%s", out, name);
    if (length < 0 || (size_t)length >= size) {
        snprintf(err, errlen, "%s: the run directory's path is too long", out);
        return -1;
    }
    if (make_directories(dir, err, errlen))
        return -1;
    for (int attempt = 1; attempt < 100; attempt++) {
        length = attempt == 1 ? snprintf(dir, size, "%s/%s/%s", out, name, stamp)
                              : snprintf(dir, size, "%s/%s/%s-%d", out, name, stamp, attempt);
        if (length < 0 || (size_t)length >= size) {
            snprintf(err, errlen, "%s: the run directory's path is too long", out);
            return -1;
        }
        if (mkdir(dir, 0777) == 0)
            return 0;
        if (errno != EEXIST) {
            snprintf(err, errlen, "%s: cannot create the run directory: %s", dir, strerror(errno));
            return -1;
        }
    }
    snprintf(err, errlen, "%s/%s: too many runs started in one second", out, name);
    return -1;
}

static int write_variants(struct experiment_run *s, char *err, size_t errlen)
{
    struct text t = { 0 };
    text_append(&t, "experiment,variant,reference,samples_from,parameters,changes,mflop_per_image,trained_as\n");
    for (int i = 0; i < s->e->variant_count; i++) {
        const struct variant *v = &s->e->variants[i];
        double flops;
        if (model_flops(&v->graph, v->output, s->ctx->kernels, &flops, err, errlen))
            return text_free(&t), -1;
        text_append(&t, "%s,%s,%s,%s,%zu,", s->e->name, v->name, v->reference, v->train.ema > 0 ? "ema" : "best",
                    v->graph.param_floats);
        append_csv_field(&t, v->changes);
        text_append(&t, ",%.3f,%s\n", flops * 1e-6, s->e->variants[s->trained_as[i]].name);
    }
    int status = write_text(s->dir, "variants.csv", &t, err, errlen);
    text_free(&t);
    return status;
}

/* Checks the run (run_checks.h), then loads the classifier, the test set's
 * features and the data: all before the run directory exists. */
static int prepare(struct experiment_run *s, char *err, size_t errlen)
{
    if (run_checks(s->e, s->ctx->data_dir, &s->options->checks, s->data_digests, err, errlen) ||
        sample_scorer_load(&s->scorer, s->options->classifier, s->ctx->kernels, s->ctx->data_dir, err, errlen) ||
        mnist_load_dataset(s->ctx->data_dir, "all", &s->all, err, errlen))
        return -1;
    printf("classifier %s: %.2f%% of the 10,000 test digits right\n", s->options->classifier,
           100 * s->scorer.test_accuracy);
    if (s->scorer.test_accuracy < SCORER_MIN_TEST_ACCURACY)
        fprintf(stderr, "ddim-lab: warning: %s gets only %.2f%% of the test digits right (below %.0f%%): the run's "
                "recognisable %% and FID are not to be trusted; train a full one with `ddim-lab classifier`\n",
                s->options->classifier, 100 * s->scorer.test_accuracy, 100 * SCORER_MIN_TEST_ACCURACY);
    return 0;
}

/* Whether the run of entry is still to be done (not finished, nor stopped by divergence). */
static int still_to_run(const struct run_entry *entry)
{
    return entry->state != RUN_COMPLETE && entry->state != RUN_DIVERGED_STATE;
}

/* "h:mm:ss" of seconds. */
static void format_duration(double seconds, char out[32])
{
    const long total = seconds > 0 ? (long)(seconds + 0.5) : 0;
    snprintf(out, 32, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
}

/* The experiment's progress line before run `entry` (one of the (variant,
 * seed) runs, in the order they run): which it is of how many, the time
 * since the experiment started, and once a run has finished here, the rest
 * estimated from the mean time of those. */
static void print_run_start(const struct experiment_run *s, int entry, const struct variant *v, int finished_here,
                            double started)
{
    const int total = s->rounds * s->e->variant_count;
    int left = 0;
    for (int i = 0; i < total; i++)
        left += still_to_run(&s->entries[i]);
    char elapsed[32], eta[32];
    const double seconds = progress_clock() - started;
    format_duration(seconds, elapsed);
    printf("run %d of %d: %s seed %llu; %s so far", entry + 1, total, v->name, (unsigned long long)v->train.seed,
           elapsed);
    if (finished_here > 0) {
        format_duration(seconds / finished_here * left, eta);
        printf(", about %s to go (%d run%s at the mean so far)", eta, left, left == 1 ? "" : "s");
    }
    printf("\n");
    fflush(stdout);
}

/* A resumed run's entries that finished or diverged before, from their
 * state files, so that the progress lines count only what is left. */
static void restore_entry_states(struct experiment_run *s, const struct experiment *e)
{
    for (int round = 0; round < s->rounds; round++)
        for (int i = 0; i < e->variant_count; i++) {
            const uint64_t seed = e->seed_count ? e->seeds[round] : e->variants[i].train.seed;
            char dir[1100];
            enum run_phase phase;
            run_seed_directory(s, e->variants[i].name, seed, dir, sizeof dir);
            if (run_state_phase(dir, &phase) && phase != RUN_TRAINING)
                s->entries[round * e->variant_count + i].state =
                    phase == RUN_FINISHED ? RUN_COMPLETE : RUN_DIVERGED_STATE;
        }
}

/* Every variant at every seed (seed by seed, so that an interrupted run has
 * whole seeds). Returns 0 when every run finished, RUN_VARIANT_DIVERGED
 * when some diverged and the others finished, RUN_VARIANT_INTERRUPTED, or
 * -1 with the message in err. */
static int run_all(struct experiment_run *s, struct experiment *e, char *err, size_t errlen)
{
    int diverged = 0, finished_here = 0;
    const double started = progress_clock();
    for (int round = 0; round < s->rounds; round++) {
        const uint64_t floor_seed = e->seed_count ? e->seeds[round] : e->variants[0].train.seed;
        if (score_data_floor(s, floor_seed, e->variants[0].sample.metric_samples, err, errlen))
            return -1;
        for (int i = 0; i < e->variant_count; i++) {
            struct variant *v = &e->variants[i];
            if (e->seed_count)
                v->train.seed = e->seeds[round];
            const int entry = round * e->variant_count + i;
            const int to_run = still_to_run(&s->entries[entry]);
            if (to_run)
                print_run_start(s, entry, v, finished_here, started);
            const int status = interrupt_requested() ? RUN_VARIANT_INTERRUPTED : run_variant(s, v, entry, err, errlen);
            finished_here += to_run;
            if (status < 0 || status == RUN_VARIANT_INTERRUPTED)
                return status;
            diverged |= status == RUN_VARIANT_DIVERGED;
        }
    }
    return diverged ? RUN_VARIANT_DIVERGED : 0;
}

/* The run's directory: a new one, or with --resume the one named, whose
 * config.lua must be this run's config (else the differing fields). Then
 * the files that say what runs: config.lua, variants.csv, runs.csv, the
 * CSVs' headers and the report. */
static int open_run_directory(struct experiment_run *s, char *err, size_t errlen)
{
    const struct run_options *o = s->options;
    if (o->resume) {
        snprintf(s->dir, sizeof s->dir, "%s", o->resume);
        if (check_resumed_config(o->resume, s->e->resolved, err, errlen))
            return -1;
    } else if (make_run_directory(o->out, s->e->name, s->dir, sizeof s->dir, err, errlen)) {
        return -1;
    }
    text_append(&s->results, "variant,seed,epoch,noise_loss,image_loss,best_noise_loss\n");
    text_append(&s->timing, "variant,seed,epoch,seconds,images_per_second\n");
    text_append(&s->metrics, "variant,seed,samples,sampling_steps,classifier,classifier_sha256,fid,kid,recognisable,"
                             "class_entropy,class_0,class_1,class_2,class_3,class_4,class_5,class_6,class_7,"
                             "class_8,class_9\n");
    struct text config = { 0 };
    text_append(&config, "%s", s->e->resolved);
    const int written = o->resume ? 0 : write_text(s->dir, "config.lua", &config, err, errlen);
    text_free(&config);
    return written || write_variants(s, err, errlen) || write_results(s, err, errlen) ? -1 : 0;
}

/* When the run started: its first session's time and the wall seconds of
 * the sessions before this one (a resume's, from meta.json), and this
 * session's start. */
struct run_clock {
    time_t first_started, session_started;
    double earlier_seconds;     /* of the sessions before this one */
    int sessions;               /* this one included */
    double start;               /* progress_clock() at this session's start */
};

/* A resumed run's clock carries on from its meta.json; a run without one
 * (it stopped before writing it) starts its count here. */
static void carry_on_clock(const char *dir, struct run_clock *clock)
{
    char path[1100], err[1024], *json = NULL;
    size_t size;
    time_t started;
    double seconds;
    int sessions;
    snprintf(path, sizeof path, "%s/meta.json", dir);
    if (read_text_file(path, &json, &size, err, sizeof err) == 0 &&
        run_meta_sessions(json, &started, &seconds, &sessions) == 0) {
        clock->first_started = started;
        clock->earlier_seconds = seconds;
        clock->sessions = sessions + 1;
    }
    free(json);
}

/* meta.json as the run stands: status running, complete, diverged,
 * interrupted or failed. */
static int write_meta(struct experiment_run *s, int argc, char **argv, int threads, const struct run_clock *clock,
                      const char *status)
{
    struct text command = { 0 };
    char err[1024], *arguments[argc > 0 ? argc : 1];
    int done = 0, kept = 0;
    for (int i = 0; i < argc; i++) /* what `ddim-lab resume` reruns: not the --resume itself */
        if (strcmp(argv[i], "--resume") == 0)
            i++;
        else
            arguments[kept++] = argv[i];
    for (int i = 0; i < s->rounds * s->e->variant_count; i++)
        done += s->entries[i].state == RUN_COMPLETE;
    text_append(&command, "ddim-lab");
    for (int i = 0; i < argc; i++)
        text_append(&command, " %s", argv[i]);
    const double wall_seconds = clock->earlier_seconds + progress_clock() - clock->start;
    const struct run_meta meta = { command.text, s->ctx->data_dir, threads, clock->first_started,
                                   clock->sessions > 1 ? clock->session_started : 0, wall_seconds, clock->sessions,
                                   done, s->rounds * s->e->variant_count, s->options->classifier,
                                   s->scorer.classifier_sha256, s->scorer.test_accuracy, s->data_digests, status,
                                   kept, arguments };
    const int failed = write_run_meta(s->dir, s->e, s->ctx->kernels, &meta, err, sizeof err);
    if (failed)
        fprintf(stderr, "ddim-lab: %s\n", err);
    text_free(&command);
    return failed;
}

/* The status word and exit status of run_all's result. */
static const char *outcome(int status, int *exit_status)
{
    *exit_status = status == 0 ? 0 : status == RUN_VARIANT_DIVERGED ? EXIT_DIVERGED
                                 : status == RUN_VARIANT_INTERRUPTED ? interrupt_exit_status() : 1;
    return status == 0 ? "complete" : status == RUN_VARIANT_DIVERGED ? "diverged"
           : status == RUN_VARIANT_INTERRUPTED ? "interrupted" : "failed";
}

int run_experiment(const struct context *ctx, int argc, char **argv)
{
    struct run_options o = { .out = "runs", .classifier = CLASSIFIER_DEFAULT_PATH };
    char err[1024];
    char *overrides[argc > 0 ? argc : 1];
    o.experiment.overrides = overrides;
    if (parse_options(argc, argv, &o, err, sizeof err)) {
        fprintf(stderr, "ddim-lab: %s (see ddim-lab --help)\n", err);
        return 2;
    }
#ifdef _OPENMP
    if (o.threads > 0)
        omp_set_num_threads(o.threads);
    const int threads = omp_get_max_threads();
#else
    const int threads = 1;
#endif
    struct experiment e;
    if (experiment_load(argv[0], &o.experiment, &e, err, sizeof err)) {
        fprintf(stderr, "ddim-lab: %s\n", err);
        return 2;
    }
    struct experiment_run s = { .ctx = ctx, .e = &e, .options = &o, .rounds = e.seed_count ? e.seed_count : 1 };
    const time_t now = time(NULL);
    struct run_clock clock = { .first_started = now, .session_started = now, .sessions = 1, .start = progress_clock() };
    int exit_status = 1, status = -1;
    s.entries = calloc((size_t)s.rounds * (size_t)e.variant_count, sizeof *s.entries);
    s.trained_as = calloc((size_t)e.variant_count, sizeof *s.trained_as);
    if (!s.entries || !s.trained_as || interrupt_install()) {
        snprintf(err, sizeof err, "out of memory, or the signal handlers cannot be installed");
        goto out;
    }
    find_shared_trainings(&s);
    if (prepare(&s, err, sizeof err) || open_run_directory(&s, err, sizeof err))
        goto out;
    if (o.resume) {
        carry_on_clock(s.dir, &clock);
        restore_entry_states(&s, &e);
    }
    if (write_meta(&s, argc, argv, threads, &clock, "running"))
        goto out;
    printf("experiment %s (%s): %d variant(s) x %d seed(s), kernels %s, %d thread(s), metrics by %s; %s %s\n",
           e.name, e.path, e.variant_count, s.rounds, ctx->kernels->isa, threads, o.classifier,
           o.resume ? "resuming" : "writing", s.dir);
    fflush(stdout);
    status = run_all(&s, &e, err, sizeof err);
out:;
    const char *word = outcome(status, &exit_status);
    if (status < 0)
        fprintf(stderr, "ddim-lab: %s\n", err);
    if (status == RUN_VARIANT_INTERRUPTED)
        fprintf(stderr, "ddim-lab: interrupted; `ddim-lab resume %s` goes on from here\n", s.dir);
    if (s.dir[0]) { /* also of a run that stopped: how far it got */
        if (status != -1 && write_results(&s, err, sizeof err)) {
            fprintf(stderr, "ddim-lab: %s\n", err);
            exit_status = exit_status ? exit_status : 1;
        }
        if (write_meta(&s, argc, argv, threads, &clock, word))
            exit_status = exit_status ? exit_status : 1;
    }
    if (status >= 0 && status != RUN_VARIANT_INTERRUPTED)
        printf("\nwrote %s/report.md\n", s.dir);
    mnist_free_dataset(&s.all);
    sample_scorer_free(&s.scorer);
    text_free(&s.results);
    text_free(&s.timing);
    text_free(&s.metrics);
    free(s.entries);
    free(s.trained_as);
    experiment_free(&e);
    return exit_status;
}
