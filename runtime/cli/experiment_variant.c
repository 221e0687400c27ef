/* One variant of an experiment at one seed: trained (from its saved state
 * when a resumed run has one), sampled and scored (experiment_run.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/checkpoint.h"
#include "runtime/base/files.h"
#include "runtime/base/finite.h"
#include "runtime/base/interrupt.h"
#include "runtime/base/progress.h"
#include "runtime/base/rng.h"
#include "runtime/cli/experiment_run.h"
#include "runtime/config/config_fields.h"
#include "runtime/diffusion/checkpoint_model.h"
#include "runtime/diffusion/run_state.h"
#include "runtime/diffusion/train.h"
#include "runtime/report/image_grid.h"
#include "runtime/report/report.h"

static void append_metrics(struct text *t, const char *variant, uint64_t seed, int steps, const char *classifier,
                           const char *sha256, const struct sample_scores *m)
{
    text_append(t, "%s,%llu,%ld,%d,", variant, (unsigned long long)seed, m->count, steps);
    append_csv_field(t, classifier);
    text_append(t, ",%s,%.6f,%.6f,%.6f,%.6f", sha256, m->fid, m->kid, m->recognisable, m->class_entropy);
    for (int c = 0; c < METRIC_CLASSES; c++)
        text_append(t, ",%.6f", m->class_share[c]);
    text_append(t, "\n");
}

int score_data_floor(struct experiment_run *s, uint64_t seed, long count, char *err, size_t errlen)
{
    long *order = malloc(MNIST_TRAIN_COUNT * sizeof *order);
    float *images = malloc((size_t)count * MNIST_IMAGE_PIXELS * sizeof *images);
    int status = -1;
    if (!order || !images || count > MNIST_TRAIN_COUNT) {
        snprintf(err, errlen, "the data floor: out of memory for %ld digits", count);
        goto done;
    }
    /* A partial Fisher-Yates from the seed: count digits without replacement. */
    for (long i = 0; i < MNIST_TRAIN_COUNT; i++)
        order[i] = i;
    for (long i = 0; i < count; i++) {
        long j = i + (long)(rng_bits(seed, RNG_DATA_FLOOR, 0, (uint64_t)i) % (uint64_t)(MNIST_TRAIN_COUNT - i));
        long swap = order[i];
        order[i] = order[j];
        order[j] = swap;
        for (int p = 0; p < MNIST_IMAGE_PIXELS; p++)
            images[(size_t)i * MNIST_IMAGE_PIXELS + p] =
                s->all.pixels[(size_t)order[i] * MNIST_IMAGE_PIXELS + p] * MNIST_PIXEL_SCALE;
    }
    struct sample_scores scores;
    if (score_images(&s->scorer.classifier, &s->scorer.test_reference, images, count, &scores, err, errlen))
        goto done;
    append_metrics(&s->metrics, REPORT_FLOOR, seed, 0, s->options->classifier, s->scorer.classifier_sha256,
                   &scores);
    printf("data floor, seed %llu: FID %.2f  KID %.4f  recognisable %.1f%%  class entropy %.2f bits\n",
           (unsigned long long)seed, scores.fid, scores.kid, 100 * scores.recognisable, scores.class_entropy);
    fflush(stdout);
    if (scores.recognisable < SCORER_MIN_FLOOR_RECOGNISABLE && count >= 100)
        fprintf(stderr, "ddim-lab: warning: %s finds only %.1f%% of %ld training digits recognisable (below %.0f%%): "
                "the classifier is weak, and the run's recognisable %% and FID with it\n", s->options->classifier,
                100 * scores.recognisable, count, 100 * SCORER_MIN_FLOOR_RECOGNISABLE);
    status = 0;
done:
    free(order);
    free(images);
    return status;
}

/* The grid of the first grid x grid of the available samples (fewer when
 * fewer are drawn: sample.metric_samples may be below grid^2), captioned
 * with the variant, its seed and caption (the epoch, or the scores). */
