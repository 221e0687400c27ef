/* The training steps of train.h: the seed's batches, one AdamW step each,
 * the EMA, and the checks that stop a diverging run within one step. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "runtime/base/finite.h"
#include "runtime/base/interrupt.h"
#include "runtime/base/mnist.h"
#include "runtime/base/rng.h"
#include "runtime/diffusion/train.h"
#include "kernels/image_ops.h"
#include "kernels/parallel.h"

#define PIXELS MNIST_IMAGE_PIXELS

/* After a training step: batch normalization's moving statistics follow
 * the batch's, as Keras updates them in the forward pass. */
static void update_moving_statistics(struct trainer *t)
{
    const struct graph *g = &t->variant->graph;
    for (int id = 0; id < g->count; id++) {
        const struct node *n = &g->nodes[id];
        if (n->op != OP_BATCH_NORM || !plan_buffer(&t->step_plan, id))
            continue;
        const int channels = n->shape.dims[2];
        const float *stats = plan_batch_norm_stats(&t->step_plan, id);
        const size_t pixels = plan_node_floats(&t->step_plan, id) / (size_t)channels;
        batch_norm_update_moving(channels, n->beta, pixels, stats, stats + channels,
                                 t->params + g->nodes[n->inputs[1]].param_offset,
                                 t->params + g->nodes[n->inputs[2]].param_offset);
    }
}

/* The seed's pipeline: fixed batches of consecutive digits (the remainder
 * dropped), their order reshuffled each epoch; Fisher-Yates from the
 * counter-based generator, so the order depends on (seed, epoch) alone. */
static void shuffle_batches(struct trainer *t, int epoch, long batches)
{
    for (long i = 0; i < batches; i++)
        t->batch_order[i] = i;
    for (long i = batches - 1; i > 0; i--) {
        long j = (long)(rng_bits(t->variant->train.seed, RNG_SHUFFLE, (uint64_t)epoch, (uint64_t)i) %
                        (uint64_t)(i + 1));
        long swap = t->batch_order[i];
        t->batch_order[i] = t->batch_order[j];
        t->batch_order[j] = swap;
    }
}

/* Fills the step's inputs: clean images (standardised when the variant
 * says so), their noise, a diffusion time t ~ U[0, 1) per image and its
 * rates, noisy = signal clean + noise_rate noise, the level the network
 * is told and (train.p2_gamma) the loss scale, the times uniform or
 * (train.p2_sampling) drawn by their weight, all keyed by (seed, step, image), so the threads can split the
 * images. */
static void fill_batch(struct trainer *t, long batch_index)
{
    const struct plan *p = &t->step_plan;
    const int batch = t->variant->train.batch_size;
    const uint64_t seed = t->variant->train.seed, step = (uint64_t)t->step;
    float *clean = plan_buffer(p, t->clean), *noise = plan_buffer(p, t->noise);
    float *noisy = plan_buffer(p, t->noisy), *level = plan_buffer(p, t->level);
    float *noise_rate = plan_buffer(p, t->noise_rate);
    float *inv_signal = t->inv_signal >= 0 ? plan_buffer(p, t->inv_signal) : NULL;
    float *signal = t->signal >= 0 ? plan_buffer(p, t->signal) : NULL;
    float *loss_scale = t->loss_scale >= 0 ? plan_buffer(p, t->loss_scale) : NULL;
#pragma omp parallel for schedule(static)
    for (int b = 0; b < batch; b++) {
        const unsigned char *image = t->pixels + ((size_t)batch_index * batch + (size_t)b) * PIXELS;
        const float u = rng_uniform(seed, RNG_TIME, step, (uint64_t)b);
        const struct diffusion_rates rates =
            diffusion_rates(&t->variant->diffusion, t->time_sampler ? p2_sample_time(t->time_sampler, u) : u);
        level[b] = rates.level;
        noise_rate[b] = rates.noise;
        if (inv_signal)
            inv_signal[b] = 1.0f / rates.signal;
        if (signal)
            signal[b] = rates.signal;
        if (loss_scale) {
            const double weight = p2_weight(rates, t->variant->train.p2_gamma);
            const double scale = t->time_sampler ? t->time_sampler->mean_weight / weight : weight;
            loss_scale[b] = (float)(t->variant->train.loss == LOSS_MSE ? sqrt(scale) : scale);
        }
        for (int i = 0; i < PIXELS; i++) {
            size_t at = (size_t)b * PIXELS + (size_t)i;
            clean[at] = standardise(t->data, image[i] * MNIST_PIXEL_SCALE);
            noise[at] = rng_normal(seed, RNG_NOISE, step, at);
            noisy[at] = rates.signal * clean[at] + rates.noise * noise[at];
        }
    }
}

