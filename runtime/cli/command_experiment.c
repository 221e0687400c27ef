/* `ddim-lab EXPERIMENT.lua [flags] [key.path=value ...]`: trains every
 * variant of an experiment once per seed, samples from its best weights (or
 * its EMA), scores the samples with the MNIST classifier
 * (sample_metrics.h), and writes the run directory:
 *
 *   OUT/<experiment>/<UTC timestamp>/
 *     config.lua        the resolved config of every variant, an experiment file that reruns the run
 *     variants.csv      variant, reference, what it changes, parameters
 *     results.csv       variant, seed, epoch, losses   } deterministic: same seeds,
 *     metrics.csv       variant, seed, FID, KID, ...   } same files
 *     timing.csv        variant, seed, epoch, seconds, images/s
 *     report.md, loss_curves.png (report.h), meta.json (run_meta.h)
 *     <variant>/seed<N>/epoch_NN.png, samples.png, checkpoint.ddim
 *
 * Every file is written atomically, the CSVs and the report again after
 * each epoch or run, so an interrupted run keeps all it had finished. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "runtime/diffusion/checkpoint_model.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/run_checks.h"
#include "runtime/config/config.h"
#include "runtime/base/files.h"
#include "runtime/report/image_grid.h"
#include "runtime/base/mnist.h"
#include "runtime/base/progress.h"
#include "runtime/report/report.h"
#include "runtime/base/rng.h"
#include "runtime/report/run_meta.h"
#include "runtime/scoring/sample_scorer.h"
#include "runtime/base/text.h"
#include "runtime/diffusion/train.h"

struct run_options {
    struct experiment_options experiment;
    const char *out;
    const char *classifier;
    int threads;        /* 0: OpenMP's default, every core */
    struct run_checks checks;  /* --memory-limit, --allow-unverified-data */
};