static int write_grid(const char *dir, const char *file, const struct variant *v, const char *caption,
                      const float *samples, long available, char *err, size_t errlen)
{
    char path[1100], text[256];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(text, sizeof text, "%s, seed %llu: %s", v->name, (unsigned long long)v->train.seed, caption);
    long count = (long)v->sample.grid * v->sample.grid;
    if (count > SAMPLE_BATCH)
        count = SAMPLE_BATCH;
    if (count > available)
        count = available;
    return write_captioned_grid_png(path, text, samples, (int)count, MNIST_SIDE, MNIST_SIDE, v->sample.grid,
                                    v->sample.scale, err, errlen);
}

/* The guide's weights among the kept epochs' (checkpoint_model.h: the
 * sampled ones of its epoch), or NULL when v has no diffusion.guide_epoch. */
static const float *guide_weights(const struct variant *v, const struct trainer *t, const float *epoch_weights)
{
    const int epoch = v->diffusion.guide_epoch;
    return epoch > 0 ? epoch_weights + (size_t)(epoch - 1) * kept_per_epoch(t) * t->param_floats : NULL;
}

/* A variant's run at one seed while it goes: its trainer, its buffers and
 * where it is (run_state.h), its own rows besides the experiment's. */
struct seed_run {
    struct experiment_run *s;
    struct variant *v;
    struct run_entry *entry;
    char dir[1024];                 /* <run>/<variant>/seed<N> */
    struct trainer t;
    float *best, *samples, *batch;
    /* With diffusion.guide_epoch: the sampled weights at the end of every
     * epoch before the last, the guide's among them (eval may pick another). */
    float *epoch_weights;
    int kept_epochs;
    struct run_progress progress;
    struct run_rows rows;
};

