/* The seed's diffusion training and sampling over a compiled graph. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/graph/autograd.h"
#include "runtime/base/mnist.h"
#include "runtime/base/rng.h"
#include "runtime/diffusion/train.h"
#include "runtime/diffusion/diffusion.h"
#include "kernels/image_ops.h"
#include "runtime/base/standardise.h"
#include "kernels/parallel.h"

#define PIXELS MNIST_IMAGE_PIXELS

static int graph_failed(const struct graph *g, const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen, "building the %s: %s", what, g->error);
    return -1;
}

/* loss(prediction, target), both sides scaled per image by the input node
 * scale when scale >= 0: (scale e)^2 = scale^2 e^2 (MAE: |scale| |e|). */
static int scaled_loss(struct graph *g, enum op loss_op, int prediction, int target, int scale)
{
    if (scale < 0)
        return graph_op(g, loss_op, prediction, target, -1);
    return graph_op(g, loss_op, graph_op(g, OP_SAMPLE_MUL, prediction, scale, -1),
                    graph_op(g, OP_SAMPLE_MUL, target, scale, -1), -1);
}

/* Adds the loss, the gradient trick and the parameter gradients to the
 * variant's graph. */
static int build_training_graph(struct trainer *t, char *err, size_t errlen)
{
    struct variant *v = t->variant;
    struct graph *g = &v->graph;
    const int velocity = v->diffusion.prediction == PREDICT_VELOCITY;
    t->noisy = v->input_image;
    t->level = v->input_noise_level;
    const struct shape image = g->nodes[t->noisy].shape;
    t->clean = graph_input(g, "clean", image.rank, image.dims);
    t->noise = graph_input(g, "noise", image.rank, image.dims);
    t->noise_rate = graph_input(g, "noise_rate", 3, (int[]){ 1, 1, 1 });
    t->inv_signal = velocity ? -1 : graph_input(g, "inv_signal", 3, (int[]){ 1, 1, 1 });
    t->signal = velocity ? graph_input(g, "signal", 3, (int[]){ 1, 1, 1 }) : -1;
    t->loss_scale = v->train.p2_gamma > 0 ? graph_input(g, "loss_scale", 3, (int[]){ 1, 1, 1 }) : -1;
    if (t->clean < 0 || t->noise < 0 || t->noise_rate < 0 || (velocity ? t->signal : t->inv_signal) < 0 ||
        (v->train.p2_gamma > 0 && t->loss_scale < 0))
        return graph_failed(g, "training inputs", err, errlen);

    /* The network's output and what it is trained towards: the noise, or
     * the velocity v = signal noise - noise_rate image, from which
     * (signal^2 + noise_rate^2 = 1) pred_noise = noise_rate noisy + signal v
     * and pred_image = signal noisy - noise_rate v. */
    const int output = v->output;
    int target = t->noise;
    if (velocity) {
        t->pred_noise = graph_op(g, OP_ADD, graph_op(g, OP_SAMPLE_MUL, t->noisy, t->noise_rate, -1),
                                 graph_op(g, OP_SAMPLE_MUL, output, t->signal, -1), -1);
        t->pred_image = graph_op(g, OP_SUB, graph_op(g, OP_SAMPLE_MUL, t->noisy, t->signal, -1),
                                 graph_op(g, OP_SAMPLE_MUL, output, t->noise_rate, -1), -1);
        target = graph_op(g, OP_SUB, graph_op(g, OP_SAMPLE_MUL, t->noise, t->signal, -1),
                          graph_op(g, OP_SAMPLE_MUL, t->clean, t->noise_rate, -1), -1);
    } else {
        /* pred_image = (noisy - noise_rate pred_noise [- the trick's g]) /
         * signal (diffusion.h); with the seed's schedule both rates are 1. */
        t->pred_noise = output;
        int denoised = graph_op(g, OP_SUB, t->noisy, graph_op(g, OP_SAMPLE_MUL, output, t->noise_rate, -1), -1);
        if (v->diffusion.gradient_trick && denoised >= 0) {
            int trick;
            if (graph_gradients(g, output, -1, 1, &t->noisy, &trick))
                return graph_failed(g, "gradient trick", err, errlen);
            denoised = graph_op(g, OP_SUB, denoised, trick, -1);
        }
        t->pred_image = denoised < 0 ? denoised : graph_op(g, OP_SAMPLE_MUL, denoised, t->inv_signal, -1);
    }
    /* The reported noise loss, of pred_noise against the noise whatever the
     * network predicts, so that runs compare. With train.p2_gamma the
     * optimizer descends each image's loss of its output times its P2
     * weight (loss_scale = sqrt(weight), MAE: the weight); with
     * train.p2_sampling the times are drawn by their weight, the optimizer
     * descends the plain loss and the reported one is scaled by Z / weight,
     * the importance weight that makes it estimate the loss over uniform
     * times, as every other run reports it. */
    const enum op loss_op = v->train.loss == LOSS_MSE ? OP_MSE_LOSS : OP_MAE_LOSS;
    const int reported_scale = v->train.p2_sampling ? t->loss_scale : -1;
    const int trained_scale = v->train.p2_sampling ? -1 : t->loss_scale;
    t->noise_loss = scaled_loss(g, loss_op, t->pred_noise, t->noise, reported_scale);
    const int trained_loss = output == t->pred_noise && trained_scale == reported_scale
                                 ? t->noise_loss
                                 : scaled_loss(g, loss_op, output, target, trained_scale);
    t->image_loss = graph_op(g, OP_MAE_LOSS, t->pred_image, t->clean, -1);
    if (target < 0 || t->pred_noise < 0 || t->pred_image < 0 || t->noise_loss < 0 || trained_loss < 0 ||
        t->image_loss < 0)
        return graph_failed(g, "losses", err, errlen);

    t->param_count = 0;
    for (int id = 0; id < g->count; id++)
        t->param_count += g->nodes[id].op == OP_PARAM;
    t->param_nodes = malloc((size_t)t->param_count * sizeof(int));
    t->grad_nodes = malloc((size_t)t->param_count * sizeof(int));
    if (!t->param_nodes || !t->grad_nodes) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int id = 0, i = 0; id < g->count; id++)
        if (g->nodes[id].op == OP_PARAM)
            t->param_nodes[i++] = id;
    /* What AdamW descends: the noise loss, or with train.image_loss the sum
     * of both (the image loss's gradient goes through pred_image, and so,
     * with the gradient trick, through the trick's own gradient). */
    const int objective = v->train.image_loss ? graph_op(g, OP_ADD, trained_loss, t->image_loss, -1)
                                              : trained_loss;
    if (objective < 0 || graph_gradients(g, objective, -1, t->param_count, t->param_nodes, t->grad_nodes))
        return graph_failed(g, "parameter gradients", err, errlen);
    return 0;
}