/* Copies each parameter's gradient into the flat gradient buffer, in the
 * parameters' layout, for one AdamW call over all of them. */
static void gather_gradients(struct trainer *t)
{
    const struct graph *g = &t->variant->graph;
    for (int i = 0; i < t->param_count; i++) {
        const struct node *n = &g->nodes[t->param_nodes[i]];
        memcpy(t->grads + n->param_offset, plan_buffer(&t->step_plan, t->grad_nodes[i]),
               shape_size(&n->shape) * sizeof(float));
    }
}

double learning_rate_at(const struct train_config *c, long step, long total_steps)
{
    if (!c->cosine_decay || total_steps < 1)
        return c->learning_rate;
    const double pi = acos(-1.0);
    return c->learning_rate * 0.5 * (1.0 + cos(pi * (double)(step - 1) / (double)total_steps));
}

/* One AdamW step over every trained run of parameters, then the EMA. */
static void update_weights(struct trainer *t, long total_steps)
{
    const struct train_config *c = &t->variant->train;
    const float learning_rate = (float)learning_rate_at(c, t->step, total_steps);
    for (int run = 0; run < t->trained_runs; run++) {
        const size_t at = t->trained[run][0];
        parallel_adamw(t->kernels->adamw_step, t->trained[run][1], t->params + at, t->grads + at, t->adam_m + at,
                       t->adam_v + at, learning_rate, ADAMW_BETA1, ADAMW_BETA2, ADAMW_EPSILON,
                       (float)c->weight_decay, t->step);
    }
    if (t->ema) {
        /* Keras updates the EMA from step 0 with a fixed decay; the
         * warm-up lets early steps weigh more (t->step is n + 1). */
        double decay = c->ema;
        if (c->ema_warmup && (double)t->step / (9.0 + (double)t->step) < decay)
            decay = (double)t->step / (9.0 + (double)t->step);
        parallel_ema(t->kernels->ema_update, t->param_floats, (float)decay, t->params, t->ema);
    }
}

/* The first parameter tensor with a value that is not finite or whose
 * magnitude passes train.max_weight (its node id, *value the value), or -1. */
static int find_bad_weight(const struct trainer *t, float *value)
{
    const struct graph *g = &t->variant->graph;
    const float bound = (float)t->variant->train.max_weight;
    for (int i = 0; i < t->param_count; i++) {
        const struct node *n = &g->nodes[t->param_nodes[i]];
        const float *p = t->params + n->param_offset;
        const size_t count = shape_size(&n->shape);
        const int bad = any_magnitude_above(p, count, bound);
        for (size_t j = 0; bad && j < count; j++)
            if (!(fabsf(p[j]) <= bound)) {
                *value = p[j];
                return t->param_nodes[i];
            }
    }
    return -1;
}

/* A node in a message: its name or op, and where the layer was written. */
static void describe_node(const struct graph *g, int id, char *out, size_t size)
{
    const struct node *n = &g->nodes[id];
    snprintf(out, size, "%s (%s)", n->name[0] ? n->name : graph_op_name(n->op),
             n->location[0] ? n->location : "no location");
}

