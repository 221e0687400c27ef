/* `ddim-lab sample CHECKPOINT`: the samples of any checkpoint a run saved
 * (checkpoint_model.h) as a PNG grid, ceil(sqrt(N)) samples a row at the
 * variant's sample.scale. */
#include <stdio.h>
#include <stdlib.h>
#include "runtime/cli/checkpoint_options.h"
#include "runtime/report/image_grid.h"

#define SAMPLE_DEFAULT_COUNT 64
#define SAMPLE_MAX_COUNT 4096     /* a 64 x 64 grid, the largest sample.grid */

int run_sample(const struct context *ctx, int argc, char **argv)
{
    static const struct checkpoint_command command = { "sample", 1, SAMPLE_MAX_COUNT, "-o" };
    struct checkpoint_options o = { .count = SAMPLE_DEFAULT_COUNT, .own_value = "samples.png" };
    struct checkpoint_model m;
    int status = checkpoint_command_open(ctx, &command, argc, argv, &o, &m);
    if (status)
        return status;
    const struct variant *v = &m.experiment.variants[0];
    char err[1024], sampler[96];
    int columns = 1; /* ceil(sqrt(count)): a square grid, its last row maybe short */
    while ((long)columns * columns < o.count)
        columns++;
    float *samples = checkpoint_model_draw(&m, o.count);
    if (!samples) {
        snprintf(err, sizeof err, "out of memory for %ld samples", o.count);
        status = 1;
    } else if (write_sample_grid_png(o.own_value, samples, (int)o.count, MNIST_SIDE, MNIST_SIDE, columns,
                                     v->sample.scale, err, sizeof err)) {
        status = 1;
    } else {
        printf("wrote %s: %ld sample%s, %s, %s weights, from %s (variant %s, seed %llu)\n", o.own_value, o.count,
               o.count == 1 ? "" : "s", sampler_words(v, sampler, sizeof sampler), m.weights_name, o.checkpoint,
               v->name, (unsigned long long)v->train.seed);
    }
    if (status)
        fprintf(stderr, "ddim-lab: %s\n", err);
    free(samples);
    checkpoint_model_free(&m);
    return status;
}
