/* `ddim-lab classifier [--epochs N] [--out FILE] [--threads N] [--max-images N] [--test-images N]`:
 * trains the MNIST classifier of experiments/lib/classifier.lua with
 * ddim-lab's own graph, autograd and kernels, prints each epoch's training
 * loss and test accuracy, and writes the classifier (classifier.h) for the
 * sample metrics.
 *
 * Training: the batch's mean softmax cross-entropy of the logits against
 * one-hot labels, and against 1/10 for every class on NON_DIGITS images
 * per batch that are not digits (non_digits.h: outlier exposure, so that
 * noise is not "recognised"), AdamW (learning rate 1e-3 halved each epoch, Keras'
 * defaults otherwise), batches of 128 digits in an order of the images
 * reshuffled each epoch (the remainder dropped); inputs are pixels * (1/255)
 * standardised with the training digits' mean and standard deviation.
 * Initialisation and order come from a fixed seed and the kernels give the
 * same bits on any number of threads: a run's file is the same on 1 thread
 * or 2. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "runtime/graph/autograd.h"
#include "runtime/base/checkpoint.h"
#include "runtime/scoring/classifier.h"
#include "runtime/cli/commands.h"
#include "runtime/base/files.h"
#include "runtime/base/finite.h"
#include "runtime/base/mnist.h"
#include "runtime/scoring/non_digits.h"
#include "kernels/parallel.h"
#include "runtime/base/progress.h"
#include "runtime/base/rng.h"
#include "runtime/diffusion/train.h"

#define SOURCE "experiments/lib/classifier.lua"
#define DEFAULT_OUT CLASSIFIER_DEFAULT_PATH
#define DEFAULT_EPOCHS 4
#define BATCH 128             /* training digits per step */
#define NON_DIGITS 16         /* non-digit images added to each step's batch (non_digits.h) */
#define LEARNING_RATE 1e-3f  /* of the first epoch; each next one halves it (epoch_learning_rate) */
#define LEARNING_RATE_DECAY 0.5f
#define WEIGHT_DECAY 0.004f   /* Keras' AdamW default, as the experiments' */
#define SEED 1
#define DIGITS 10

struct options {
    long epochs, threads, max_images, test_images;
    const char *out;
};

/* The training half: the loss and the gradients added to the classifier's
 * graph, the training step's plan, AdamW's moments. */
struct classifier_trainer {
    struct classifier *model;
    int labels, loss;              /* nodes: one-hot labels (batch, 10), the loss */
    int param_count;
    int *param_nodes, *grad_nodes;
    struct plan step;
    float *adam_m, *adam_v;
    long steps_taken;
    long *order;                   /* the training images' order this epoch */
};

static int parse_options(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
    static const struct { const char *name; long min, max; } counts[] = {
        { "--epochs", 1, 1000 }, { "--threads", 1, 1024 },
        { "--max-images", BATCH, MNIST_TRAIN_COUNT }, { "--test-images", 1, MNIST_TEST_COUNT },
    };
    long *const fields[] = { &o->epochs, &o->threads, &o->max_images, &o->test_images };
    for (int i = 0; i < argc; i += 2) {
        const char *name = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (name[0] != '-') {
            snprintf(err, errlen, "classifier: unexpected argument '%s'", name);
            return -1;
        }
        int c = 0;
        while (c < 4 && strcmp(name, counts[c].name) != 0)
            c++;
        if (c == 4 && strcmp(name, "--out") != 0) {
            snprintf(err, errlen, "classifier: unknown option '%s'", name);
            return -1;
        }
        if (!value) {
            snprintf(err, errlen, "option '%s' needs a value", name);
            return -1;
        }
        if (c == 4) {
            o->out = value;
            continue;
        }
        char *end;
        errno = 0;
        *fields[c] = strtol(value, &end, 10);
        if (errno || *end || end == value || *fields[c] < counts[c].min || *fields[c] > counts[c].max) {
            snprintf(err, errlen, "%s takes a whole number from %ld to %ld, got '%s'", name, counts[c].min,
                     counts[c].max, value);
            return -1;
        }
    }
    return 0;
}

