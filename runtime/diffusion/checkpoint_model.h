/* checkpoint_model.h: the checkpoint a run saves for each variant and seed
 * (OUT/<experiment>/<time>/<variant>/seed<N>/checkpoint.ddim, a checkpoint.h
 * file), and the model rebuilt from one, which samples as the run did.
 *
 * Sections:
 *   config        the run's resolved config: its config.lua, an experiment file (lua_resolved.c) that
 *                 rebuilds the variant with every setting the run used
 *   variant       the variant's name
 *   experiment    the experiment file's path, as the run was given it
 *   options       what changed the config, one per line: "--quick", "key.path=value"
 *   seed          uint64: the variant's train.seed in that run
 *   params_best   the weights of the epoch with the best noise loss (float32, the graph's layout)
 *   params        the last epoch's weights
 *   counters      4 doubles: optimizer steps, epochs, best epoch, best noise loss
 *   params_ema    the EMA of the weights, what the run sampled (only with train.ema > 0)
 *   params_epoch_N  the weights the run sampled at the end of epoch N, for N from 1 to
 *                 train.epochs - 1 (only with diffusion.guide_epoch: the guide is one of them)
 *   params_raw_epoch_N  with an EMA too, epoch N's weights themselves: the guide of a variant
 *                 without the EMA that samples from this training (config_trains_alike)
 * No optimizer state: a finished run does not train on, and an unfinished
 * one resumes from its state.ddim (run_state.h); checkpoints saved before
 * this hold AdamW's moments too, as adam_m and adam_v, read by nothing.
 * Checkpoints saved before `ddim-lab sample` existed lack experiment,
 * options and seed; those saved before config.lua could run again hold a
 * config that returns a plain table, and are rebuilt from their experiment
 * file and options instead. */
#ifndef DDIM_CHECKPOINT_MODEL_H
#define DDIM_CHECKPOINT_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "runtime/base/checkpoint.h"
#include "runtime/config/config.h"
#include "runtime/base/mnist.h"
#include "runtime/diffusion/train.h"

#define SAMPLE_BATCH 64   /* images per trainer_sample: the samples' noise set b is batch b */

/* The weights kept at each epoch's end with diffusion.guide_epoch, epoch by
 * epoch: the sampled ones (the EMA's when the run keeps one), then with an
 * EMA the weights themselves. So set s of a run's kept weights is
 * epoch s / kept_per_epoch + 1, and its name (params_epoch_N or
 * params_raw_epoch_N) is kept_weights_name's. */
static inline int kept_per_epoch(const struct trainer *t)
{
    return t->ema ? 2 : 1;
}
void kept_weights_name(int set, int per_epoch, char name[CHECKPOINT_NAME_SIZE]);

/* Writes dir/checkpoint.ddim, the checkpoint of variant t->variant of
 * experiment e, which the options o changed: t's state, best (the best
 * epoch's weights), the first kept_epochs epochs' kept weights
 * (epoch_weights, kept_epochs x kept_per_epoch(t) x t->param_floats) and
 * counters (see above). Returns 0, or -1
 * with ONE line in err. */
int save_run_checkpoint(const char *dir, const struct experiment *e, const struct experiment_options *o,
                        const struct trainer *t, const float *best, const float *epoch_weights, int kept_epochs,
                        const double counters[4], char *err, size_t errlen);

/* Draws count samples [count, 28, 28] with weights (guided by guide, when
 * not NULL: trainer_sample) into out, SAMPLE_BATCH
 * at a time through batch (room for SAMPLE_BATCH images; t samples
 * SAMPLE_BATCH at once): noise set b is batch b, a last partial batch keeps
 * its first images. So a run and `ddim-lab eval` that draw as many get the
 * same samples. Returns 0, or -1 when SIGINT or SIGTERM stopped it
 * (interrupt.h; only a process that installed the handlers sees them). */
int draw_samples(struct trainer *t, const float *weights, const float *guide, long count, float *out, float *batch);

struct checkpoint_model_options {
    const char *experiment;   /* the experiment file whose network to take, or NULL: the one the checkpoint
                               * names (an older checkpoint's variant is rebuilt from it whole) */
    const char *weights;      /* "ema", "best" or "last", or NULL: ema when the checkpoint has it, else best */
    int override_count;
    char **overrides;         /* "key.path=value" over the run's settings (sample's --steps ...) */
    int has_noise_seed;       /* draw the samples' noise from noise_seed, not the run's seed (--seed) */
    uint64_t noise_seed;
};

struct checkpoint_model {
    struct checkpoint file;
    struct experiment experiment;  /* of the checkpoint's variant alone: variants[0] */
    struct mnist_dataset all;      /* loaded only when the variant standardises its images */
    struct trainer trainer;        /* samples SAMPLE_BATCH images at once */
    const char *weights_name;      /* "ema", "best" or "last" */
    uint64_t run_seed;             /* the seed the run trained at (train.seed is the noise's: --seed) */
    float *weights;                /* the chosen weights, trainer.param_floats of them */
    float *guide;                  /* the guide's (params_epoch_N, N = diffusion.guide_epoch) when
                                    * diffusion.guidance != 1, else NULL */
};

/* Rebuilds the variant the checkpoint at path was trained as: its config
 * section loaded as an experiment, for its variant and seed, with o's
 * settings over the run's (an older checkpoint's experiment file with the
 * run's options instead); its network checked against the checkpoint's weights, a
 * trainer created on kernels k (standardising with the variant's training
 * images from data_dir when it did), and the weights o asks for chosen
 * (refused, as the guide's are, when one of them is not finite).
 * Returns 0, or -1 with ONE line in err naming the file at fault (the
 * checkpoint, the experiment file, the MNIST data); m is then empty. */
int checkpoint_model_load(struct checkpoint_model *m, const char *path, const struct checkpoint_model_options *o,
                          const struct kernels *k, const char *data_dir, char *err, size_t errlen);
void checkpoint_model_free(struct checkpoint_model *m);

/* count samples of m (draw_samples), malloc'd, or NULL when out of memory. */
float *checkpoint_model_draw(struct checkpoint_model *m, long count);

/* How v samples, in words: "20 steps", with fresh noise "100 steps, eta 1",
 * guided "100 steps, eta 1, guidance 2 by epoch 1". Returns out. */
const char *sampler_words(const struct variant *v, char *out, size_t size);

#endif
