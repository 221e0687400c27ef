/* progress.h: training progress on a stream (stderr, usually).
 *
 * On a terminal, one line is redrawn in place as steps complete, at most
 * every PROGRESS_REDRAW_SECONDS:
 *
 *   unet  epoch 2/10  step 345/1093  loss 0.1234  5120 img/s  ETA 03:25
 *
 * (loss is the mean of this epoch's steps so far; img/s and ETA are over
 * all steps since progress_start). When the stream is not a terminal (a log
 * file, a pipe), steps print nothing. Either way each epoch ends in one
 * plain line, which on a terminal replaces the redrawn one:
 *
 *   unet  epoch 2/10  noise loss 0.1234  image loss 0.2345  21.4 s  3270 img/s
 *
 * Times are passed in, in seconds from any fixed origin (progress_clock()
 * gives a monotonic one), so that the output depends on the arguments alone.
 * Epochs and steps count from 1. */
#ifndef DDIM_PROGRESS_H
#define DDIM_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#define PROGRESS_REDRAW_SECONDS 0.1   /* at most 10 redraws per second */

struct progress {
    FILE *out;
    bool redraw;             /* out is a terminal: redraw a line per step (set
                                by progress_start; a caller may override it) */
    bool line_shown;         /* a redrawn line is on screen, without newline */
    char variant[96];        /* the label shown ("variant seed N"), truncated */
    int epochs, steps_per_epoch, batch;
    double start_time;       /* seconds, at progress_start */
    double last_draw_time;   /* seconds, at the last redraw */
    int loss_epoch;          /* the epoch loss_sum and loss_steps are for */
    double loss_sum;
    int loss_steps;
};

/* Seconds from CLOCK_MONOTONIC: for the now and seconds arguments. */
double progress_clock(void);

/* batch: images per step, for img/s. */
void progress_start(struct progress *progress, FILE *out, const char *variant, int epochs,
                    int steps_per_epoch, int batch, double now);

/* Step `step` of epoch `epoch` has completed with this loss. */
void progress_step(struct progress *progress, int epoch, int step, double loss, double now);

/* Epoch `epoch` has completed: its mean losses and its duration in seconds. */
void progress_epoch_end(struct progress *progress, int epoch, double noise_loss,
                        double image_loss, double seconds);

/* Erases the redrawn line, if one is shown, so that something else (an
 * error, say) can be printed on the stream. */
void progress_clear(struct progress *progress);

#endif