/* Adds the loss and its parameter gradients to the model's graph and plans
 * the training step. */
static int classifier_trainer_create(struct classifier_trainer *t, struct classifier *model, const struct kernels *k,
                                     long image_count, char *err, size_t errlen)
{
    struct graph *g = &model->net.graph;
    const int classes = g->nodes[model->net.logits].shape.dims[0];
    memset(t, 0, sizeof *t);
    t->model = model;
    if (classes != DIGITS)
        return path_error(err, errlen, SOURCE, "the network has %d logits, expected %d (one per digit)", classes,
                          DIGITS);
    t->labels = graph_input(g, "labels", 1, (int[]){ DIGITS });
    t->loss = t->labels < 0 ? -1 : graph_op(g, OP_SOFTMAX_CROSS_ENTROPY, model->net.logits, t->labels, -1);
    for (int id = 0; id < g->count; id++) {
        t->param_count += g->nodes[id].op == OP_PARAM;
        /* Batch normalization's moving statistics would need the experiment
         * trainer's updates (train.c): not needed for this small net. */
        if (g->nodes[id].op == OP_PARAM && g->nodes[id].state)
            return path_error(err, errlen, SOURCE, "the classifier's network may not use batch_norm");
    }
    t->param_nodes = malloc((size_t)t->param_count * sizeof(int));
    t->grad_nodes = malloc((size_t)t->param_count * sizeof(int));
    t->adam_m = calloc(g->param_floats, sizeof(float));
    t->adam_v = calloc(g->param_floats, sizeof(float));
    t->order = malloc((size_t)image_count * sizeof(long));
    if (!t->param_nodes || !t->grad_nodes || !t->adam_m || !t->adam_v || !t->order) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int id = 0, i = 0; id < g->count; id++)
        if (g->nodes[id].op == OP_PARAM)
            t->param_nodes[i++] = id;
    if (t->loss < 0 || graph_gradients(g, t->loss, -1, t->param_count, t->param_nodes, t->grad_nodes))
        return path_error(err, errlen, SOURCE, "building the training graph: %s", g->error);
    int outputs[1 + t->param_count];
    outputs[0] = t->loss;
    memcpy(outputs + 1, t->grad_nodes, (size_t)t->param_count * sizeof(int));
    if (plan_create(&t->step, g, k, BATCH + NON_DIGITS, 1 + t->param_count, outputs, model->params, err, errlen))
        return -1;
    t->step.training = 1;
    return 0;
}

static void classifier_trainer_free(struct classifier_trainer *t)
{
    plan_free(&t->step);
    free(t->param_nodes);
    free(t->grad_nodes);
    free(t->adam_m);
    free(t->adam_v);
    free(t->order);
}

/* A Fisher-Yates shuffle of the images from the counter-based generator:
 * the order depends on (SEED, epoch) alone. */
static void shuffle_images(long *order, long count, int epoch)
{
    for (long i = 0; i < count; i++)
        order[i] = i;
    for (long i = count - 1; i > 0; i--) {
        long j = (long)(rng_bits(SEED, RNG_SHUFFLE, (uint64_t)epoch, (uint64_t)i) % (uint64_t)(i + 1));
        long swap = order[i];
        order[i] = order[j];
        order[j] = swap;
    }
}

/* AdamW's learning rate in epoch (from 0): halved each epoch, so that the
 * last epochs settle the weights; it depends on the epoch alone, so a
 * shorter run is the start of a longer one. */
static float epoch_learning_rate(int epoch)
{
    return LEARNING_RATE * powf(LEARNING_RATE_DECAY, (float)epoch);
}

/* One epoch over the first count training digits; returns the mean loss of
 * its steps, or NAN with a message in err if a loss is not finite. */