/* The step whose noise loss is not finite, run again node by node from the
 * same batch (the weights are not yet updated) to name the first tensor
 * that went bad. */
static void explain_nonfinite_loss(struct trainer *t, int epoch, long step, long batch_index, double loss,
                                   char *err, size_t errlen)
{
    char node[256] = "none (the loss alone)";
    fill_batch(t, batch_index);
    const int bad = plan_run_to_first_nonfinite(&t->step_plan);
    if (bad >= 0)
        describe_node(&t->variant->graph, bad, node, sizeof node);
    snprintf(err, errlen, "variant %s seed %llu diverged at epoch %d step %ld: noise loss %g; first non-finite tensor: %s",
             t->variant->name, (unsigned long long)t->variant->train.seed, epoch + 1, step + 1, loss, node);
}

enum train_stop trainer_steps(struct trainer *t, int epoch, long every, struct epoch_progress *p,
                              struct progress *progress, char *err, size_t errlen)
{
    const struct train_config *c = &t->variant->train;
    const long steps = t->image_count / c->batch_size;
    const double start = progress_clock(), seconds_before = p->seconds;
    enum train_stop stop = TRAIN_EPOCH_END;
    shuffle_batches(t, epoch, steps);
    while (p->steps < steps) {
        const long s = p->steps;
        fill_batch(t, t->batch_order[s]);
        plan_run(&t->step_plan);
        const double noise_loss = plan_buffer(&t->step_plan, t->noise_loss)[0];
        const double image_loss = plan_buffer(&t->step_plan, t->image_loss)[0];
        if (!isfinite(noise_loss)) {
            explain_nonfinite_loss(t, epoch, s, t->batch_order[s], noise_loss, err, errlen);
            stop = TRAIN_DIVERGED;
            break;
        }
        gather_gradients(t);
        update_moving_statistics(t);
        t->step++;
        update_weights(t, steps * c->epochs);
        float value;
        const int bad = find_bad_weight(t, &value);
        if (bad >= 0) {
            char node[256];
            describe_node(&t->variant->graph, bad, node, sizeof node);
            snprintf(err, errlen, "variant %s seed %llu diverged at epoch %d step %ld: weight %s holds %g "
                     "(train.max_weight %g)", t->variant->name, (unsigned long long)c->seed, epoch + 1, s + 1, node,
                     value, c->max_weight);
            stop = TRAIN_DIVERGED;
            break;
        }
        p->noise_sum += noise_loss;
        p->image_sum += image_loss;
        p->steps++;
        if (progress)
            progress_step(progress, epoch + 1, (int)p->steps, noise_loss, progress_clock());
        if (interrupt_requested()) {
            stop = TRAIN_INTERRUPTED;
            break;
        }
        if (every > 0 && t->step % every == 0 && p->steps < steps) {
            stop = TRAIN_CHECKPOINT_DUE;
            break;
        }
    }
    p->seconds = seconds_before + (progress_clock() - start);
    return stop;
}

void epoch_result_of(const struct trainer *t, const struct epoch_progress *p, struct epoch_result *r)
{
    r->noise_loss = p->steps ? p->noise_sum / (double)p->steps : NAN;
    r->image_loss = p->steps ? p->image_sum / (double)p->steps : NAN;
    r->seconds = p->seconds;
    r->images = p->steps * t->variant->train.batch_size;
}

int trainer_epoch(struct trainer *t, int epoch, struct progress *progress, struct epoch_result *r, char *err,
                  size_t errlen)
{
    struct epoch_progress p = { 0 };
    if (trainer_steps(t, epoch, 0, &p, progress, err, errlen) != TRAIN_EPOCH_END) {
        if (interrupt_requested())
            snprintf(err, errlen, "interrupted at epoch %d step %ld", epoch + 1, p.steps + 1);
        return -1;
    }
    epoch_result_of(t, &p, r);
    return 0;
}