/* What every (variant, seed) run of the experiment shares. */
struct run_state {
    const struct context *ctx;
    const struct experiment *e;
    const struct run_options *options;
    char dir[512];
    struct sample_scorer scorer;              /* the classifier and the test set's features */
    struct mnist_dataset all;                 /* train then test (mnist.h); the splits are views into it */
    struct mnist_file_digest data_digests[MNIST_FILE_COUNT]; /* for meta.json */
    struct text results, timing, metrics;
};

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
                   strcmp(arg, "--classifier") == 0) {
            if (!value) {
                snprintf(err, errlen, "option '%s' needs a value", arg);
                return -1;
            }
            i++;
            if (strcmp(arg, "--out") == 0) {
                o->out = value;
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

static int write_text(const char *dir, const char *name, const struct text *text, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (text->failed)
        return path_error(err, errlen, path, "out of memory");
    return write_file_atomic(path, text->text ? text->text : "", text->length, err, errlen);
}

/* The CSVs, then the report rebuilt from them (as `ddim-lab report` would). */
static int write_results(struct run_state *s, char *err, size_t errlen)
{
    struct report_data d;
    if (write_text(s->dir, "results.csv", &s->results, err, errlen) ||
        write_text(s->dir, "timing.csv", &s->timing, err, errlen) ||
        write_text(s->dir, "metrics.csv", &s->metrics, err, errlen) || report_load(s->dir, &d, err, errlen))
        return -1;
    int status = report_write(s->dir, &d, err, errlen);
    report_free(&d);
    return status;
}

/* A CSV field: quoted, with quotes doubled, when it holds a comma or quote. */
static void append_csv_field(struct text *t, const char *field)
{
    if (!strpbrk(field, ",\"\n")) {
        text_append(t, "%s", field);
        return;
    }
    text_append(t, "\"");
    for (const char *c = field; *c; c++)
        text_append(t, *c == '"' ? "\"\"" : "%c", *c);
    text_append(t, "\"");
}

static int write_variants(struct run_state *s, char *err, size_t errlen)
{
    struct text t = { 0 };
    text_append(&t, "experiment,variant,reference,samples_from,parameters,changes\n");
    for (int i = 0; i < s->e->variant_count; i++) {
        const struct variant *v = &s->e->variants[i];
        text_append(&t, "%s,%s,%s,%s,%zu,", s->e->name, v->name, v->reference, v->train.ema > 0 ? "ema" : "best",
                    v->graph.param_floats);
        append_csv_field(&t, v->changes);
        text_append(&t, "\n");
    }
    int status = write_text(s->dir, "variants.csv", &t, err, errlen);
    text_free(&t);
    return status;
}

static void append_metrics(struct text *t, const char *variant, uint64_t seed, int steps, const char *classifier,
                           const char *sha256, const struct sample_scores *m)
{
    text_append(t, "%s,%llu,%ld,%d,", variant, (unsigned long long)seed, m->count, steps);
    append_csv_field(t, classifier);
    text_append(t, ",%s,%.6f,%.6f,%.6f,%.6f", sha256, m->fid, m->kid, m->recognisable, m->class_entropy);
    for (int c = 0; c < METRIC_CLASSES; c++)
        text_append(t, ",%.6f", m->class_share[c]);
    text_append(t, "\n");
}

/* The data floor at seed: count training digits drawn without replacement
 * (a partial Fisher-Yates from the seed), scored as samples are. */
static int score_data_floor(struct run_state *s, uint64_t seed, long count, char *err, size_t errlen)
{
    long *order = malloc(MNIST_TRAIN_COUNT * sizeof *order);
    float *images = malloc((size_t)count * MNIST_IMAGE_PIXELS * sizeof *images);
    int status = -1;
    if (!order || !images || count > MNIST_TRAIN_COUNT) {
        snprintf(err, errlen, "the data floor: out of memory for %ld digits", count);
        goto done;
    }
    for (long i = 0; i < MNIST_TRAIN_COUNT; i++)
        order[i] = i;
    for (long i = 0; i < count; i++) {
        long j = i + (long)(rng_bits(seed, RNG_DATA_FLOOR, 0, (uint64_t)i) % (uint64_t)(MNIST_TRAIN_COUNT - i));
        long swap = order[i];
        order[i] = order[j];
        order[j] = swap;
        for (int p = 0; p < MNIST_IMAGE_PIXELS; p++)
            images[(size_t)i * MNIST_IMAGE_PIXELS + p] =
                s->all.pixels[(size_t)order[i] * MNIST_IMAGE_PIXELS + p] * MNIST_PIXEL_SCALE;
    }
    struct sample_scores scores;
    if (score_images(&s->scorer.classifier, &s->scorer.test_reference, images, count, &scores, err, errlen))
        goto done;
    append_metrics(&s->metrics, REPORT_FLOOR, seed, 0, s->options->classifier, s->scorer.classifier_sha256,
                   &scores);
    printf("data floor, seed %llu: FID %.2f  KID %.4f  recognisable %.1f%%  class entropy %.2f bits\n",
           (unsigned long long)seed, scores.fid, scores.kid, 100 * scores.recognisable, scores.class_entropy);
    fflush(stdout);
    status = 0;
done:
    free(order);
    free(images);
    return status;
}

/* The grid of the first grid x grid of the available samples (fewer when
 * fewer are drawn: sample.metric_samples may be below grid^2). */
static int write_grid(const char *dir, const char *file, const struct variant *v, const float *samples,
                      long available, char *err, size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    long count = (long)v->sample.grid * v->sample.grid;
    if (count > SAMPLE_BATCH)
        count = SAMPLE_BATCH;
    if (count > available)
        count = available;
    return write_sample_grid_png(path, samples, (int)count, MNIST_SIDE, MNIST_SIDE, v->sample.grid,
                                 v->sample.scale, err, errlen);
}

/* The guide's weights among the kept epochs' (param_floats each, from
 * epoch 1), or NULL when v has no diffusion.guide_epoch. */
static const float *guide_weights(const struct variant *v, const float *epoch_weights, size_t param_floats)
{
    const int epoch = v->diffusion.guide_epoch;
    return epoch > 0 ? epoch_weights + (size_t)(epoch - 1) * param_floats : NULL;
}

/* Trains variant v at its train.seed, then samples and scores it. */
static int run_variant(struct run_state *s, struct variant *v, char *err, size_t errlen)
{
    const struct mnist_dataset train_set = variant_training_set(v, &s->all);
    const long count = (long)train_set.count;
    const int model_nodes = v->graph.count;
    const unsigned long long seed = (unsigned long long)v->train.seed;
    const long scored = v->sample.metric_samples;
    struct trainer t = { 0 };
    float *best = NULL, *samples = NULL, *batch = NULL;
    /* With diffusion.guide_epoch: the sampled weights at the end of every
     * epoch before the last, the guide's among them (eval may pick another). */
    float *epoch_weights = NULL;
    const int kept_epochs = v->diffusion.guide_epoch > 0 ? v->train.epochs - 1 : 0;
    int status = -1;
    char subdir[1024];
    snprintf(subdir, sizeof subdir, "%s/%s/seed%llu", s->dir, v->name, seed);
    if (make_directories(subdir, err, errlen) ||
        trainer_create(&t, v, s->ctx->kernels, train_set.pixels, count, SAMPLE_BATCH, err, errlen))
        goto done;
    best = malloc(t.param_floats * sizeof(float));
    samples = malloc((size_t)scored * MNIST_IMAGE_PIXELS * sizeof(float));
    batch = malloc((size_t)SAMPLE_BATCH * MNIST_IMAGE_PIXELS * sizeof(float));
    if (kept_epochs)
        epoch_weights = malloc((size_t)kept_epochs * t.param_floats * sizeof(float));
    if (!best || !samples || !batch || (kept_epochs && !epoch_weights)) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    double best_loss = INFINITY;
    int best_epoch = 0, epochs = 0;
    struct progress progress;
    char label[96];
    snprintf(label, sizeof label, "%s seed %llu", v->name, seed);
    progress_start(&progress, stderr, label, v->train.epochs, (int)(count / v->train.batch_size),
                   v->train.batch_size, progress_clock());
    for (int epoch = 0; epoch < v->train.epochs; epoch++) {
        struct epoch_result er;
        if (trainer_epoch(&t, epoch, &progress, &er, err, errlen)) {
            progress_clear(&progress);
            goto done;
        }
        progress_epoch_end(&progress, epoch + 1, er.noise_loss, er.image_loss, er.seconds);
        epochs = epoch + 1;
        /* The seed's checkpoint: the weights of the best epoch noise loss. */
        if (er.noise_loss < best_loss) {
            best_loss = er.noise_loss;
            best_epoch = epoch + 1;
            memcpy(best, t.params, t.param_floats * sizeof(float));
        }
        text_append(&s->results, "%s,%llu,%d,%.6f,%.6f,%.6f\n", v->name, seed, epoch + 1, er.noise_loss,
                    er.image_loss, best_loss);
        text_append(&s->timing, "%s,%llu,%d,%.3f,%.1f\n", v->name, seed, epoch + 1, er.seconds,
                    er.seconds > 0 ? (double)er.images / er.seconds : 0.0);
        const float *sampled = t.ema ? t.ema : t.params;
        if (epoch < kept_epochs)
            memcpy(epoch_weights + (size_t)epoch * t.param_floats, sampled, t.param_floats * sizeof(float));
        const float *guide = epochs > v->diffusion.guide_epoch ? guide_weights(v, epoch_weights, t.param_floats)
                                                               : NULL;
        char name[32];
        snprintf(name, sizeof name, "epoch_%02d.png", epoch + 1);
        trainer_sample(&t, sampled, guide, 0, batch);
        if (write_results(s, err, errlen) || write_grid(subdir, name, v, batch, SAMPLE_BATCH, err, errlen))
            goto done;
    }
    /* The samples scored: from the EMA of the weights when the variant keeps
     * one (as the Keras example samples), else from the best epoch's. */
    draw_samples(&t, t.ema ? t.ema : best, guide_weights(v, epoch_weights, t.param_floats), scored, samples, batch);
    struct sample_scores scores;
    if (score_images(&s->scorer.classifier, &s->scorer.test_reference, samples, scored, &scores, err, errlen))
        goto done;
    append_metrics(&s->metrics, v->name, v->train.seed, v->diffusion.steps, s->options->classifier,
                   s->scorer.classifier_sha256, &scores);
    printf("%s, seed %llu: noise loss %.4f  FID %.2f  KID %.4f  recognisable %.1f%%  class entropy %.2f bits\n",
           v->name, seed, best_loss, scores.fid, scores.kid, 100 * scores.recognisable, scores.class_entropy);
    fflush(stdout);
    const double counters[4] = { (double)t.step, epochs, best_epoch, best_loss };
    status = write_grid(subdir, "samples.png", v, samples, scored, err, errlen) ||
                     save_run_checkpoint(subdir, s->e, &s->options->experiment, &t, best, epoch_weights, kept_epochs,
                                         counters, err, errlen) ||
                     write_results(s, err, errlen)
                 ? -1
                 : 0;
done:
    free(best);
    free(epoch_weights);
    free(samples);
    free(batch);
    trainer_free(&t);
    graph_truncate(&v->graph, model_nodes); /* the next seed's trainer starts from the model */
    return status;
}

/* Checks the run (run_checks.h), then loads the classifier, the test set's
 * features and the data: all before the run directory exists. */
static int prepare(struct run_state *s, char *err, size_t errlen)
{
    return run_checks(s->e, s->ctx->data_dir, &s->options->checks, s->data_digests, err, errlen) ||
                   sample_scorer_load(&s->scorer, s->options->classifier, s->ctx->kernels, s->ctx->data_dir, err,
                                      errlen) ||
                   mnist_load_dataset(s->ctx->data_dir, "all", &s->all, err, errlen)
               ? -1
               : 0;
}

/* Every variant at every seed (seed by seed, so that an interrupted run has
 * whole seeds); returns how many runs finished in *done. */
static int run_all(struct run_state *s, struct experiment *e, int *done, char *err, size_t errlen)
{
    const int seed_rounds = e->seed_count ? e->seed_count : 1;
    for (int round = 0; round < seed_rounds; round++) {
        const uint64_t floor_seed = e->seed_count ? e->seeds[round] : e->variants[0].train.seed;
        if (score_data_floor(s, floor_seed, e->variants[0].sample.metric_samples, err, errlen))
            return -1;
        for (int i = 0; i < e->variant_count; i++) {
            struct variant *v = &e->variants[i];
            if (e->seed_count)
                v->train.seed = e->seeds[round];
            if (run_variant(s, v, err, errlen))
                return -1;
            ++*done;
        }
    }
    return 0;
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
    struct run_state s = { .ctx = ctx, .e = &e, .options = &o };
    struct text command = { 0 };
    const time_t started = time(NULL);
    const double start = progress_clock();
    const int runs_total = e.variant_count * (e.seed_count ? e.seed_count : 1);
    int status = 1, done = 0;
    if (prepare(&s, err, sizeof err) || make_run_directory(o.out, e.name, s.dir, sizeof s.dir, err, sizeof err))
        goto out;
    text_append(&s.results, "variant,seed,epoch,noise_loss,image_loss,best_noise_loss\n");
    text_append(&s.timing, "variant,seed,epoch,seconds,images_per_second\n");
    text_append(&s.metrics, "variant,seed,samples,sampling_steps,classifier,classifier_sha256,fid,kid,recognisable,"
                            "class_entropy,class_0,class_1,class_2,class_3,class_4,class_5,class_6,class_7,"
                            "class_8,class_9\n");
    struct text config = { 0 };
    text_append(&config, "%s", e.resolved);
    const int written = write_text(s.dir, "config.lua", &config, err, sizeof err);
    text_free(&config);
    if (written || write_variants(&s, err, sizeof err))
        goto out;
    printf("experiment %s (%s): %d variant(s) x %d seed(s), kernels %s, %d thread(s), metrics by %s; writing %s\n",
           e.name, e.path, e.variant_count, e.seed_count ? e.seed_count : 1, ctx->kernels->isa, threads,
           o.classifier, s.dir);
    fflush(stdout);
    if (run_all(&s, &e, &done, err, sizeof err) == 0) {
        status = 0;
        printf("\nwrote %s/report.md\n", s.dir);
    }
out:
    if (status)
        fprintf(stderr, "ddim-lab: %s\n", err);
    if (s.dir[0]) { /* meta.json, also of a run that stopped: how far it got */
        char meta_err[1024];
        text_append(&command, "ddim-lab");
        for (int i = 0; i < argc; i++)
            text_append(&command, " %s", argv[i]);
        const struct run_meta meta = { command.text, ctx->data_dir, threads, started, progress_clock() - start,
                                       done, runs_total, o.classifier, s.scorer.classifier_sha256,
                                       s.data_digests };
        if (write_run_meta(s.dir, &e, ctx->kernels, &meta, meta_err, sizeof meta_err)) {
            fprintf(stderr, "ddim-lab: %s\n", meta_err);
            status = 1;
        }
    }
    mnist_free_dataset(&s.all);
    sample_scorer_free(&s.scorer);
    text_free(&s.results);
    text_free(&s.timing);
    text_free(&s.metrics);
    text_free(&command);
    experiment_free(&e);
    return status;
}
