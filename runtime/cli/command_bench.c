/* `ddim-lab bench EXPERIMENT.lua [--variant NAME] [--threads N] [key.path=value ...]`:
 * times each variant's training step and sampler at its batch size on the
 * threads given (all cores by default) and says where the time goes.
 *
 * Figures: images/s; model GFLOP/s (plan_flops: 2 x the multiply-adds of
 * the matmuls and convolutions a step runs, so a training step counts the
 * forward, the backward and the gradient trick's extra input-gradient
 * pass: what the network needs, which a FLOP-saving kernel could exceed
 * the peak at); the fraction of the FP32 FMA peak, measured here by running
 * the ISA's fma_peak kernel on every thread at once, and checked against
 * one core's times the threads (a warning when they differ by over 15%:
 * the fractions are then not to be trusted); with --json, the same as JSON; per-op time, forward
 * (the model's own nodes) and backward (everything autograd added); and
 * the peak resident memory of the process. Medians over repeats (the
 * peak's is a best: all_core_peak): the machines are shared and noisy. The training data are random images: a
 * step's time does not depend on the pixel values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "runtime/cli/commands.h"
#include "runtime/config/config.h"
#include "runtime/base/mnist.h"
#include "runtime/base/progress.h"
#include "runtime/base/rng.h"
#include "runtime/diffusion/train.h"

#define STEPS_PER_REPEAT 8
#define REPEATS 5

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count)
{
    qsort(values, (size_t)count, sizeof *values, compare_doubles);
    return values[count / 2];
}

/* All-core peak: fma_peak on every thread at once, GFLOP/s, the best of
 * PEAK_REPEATS runs of about 30 ms each after one to wake the threads and
 * the vector units. The best, not the median: a peak is what the machine
 * can do, and a neighbour's process or a descheduled thread only lowers a
 * run (2^21 iterations a run, each once a median, measured 111 to 358
 * GFLOP/s on the same machine in one minute: above 100% of "peak" for the
 * training step). */
#define PEAK_REPEATS 7
static double all_core_peak(const struct kernels *k)
{
    double best = 0;
    for (int r = -1; r < PEAK_REPEATS; r++) {
        double flops = 0, start = progress_clock();
#ifdef _OPENMP
#pragma omp parallel reduction(+ : flops)
#endif
        {
            float sink;
            flops += k->fma_peak(1L << 24, &sink);
        }
        const double rate = flops / (progress_clock() - start) * 1e-9;
        if (r >= 0 && rate > best)
            best = rate;
    }
    return best;
}

/* One core's peak: fma_peak on this thread alone, the best of
 * PEAK_REPEATS after one to wake the vector unit. */
static double one_core_peak(const struct kernels *k)
{
    double best = 0;
    for (int r = -1; r < PEAK_REPEATS; r++) {
        float sink;
        const double start = progress_clock();
        const double flops = k->fma_peak(1L << 24, &sink);
        const double rate = flops / (progress_clock() - start) * 1e-9;
        if (r >= 0 && rate > best)
            best = rate;
    }
    return best;
}

/* A variant's figures, for the text and the JSON forms. */
struct bench_result {
    size_t parameters;
    int batch, sampling_steps;
    double step_seconds, step_flops;        /* a training step of batch images: median time, model FLOPs */
    double sample_seconds, sample_flops;    /* sampling batch images, every step */
};

struct layer_time {
    const char *op;
    int backward;
    char sizes[64];
    double seconds, flops;
};

static int slower_first(const void *a, const void *b)
{
    double x = ((const struct layer_time *)a)->seconds, y = ((const struct layer_time *)b)->seconds;
    return (x < y) - (x > y);
}

/* Per (op, direction, sizes), which for the matmuls and convolutions is
 * one layer's pass: seconds per run of the plan (a training step, or a
 * whole sampling of `passes` network evaluations) and model FLOPs, slowest
 * first. runs: how many runs node_seconds adds up. */
