/* run_state.h: where one (variant, seed) run of an experiment is, saved as
 * <variant>/seed<N>/state.ddim (a checkpoint.h file) so that an
 * interrupted or killed run goes on from it (`ddim-lab resume RUN_DIR`)
 * and ends with the files an uninterrupted run writes, byte for byte.
 *
 * The runner saves it every train.checkpoint_every optimizer steps, at
 * every epoch's end, when the run is interrupted, when it diverges and
 * when it finishes. Each save replaces the previous one atomically
 * (files.h): a kill during a save leaves the previous state.
 *
 * Sections:
 *   config        the run's resolved config (config.lua's text): a resume checks it
 *   progress      RUN_PROGRESS_FIELDS doubles (struct run_progress, in its order)
 *   results_rows, timing_rows, metrics_rows   this run's rows of results.csv, timing.csv and
 *                 metrics.csv, in the order the run wrote them
 *   diverged      the divergence's message (a diverged run only)
 *   while the run is unfinished, its training state:
 *   params, adam_m, adam_v, params_ema (train.ema > 0), params_best, params_epoch_N (the
 *   weights sampled at the end of epoch N, with diffusion.guide_epoch, for the epochs done) and,
 *   with an EMA, params_raw_epoch_N (the weights themselves; checkpoint_model.h)
 * The batches' order and every random number are keyed by the seed, the
 * epoch and the optimizer step (train.h), so the counters are the rest. */
#ifndef DDIM_RUN_STATE_H
#define DDIM_RUN_STATE_H

#include <stddef.h>
#include "runtime/base/text.h"
#include "runtime/diffusion/train.h"

#define RUN_STATE_FILE "state.ddim"

enum run_phase {
    RUN_TRAINING = 0,   /* weights saved: training goes on from them */
    RUN_FINISHED = 1,   /* sampled, scored, checkpoint.ddim written: rows only */
    RUN_DIVERGED = 2,   /* stopped by divergence: rows only */
};

struct run_progress {
    enum run_phase phase;
    long step;                  /* optimizer steps taken (trainer.step) */
    int epochs;                 /* whole epochs done */
    struct epoch_progress epoch; /* the unfinished epoch's steps and sums */
    int best_epoch;             /* of the best epoch noise loss so far, 0 before the first epoch */
    double best_loss;
};
#define RUN_PROGRESS_FIELDS 10

/* What a run has saved: its progress, its rows and (phase RUN_TRAINING)
 * the training state, read into the trainer and the runner's buffers. */
struct run_rows {
    struct text results, timing, metrics;   /* this run's rows */
    char diverged[1024];                    /* the message of a diverged run, else "" */
};

/* Saves dir/state.ddim: the progress p, the rows, the resolved config and,
 * when p->phase is RUN_TRAINING, t's weights, moments and EMA, best (the
 * best epoch's weights) and the weights kept at the end of the first kept
 * epochs (epoch_weights, kept x kept_per_epoch(t) x t->param_floats). Returns 0, or -1 with ONE line in err. */
int run_state_save(const char *dir, const char *config, const struct run_progress *p, const struct run_rows *rows,
                   const struct trainer *t, const float *best, const float *epoch_weights, int kept,
                   char *err, size_t errlen);

/* Loads dir/state.ddim when it exists. Returns 1 when it was read (its
 * progress in *p, rows in *rows; with RUN_TRAINING the weights, moments
 * and EMA restored into t and the other buffers as save took them), 0 when
 * there is none, -1 with ONE line in err naming the file when it cannot be
 * used (corrupt, another config, other shapes). */
int run_state_load(const char *dir, const char *config, struct run_progress *p, struct run_rows *rows,
                   struct trainer *t, float *best, float *epoch_weights, int kept, char *err, size_t errlen);

/* The phase of dir/state.ddim in *phase: 1 when it was read, 0 when there
 * is none or it cannot be read (run_state_load then says why). */
int run_state_phase(const char *dir, enum run_phase *phase);

void run_rows_free(struct run_rows *rows);

#endif
