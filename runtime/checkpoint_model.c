/* A run's checkpoint and its samples (checkpoint_model.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checkpoint_model.h"
#include "files.h"
#include "text.h"

int save_run_checkpoint(const char *dir, const struct experiment *e, const struct experiment_options *o,
                        const struct trainer *t, const float *best, const double counters[4], char *err,
                        size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/checkpoint.ddim", dir);
    struct text options = { 0 };
    if (o->quick)
        text_append(&options, "--quick\n");
    for (int i = 0; i < o->override_count; i++)
        text_append(&options, "%s\n", o->overrides[i]);
    const size_t bytes = t->param_floats * sizeof(float);
    const uint64_t seed = t->variant->train.seed;
    struct checkpoint_section sections[11] = {
        { "config", e->resolved, strlen(e->resolved) },
        { "variant", t->variant->name, strlen(t->variant->name) },
        { "experiment", e->path, strlen(e->path) },
        { "options", options.text ? options.text : "", options.length },
        { "seed", &seed, sizeof seed },
        { "params_best", best, bytes },
        { "params", t->params, bytes },
        { "adam_m", t->adam_m, bytes },
        { "adam_v", t->adam_v, bytes },
        { "counters", counters, 4 * sizeof *counters },
        { "params_ema", t->ema, bytes },
    };
    int status = options.failed ? path_error(err, errlen, path, "out of memory")
                                : checkpoint_write(path, sections, t->ema ? 11 : 10, err, errlen);
    text_free(&options);
    return status;
}

void draw_samples(struct trainer *t, const float *weights, long count, float *out, float *batch)
{
    for (long first = 0, set = 0; first < count; first += SAMPLE_BATCH, set++) {
        const long n = count - first < SAMPLE_BATCH ? count - first : SAMPLE_BATCH;
        trainer_sample(t, weights, (uint64_t)set, batch);
        memcpy(out + (size_t)first * MNIST_IMAGE_PIXELS, batch, (size_t)n * MNIST_IMAGE_PIXELS * sizeof *out);
    }
}
