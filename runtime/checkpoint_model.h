/* checkpoint_model.h: the checkpoint a run saves for each variant and seed
 * (OUT/<experiment>/<time>/<variant>/seed<N>/checkpoint.ddim, a checkpoint.h
 * file), and how the run draws its samples.
 *
 * Sections:
 *   config        the run's resolved config (Lua source)
 *   variant       the variant's name
 *   experiment    the experiment file's path, as the run was given it
 *   options       what changed the config, one per line: "--quick", "key.path=value"
 *   seed          uint64: the variant's train.seed in that run
 *   params_best   the weights of the epoch with the best noise loss (float32, the graph's layout)
 *   params        the last epoch's weights
 *   adam_m, adam_v  AdamW's moments
 *   counters      4 doubles: optimizer steps, epochs, best epoch, best noise loss
 *   params_ema    the EMA of the weights, what the run sampled (only with train.ema > 0)
 * Checkpoints saved before `ddim-lab sample` existed lack experiment,
 * options and seed. */
#ifndef DDIM_CHECKPOINT_MODEL_H
#define DDIM_CHECKPOINT_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "checkpoint.h"
#include "config.h"
#include "train.h"

#define SAMPLE_BATCH 64   /* images per trainer_sample: the samples' noise set b is batch b */

/* Writes dir/checkpoint.ddim, the checkpoint of variant t->variant of
 * experiment e, which the options o changed: t's state, best (the best
 * epoch's weights) and counters (see above). Returns 0, or -1 with ONE
 * line in err. */
int save_run_checkpoint(const char *dir, const struct experiment *e, const struct experiment_options *o,
                        const struct trainer *t, const float *best, const double counters[4], char *err,
                        size_t errlen);

/* Draws count samples [count, 28, 28] with weights into out, SAMPLE_BATCH
 * at a time through batch (room for SAMPLE_BATCH images; t samples
 * SAMPLE_BATCH at once): noise set b is batch b, a last partial batch keeps
 * its first images. So a run and `ddim-lab eval` that draw as many get the
 * same samples. */
void draw_samples(struct trainer *t, const float *weights, long count, float *out, float *batch);

#endif