struct mnist_dataset variant_training_set(const struct variant *v, const struct mnist_dataset *all)
{
    const char *name = v->train.dataset;
    const size_t first = strcmp(name, "test") == 0 ? MNIST_TRAIN_COUNT : 0;
    size_t count = strcmp(name, "all") == 0 ? all->count : strcmp(name, "train") == 0 ? MNIST_TRAIN_COUNT
                                                                                     : MNIST_TEST_COUNT;
    if (v->train.max_images > 0 && (size_t)v->train.max_images < count)
        count = (size_t)v->train.max_images;
    return (struct mnist_dataset){ count, all->pixels + first * MNIST_IMAGE_PIXELS, all->labels + first };
}

void init_parameters(const struct graph *g, uint64_t seed, float *params)
{
    for (int id = 0, i = 0; id < g->count; id++) {
        const struct node *n = &g->nodes[id];
        if (n->op != OP_PARAM)
            continue;
        float *p = params + n->param_offset;
        size_t size = shape_size(&n->shape);
        float limit = sqrtf(6.0f / (float)(n->fan_in + n->fan_out));
        for (size_t j = 0; j < size; j++)
            p[j] = n->init == INIT_GLOROT_UNIFORM ? limit * (2.0f * rng_uniform(seed, RNG_INIT, (uint64_t)i, j) - 1.0f)
                   : n->init == INIT_ONES         ? 1.0f
                                                  : 0.0f;
        i++;
    }
}

/* The runs of consecutive trained parameters (state parameters, which
 * their layers update, split them), for AdamW. */
static int find_trained_runs(struct trainer *t, char *err, size_t errlen)
{
    const struct graph *g = &t->variant->graph;
    t->trained = malloc((size_t)(t->param_count + 1) * sizeof *t->trained);
    if (!t->trained) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    t->trained_runs = 0;
    for (int i = 0; i < t->param_count; i++) {
        const struct node *n = &g->nodes[t->param_nodes[i]];
        if (n->state)
            continue;
        size_t (*last)[2] = t->trained_runs ? &t->trained[t->trained_runs - 1] : NULL;
        if (last && (*last)[0] + (*last)[1] == n->param_offset)
            (*last)[1] += shape_size(&n->shape);
        else
            t->trained[t->trained_runs][0] = n->param_offset, t->trained[t->trained_runs++][1] = shape_size(&n->shape);
    }
    return 0;
}

