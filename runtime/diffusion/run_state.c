/* A (variant, seed) run's state.ddim (run_state.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "runtime/base/checkpoint.h"
#include "runtime/base/files.h"
#include "runtime/diffusion/checkpoint_model.h"
#include "runtime/diffusion/run_state.h"

#define FIXED_SECTIONS 11 /* besides the kept weights (kept_weights_name) */

static void pack_progress(const struct run_progress *p, double out[RUN_PROGRESS_FIELDS])
{
    const double fields[RUN_PROGRESS_FIELDS] = {
        p->phase,        (double)p->step,     p->epochs,        (double)p->epoch.steps, p->epoch.noise_sum,
        p->epoch.image_sum, p->epoch.seconds, p->best_epoch,    p->best_loss,           1.0, /* format 1 */
    };
    memcpy(out, fields, sizeof fields);
}

static int unpack_progress(const double in[RUN_PROGRESS_FIELDS], struct run_progress *p)
{
    if (in[9] != 1.0 || in[0] < RUN_TRAINING || in[0] > RUN_DIVERGED || in[1] < 0 || in[2] < 0 || in[3] < 0)
        return -1;
    *p = (struct run_progress){ .phase = (enum run_phase)in[0], .step = (long)in[1], .epochs = (int)in[2],
                                .epoch = { (long)in[3], in[4], in[5], in[6] }, .best_epoch = (int)in[7],
                                .best_loss = in[8] };
    return 0;
}

static void add(struct checkpoint_section *sections, int *count, const char *name, const void *data, size_t size)
{
    struct checkpoint_section *s = &sections[(*count)++];
    snprintf(s->name, sizeof s->name, "%s", name);
    s->data = data ? data : "";
    s->size = data ? size : 0;
}

/* The kept weight sets the epochs done so far have filled. */
static int kept_so_far(const struct run_progress *p, int kept, const struct trainer *t)
{
    return (p->epochs < kept ? p->epochs : kept) * kept_per_epoch(t);
}

int run_state_save(const char *dir, const char *config, const struct run_progress *p, const struct run_rows *rows,
                   const struct trainer *t, const float *best, const float *epoch_weights, int kept,
                   char *err, size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, RUN_STATE_FILE);
    if (rows->results.failed || rows->timing.failed || rows->metrics.failed)
        return path_error(err, errlen, path, "out of memory for the run's rows");
    double progress[RUN_PROGRESS_FIELDS];
    pack_progress(p, progress);
    const int sets_kept = p->phase == RUN_TRAINING ? kept_so_far(p, kept, t) : 0;
    struct checkpoint_section *sections = calloc(FIXED_SECTIONS + (size_t)sets_kept, sizeof *sections);
    if (!sections)
        return path_error(err, errlen, path, "out of memory");
    int count = 0;
    add(sections, &count, "config", config, strlen(config));
    add(sections, &count, "progress", progress, sizeof progress);
    add(sections, &count, "results_rows", rows->results.text, rows->results.length);
    add(sections, &count, "timing_rows", rows->timing.text, rows->timing.length);
    add(sections, &count, "metrics_rows", rows->metrics.text, rows->metrics.length);
    if (p->phase == RUN_DIVERGED)
        add(sections, &count, "diverged", rows->diverged, strlen(rows->diverged));
    if (p->phase == RUN_TRAINING) {
        const size_t bytes = t->param_floats * sizeof(float);
        add(sections, &count, "params", t->params, bytes);
        add(sections, &count, "adam_m", t->adam_m, bytes);
        add(sections, &count, "adam_v", t->adam_v, bytes);
        if (t->ema)
            add(sections, &count, "params_ema", t->ema, bytes);
        add(sections, &count, "params_best", best, bytes);
        for (int set = 0; set < sets_kept; set++) { /* add() copies the name */
            char name[CHECKPOINT_NAME_SIZE];
            kept_weights_name(set, kept_per_epoch(t), name);
            add(sections, &count, name, epoch_weights + (size_t)set * t->param_floats, bytes);
        }
    }
    const int status = checkpoint_write(path, sections, count, err, errlen);
    free(sections);
    return status;
}

/* Section name of c, exactly size bytes, into out; -1 when missing or of
 * another size. */