static double train_epoch(struct classifier_trainer *t, const struct mnist_dataset *train, long count, int epoch,
                          struct progress *progress, const struct kernels *k, char *err, size_t errlen)
{
    const struct classifier *m = t->model;
    const long steps = count / BATCH;
    float *input = plan_buffer(&t->step, m->net.input), *labels = plan_buffer(&t->step, t->labels);
    const float learning_rate = epoch_learning_rate(epoch);
    double loss_sum = 0;
    shuffle_images(t->order, count, epoch);
    for (long s = 0; s < steps; s++) {
#pragma omp parallel for schedule(static)
        for (int b = 0; b < BATCH + NON_DIGITS; b++) {
            float *x = input + (size_t)b * MNIST_IMAGE_PIXELS, *y = labels + b * DIGITS;
            if (b < BATCH) {
                const long image = t->order[s * BATCH + b];
                const unsigned char *pixels = train->pixels + (size_t)image * MNIST_IMAGE_PIXELS;
                for (int i = 0; i < MNIST_IMAGE_PIXELS; i++)
                    x[i] = standardise(m->data, pixels[i] * MNIST_PIXEL_SCALE);
                for (int d = 0; d < DIGITS; d++)
                    y[d] = d == train->labels[image] ? 1.0f : 0.0f;
            } else {
                /* Non-digits, new ones every step, trained towards 1/10 for every class. */
                draw_non_digit(x, SEED, (uint64_t)(t->steps_taken * NON_DIGITS + (b - BATCH)), train);
                for (int i = 0; i < MNIST_IMAGE_PIXELS; i++)
                    x[i] = standardise(m->data, x[i]);
                for (int d = 0; d < DIGITS; d++)
                    y[d] = 1.0f / DIGITS;
            }
        }
        plan_run(&t->step);
        const double loss = plan_buffer(&t->step, t->loss)[0];
        if (!isfinite(loss)) {
            snprintf(err, errlen, "the classifier diverged: loss %g at epoch %d step %ld", loss, epoch + 1, s + 1);
            return NAN;
        }
        t->steps_taken++;
        for (int i = 0; i < t->param_count; i++) {
            const struct node *n = &m->net.graph.nodes[t->param_nodes[i]];
            const size_t at = n->param_offset;
            parallel_adamw(k->adamw_step, shape_size(&n->shape), m->params + at, plan_buffer(&t->step, t->grad_nodes[i]),
                           t->adam_m + at, t->adam_v + at, learning_rate, ADAMW_BETA1, ADAMW_BETA2, ADAMW_EPSILON,
                           WEIGHT_DECAY, t->steps_taken);
        }
        loss_sum += loss;
        progress_step(progress, epoch + 1, (int)s + 1, loss, progress_clock());
    }
    return loss_sum / (double)steps;
}

/* How many of the count images (values) the classifier labels right. */
static long count_correct(const struct classifier *c, const float *images, const unsigned char *labels, long count,
                          float *probabilities)
{
    classifier_run(c, images, (size_t)count, probabilities, NULL);
    long correct = 0;
    for (long i = 0; i < count; i++)
        correct += classifier_prediction(c, probabilities + (size_t)i * (size_t)c->classes) == labels[i];
    return correct;
}

static int write_classifier(const char *path, const struct classifier *c, const char *source, size_t source_size,
                            char *err, size_t errlen)
{
    /* classifier_load would refuse such a file: a classifier already at
     * path is kept rather than replaced by one that cannot score. */
    const struct non_finite bad = find_non_finite(c->params, c->net.graph.param_floats);
    if (bad.count)
        return path_error(err, errlen, path, "not written: the trained parameters hold %zu non-finite values (the "
                          "first, %s, at element %zu): training diverged", bad.count,
                          non_finite_name(bad.first_value), bad.first);
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
        if (make_directories(dir, err, errlen))
            return -1;
    }
    const struct checkpoint_section sections[5] = {
        { "format", CLASSIFIER_FORMAT, strlen(CLASSIFIER_FORMAT) },
        { "source_name", SOURCE, strlen(SOURCE) },
        { "source", source, source_size },
        { "standardisation", &c->data, sizeof c->data },
        { "params", c->params, c->net.graph.param_floats * sizeof(float) },
    };
    return checkpoint_write(path, sections, 5, err, errlen);
}