static void print_profile(const struct plan *p, const char *what, const char *unit, int model_nodes, const double *node_seconds,
                          double runs, int passes, double run_seconds, double peak)
{
    struct layer_time *rows = calloc((size_t)p->order_count, sizeof *rows);
    if (!rows)
        return;
    int count = 0;
    double graph_seconds = 0;
    for (int i = 0; i < p->order_count; i++) {
        const int id = p->order[i];
        struct layer_time row = { .op = graph_op_name(p->graph->nodes[id].op), .backward = id >= model_nodes };
        node_describe(p, id, row.sizes, sizeof row.sizes);
        graph_seconds += node_seconds[id] / runs;
        int r = 0;
        while (r < count && !(rows[r].op == row.op && rows[r].backward == row.backward &&
                              strcmp(rows[r].sizes, row.sizes) == 0))
            r++;
        if (r == count)
            rows[count++] = row;
        rows[r].seconds += node_seconds[id] / runs;
        rows[r].flops += passes * node_flops(p, id);
    }
    qsort(rows, (size_t)count, sizeof *rows, slower_first);
    printf("  where %s's time goes, by layer and op (forward: the network's own nodes; backward:\n"
           "  what the losses, autograd and the gradient trick added; ops under 1%% of the time left out):\n", what);
    printf("  | op | direction | sizes | ms per %s | share | model GFLOP/s | of the FP32 FMA peak |\n"
           "  |---|---|---|---|---|---|---|\n", unit);
    for (int i = 0; i < count && rows[i].seconds >= 0.01 * run_seconds; i++) {
        char rate[32] = "-", share[32] = "-";
        if (rows[i].flops > 0) {
            snprintf(rate, sizeof rate, "%.1f", rows[i].flops / rows[i].seconds * 1e-9);
            snprintf(share, sizeof share, "%.0f%%", 100 * rows[i].flops / rows[i].seconds * 1e-9 / peak);
        }
        printf("  | %s | %s | %s | %.3f | %.1f%% | %s | %s |\n", rows[i].op, rows[i].backward ? "backward" : "forward",
               rows[i].sizes, 1e3 * rows[i].seconds, 100 * rows[i].seconds / run_seconds, rate, share);
    }
    printf("  | (outside the graph: %s) | | | %.3f | %.1f%% | | |\n",
           passes == 1 ? "inputs, noise, AdamW, EMA" : "inputs, the DDIM update",
           1e3 * (run_seconds - graph_seconds), 100 * (run_seconds - graph_seconds) / run_seconds);
    free(rows);
}

