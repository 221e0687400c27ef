/* `ddim-lab EXPERIMENT.lua [flags] [key.path=value ...]`: trains every
 * variant of an experiment, samples from its best weights, measures the
 * samples, and writes the run directory:
 *
 *   OUT/<experiment>/<UTC timestamp>/
 *     config.lua        the resolved config of every variant
 *     results.csv       variant, epoch, losses (deterministic: same seed, same file)
 *     timing.csv        variant, epoch, seconds, images/s
 *     report.md         the table and the pictures
 *     <variant>/epoch_NN.png, samples.png, checkpoint.ddim
 *
 * Every file is written atomically, and results.csv again after each epoch,
 * so an interrupted run keeps all it had finished. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "checkpoint.h"
#include "commands.h"
#include "config.h"
#include "files.h"
#include "image_grid.h"
#include "mnist.h"
#include "nearest_digit.h"
#include "progress.h"
#include "run_meta.h"
#include "train.h"

#define METRIC_SAMPLES 256  /* samples measured per variant: 4 batches of 64 */
#define SAMPLE_BATCH 64

struct run_options {
    struct experiment_options experiment;
    const char *out;
    int threads;        /* 0: OpenMP's default, every core */
};

struct variant_result {
    int epochs_done;
    double final_noise_loss, final_image_loss, best_noise_loss;
    int best_epoch;
    double seconds;
    long images;
    size_t params;
    struct digit_likeness likeness;
};

/* A growing string: the CSV files (rewritten whole after every epoch), the
 * table and the report. */
struct text { char *text; size_t length, capacity; };