int run_classifier(const struct context *ctx, int argc, char **argv)
{
    struct options o = { .epochs = DEFAULT_EPOCHS, .max_images = MNIST_TRAIN_COUNT,
                         .test_images = MNIST_TEST_COUNT, .out = DEFAULT_OUT };
    char err[1024];
    if (parse_options(argc, argv, &o, err, sizeof err)) {
        fprintf(stderr, "ddim-lab: %s (see ddim-lab --help)\n", err);
        return 2;
    }
#ifdef _OPENMP
    if (o.threads > 0)
        omp_set_num_threads((int)o.threads);
    const int threads = omp_get_max_threads();
#else
    const int threads = 1;
#endif
    struct mnist_dataset train = { 0 }, test = { 0 };
    struct classifier model = { 0 };
    struct classifier_trainer t = { 0 };
    char *source = NULL;
    size_t source_size = 0;
    float *test_images = NULL, *probabilities = NULL;
    int status = 1;
    if (read_text_file(SOURCE, &source, &source_size, err, sizeof err) ||
        mnist_load_dataset(ctx->data_dir, "train", &train, err, sizeof err) ||
        mnist_load_dataset(ctx->data_dir, "test", &test, err, sizeof err) ||
        classifier_network_build(SOURCE, source, source_size, &model.net, err, sizeof err))
        goto done;
    const long train_count = o.max_images, test_count = o.test_images;
    const size_t param_floats = model.net.graph.param_floats;
    model.data = standardisation_fit(train.pixels, (size_t)train_count * MNIST_IMAGE_PIXELS);
    model.params = aligned_alloc(64, (param_floats * sizeof(float) + 63) / 64 * 64);
    test_images = malloc((size_t)test_count * MNIST_IMAGE_PIXELS * sizeof(float));
    probabilities = malloc((size_t)test_count * DIGITS * sizeof(float));
    if (!model.params || !test_images || !probabilities) {
        snprintf(err, sizeof err, "out of memory");
        goto done;
    }
    init_parameters(&model.net.graph, SEED, model.params);
    if (classifier_trainer_create(&t, &model, ctx->kernels, train_count, err, sizeof err) ||
        classifier_plan(&model, ctx->kernels, err, sizeof err))
        goto done;
    for (size_t i = 0; i < (size_t)test_count * MNIST_IMAGE_PIXELS; i++)
        test_images[i] = test.pixels[i] * MNIST_PIXEL_SCALE;
    printf("classifier %s: %zu parameters; %ld training digits, %ld test digits; kernels %s, %d thread(s)\n", SOURCE,
           param_floats, train_count, test_count, ctx->kernels->isa, threads);
    fflush(stdout);

    struct progress progress;
    progress_start(&progress, stderr, "classifier", (int)o.epochs, (int)(train_count / BATCH), BATCH,
                   progress_clock());
    long correct = 0;
    for (int epoch = 0; epoch < o.epochs; epoch++) {
        const double start = progress_clock();
        const double loss = train_epoch(&t, &train, train_count, epoch, &progress, ctx->kernels, err, sizeof err);
        progress_clear(&progress);
        if (isnan(loss))
            goto done;
        correct = count_correct(&model, test_images, test.labels, test_count, probabilities);
        const double seconds = progress_clock() - start;
        printf("epoch %d/%ld  learning rate %.2g  train loss %.4f  test accuracy %.2f%%  %.1f s\n", epoch + 1,
               o.epochs, (double)epoch_learning_rate(epoch), loss, 100.0 * (double)correct / (double)test_count,
               seconds);
        fflush(stdout);
    }
    if (write_classifier(o.out, &model, source, source_size, err, sizeof err))
        goto done;
    printf("test accuracy: %.2f%% (%ld of %ld), classifier written to %s\n",
           100.0 * (double)correct / (double)test_count, correct, test_count, o.out);
    status = 0;
done:
    if (status)
        fprintf(stderr, "ddim-lab: %s\n", err);
    classifier_trainer_free(&t);
    classifier_free(&model);
    mnist_free_dataset(&train);
    mnist_free_dataset(&test);
    free(source);
    free(test_images);
    free(probabilities);
    return status;
}