static int bench_variant(const struct context *ctx, struct variant *v, double peak, int json,
                         struct bench_result *out, char *err, size_t errlen)
{
    const int batch = v->train.batch_size;
    const long count = (long)batch * STEPS_PER_REPEAT;
    const int model_nodes = v->graph.count; /* nodes added after these are autograd's and the losses' */
    unsigned char *images = malloc((size_t)count * MNIST_IMAGE_PIXELS); /* random stand-ins for digits */
    float *samples = malloc((size_t)batch * MNIST_IMAGE_PIXELS * sizeof(float));
    double *node_seconds = NULL, *sample_node_seconds = NULL;
    struct trainer t = { 0 };
    int status = -1;
    if (!images || !samples) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < (size_t)count * MNIST_IMAGE_PIXELS; i++)
        images[i] = (unsigned char)(256.0f * rng_uniform(v->train.seed, RNG_SAMPLE, 1, i));
    if (trainer_create(&t, v, ctx->kernels, images, count, batch, err, errlen))
        goto done;
    node_seconds = calloc((size_t)v->graph.count, sizeof *node_seconds);
    sample_node_seconds = calloc((size_t)v->graph.count, sizeof *sample_node_seconds);
    if (!node_seconds || !sample_node_seconds) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }

    double step_times[REPEATS], sample_times[REPEATS];
    struct epoch_result r;
    if (trainer_epoch(&t, 0, NULL, &r, err, errlen)) /* warm-up: caches, pages, threads */
        goto done;
    t.step_plan.node_seconds = node_seconds;
    for (int rep = 0; rep < REPEATS; rep++) {
        if (trainer_epoch(&t, rep + 1, NULL, &r, err, errlen))
            goto done;
        step_times[rep] = r.seconds / STEPS_PER_REPEAT;
    }
    t.step_plan.node_seconds = NULL;
    t.sample_plan.node_seconds = sample_node_seconds;
    for (int rep = 0; rep < REPEATS; rep++) {
        double start = progress_clock();
        trainer_sample(&t, t.params, NULL, 0, samples); /* unguided: a guide runs it twice a step */
        sample_times[rep] = progress_clock() - start;
    }
    t.sample_plan.node_seconds = NULL;
    const double step = median(step_times, REPEATS), sample = median(sample_times, REPEATS);
    *out = (struct bench_result){ t.param_floats, batch, v->diffusion.steps, step, plan_flops(&t.step_plan), sample,
                                  plan_flops(&t.sample_plan) * v->diffusion.steps };
    if (json) {
        status = 0;
        goto done;
    }
    printf("%s: %zu parameters, batch %d, gradient trick %s\n", v->name, t.param_floats, batch,
           v->diffusion.gradient_trick ? "on" : "off");
    printf("  training step: %.2f ms, %.0f images/s, model %.1f GFLOP/s (%.2f GFLOP a step), %.0f%% of the FP32 FMA "
           "peak\n", 1e3 * step, batch / step, out->step_flops / step * 1e-9, out->step_flops * 1e-9,
           100 * out->step_flops / step * 1e-9 / peak);
    printf("  sampling (%d steps of %d images): %.1f ms, %.0f images/s, model %.1f GFLOP/s, %.0f%% of the FP32 FMA "
           "peak\n", v->diffusion.steps, batch, 1e3 * sample, batch / sample, out->sample_flops / sample * 1e-9,
           100 * out->sample_flops / sample * 1e-9 / peak);
    print_profile(&t.step_plan, "a training step", "step", model_nodes, node_seconds, (double)REPEATS * STEPS_PER_REPEAT, 1, step, peak);
    print_profile(&t.sample_plan, "sampling", "sampling", model_nodes, sample_node_seconds, REPEATS, v->diffusion.steps, sample,
                  peak);
    status = 0;
done:
    trainer_free(&t);
    free(images);
    free(samples);
    free(node_seconds);
    free(sample_node_seconds);
    return status;
}

/* --json: the machine's peaks and each variant's figures, model GFLOP/s
 * (what the network needs: FLOP-saving kernels may pass the peak) beside
 * the fraction of the FP32 FMA peak. Names are plain ([A-Za-z0-9_.-]). */
static void print_json(const struct experiment *e, const char *isa, int threads, double peak, double one_core,
                       const struct bench_result *results)
{
    printf("{\n  \"experiment\": \"%s\",\n  \"isa\": \"%s\",\n  \"threads\": %d,\n"
           "  \"fp32_fma_peak_gflops\": %.1f,\n  \"one_core_fp32_fma_peak_gflops\": %.1f,\n  \"variants\": [",
           e->name, isa, threads, peak, one_core);
    for (int i = 0; i < e->variant_count; i++) {
        const struct bench_result *r = &results[i];
        const double step_rate = r->step_flops / r->step_seconds * 1e-9;
        const double sample_rate = r->sample_flops / r->sample_seconds * 1e-9;
        printf("%s\n    {\"variant\": \"%s\", \"parameters\": %zu, \"batch\": %d, "
               "\"training_step_ms\": %.3f, \"training_images_per_second\": %.1f, \"training_gflop_per_step\": %.4f, "
               "\"training_model_gflops\": %.2f, \"training_fraction_of_fp32_peak\": %.4f, "
               "\"sampling_steps\": %d, \"sampling_ms\": %.3f, \"sampling_images_per_second\": %.1f, "
               "\"sampling_model_gflops\": %.2f, \"sampling_fraction_of_fp32_peak\": %.4f}",
               i ? "," : "", e->variants[i].name, r->parameters, r->batch, 1e3 * r->step_seconds,
               r->batch / r->step_seconds, r->step_flops * 1e-9, step_rate, step_rate / peak, r->sampling_steps,
               1e3 * r->sample_seconds, r->batch / r->sample_seconds, sample_rate, sample_rate / peak);
    }
    printf("\n  ]\n}\n");
}

