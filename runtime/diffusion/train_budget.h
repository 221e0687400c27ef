/* train_budget.h: what training a variant takes, known from its settings
 * and its model graph before anything is loaded or allocated, so that a
 * run that cannot work is refused at once (runtime/cli/run_checks.h):
 * a batch larger than its training images makes no step, and a variant far
 * too big for the memory paged for minutes before the kernel's OOM killer
 * ended the run without a line.
 *
 * The memory estimate, in bytes:
 *   parameter copies  param_floats x 4 bytes x the copies a run holds: the weights, their gradients,
 *                     AdamW's two moments, the sampler's weights, the runner's best epoch, the EMA
 *                     (train.ema > 0), each kept epoch's (diffusion.guide_epoch: train.epochs - 1)
 *   activations       2 x the floats of every batched node of the model per image (the forward
 *                     values and their gradients, which the backward pass holds alongside) x 4 bytes,
 *                     for the training batch and the sampler's batch
 *   data              the 70,000 MNIST digits as bytes
 * The memory plan reuses buffers, so the activations are an upper bound; the
 * copies are exact. */
#ifndef DDIM_TRAIN_BUDGET_H
#define DDIM_TRAIN_BUDGET_H

#include <stddef.h>
#include "runtime/config/config.h"

/* How many images v trains on: its train.dataset's (all 70,000, train
 * 60,000, test 10,000), cut to train.max_images when that is set. The count
 * of variant_training_set (train.h) without the data, which a test holds it
 * to. */
size_t variant_training_count(const struct variant *v);

struct train_memory {
    double parameter_bytes;   /* all the copies */
    double activation_bytes;
    double data_bytes;
    int copies;               /* of the parameters */
};

/* The estimate for variant v (its graph the model's alone, as a loaded
 * experiment holds it), sampling sample_batch images at once. Returns the
 * total in bytes. Doubles: a graph's sizes may overflow what they are
 * multiplied into, and an estimate needs no more than 53 bits. */
double train_memory_estimate(const struct variant *v, int sample_batch, struct train_memory *out);

#endif
