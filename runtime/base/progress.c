/* Training progress: a redrawn line on a terminal, a line per epoch always
 * (formats in progress.h). */
#include <time.h>
#include <unistd.h>
#include "runtime/base/progress.h"

/* "\r" returns to the start of the line; ESC [ K erases from the cursor to
 * the end of the line, i.e. what is left of a longer previous line. */
#define LINE_START "\r"
#define ERASE_TO_END "\033[K"

double progress_clock(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

void progress_start(struct progress *progress, FILE *out, const char *variant, int epochs,
                    int steps_per_epoch, int batch, double now)
{
    *progress = (struct progress){
        .out = out,
        .redraw = isatty(fileno(out)),
        .epochs = epochs,
        .steps_per_epoch = steps_per_epoch,
        .batch = batch,
        .start_time = now,
        .last_draw_time = now - PROGRESS_REDRAW_SECONDS, /* the first step draws */
    };
    snprintf(progress->variant, sizeof progress->variant, "%s", variant);
}

/* Seconds as "mm:ss" (minutes may exceed 59 and take more digits). */
static void format_minutes(char *text, size_t size, double seconds)
{
    if (!(seconds >= 0) || seconds > 99999 * 60) {
        snprintf(text, size, "--:--");
        return;
    }
    int whole = (int)(seconds + 0.5);
    snprintf(text, size, "%02d:%02d", whole / 60, whole % 60);
}

void progress_step(struct progress *progress, int epoch, int step, double loss, double now)
{
    if (!progress->redraw)
        return;
    if (epoch != progress->loss_epoch) {
        progress->loss_epoch = epoch;
        progress->loss_sum = 0;
        progress->loss_steps = 0;
    }
    progress->loss_sum += loss;
    progress->loss_steps++;
    if (now - progress->last_draw_time < PROGRESS_REDRAW_SECONDS)
        return;
    progress->last_draw_time = now;

    long total_steps = (long)progress->epochs * progress->steps_per_epoch;
    long done_steps = (long)(epoch - 1) * progress->steps_per_epoch + step;
    double elapsed = now - progress->start_time;
    double images_per_second = elapsed > 0 ? done_steps * (double)progress->batch / elapsed : 0;
    char eta[32];
    format_minutes(eta, sizeof eta,
                   elapsed > 0 && done_steps > 0
                       ? (double)(total_steps - done_steps) * elapsed / (double)done_steps
                       : -1);
    fprintf(progress->out,
            LINE_START "%s  epoch %d/%d  step %d/%d  loss %.4f  %.0f img/s  ETA %s" ERASE_TO_END,
            progress->variant, epoch, progress->epochs, step, progress->steps_per_epoch,
            progress->loss_sum / progress->loss_steps, images_per_second, eta);
    fflush(progress->out);
    progress->line_shown = true;
}

void progress_clear(struct progress *progress)
{
    if (!progress->line_shown)
        return;
    fputs(LINE_START ERASE_TO_END, progress->out);
    fflush(progress->out);
    progress->line_shown = false;
}

void progress_epoch_end(struct progress *progress, int epoch, double noise_loss,
                        double image_loss, double seconds)
{
    progress_clear(progress);
    double images = (double)progress->steps_per_epoch * progress->batch;
    fprintf(progress->out,
            "%s  epoch %d/%d  noise loss %.4f  image loss %.4f  %.1f s  %.0f img/s\n",
            progress->variant, epoch, progress->epochs, noise_loss, image_loss, seconds,
            seconds > 0 ? images / seconds : 0);
    fflush(progress->out);
}
