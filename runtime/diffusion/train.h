/* train.h: a diffusion model trained and sampled with one variant's
 * network: the seed's (../shared/seed/README.md, "first version" and
 * "update 2") or the Keras example's, by the variant's schedule
 * (diffusion.h) and settings.
 *
 * Training step, per image: x the image (standardised when train.normalize),
 * noise ~ N(0, 1), t ~ U[0, 1) and its rates; noisy = signal x + noise_rate
 * noise; pred_noise = net(noisy, level); noise_loss = MAE (or MSE) of
 * pred_noise against noise drives AdamW; image_loss = MAE(x, pred_image) is
 * a metric, with pred_image = (noisy - noise_rate pred_noise - g) / signal
 * when the gradient trick is on (g = d(sum of pred_noise)/d(noisy), per
 * image) and without g when it is off. The seed's schedule has both rates 1
 * and level t^2. With diffusion.prediction = "velocity" the network's output
 * is v, trained towards signal noise - noise_rate x, and pred_noise and
 * pred_image follow from it and noisy (build_training_graph).
 *
 * Sampling: deterministic DDIM from x ~ N(0, 1) at t = 1 (see trainer_sample).
 */
#ifndef DDIM_TRAIN_H
#define DDIM_TRAIN_H

#include <stddef.h>
#include "runtime/config/config.h"
#include "runtime/diffusion/diffusion.h"
#include "runtime/graph/executor.h"
#include "runtime/base/mnist.h"
#include "runtime/base/progress.h"
#include "runtime/base/standardise.h"

struct trainer {
    struct variant *variant;       /* its graph grows the training nodes */
    const struct kernels *kernels;
    const unsigned char *pixels;   /* image_count x 28 x 28 MNIST bytes (see mnist.h) */
    long image_count;
    int param_count;               /* parameter tensors */
    int *param_nodes, *grad_nodes; /* per tensor */
    int noisy, level, clean, noise;    /* input nodes */
    int noise_rate, inv_signal, signal; /* input nodes, one value per sample: the schedule's rates
                                    * (1 / signal for noise prediction, signal for velocity, -1 for
                                    * the one the graph does not use) */
    int loss_scale;                /* input node, one value per sample: sqrt of its p2_weight (MAE: the
                                    * weight itself; train.p2_sampling: of Z / weight); -1 without
                                    * train.p2_gamma */
    struct p2_sampler *time_sampler;   /* train.p2_sampling's, else NULL */
    struct standardisation data;   /* of the images (mean 0, std 1: none) */
    int pred_noise, pred_image, noise_loss, image_loss;
    struct plan step_plan;         /* batch_size: losses and gradients */
    struct plan sample_plan;       /* sample batch: pred_noise, pred_image */
    int sample_batch;
    size_t param_floats;
    float *params, *grads, *adam_m, *adam_v;
    float *ema;                    /* EMA of params, NULL when off */
    float *sample_params;          /* the weights sample_plan runs with */
    float *step_images;            /* NULL, or where trainer_sample keeps the sample batch's noisy images
                                    * before each step and the samples after the last: (steps + 1) x
                                    * sample batch x 28 x 28, in pixel values (sample --strip) */
    float *guide_noise, *guide_image;  /* sample batch x 28 x 28 each: the guide's predictions, then the
                                    * guided ones (diffusion.guidance != 1), else NULL */
    long step;                     /* optimizer steps taken */
    long *batch_order;             /* this epoch's order of the fixed batches */
    size_t (*trained)[2];          /* [offset, floats) runs of trained parameters: AdamW's, not the state's */
    int trained_runs;
};

struct epoch_result {
    double noise_loss, image_loss; /* means over the epoch's steps */
    double seconds;
    long images;
};

/* The images variant v trains on, as a view into all (mnist_load_dataset's
 * "all": the 60,000 training digits, then the 10,000 test digits): its
 * train.dataset, cut to the first train.max_images when that is set. A run
 * trains on them; a model rebuilt from its checkpoint standardises with
 * them (train.normalize), as the run did. */
