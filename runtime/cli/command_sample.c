/* `ddim-lab sample CHECKPOINT`: the samples of any checkpoint a run saved
 * (checkpoint_model.h) as a PNG grid, ceil(sqrt(N)) samples a row at the
 * variant's sample.scale; with --strip FILE, also a few of them from noise
 * to digit through the sampler's steps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/cli/checkpoint_options.h"
#include "runtime/report/image_grid.h"

#define SAMPLE_DEFAULT_COUNT 64
#define SAMPLE_MAX_COUNT 4096     /* a 64 x 64 grid, the largest sample.grid */
#define STRIP_ROWS 8              /* samples a strip follows */
#define STRIP_COLUMNS 11          /* the pure noise, 9 steps between, the samples */

/* --strip: the first STRIP_ROWS samples of the first batch, each a row,
 * through the sampler: the noisy image before STRIP_COLUMNS - 1 evenly
 * spaced steps (the first is pure noise), then the sample. Draws that
 * batch again, recording its steps. Returns 0, or -1 with ONE line in err. */
static int write_strip(struct checkpoint_model *m, const char *path, long count, char *err, size_t errlen)
{
    struct trainer *t = &m->trainer;
    const struct variant *v = &m->experiment.variants[0];
    const int steps = v->diffusion.steps, rows = count < STRIP_ROWS ? (int)count : STRIP_ROWS;
    const int columns = steps + 1 < STRIP_COLUMNS ? steps + 1 : STRIP_COLUMNS;
    const size_t batch_floats = (size_t)t->sample_batch * MNIST_IMAGE_PIXELS;
    float *recorded = malloc((size_t)(steps + 1) * batch_floats * sizeof *recorded);
    float *batch = malloc(batch_floats * sizeof *batch);
    float *strip = malloc((size_t)rows * columns * MNIST_IMAGE_PIXELS * sizeof *strip);
    int status = -1;
    if (!recorded || !batch || !strip) {
        snprintf(err, errlen, "%s: out of memory for the strip", path);
    } else {
        t->step_images = recorded;
        trainer_sample(t, m->weights, m->guide, 0, batch);
        t->step_images = NULL;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) {
                const int step = columns > 1 ? (int)((long)c * steps / (columns - 1)) : steps;
                memcpy(strip + ((size_t)r * columns + c) * MNIST_IMAGE_PIXELS,
                       recorded + (size_t)step * batch_floats + (size_t)r * MNIST_IMAGE_PIXELS,
                       MNIST_IMAGE_PIXELS * sizeof *strip);
            }
        status = write_sample_grid_png(path, strip, rows * columns, MNIST_SIDE, MNIST_SIDE, columns,
                                       v->sample.scale, err, errlen);
        if (status == 0)
            printf("wrote %s: %d sample%s (rows) from noise to digit, %d of the %d steps and the result (columns)\n",
                   path, rows, rows == 1 ? "" : "s", columns - 1, steps);
    }
    free(recorded);
    free(batch);
    free(strip);
    return status;
}

int run_sample(const struct context *ctx, int argc, char **argv)
{
    static const struct checkpoint_command command = { "sample", 1, SAMPLE_MAX_COUNT, "-o", "--strip" };
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
        printf("wrote %s: %ld sample%s, %s, %s weights, from %s (variant %s, seed %llu)", o.own_value, o.count,
               o.count == 1 ? "" : "s", sampler_words(v, sampler, sizeof sampler), m.weights_name, o.checkpoint,
               v->name, (unsigned long long)m.run_seed);
        if (o.model.has_noise_seed)
            printf(", noise from seed %llu", (unsigned long long)o.model.noise_seed);
        printf("\n");
        if (o.strip && write_strip(&m, o.strip, o.count, err, sizeof err))
            status = 1;
    }
    if (status)
        fprintf(stderr, "ddim-lab: %s\n", err);
    free(samples);
    checkpoint_model_free(&m);
    return status;
}