/* Appends a row to the experiment's text and to the run's own copy. */
static void add_row(struct text *experiment, struct text *own, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
static void add_row(struct text *experiment, struct text *own, const char *format, ...)
{
    char row[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(row, sizeof row, format, args);
    va_end(args);
    text_append(experiment, "%s", row);
    text_append(own, "%s", row);
}

static int save_state(struct seed_run *r, char *err, size_t errlen)
{
    r->progress.step = r->t.step;
    return run_state_save(r->dir, r->s->e->resolved, &r->progress, &r->rows, &r->t, r->best, r->epoch_weights,
                          r->kept_epochs, err, errlen);
}

/* After epoch's last step: its rows, the best weights, the kept weights,
 * its grid, the files, then the state that says it is done. */
static int end_epoch(struct seed_run *r, struct progress *progress, char *err, size_t errlen)
{
    struct trainer *t = &r->t;
    const int epoch = r->progress.epochs;
    const unsigned long long seed = (unsigned long long)r->v->train.seed;
    struct epoch_result er;
    epoch_result_of(t, &r->progress.epoch, &er);
    progress_epoch_end(progress, epoch + 1, er.noise_loss, er.image_loss, er.seconds);
    /* The seed's checkpoint: the weights of the best epoch noise loss. */
    if (er.noise_loss < r->progress.best_loss) {
        r->progress.best_loss = er.noise_loss;
        r->progress.best_epoch = epoch + 1;
        memcpy(r->best, t->params, t->param_floats * sizeof(float));
    }
    add_row(&r->s->results, &r->rows.results, "%s,%llu,%d,%.6f,%.6f,%.6f\n", r->v->name, seed, epoch + 1,
            er.noise_loss, er.image_loss, r->progress.best_loss);
    add_row(&r->s->timing, &r->rows.timing, "%s,%llu,%d,%.3f,%.1f\n", r->v->name, seed, epoch + 1, er.seconds,
            er.seconds > 0 ? (double)er.images / er.seconds : 0.0);
    const float *sampled = t->ema ? t->ema : t->params;
    if (epoch < r->kept_epochs) { /* the sampled weights, then with an EMA the weights themselves */
        float *kept = r->epoch_weights + (size_t)epoch * kept_per_epoch(t) * t->param_floats;
        memcpy(kept, sampled, t->param_floats * sizeof(float));
        if (t->ema)
            memcpy(kept + t->param_floats, t->params, t->param_floats * sizeof(float));
    }
    r->progress.epochs = epoch + 1;
    r->progress.epoch = (struct epoch_progress){ 0 };
    const float *guide = r->progress.epochs > r->v->diffusion.guide_epoch
                             ? guide_weights(r->v, t, r->epoch_weights)
                             : NULL;
    char name[32], caption[64];
    snprintf(name, sizeof name, "epoch_%02d.png", epoch + 1);
    snprintf(caption, sizeof caption, "epoch %d of %d", epoch + 1, r->v->train.epochs);
    trainer_sample(t, sampled, guide, 0, r->batch);
    return write_results(r->s, err, errlen) ||
                   write_grid(r->dir, name, r->v, caption, r->batch, SAMPLE_BATCH, err, errlen) ||
                   save_state(r, err, errlen)
               ? -1
               : 0;
}

/* Ends r as diverged, for the reason format says: the state keeps the
 * rows and why, not the weights; the other runs go on. Returns
 * RUN_VARIANT_DIVERGED, or -1 when the files cannot be written. */
static int stop_diverged(struct seed_run *r, char *err, size_t errlen, const char *format, ...)
    __attribute__((format(printf, 4, 5)));
static int stop_diverged(struct seed_run *r, char *err, size_t errlen, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vsnprintf(r->rows.diverged, sizeof r->rows.diverged, format, args);
    va_end(args);
    snprintf(r->entry->detail, sizeof r->entry->detail, "%s", r->rows.diverged);
    r->progress.phase = RUN_DIVERGED;
    r->entry->state = RUN_DIVERGED_STATE;
    fprintf(stderr, "ddim-lab: %s; the other runs go on\n", r->rows.diverged);
    return save_state(r, err, errlen) || write_results(r->s, err, errlen) ? -1 : RUN_VARIANT_DIVERGED;
}

/* The epochs from where the run is to the last. Returns 0 when they are
 * done, RUN_VARIANT_DIVERGED or RUN_VARIANT_INTERRUPTED (the state saved
 * either way), or -1. */
static int train_epochs(struct seed_run *r, char *err, size_t errlen)
{
    struct progress progress;
    char label[96];
    const long steps = r->t.image_count / r->v->train.batch_size;
    snprintf(label, sizeof label, "%s seed %llu", r->v->name, (unsigned long long)r->v->train.seed);
    progress_start(&progress, stderr, label, r->v->train.epochs, (int)steps, r->v->train.batch_size,
                   progress_clock());
    while (r->progress.epochs < r->v->train.epochs) {
        const enum train_stop stop = trainer_steps(&r->t, r->progress.epochs, r->v->train.checkpoint_every,
                                                   &r->progress.epoch, &progress, err, errlen);
        if (stop != TRAIN_EPOCH_END && stop != TRAIN_CHECKPOINT_DUE)
            progress_clear(&progress);
        if (stop == TRAIN_DIVERGED) {
            char message[1024];
            snprintf(message, sizeof message, "%s", err);
            return stop_diverged(r, err, errlen, "%s", message);
        }
        if (stop == TRAIN_INTERRUPTED) {
            snprintf(r->entry->detail, sizeof r->entry->detail, "at epoch %d step %ld",
                     r->progress.epochs + 1, r->progress.epoch.steps);
            return save_state(r, err, errlen) ? -1 : RUN_VARIANT_INTERRUPTED;
        }
        if (stop == TRAIN_CHECKPOINT_DUE ? save_state(r, err, errlen) : end_epoch(r, &progress, err, errlen))
            return -1;
    }
    return 0;
}

/* The samples scored: from the EMA of the weights when the variant keeps
 * one (as the Keras example samples), else from the best epoch's; then the
 * grid, the checkpoint and the state that says the run is finished. */
static int sample_and_score(struct seed_run *r, char *err, size_t errlen)
{
    struct trainer *t = &r->t;
    struct experiment_run *s = r->s;
    const struct variant *v = r->v;
    const long scored = v->sample.metric_samples;
    const double start = progress_clock();
    printf("%s, seed %llu: sampling %ld digits (%d steps%s) and scoring them\n", v->name,
           (unsigned long long)v->train.seed, scored, v->diffusion.steps, v->diffusion.guidance != 1 ? ", guided" : "");
    fflush(stdout);
    if (draw_samples(t, t->ema ? t->ema : r->best, guide_weights(v, t, r->epoch_weights), scored,
                     r->samples, r->batch)) {
        snprintf(r->entry->detail, sizeof r->entry->detail, "interrupted while sampling");
        return RUN_VARIANT_INTERRUPTED; /* the state of the last epoch's end is saved */
    }
    const struct non_finite bad = find_non_finite(r->samples, (size_t)scored * MNIST_IMAGE_PIXELS);
    if (bad.count) /* finite weights, samples that are not: diverged all the same, never scored */
        return stop_diverged(r, err, errlen, "variant %s seed %llu diverged in sampling: its samples hold %zu "
                             "non-finite values (the first, %s, in sample %zu): not scored", v->name,
                             (unsigned long long)v->train.seed, bad.count, non_finite_name(bad.first_value),
                             bad.first / MNIST_IMAGE_PIXELS + 1);
    struct sample_scores scores;
    if (score_images(&s->scorer.classifier, &s->scorer.test_reference, r->samples, scored, &scores, err, errlen))
        return -1;
    struct text row = { 0 };
    append_metrics(&row, v->name, v->train.seed, v->diffusion.steps, s->options->classifier,
                   s->scorer.classifier_sha256, &scores);
    add_row(&s->metrics, &r->rows.metrics, "%s", row.text ? row.text : "");
    text_free(&row);
    printf("%s, seed %llu: noise loss %.4f  FID %.2f  KID %.4f  recognisable %.1f%%  class entropy %.2f bits  "
           "(sampled and scored in %.0f s)\n", v->name, (unsigned long long)v->train.seed, r->progress.best_loss,
           scores.fid, scores.kid, 100 * scores.recognisable, scores.class_entropy, progress_clock() - start);
    fflush(stdout);
    const double counters[4] = { (double)t->step, r->progress.epochs, r->progress.best_epoch, r->progress.best_loss };
    char caption[160];
    snprintf(caption, sizeof caption, "%ld samples scored, FID %.2f, %.1f%% recognisable", scored, scores.fid,
             100 * scores.recognisable);
    if (write_grid(r->dir, "samples.png", v, caption, r->samples, scored, err, errlen) ||
        save_run_checkpoint(r->dir, s->e, &s->options->experiment, t, r->best, r->epoch_weights, r->kept_epochs,
                            counters, err, errlen))
        return -1;
    r->progress.phase = RUN_FINISHED;
    r->entry->state = RUN_COMPLETE;
    return save_state(r, err, errlen) || write_results(s, err, errlen) ? -1 : 0;
}

/* Appends rows (CSV lines starting "from,") to out as variant to's. */
static void append_renamed_rows(struct text *out, const struct text *rows, const char *from, const char *to)
{
    const size_t skip = strlen(from) + 1;
    for (const char *line = rows->text; line && *line;) {
        const char *end = strchr(line, '\n');
        const int length = end ? (int)(end - line + 1) : (int)strlen(line);
        if ((size_t)length > skip && strncmp(line, from, skip - 1) == 0 && line[skip - 1] == ',')
            text_append(out, "%s,%.*s", to, length - (int)skip, line + skip);
        line += length;
    }
}

/* The weights of source's finished run in dir (its checkpoint.ddim) into
 * r, as r's own training would have left them: the last, best and EMA
 * weights, the kept epochs' (without an EMA, the raw ones of a source with
 * one) and the counters. */
static int take_trained_weights(struct seed_run *r, const struct variant *source, const char *dir, char *err,
                                size_t errlen)
{
    char path[1100], name[CHECKPOINT_NAME_SIZE] = "counters";
    snprintf(path, sizeof path, "%s/checkpoint.ddim", dir);
    struct checkpoint c;
    if (checkpoint_read(path, &c, err, errlen))
        return -1;
    const size_t bytes = r->t.param_floats * sizeof(float);
    float *const targets[3] = { r->t.params, r->best, r->t.ema }; /* no EMA: t.ema is NULL */
    static const char *const names[3] = { "params", "params_best", "params_ema" };
    const struct checkpoint_section *counters = checkpoint_find(&c, "counters");
    int missing = !counters || counters->size != 4 * sizeof(double);
    const int per_epoch = kept_per_epoch(&r->t), raw_only = !r->t.ema && source->train.ema > 0;
    for (int i = 0; i < 3 + r->kept_epochs * per_epoch && !missing; i++) {
        float *target = i < 3 ? targets[i] : r->epoch_weights + (size_t)(i - 3) * r->t.param_floats;
        if (i < 3)
            snprintf(name, sizeof name, "%s", names[i]);
        else /* set i - 3 of r's, from the source's sets of 2 a kept epoch when raw_only */
            kept_weights_name(raw_only ? 2 * (i - 3) + 1 : i - 3, raw_only ? 2 : per_epoch, name);
        const struct checkpoint_section *section = target ? checkpoint_find(&c, name) : NULL;
        missing = target && (!section || section->size != bytes);
        if (target && !missing)
            memcpy(target, section->data, bytes);
    }
    double n[4];
    if (!missing)
        memcpy(n, counters->data, sizeof n);
    checkpoint_free(&c);
    if (missing)
        return path_error(err, errlen, path, "cannot sample %s from it: its %s is missing or of another size",
                          r->v->name, name);
    r->t.step = (long)n[0];
    r->progress = (struct run_progress){ .phase = RUN_TRAINING, .step = (long)n[0], .epochs = (int)n[1],
                                         .best_epoch = (int)n[2], .best_loss = n[3] };
    return 0;
}

/* r's run when its variant trains as `source` does: that run's rows at
 * this seed, renamed, and its weights; then r's own sampling and scoring. */
static int sample_from_training_of(struct seed_run *r, const struct variant *source, char *err, size_t errlen)
{
    struct experiment_run *s = r->s;
    const unsigned long long seed = (unsigned long long)r->v->train.seed;
    char dir[1024];
    struct run_progress done;
    struct run_rows rows = { 0 };
    run_seed_directory(s, source->name, r->v->train.seed, dir, sizeof dir);
    const int loaded = run_state_load(dir, s->e->resolved, &done, &rows, &r->t, r->best, NULL, 0, err, errlen);
    if (loaded == 0 || (loaded > 0 && done.phase == RUN_TRAINING))
        snprintf(err, errlen, "%s: variant %s samples from %s's training at seed %llu, which has not finished",
                 dir, r->v->name, source->name, seed);
    if (loaded <= 0 || done.phase == RUN_TRAINING)
        return run_rows_free(&rows), -1;
    append_renamed_rows(&r->rows.results, &rows.results, source->name, r->v->name);
    append_renamed_rows(&r->rows.timing, &rows.timing, source->name, r->v->name);
    text_append(&s->results, "%s", r->rows.results.text ? r->rows.results.text : "");
    text_append(&s->timing, "%s", r->rows.timing.text ? r->rows.timing.text : "");
    run_rows_free(&rows);
    if (done.phase == RUN_DIVERGED)
        return stop_diverged(r, err, errlen, "variant %s seed %llu trains as %s, whose training diverged",
                             r->v->name, seed, source->name);
    if (take_trained_weights(r, source, dir, err, errlen))
        return -1;
    printf("%s, seed %llu: trains as %s does (they differ only in how they sample), so it samples from %s's "
           "training\n", r->v->name, seed, source->name, source->name);
    return sample_and_score(r, err, errlen);
}

void find_shared_trainings(struct experiment_run *s)
{
    const struct experiment *e = s->e;
    for (int i = 0; i < e->variant_count; i++) {
        const struct variant *v = &e->variants[i];
        s->trained_as[i] = i;
        for (int j = 0; j < i && s->trained_as[i] == i; j++) {
            const struct variant *u = &e->variants[j];
            if (s->trained_as[j] == j && u->output == v->output && graph_same_model(&u->graph, &v->graph) &&
                config_trains_alike(u, v, e->seed_count > 0))
                s->trained_as[i] = j;
        }
    }
}

/* The trainer and the buffers of r, for v at its seed. */
void run_seed_directory(const struct experiment_run *s, const char *variant, uint64_t seed, char *out, size_t size)
{
    snprintf(out, size, "%s/%s/seed%llu", s->dir, variant, (unsigned long long)seed);
}

static int seed_run_create(struct seed_run *r, char *err, size_t errlen)
{
    const struct variant *v = r->v;
    const struct mnist_dataset train_set = variant_training_set(v, &r->s->all);
    run_seed_directory(r->s, v->name, v->train.seed, r->dir, sizeof r->dir);
    r->kept_epochs = v->diffusion.guide_epoch > 0 ? v->train.epochs - 1 : 0;
    r->progress = (struct run_progress){ .phase = RUN_TRAINING, .best_loss = INFINITY };
    if (make_directories(r->dir, err, errlen) || trainer_create(&r->t, r->v, r->s->ctx->kernels, train_set.pixels,
                                                                (long)train_set.count, SAMPLE_BATCH, err, errlen))
        return -1;
    const size_t bytes = r->t.param_floats * sizeof(float);
    r->best = malloc(bytes);
    r->samples = malloc((size_t)v->sample.metric_samples * MNIST_IMAGE_PIXELS * sizeof(float));
    r->batch = malloc((size_t)SAMPLE_BATCH * MNIST_IMAGE_PIXELS * sizeof(float));
    r->epoch_weights = r->kept_epochs ? malloc((size_t)r->kept_epochs * kept_per_epoch(&r->t) * bytes) : NULL;
    if (!r->best || !r->samples || !r->batch || (r->kept_epochs && !r->epoch_weights)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static void seed_run_free(struct seed_run *r)
{
    free(r->best);
    free(r->epoch_weights);
    free(r->samples);
    free(r->batch);
    run_rows_free(&r->rows);
    trainer_free(&r->t);
}

int run_variant(struct experiment_run *s, struct variant *v, int entry, char *err, size_t errlen)
{
    const int model_nodes = v->graph.count;
    struct seed_run r = { .s = s, .v = v, .entry = &s->entries[entry] };
    int status = seed_run_create(&r, err, errlen);
    const int loaded = status ? -1
                              : run_state_load(r.dir, s->e->resolved, &r.progress, &r.rows, &r.t, r.best,
                                               r.epoch_weights, r.kept_epochs, err, errlen);
    if (loaded < 0) {
        status = -1;
        goto done;
    }
    /* A resumed run: the rows it had written come back first. */
    text_append(&s->results, "%s", r.rows.results.text ? r.rows.results.text : "");
    text_append(&s->timing, "%s", r.rows.timing.text ? r.rows.timing.text : "");
    text_append(&s->metrics, "%s", r.rows.metrics.text ? r.rows.metrics.text : "");
    r.entry->state = RUN_RUNNING;
    if (r.progress.phase == RUN_FINISHED) {
        r.entry->state = RUN_COMPLETE;
        goto done;
    }
    if (r.progress.phase == RUN_DIVERGED) {
        r.entry->state = RUN_DIVERGED_STATE;
        snprintf(r.entry->detail, sizeof r.entry->detail, "%s", r.rows.diverged);
        status = RUN_VARIANT_DIVERGED;
        goto done;
    }
    if (write_results(s, err, errlen)) { /* runs.csv: this one runs */
        status = -1;
        goto done;
    }
    const int source = s->trained_as[entry % s->e->variant_count];
    if (!loaded && source != entry % s->e->variant_count) {
        status = sample_from_training_of(&r, &s->e->variants[source], err, errlen);
    } else {
        if (loaded)
            printf("%s, seed %llu: going on from epoch %d, step %ld\n", v->name, (unsigned long long)v->train.seed,
                   r.progress.epochs + 1, r.progress.epoch.steps + 1);
        status = train_epochs(&r, err, errlen);
        if (status == 0)
            status = sample_and_score(&r, err, errlen);
    }
    r.entry->state = status == 0                         ? RUN_COMPLETE
                     : status == RUN_VARIANT_DIVERGED    ? RUN_DIVERGED_STATE
                     : status == RUN_VARIANT_INTERRUPTED ? RUN_INTERRUPTED
                                                         : RUN_RUNNING;
done:
    seed_run_free(&r);
    graph_truncate(&v->graph, model_nodes); /* the next seed's trainer starts from the model */
    return status;
}