int run_bench(const struct context *ctx, int argc, char **argv)
{
    struct experiment_options options = { 0 };
    char *overrides[argc > 0 ? argc : 1];
    const char *file = NULL;
    int threads = 0, json = 0;
    options.overrides = overrides;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if ((strcmp(argv[i], "--variant") == 0 || strcmp(argv[i], "--threads") == 0) && i + 1 < argc) {
            if (argv[i][2] == 'v')
                options.variant = argv[++i];
            else if ((threads = atoi(argv[++i])) < 1) {
                fprintf(stderr, "ddim-lab: --threads takes a positive number, got '%s' (see ddim-lab --help)\n", argv[i]);
                return 2;
            }
        } else if (argv[i][0] != '-' && strchr(argv[i], '=')) {
            overrides[options.override_count++] = argv[i];
        } else if (argv[i][0] != '-' && !file) {
            file = argv[i];
        } else {
            fprintf(stderr, "ddim-lab: bench: unexpected argument '%s' (see ddim-lab --help)\n", argv[i]);
            return 2;
        }
    }
    if (!file) {
        fprintf(stderr, "ddim-lab: bench needs an experiment file (see ddim-lab --help)\n");
        return 2;
    }
#ifdef _OPENMP
    if (threads > 0)
        omp_set_num_threads(threads);
    threads = omp_get_max_threads();
#else
    threads = 1;
#endif
    char err[1024];
    struct experiment e;
    if (experiment_load(file, &options, &e, err, sizeof err)) {
        fprintf(stderr, "ddim-lab: %s\n", err);
        return 2;
    }
    const double one_core = one_core_peak(ctx->kernels), peak = all_core_peak(ctx->kernels);
    const double agreement = peak / (one_core * threads);
    if (!json)
        printf("bench %s: kernels %s, %d thread(s), FP32 FMA peak %.1f GFLOP/s on all of them, %.1f on one "
               "(bests of %d)\n", e.path, ctx->kernels->isa, threads, peak, one_core, PEAK_REPEATS);
    if (agreement < 0.85 || agreement > 1.15) /* the peak every fraction below divides by is in doubt */
        fprintf(stderr, "ddim-lab: warning: the all-core peak (%.1f GFLOP/s) is %.0f%% of one core's times %d "
                "threads (%.1f): the cores were %s; the fractions of the peak are not to be trusted, run again\n",
                peak, 100 * agreement, threads, one_core * threads, agreement < 1 ? "busy while it ran" :
                "busy while one core's ran, or share their FMA units");
    int status = 0;
    struct bench_result *results = calloc((size_t)e.variant_count, sizeof *results);
    if (!results) {
        fprintf(stderr, "ddim-lab: out of memory\n");
        status = 1;
    }
    for (int i = 0; i < e.variant_count && status == 0; i++)
        if (bench_variant(ctx, &e.variants[i], peak, json, &results[i], err, sizeof err)) {
            fprintf(stderr, "ddim-lab: %s\n", err);
            status = 1;
        }
    if (status == 0 && json)
        print_json(&e, ctx->kernels->isa, threads, peak, one_core, results);
    struct rusage usage;
    if (status == 0 && !json && getrusage(RUSAGE_SELF, &usage) == 0)
        printf("peak resident memory: %.0f MiB\n", usage.ru_maxrss / 1024.0);
    free(results);
    experiment_free(&e);
    return status;
}