int trainer_create(struct trainer *t, struct variant *v, const struct kernels *k,
                   const unsigned char *pixels, long image_count, int sample_batch, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->variant = v;
    t->kernels = k;
    t->pixels = pixels;
    t->image_count = image_count;
    t->sample_batch = sample_batch;
    if (build_training_graph(t, err, errlen))
        return -1;
    t->param_floats = v->graph.param_floats;
    size_t bytes = (t->param_floats * sizeof(float) + 63) / 64 * 64;
    t->params = aligned_alloc(64, bytes);
    t->grads = aligned_alloc(64, bytes);
    t->adam_m = calloc(t->param_floats, sizeof(float));
    t->adam_v = calloc(t->param_floats, sizeof(float));
    t->sample_params = aligned_alloc(64, bytes);
    t->ema = v->train.ema > 0 ? aligned_alloc(64, bytes) : NULL;
    t->batch_order = malloc((size_t)(image_count / v->train.batch_size + 1) * sizeof(long));
    const int guided = v->diffusion.guidance != 1;
    if (guided) {
        t->guide_noise = malloc((size_t)sample_batch * PIXELS * sizeof(float));
        t->guide_image = malloc((size_t)sample_batch * PIXELS * sizeof(float));
    }
    if (!t->params || !t->grads || !t->adam_m || !t->adam_v || !t->sample_params || (v->train.ema > 0 && !t->ema) ||
        !t->batch_order || (guided && (!t->guide_noise || !t->guide_image))) {
        snprintf(err, errlen, "out of memory for %zu parameters", t->param_floats);
        return -1;
    }
    if (find_trained_runs(t, err, errlen))
        return -1;
    if (v->train.p2_sampling) {
        t->time_sampler = malloc(sizeof *t->time_sampler);
        if (!t->time_sampler) {
            snprintf(err, errlen, "out of memory for the P2 time sampler");
            return -1;
        }
        p2_sampler_init(t->time_sampler, &v->diffusion, v->train.p2_gamma);
    }
    t->data = t->variant->train.normalize ? standardisation_fit(t->pixels, (size_t)t->image_count * PIXELS)
                                          : (struct standardisation){ 0.0f, 1.0f };
    init_parameters(&v->graph, v->train.seed, t->params);
    if (t->ema)
        memcpy(t->ema, t->params, t->param_floats * sizeof(float));

    int step_outputs[2 + 1024];
    if (t->param_count > 1024) {
        snprintf(err, errlen, "the model has %d parameter tensors, at most 1024 are supported", t->param_count);
        return -1;
    }
    step_outputs[0] = t->noise_loss;
    step_outputs[1] = t->image_loss;
    memcpy(step_outputs + 2, t->grad_nodes, (size_t)t->param_count * sizeof(int));
    if (plan_create(&t->step_plan, &v->graph, k, v->train.batch_size, 2 + t->param_count, step_outputs, t->params,
                    err, errlen))
        return -1;
    t->step_plan.training = 1;
    /* Sampling runs on a copy of whichever weights it is given (the current
     * ones, the best epoch's, the EMA). */
    int sample_outputs[2] = { t->pred_noise, t->pred_image };
    return plan_create(&t->sample_plan, &v->graph, k, sample_batch, 2, sample_outputs, t->sample_params, err,
                       errlen);
}

void trainer_free(struct trainer *t)
{
    plan_free(&t->step_plan);
    plan_free(&t->sample_plan);
    free(t->param_nodes);
    free(t->grad_nodes);
    free(t->params);
    free(t->grads);
    free(t->adam_m);
    free(t->adam_v);
    free(t->sample_params);
    free(t->guide_noise);
    free(t->guide_image);
    free(t->ema);
    free(t->batch_order);
    free(t->trained);
    free(t->time_sampler);
    memset(t, 0, sizeof *t);
}

