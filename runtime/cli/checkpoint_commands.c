/* `ddim-lab sample CHECKPOINT` and `ddim-lab eval CHECKPOINT`: the samples of
 * any checkpoint a run saved (checkpoint_model.h), as a PNG grid or scored
 * as the run scores them. With the same checkpoint, number of samples and
 * steps, eval draws the samples the run drew and prints the figures it
 * wrote into metrics.csv, to the same digits. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/diffusion/checkpoint_model.h"
#include "runtime/cli/commands.h"
#include "runtime/report/image_grid.h"
#include "runtime/scoring/sample_scorer.h"

#define SAMPLE_DEFAULT_COUNT 64
#define SAMPLE_MAX_COUNT 4096     /* a 64 x 64 grid, the largest sample.grid */
#define EVAL_DEFAULT_COUNT 2000
#define EVAL_MAX_COUNT 1000000    /* as sample.metric_samples */

struct options {
    const char *checkpoint;
    long count;                   /* samples to draw */
    struct checkpoint_model_options model;
    const char *out;              /* sample's PNG */
    const char *classifier;       /* eval's */
};

/* A whole number from min to max into *value, else a line in err. */
static int parse_count(const char *name, const char *text, long min, long max, long *value, char *err,
                       size_t errlen)
{
    char *end;
    errno = 0;
    *value = strtol(text, &end, 10);
    if (errno || end == text || *end || *value < min || *value > max) {
        snprintf(err, errlen, "%s takes a whole number from %ld to %ld, got '%s'", name, min, max, text);
        return -1;
    }
    return 0;
}

/* The options of command ("sample" or "eval"): argv are its arguments. */
static int parse_options(const char *command, int argc, char **argv, struct options *o, char *err, size_t errlen)
{
    const int eval = strcmp(command, "eval") == 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (arg[0] != '-') {
            if (o->checkpoint) {
                snprintf(err, errlen, "%s takes one checkpoint, got '%s' and '%s'", command, o->checkpoint, arg);
                return -1;
            }
            o->checkpoint = arg;
            continue;
        }
        const char *own = eval ? "--classifier" : "-o";
        if (strcmp(arg, "-n") != 0 && strcmp(arg, "--steps") != 0 && strcmp(arg, "--eta") != 0 &&
            strcmp(arg, "--weights") != 0 && strcmp(arg, "--guidance") != 0 && strcmp(arg, "--guide-epoch") != 0 &&
            strcmp(arg, "--experiment") != 0 && strcmp(arg, own) != 0) {
            snprintf(err, errlen, "%s: unknown option '%s'", command, arg);
            return -1;
        }
        if (!value) {
            snprintf(err, errlen, "option '%s' needs a value", arg);
            return -1;
        }
        i++;
        long steps;
        if (strcmp(arg, "-n") == 0) {
            if (parse_count("-n", value, eval ? 2 : 1, eval ? EVAL_MAX_COUNT : SAMPLE_MAX_COUNT, &o->count, err,
                            errlen))
                return -1;
        } else if (strcmp(arg, "--steps") == 0) {
            if (parse_count("--steps", value, 1, INT_MAX, &steps, err, errlen))
                return -1;
            o->model.steps = (int)steps;
        } else if (strcmp(arg, "--eta") == 0) {
            char *end;
            o->model.eta = strtod(value, &end);
            if (end == value || *end || !(o->model.eta >= 0 && o->model.eta <= 1)) {
                snprintf(err, errlen, "--eta takes a number from 0 to 1, got '%s'", value);
                return -1;
            }
        } else if (strcmp(arg, "--guidance") == 0) {
            char *end;
            o->model.guidance = strtod(value, &end);
            if (end == value || *end || !(o->model.guidance >= 0 && o->model.guidance <= 10)) {
                snprintf(err, errlen, "--guidance takes a number from 0 to 10, got '%s'", value);
                return -1;
            }
        } else if (strcmp(arg, "--guide-epoch") == 0) {
            if (parse_count("--guide-epoch", value, 1, INT_MAX, &steps, err, errlen))
                return -1;
            o->model.guide_epoch = (int)steps;
        } else if (strcmp(arg, "--weights") == 0) {
            if (strcmp(value, "ema") != 0 && strcmp(value, "best") != 0 && strcmp(value, "last") != 0) {
                snprintf(err, errlen, "--weights takes ema, best or last, got '%s'", value);
                return -1;
            }
            o->model.weights = value;
        } else if (strcmp(arg, "--experiment") == 0) {
            o->model.experiment = value;
        } else if (eval) {
            o->classifier = value;
        } else {
            o->out = value;
        }
    }
    if (!o->checkpoint) {
        snprintf(err, errlen, "%s takes a run's checkpoint, e.g. ddim-lab %s runs/skip_vs_noskip/<time>/skip/seed1/"
                 "checkpoint.ddim", command, command);
        return -1;
    }
    return 0;
}

/* Parses the options and rebuilds the model; returns the exit status
 * (0 when the model is ready). */