static void text_append(struct text *csv, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void text_append(struct text *csv, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int need = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (csv->length + (size_t)need + 1 > csv->capacity) {
        size_t capacity = (csv->capacity + (size_t)need + 1) * 2;
        char *text = realloc(csv->text, capacity);
        if (!text)
            return;
        csv->text = text;
        csv->capacity = capacity;
    }
    va_start(args, format);
    vsnprintf(csv->text + csv->length, csv->capacity - csv->length, format, args);
    va_end(args);
    csv->length += (size_t)need;
}

static int parse_options(int argc, char **argv, struct run_options *o, char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--quick") == 0) {
            o->experiment.quick = 1;
        } else if (strcmp(arg, "--out") == 0 || strcmp(arg, "--variant") == 0 || strcmp(arg, "--seed") == 0 ||
                   strcmp(arg, "--threads") == 0) {
            if (!value) {
                snprintf(err, errlen, "option '%s' needs a value", arg);
                return -1;
            }
            i++;
            char *end;
            if (strcmp(arg, "--out") == 0) {
                o->out = value;
            } else if (strcmp(arg, "--variant") == 0) {
                o->experiment.variant = value;
            } else if (strcmp(arg, "--seed") == 0) {
                errno = 0;
                o->experiment.seed = strtoull(value, &end, 10);
                o->experiment.has_seed = 1;
                if (errno || *end || value[0] == '-') {
                    snprintf(err, errlen, "--seed takes a non-negative integer, got '%s'", value);
                    return -1;
                }
            } else {
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

/* OUT/<name>/<UTC time>, with -2, -3... if two runs start in one second. */
static int make_run_directory(const char *out, const char *name, char *dir, size_t size, char *err, size_t errlen)
{
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", gmtime(&now));
    for (int attempt = 1; attempt < 100; attempt++) {
        int length = attempt == 1 ? snprintf(dir, size, "%s/%s/%s", out, name, stamp)
                                  : snprintf(dir, size, "%s/%s/%s-%d", out, name, stamp, attempt);
        if (length < 0 || (size_t)length >= size) {
            snprintf(err, errlen, "%s: the run directory's path is too long", out);
            return -1;
        }
        struct stat st;
        if (stat(dir, &st) != 0)
            return make_directories(dir, err, errlen);
    }
    snprintf(err, errlen, "%s/%s: too many runs started in one second", out, name);
    return -1;
}

static int write_text(const char *dir, const char *name, const char *text, size_t length, char *err,
                      size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return write_file_atomic(path, text, length, err, errlen);
}

static int write_grid(const char *dir, const char *variant, const char *file, const struct variant *v,
                      const float *samples, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", dir, variant, file);
    int count = v->sample.grid * v->sample.grid;
    return write_sample_grid_png(path, samples, count < SAMPLE_BATCH ? count : SAMPLE_BATCH, MNIST_SIDE,
                                 MNIST_SIDE, v->sample.grid, v->sample.scale, err, errlen);
}

static int save_checkpoint(const char *dir, const struct experiment *e, const struct trainer *t,
                           const float *best, const struct variant_result *r, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/checkpoint.ddim", dir, t->variant->name);
    const size_t bytes = t->param_floats * sizeof(float);
    const double counters[4] = { (double)t->step, r->epochs_done, r->best_epoch, r->best_noise_loss };
    struct checkpoint_section sections[8] = {
        { "config", e->resolved, strlen(e->resolved) },
        { "variant", t->variant->name, strlen(t->variant->name) },
        { "params_best", best, bytes },
        { "params", t->params, bytes },
        { "adam_m", t->adam_m, bytes },
        { "adam_v", t->adam_v, bytes },
        { "counters", counters, sizeof counters }, /* step, epochs, best epoch, best loss */
        { "params_ema", t->ema, bytes },           /* what the samples came from, when train.ema > 0 */
    };
    return checkpoint_write(path, sections, t->ema ? 8 : 7, err, errlen);
}

/* The table, as markdown (stdout and report.md show the same lines). */
static void format_table(struct text *out, const struct experiment *e, const struct variant_result *results,
                         int done, const struct digit_likeness *floor, double threshold)
{
    text_append(out, "| variant | parameters | noise loss (last epoch) | best noise loss (epoch) | image loss (last) "
                     "| nearest-digit RMS distance | digit-like (<= %.3f) | labels covered | training s | images/s |\n"
                     "|---|---|---|---|---|---|---|---|---|---|\n", threshold);
    for (int i = 0; i < done; i++) {
        const struct variant_result *r = &results[i];
        text_append(out, "| %s | %zu | %.4f | %.4f (%d) | %.4f | %.3f | %.0f%% | %d/10 | %.1f | %.0f |\n",
                    e->variants[i].name, r->params, r->final_noise_loss, r->best_noise_loss, r->best_epoch,
                    r->final_image_loss, r->likeness.rms_distance, 100 * r->likeness.digit_like,
                    r->likeness.labels_covered, r->seconds, r->seconds > 0 ? (double)r->images / r->seconds : 0.0);
    }
    text_append(out, "| real MNIST training digits (the floor) | | | | | %.3f | %.0f%% | %d/10 | | |\n",
                floor->rms_distance, 100 * floor->digit_like, floor->labels_covered);
}

/* The data a variant trains on (loaded once per data set) and the test
 * digits the samples are compared with. */
struct data {
    struct mnist_dataset sets[3];   /* "all", loaded on demand; "train" and "test", views into it */
};

static const struct mnist_dataset *dataset(struct data *d, const char *data_dir, const char *split, char *err,
                                           size_t errlen)
{
    /* "all" is train then test (mnist.h): load it once, and the two
     * splits are views into it. */
    static const char *const names[3] = { "all", "train", "test" };
    for (int i = 0; i < 3; i++)
        if (strcmp(names[i], split) == 0) {
            if (!d->sets[0].pixels && mnist_load_dataset(data_dir, "all", &d->sets[0], err, errlen))
                return NULL;
            const size_t first = i == 2 ? MNIST_TRAIN_COUNT : 0;
            const size_t count = i == 0 ? d->sets[0].count : i == 1 ? MNIST_TRAIN_COUNT : MNIST_TEST_COUNT;
            d->sets[i] = (struct mnist_dataset){ count, d->sets[0].pixels + first * MNIST_IMAGE_PIXELS,
                                                 d->sets[0].labels + first };
            return &d->sets[i];
        }
    snprintf(err, errlen, "unknown data set '%s'", split);
    return NULL;
}

static int train_variant(const struct context *ctx, const struct experiment *e, struct variant *v,
                         const struct mnist_dataset *train_set, const struct mnist_dataset *test_set,
                         double digit_threshold, const char *dir,
                         struct text *results, struct text *timing, struct variant_result *r, char *err, size_t errlen)
{
    long count = v->train.max_images > 0 && v->train.max_images < (long)train_set->count ? v->train.max_images
                                                                                          : (long)train_set->count;
    struct trainer t = { 0 };
    float *best = NULL, *samples = NULL;
    int status = -1;
    char subdir[1024];
    snprintf(subdir, sizeof subdir, "%s/%s", dir, v->name);
    if (make_directories(subdir, err, errlen) ||
        trainer_create(&t, v, ctx->kernels, train_set->pixels, count, SAMPLE_BATCH, err, errlen))
        goto done;
    best = malloc(t.param_floats * sizeof(float));
    samples = malloc((size_t)METRIC_SAMPLES * MNIST_IMAGE_PIXELS * sizeof(float));
    if (!best || !samples) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    memset(r, 0, sizeof *r);
    r->params = t.param_floats;
    struct progress progress;
    progress_start(&progress, stderr, v->name, v->train.epochs, (int)(count / v->train.batch_size),
                   v->train.batch_size, progress_clock());
    for (int epoch = 0; epoch < v->train.epochs; epoch++) {
        struct epoch_result er;
        if (trainer_epoch(&t, epoch, &progress, &er, err, errlen)) {
            progress_clear(&progress);
            goto done;
        }
        progress_epoch_end(&progress, epoch + 1, er.noise_loss, er.image_loss, er.seconds);
        r->epochs_done = epoch + 1;
        r->final_noise_loss = er.noise_loss;
        r->final_image_loss = er.image_loss;
        r->seconds += er.seconds;
        r->images += er.images;
        /* The seed's checkpoint: the weights of the best epoch noise loss. */
        if (epoch == 0 || er.noise_loss < r->best_noise_loss) {
            r->best_noise_loss = er.noise_loss;
            r->best_epoch = epoch + 1;
            memcpy(best, t.params, t.param_floats * sizeof(float));
        }
        text_append(results, "%s,%d,%.6f,%.6f,%.6f\n", v->name, epoch + 1, er.noise_loss, er.image_loss,
                   r->best_noise_loss);
        text_append(timing, "%s,%d,%.3f,%.1f\n", v->name, epoch + 1, er.seconds,
                   er.seconds > 0 ? (double)er.images / er.seconds : 0.0);
        char name[32];
        snprintf(name, sizeof name, "epoch_%02d.png", epoch + 1);
        trainer_sample(&t, t.ema ? t.ema : t.params, 0, samples);
        if (write_text(dir, "results.csv", results->text, results->length, err, errlen) ||
            write_text(dir, "timing.csv", timing->text, timing->length, err, errlen) ||
            write_grid(dir, v->name, name, v, samples, err, errlen))
            goto done;
    }
    /* The samples measured: from the EMA of the weights when the variant
     * keeps one (as the Keras example samples), else from the best epoch's. */
    for (int set = 0; set < METRIC_SAMPLES / SAMPLE_BATCH; set++)
        trainer_sample(&t, t.ema ? t.ema : best, (uint64_t)set,
                       samples + (size_t)set * SAMPLE_BATCH * MNIST_IMAGE_PIXELS);
    if (nearest_digits(ctx->kernels, samples, METRIC_SAMPLES, test_set->pixels, test_set->labels,
                       (long)test_set->count, digit_threshold, &r->likeness, NULL)) {
        snprintf(err, errlen, "out of memory measuring the samples");
        goto done;
    }
    status = write_grid(dir, v->name, "samples.png", v, samples, err, errlen) ||
                     save_checkpoint(dir, e, &t, best, r, err, errlen)
                 ? -1
                 : 0;
done:
    free(best);
    free(samples);
    trainer_free(&t);
    return status;
}

int run_experiment(const struct context *ctx, int argc, char **argv)
{
    struct run_options o = { .out = "runs", .threads = 0 };
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
    struct data data = { 0 };
    struct variant_result *results = calloc((size_t)e.variant_count, sizeof *results);
    struct text csv = { 0 }, timing = { 0 }, table = { 0 }, command = { 0 };
    float *real_digits = NULL;          /* the first METRIC_SAMPLES training digits, as values */
    const time_t started = time(NULL);
    const double start = progress_clock();
    char dir[512] = "";
    int status = 1, done = 0;
    const struct mnist_dataset *test_set = dataset(&data, ctx->data_dir, "test", err, sizeof err);
    if (!results || !test_set || make_run_directory(o.out, e.name, dir, sizeof dir, err, sizeof err) ||
        write_text(dir, "config.lua", e.resolved, strlen(e.resolved), err, sizeof err))
        goto out;
    text_append(&csv, "variant,epoch,noise_loss,image_loss,best_noise_loss\n");
    text_append(&timing, "variant,epoch,seconds,images_per_second\n");
    printf("experiment %s (%s): %d variant(s), kernels %s, %d thread(s); writing %s\n", e.name, e.path,
           e.variant_count, ctx->kernels->isa, threads, dir);
    fflush(stdout);

    /* The floor: real training digits measured like the samples. */
    struct digit_likeness floor;
    double digit_threshold;
    const struct mnist_dataset *train_digits = dataset(&data, ctx->data_dir, "train", err, sizeof err);
    /* First the threshold (the real digits' 95th percentile), then the
     * floor's figures against it, measured as the samples will be. */
    if (!train_digits)
        goto out;
    real_digits = malloc((size_t)METRIC_SAMPLES * MNIST_IMAGE_PIXELS * sizeof(float));
    for (size_t i = 0; real_digits && i < (size_t)METRIC_SAMPLES * MNIST_IMAGE_PIXELS; i++)
        real_digits[i] = train_digits->pixels[i] * MNIST_PIXEL_SCALE;
    if (!real_digits ||
        nearest_digits(ctx->kernels, real_digits, METRIC_SAMPLES, test_set->pixels, test_set->labels,
                       (long)test_set->count, INFINITY, &floor, &digit_threshold) ||
        nearest_digits(ctx->kernels, real_digits, METRIC_SAMPLES, test_set->pixels, test_set->labels,
                       (long)test_set->count, digit_threshold, &floor, NULL)) {
        snprintf(err, sizeof err, "out of memory measuring real digits");
        goto out;
    }
    for (; done < e.variant_count; done++) {
        struct variant *v = &e.variants[done];
        const struct mnist_dataset *train_set = dataset(&data, ctx->data_dir, v->train.dataset, err, sizeof err);
        if (!train_set ||
            train_variant(ctx, &e, v, train_set, test_set, digit_threshold, dir, &csv, &timing, &results[done], err,
                          sizeof err))
            goto out;
        table.length = 0;
        format_table(&table, &e, results, done + 1, &floor, digit_threshold);
        printf("\n%s", table.text);
        fflush(stdout);
    }
    struct text report = { 0 };
    text_append(&report, "# %s\n\nExperiment `%s`, kernels %s, %d thread(s), run directory `%s`. Resolved "
                         "config: [config.lua](config.lua); per-epoch losses: [results.csv](results.csv); what "
                         "built and ran it (commit, compiler, libraries, CPU, config hash, seeds): "
                         "[meta.json](meta.json). The same config and seeds on the same kernel ISA give the "
                         "same results.csv to the last digit, on any number of threads.\n\n",
               e.name, e.path, ctx->kernels->isa, threads, dir);
    text_append(&report, "%s\nNearest-digit RMS distance: per-pixel RMS distance from each of %d samples (clipped "
                         "to [0, 1]) to its nearest MNIST test digit. Digit-like: the share of samples at most as "
                         "far from a test digit as 95%% of %d real training digits are. Labels covered: how many "
                         "digit labels those nearest neighbours have (noise covers many; a collapsed model few). "
                         "Real digits give the floor.\n\n",
                table.text, METRIC_SAMPLES, METRIC_SAMPLES);
    for (int i = 0; i < e.variant_count; i++)
        text_append(&report, "## %s\n\nSamples from %s (left: clipped to [0, 1]; right: each "
                            "image scaled to its own min..max):\n\n![%s samples](%s/samples.png)\n\n",
                   e.variants[i].name,
                   e.variants[i].train.ema > 0 ? "the EMA of the weights" : "the best epoch's weights",
                   e.variants[i].name, e.variants[i].name);
    status = write_text(dir, "report.md", report.text, report.length, err, sizeof err) ? 1 : 0;
    free(report.text);
    if (status == 0)
        printf("\nwrote %s/report.md\n", dir);
out:
    if (status)
        fprintf(stderr, "ddim-lab: %s\n", err);
    if (dir[0]) { /* meta.json, also of a run that stopped: how far it got */
        char meta_err[1024];
        text_append(&command, "ddim-lab");
        for (int i = 0; i < argc; i++)
            text_append(&command, " %s", argv[i]);
        const struct run_meta meta = { command.text, ctx->data_dir, threads, started, progress_clock() - start,
                                       done };
        if (write_run_meta(dir, &e, ctx->kernels, &meta, meta_err, sizeof meta_err)) {
            fprintf(stderr, "ddim-lab: %s\n", meta_err);
            status = 1;
        }
    }
    mnist_free_dataset(&data.sets[0]); /* the others are views into it */
    free(csv.text);
    free(timing.text);
    free(table.text);
    free(command.text);
    free(results);
    free(real_digits);
    experiment_free(&e);
    return status;
}