/* DDIM (diffusion.h): from pure noise at t = 1, each step predicts the
 * noise and the image, then re-noises the predicted image at the next
 * time's rates (ddim_step); the last predicted image, its standardisation
 * undone, is the sample. With eta = 0 (deterministic) the re-noising is the
 * predicted noise alone; with the seed's schedule both rates are 1: x =
 * pred_image + pred_noise, the seed's sampler. With eta > 0 part of it is
 * fresh noise, which lets later steps correct an imperfect network's early
 * mistakes. With diffusion.clip_denoised each predicted image is clipped
 * to the pixels' range and the predicted noise re-derived from it
 * (clip_denoised in diffusion.h), so an early step's overshoot (ink
 * brighter than white) is not carried on. With a guide (autoguidance,
 * Karras et al. 2024, "Guiding a diffusion model with a bad version of
 * itself") each step runs the network twice, with the guide's weights and
 * with params, and moves both predictions from the guide's past the
 * model's: guide + guidance (model - guide). Both are linear in the
 * network's output at a given noisy image, so extrapolating both is
 * extrapolating the output. */
void trainer_sample(struct trainer *t, const float *params, const float *guide, uint64_t noise_set, float *out)
{
    const struct plan *p = &t->sample_plan;
    const struct diffusion_config *d = &t->variant->diffusion;
    const int steps = d->steps, batch = t->sample_batch;
    const size_t count = (size_t)batch * PIXELS, bytes = t->param_floats * sizeof(float);
    const int guided = guide && d->guidance != 1 && t->guide_noise;
    const float guidance = (float)d->guidance;
    float *x = plan_buffer(p, t->noisy), *level = plan_buffer(p, t->level);
    float *noise_rate = plan_buffer(p, t->noise_rate);
    float *inv_signal = t->inv_signal >= 0 ? plan_buffer(p, t->inv_signal) : NULL;
    float *signal = t->signal >= 0 ? plan_buffer(p, t->signal) : NULL;
    const float *pred_noise = plan_buffer(p, t->pred_noise), *pred_image = plan_buffer(p, t->pred_image);
    /* What each step moves on from: the model's predictions, or with a
     * guide the guided ones (written over the guide's). */
    const float *step_image = guided ? t->guide_image : pred_image;
    /* The pixels' range [0, 1], standardised, for diffusion.clip_denoised. */
    const float low = standardise(t->data, 0.0f), high = standardise(t->data, 1.0f);
    if (!guided)
        memcpy(t->sample_params, params, bytes);
    for (size_t i = 0; i < count; i++)
        x[i] = rng_normal(t->variant->train.seed, RNG_SAMPLE, noise_set, i);
    float time = 1.0f;
    for (int s = 0; s < steps; s++) {
        if (t->step_images)
            for (size_t i = 0; i < count; i++)
                t->step_images[(size_t)s * count + i] = unstandardise(t->data, x[i]);
        const struct diffusion_rates now = diffusion_rates(d, time);
        for (int b = 0; b < batch; b++) {
            level[b] = now.level;
            noise_rate[b] = now.noise;
            if (inv_signal)
                inv_signal[b] = 1.0f / now.signal;
            if (signal)
                signal[b] = now.signal;
        }
        if (guided) {
            memcpy(t->sample_params, guide, bytes);
            plan_run(p);
            memcpy(t->guide_noise, pred_noise, count * sizeof(float));
            memcpy(t->guide_image, pred_image, count * sizeof(float));
            memcpy(t->sample_params, params, bytes);
        }
        plan_run(p);
        if (guided)
            for (size_t i = 0; i < count; i++) {
                t->guide_noise[i] += guidance * (pred_noise[i] - t->guide_noise[i]);
                t->guide_image[i] += guidance * (pred_image[i] - t->guide_image[i]);
            }
        const float *step_noise = guided ? t->guide_noise : pred_noise;
        time -= 1.0f / (float)steps;
        const struct ddim_step step = ddim_step(now, diffusion_rates(d, time), d->eta);
        for (size_t i = 0; i < count; i++) {
            float image = step_image[i], noise = step_noise[i];
            if (d->clip_denoised)
                clip_denoised(now, low, high, x[i], &image, &noise);
            x[i] = step.image * image + step.noise * noise +
                   (step.fresh > 0 ? step.fresh * rng_normal(t->variant->train.seed, RNG_SAMPLE_STEP, noise_set,
                                                            (uint64_t)s * count + i)
                                   : 0.0f);
        }
    }
    for (size_t i = 0; i < count; i++)
        out[i] = unstandardise(t->data, d->clip_denoised ? fminf(fmaxf(step_image[i], low), high) : step_image[i]);
    if (t->step_images)
        memcpy(t->step_images + (size_t)steps * count, out, count * sizeof *out);
}