static int open_model(const struct context *ctx, const char *command, int argc, char **argv, struct options *o,
                      struct checkpoint_model *m)
{
    char err[1024];
    if (parse_options(command, argc, argv, o, err, sizeof err)) {
        fprintf(stderr, "ddim-lab: %s (see ddim-lab --help)\n", err);
        return 2;
    }
    if (checkpoint_model_load(m, o->checkpoint, &o->model, ctx->kernels, ctx->data_dir, err, sizeof err)) {
        fprintf(stderr, "ddim-lab: %s\n", err);
        return 1;
    }
    return 0;
}

/* "20 steps", or with fresh noise "100 steps, eta 1", or guided "100 steps,
 * eta 1, guidance 2 by epoch 1". */
static const char *sampler_words(const struct variant *v, char *out, size_t size)
{
    int used = snprintf(out, size, "%d steps", v->diffusion.steps);
    if (v->diffusion.eta > 0)
        used += snprintf(out + used, size - (size_t)used, ", eta %g", v->diffusion.eta);
    if (v->diffusion.guidance != 1)
        snprintf(out + used, size - (size_t)used, ", guidance %g by epoch %d", v->diffusion.guidance,
                 v->diffusion.guide_epoch);
    return out;
}

/* count samples from m, or NULL (out of memory). */
static float *draw(struct checkpoint_model *m, long count)
{
    float *samples = malloc((size_t)count * MNIST_IMAGE_PIXELS * sizeof *samples);
    float *batch = malloc((size_t)SAMPLE_BATCH * MNIST_IMAGE_PIXELS * sizeof *batch);
    if (samples && batch) {
        draw_samples(&m->trainer, m->weights, m->guide, count, samples, batch);
    } else {
        free(samples);
        samples = NULL;
    }
    free(batch);
    return samples;
}

int run_sample(const struct context *ctx, int argc, char **argv)
{
    struct options o = { .count = SAMPLE_DEFAULT_COUNT, .out = "samples.png", .model.eta = -1, .model.guidance = -1 };
    struct checkpoint_model m;
    int status = open_model(ctx, "sample", argc, argv, &o, &m);
    if (status)
        return status;
    const struct variant *v = &m.experiment.variants[0];
    char err[1024], sampler[96];
    int columns = 1; /* ceil(sqrt(count)): a square grid, its last row maybe short */
    while ((long)columns * columns < o.count)
        columns++;
    float *samples = draw(&m, o.count);
    if (!samples) {
        snprintf(err, sizeof err, "out of memory for %ld samples", o.count);
        status = 1;
    } else if (write_sample_grid_png(o.out, samples, (int)o.count, MNIST_SIDE, MNIST_SIDE, columns,
                                     v->sample.scale, err, sizeof err)) {
        status = 1;
    } else {
        printf("wrote %s: %ld sample%s, %s, %s weights, from %s (variant %s, seed %llu)\n", o.out, o.count,
               o.count == 1 ? "" : "s", sampler_words(v, sampler, sizeof sampler), m.weights_name, o.checkpoint, v->name,
               (unsigned long long)v->train.seed);
    }
    if (status)
        fprintf(stderr, "ddim-lab: %s\n", err);
    free(samples);
    checkpoint_model_free(&m);
    return status;
}

int run_eval(const struct context *ctx, int argc, char **argv)
{
    struct options o = { .count = EVAL_DEFAULT_COUNT, .classifier = CLASSIFIER_DEFAULT_PATH, .model.eta = -1,
                         .model.guidance = -1 };
    struct checkpoint_model m;
    int status = open_model(ctx, "eval", argc, argv, &o, &m);
    if (status)
        return status;
    const struct variant *v = &m.experiment.variants[0];
    struct sample_scorer scorer;
    struct sample_scores scores;
    char err[1024], sampler[96];
    float *samples = NULL;
    status = 1;
    if (sample_scorer_load(&scorer, o.classifier, ctx->kernels, ctx->data_dir, err, sizeof err))
        goto done;
    samples = draw(&m, o.count);
    if (!samples) {
        snprintf(err, sizeof err, "out of memory for %ld samples", o.count);
        goto done;
    }
    if (score_images(&scorer.classifier, &scorer.test_reference, samples, o.count, &scores, err, sizeof err))
        goto done;
    printf("%s: variant %s of %s, seed %llu: %ld samples, %s, %s weights\n", o.checkpoint, v->name,
           m.experiment.path, (unsigned long long)v->train.seed, o.count, sampler_words(v, sampler, sizeof sampler),
           m.weights_name);
    printf("classifier: %s (sha256 %s)\n", o.classifier, scorer.classifier_sha256);
    printf("FID: %.6f\n", scores.fid);
    printf("KID: %.6f\n", scores.kid);
    printf("recognisable: %.4f%%\n", 100 * scores.recognisable);
    printf("class entropy: %.6f bits\n", scores.class_entropy);
    printf("class shares:");
    for (int c = 0; c < METRIC_CLASSES; c++)
        printf(" %d %.4f%%%s", c, 100 * scores.class_share[c], c + 1 < METRIC_CLASSES ? "," : "\n");
    status = 0;
done:
    if (status)
        fprintf(stderr, "ddim-lab: %s\n", err);
    free(samples);
    sample_scorer_free(&scorer);
    checkpoint_model_free(&m);
    return status;
}