static int read_section(const struct checkpoint *c, const char *name, void *out, size_t size)
{
    const struct checkpoint_section *s = checkpoint_find(c, name);
    if (!s || s->size != size)
        return -1;
    memcpy(out, s->data, size);
    return 0;
}

static int read_rows(const struct checkpoint *c, const char *name, struct text *out)
{
    const struct checkpoint_section *s = checkpoint_find(c, name);
    if (!s)
        return -1;
    if (s->size)
        text_append(out, "%.*s", (int)s->size, (const char *)s->data);
    return out->failed ? -1 : 0;
}

/* A text section, cut to fit out ("" when missing). */
static void read_message(const struct checkpoint *c, const char *name, char *out, size_t size)
{
    const struct checkpoint_section *s = checkpoint_find(c, name);
    const int length = s && s->size < size ? (int)s->size : s ? (int)size - 1 : 0;
    snprintf(out, size, "%.*s", length, s ? (const char *)s->data : "");
}

/* The training state of a RUN_TRAINING file into t and the buffers. */
static int read_training(const struct checkpoint *c, const struct run_progress *p, struct trainer *t, float *best,
                         float *epoch_weights, int kept, const char **problem)
{
    const size_t bytes = t->param_floats * sizeof(float);
    if (read_section(c, "params", t->params, bytes) || read_section(c, "adam_m", t->adam_m, bytes) ||
        read_section(c, "adam_v", t->adam_v, bytes) || read_section(c, "params_best", best, bytes) ||
        (t->ema && read_section(c, "params_ema", t->ema, bytes))) {
        *problem = "its weights are missing or of another network's size";
        return -1;
    }
    for (int set = 0; set < kept_so_far(p, kept, t); set++) {
        char name[CHECKPOINT_NAME_SIZE];
        kept_weights_name(set, kept_per_epoch(t), name);
        if (read_section(c, name, epoch_weights + (size_t)set * t->param_floats, bytes)) {
            *problem = "an epoch's kept weights are missing";
            return -1;
        }
    }
    t->step = p->step;
    return 0;
}

int run_state_load(const char *dir, const char *config, struct run_progress *p, struct run_rows *rows,
                   struct trainer *t, float *best, float *epoch_weights, int kept, char *err, size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, RUN_STATE_FILE);
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return 0;
    struct checkpoint c;
    if (checkpoint_read(path, &c, err, errlen))
        return -1;
    const char *problem = NULL;
    double progress[RUN_PROGRESS_FIELDS];
    const struct checkpoint_section *saved = checkpoint_find(&c, "config");
    if (!saved || saved->size != strlen(config) || memcmp(saved->data, config, saved->size) != 0)
        problem = "it was saved by a run of another config";
    else if (read_section(&c, "progress", progress, sizeof progress) || unpack_progress(progress, p))
        problem = "its progress section is missing or invalid";
    else if (read_rows(&c, "results_rows", &rows->results) || read_rows(&c, "timing_rows", &rows->timing) ||
             read_rows(&c, "metrics_rows", &rows->metrics))
        problem = "its rows are missing";
    else if (p->phase == RUN_DIVERGED)
        read_message(&c, "diverged", rows->diverged, sizeof rows->diverged);
    else if (p->phase == RUN_TRAINING)
        read_training(&c, p, t, best, epoch_weights, kept, &problem);
    checkpoint_free(&c);
    if (problem)
        return path_error(err, errlen, path, "cannot resume from it: %s", problem);
    return 1;
}

int run_state_phase(const char *dir, enum run_phase *phase)
{
    char path[1100], err[1024];
    snprintf(path, sizeof path, "%s/%s", dir, RUN_STATE_FILE);
    struct checkpoint c;
    if (checkpoint_read(path, &c, err, sizeof err))
        return 0;
    double progress[RUN_PROGRESS_FIELDS];
    struct run_progress p;
    const int read = !read_section(&c, "progress", progress, sizeof progress) && !unpack_progress(progress, &p);
    checkpoint_free(&c);
    if (read)
        *phase = p.phase;
    return read;
}

void run_rows_free(struct run_rows *rows)
{
    text_free(&rows->results);
    text_free(&rows->timing);
    text_free(&rows->metrics);
    rows->diverged[0] = '\0';
}