struct mnist_dataset variant_training_set(const struct variant *v, const struct mnist_dataset *all);

/* Keras' defaults for g's parameters: Glorot-uniform kernels, U(-l, l) with
 * l = sqrt(6 / (fan_in + fan_out)), from the counter-based generator keyed
 * by (seed, the parameter tensor's number in graph order, element); zero
 * biases; batch norm's moving variance ones. */
void init_parameters(const struct graph *g, uint64_t seed, float *params);

/* The learning rate of optimizer step `step` (1 = the first) of a run of
 * total_steps: train.learning_rate, or with train.cosine_decay
 * learning_rate (1 + cos(pi (step - 1) / total_steps)) / 2, from
 * learning_rate at the first step towards 0 after the last (Loshchilov and
 * Hutter's SGDR without restarts). */
double learning_rate_at(const struct train_config *c, long step, long total_steps);

/* Builds the training and sampling graphs and plans, and initialises the
 * parameters (Glorot uniform kernels, zero biases, from train.seed).
 * sample_batch: how many images trainer_sample draws at once. */
int trainer_create(struct trainer *t, struct variant *v, const struct kernels *k,
                   const unsigned char *pixels, long image_count, int sample_batch, char *err, size_t errlen);
void trainer_free(struct trainer *t);

/* How far an epoch has got: its steps taken, the sums of their losses and
 * the seconds they took; all zero at the epoch's start. With the trainer's
 * weights, moments, EMA and step count it is all a run needs to go on: the
 * batches' order and every random number are keyed by (seed, epoch) and
 * (seed, step), so the epoch's order is recomputed, not stored. */
struct epoch_progress {
    long steps;
    double noise_sum, image_sum, seconds;
};

/* Why trainer_steps returned. */
enum train_stop {
    TRAIN_EPOCH_END,        /* the epoch's last step is done */
    TRAIN_CHECKPOINT_DUE,   /* the optimizer step count reached a multiple of `every` */
    TRAIN_INTERRUPTED,      /* SIGINT or SIGTERM (interrupt.h), after a whole step */
    TRAIN_DIVERGED,         /* err says where and what: the step is not taken */
};

/* Runs the steps of epoch (counted from 0) from p->steps on, over the
 * seed's fixed batches of consecutive digits in an order reshuffled from
 * the seed and the epoch (the remainder dropped), reporting each step to
 * progress (when not NULL). It stops at the epoch's end, when t->step
 * reaches a multiple of every (0: never), on an interrupt, or when the
 * run diverges: a noise loss that is not finite (err names the first
 * non-finite tensor of that step) or a weight past train.max_weight (err
 * names it). A diverged step is not counted in p; its weights are not to be kept. */
enum train_stop trainer_steps(struct trainer *t, int epoch, long every, struct epoch_progress *p,
                              struct progress *progress, char *err, size_t errlen);

/* The means of a finished epoch's progress. */
void epoch_result_of(const struct trainer *t, const struct epoch_progress *p, struct epoch_result *r);

/* One whole epoch (trainer_steps from its start to its end), for the
 * benchmarks. Returns -1 with a message in err if it diverged or was
 * interrupted. */
int trainer_epoch(struct trainer *t, int epoch, struct progress *progress, struct epoch_result *r,
                  char *err, size_t errlen);

/* Draws sample_batch samples with the parameters in params (e.g. the best
 * checkpoint's) into out (sample_batch x 28 x 28): the last predicted
 * image, its standardisation undone, not yet clipped to [0, 1] (the grids
 * show it clipped and stretched). The initial noise depends on
 * (train.seed, noise_set) only. guide: the guide's weights
 * (diffusion.guide_epoch's), or NULL: unguided whatever
 * diffusion.guidance says. */
void trainer_sample(struct trainer *t, const float *params, const float *guide, uint64_t noise_set, float *out);

#endif
