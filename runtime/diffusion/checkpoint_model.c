/* A run's checkpoint, written by the runner and read back into a model that
 * samples as the run did (checkpoint_model.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/diffusion/checkpoint_model.h"
#include "runtime/base/files.h"
#include "runtime/base/finite.h"
#include "runtime/base/interrupt.h"
#include "runtime/base/text.h"

void kept_weights_name(int set, int per_epoch, char name[CHECKPOINT_NAME_SIZE])
{
    snprintf(name, CHECKPOINT_NAME_SIZE, set % per_epoch ? "params_raw_epoch_%d" : "params_epoch_%d",
             set / per_epoch + 1);
}

int save_run_checkpoint(const char *dir, const struct experiment *e, const struct experiment_options *o,
                        const struct trainer *t, const float *best, const float *epoch_weights, int kept_epochs,
                        const double counters[4], char *err, size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/checkpoint.ddim", dir);
    struct text options = { 0 };
    if (o->quick)
        text_append(&options, "--quick\n");
    for (int i = 0; i < o->override_count; i++)
        text_append(&options, "%s\n", o->overrides[i]);
    const size_t bytes = t->param_floats * sizeof(float);
    const uint64_t seed = t->variant->train.seed;
    /* The weights sample and eval choose from (best, last, EMA, the guide's
     * epochs), not the optimizer's moments: a finished run does not train
     * on, and an unfinished one resumes from its state.ddim. */
    const int kept_sets = kept_epochs * kept_per_epoch(t);
    struct checkpoint_section *sections = calloc(9 + (size_t)kept_sets, sizeof *sections);
    if (!sections)
        return path_error(err, errlen, path, "out of memory");
    const struct checkpoint_section fixed[9] = {
        { "config", e->resolved, strlen(e->resolved) },
        { "variant", t->variant->name, strlen(t->variant->name) },
        { "experiment", e->path, strlen(e->path) },
        { "options", options.text ? options.text : "", options.length },
        { "seed", &seed, sizeof seed },
        { "params_best", best, bytes },
        { "params", t->params, bytes },
        { "counters", counters, 4 * sizeof *counters },
        { "params_ema", t->ema, bytes },
    };
    const int count = t->ema ? 9 : 8;
    memcpy(sections, fixed, (size_t)count * sizeof *sections);
    for (int set = 0; set < kept_sets; set++) {
        struct checkpoint_section *s = &sections[count + set];
        kept_weights_name(set, kept_per_epoch(t), s->name);
        s->data = epoch_weights + (size_t)set * t->param_floats;
        s->size = bytes;
    }
    int status = options.failed ? path_error(err, errlen, path, "out of memory")
                                : checkpoint_write(path, sections, count + kept_sets, err, errlen);
    text_free(&options);
    free(sections);
    return status;
}

int draw_samples(struct trainer *t, const float *weights, const float *guide, long count, float *out, float *batch)
{
    for (long first = 0, set = 0; first < count; first += SAMPLE_BATCH, set++) {
        if (interrupt_requested())
            return -1;
        const long n = count - first < SAMPLE_BATCH ? count - first : SAMPLE_BATCH;
        trainer_sample(t, weights, guide, (uint64_t)set, batch);
        memcpy(out + (size_t)first * MNIST_IMAGE_PIXELS, batch, (size_t)n * MNIST_IMAGE_PIXELS * sizeof *out);
    }
    return 0;
}

/* The text of section name into out (size bytes with the NUL). Returns 0,
 * or -1 when there is no such section or it does not fit. */
static int section_text(const struct checkpoint *c, const char *name, char *out, size_t size)
{
    const struct checkpoint_section *s = checkpoint_find(c, name);
    if (!s || s->size >= size)
        return -1;
    memcpy(out, s->data, (size_t)s->size);
    out[s->size] = '\0';
    return 0;
}

/* The run's options as the checkpoint saved them ("--quick", "key.path=value"
 * lines) into options, then o's settings: lines is their copy, room for as
 * many overrides as it has bytes plus o's. */
static void saved_options(const struct checkpoint_section *saved, char *lines, const struct checkpoint_model_options *o,
                          struct experiment_options *options)
{
    const size_t size = saved ? (size_t)saved->size : 0;
    if (size)
        memcpy(lines, saved->data, size);
    lines[size] = '\0';
    for (char *line = lines; *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        if (strcmp(line, "--quick") == 0)
            options->quick = 1;
        else if (*line)
            options->overrides[options->override_count++] = line;
        line = end ? end + 1 : line + strlen(line);
    }
    for (int i = 0; i < o->override_count; i++)
        options->overrides[options->override_count++] = o->overrides[i];
}

/* Loads variant at seed (when not NULL), with o's settings over the run's:
 * from config, the checkpoint's config section as an experiment file, or,
 * when config is NULL (an older checkpoint), from the experiment file at
 * experiment with the options the checkpoint saved. */
static int load_variant(struct checkpoint_model *m, const char *path, const char *config, const char *experiment,
                        const char *variant, const uint64_t *seed, const struct checkpoint_model_options *o,
                        char *err, size_t errlen)
{
    const struct checkpoint_section *saved = config ? NULL : checkpoint_find(&m->file, "options");
    const size_t size = saved ? (size_t)saved->size : 0;
    char *lines = malloc(size + 1);
    char **overrides = malloc((size + 1 + (size_t)o->override_count) * sizeof *overrides); /* at most one a byte */
    if (!lines || !overrides) {
        free(lines);
        free(overrides);
        return path_error(err, errlen, path, "out of memory for its options");
    }
    struct experiment_options options = { .variant = variant, .overrides = overrides, .model_file = o->experiment };
    if (seed) {
        options.seed_count = 1;
        options.seeds[0] = *seed;
    }
    saved_options(saved, lines, o, &options);
    char problem[1024];
    int status = config ? experiment_load_text("config", config, strlen(config), &options, &m->experiment, problem,
                                               sizeof problem)
                        : experiment_load(experiment, &options, &m->experiment, problem, sizeof problem);
    if (status)
        path_error(err, errlen, path, "rebuilding variant '%s': %s", variant, problem);
    else
        snprintf(m->experiment.path, sizeof m->experiment.path, "%s", experiment);
    free(lines);
    free(overrides);
    return status;
}

/* The checkpoint's config section, NUL-terminated and malloc'd, when it is
 * an experiment file (a run's config.lua since it runs again returns
 * ddim.experiment{...}; an older one a plain table); else NULL. */
static char *config_experiment(const struct checkpoint *c)
{
    const struct checkpoint_section *s = checkpoint_find(c, "config");
    char *text = s ? malloc((size_t)s->size + 1) : NULL;
    if (!text)
        return NULL;
    memcpy(text, s->data, (size_t)s->size);
    text[s->size] = '\0';
    if (strstr(text, "\nreturn ddim.experiment {"))
        return text;
    free(text);
    return NULL;
}

/* The section of the weights wanted ("ema", "best", "last"; NULL: ema when
 * the checkpoint has it, else best), or NULL with a line in err. */
static const struct checkpoint_section *choose_weights(struct checkpoint_model *m, const char *path,
                                                       const char *wanted, char *err, size_t errlen)
{
    static const struct { const char *name, *section; } kinds[] = {
        { "ema", "params_ema" }, { "best", "params_best" }, { "last", "params" },
    };
    const char *name = wanted ? wanted : checkpoint_find(&m->file, "params_ema") ? "ema" : "best";
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(name, kinds[i].name) != 0)
            continue;
        const struct checkpoint_section *s = checkpoint_find(&m->file, kinds[i].section);
        if (!s && i == 0)
            path_error(err, errlen, path, "no EMA weights: variant '%s' trained without train.ema; use --weights "
                       "best or last", m->experiment.variants[0].name);
        else if (!s)
            path_error(err, errlen, path, "not a run's checkpoint: it has no '%s' section", kinds[i].section);
        m->weights_name = kinds[i].name;
        return s;
    }
    path_error(err, errlen, path, "unknown weights '%s' (ema, best or last)", name);
    return NULL;
}

/* -1 with a line in err when section s (floats of them) holds a value that
 * is not finite: the weights of a run that diverged, or a damaged file
 * whose CRC was made to match. Their samples would be NaN, which scoring
 * clipped to blank digits; so they are refused before anything is drawn. */
static int refuse_non_finite(const char *path, const struct checkpoint_section *s, size_t floats, char *err,
                             size_t errlen)
{
    const struct non_finite bad = find_non_finite(s->data, floats);
    if (!bad.count)
        return 0;
    return path_error(err, errlen, path, "section %s holds a non-finite value (%s) at element %zu (%zu of its %zu "
                      "values are not finite): not sampled", s->name, non_finite_name(bad.first_value), bad.first,
                      bad.count, floats);
}

/* The guide's weights (bytes of them): the section of epoch
 * diffusion.guide_epoch, into m->guide. */
static int load_guide(struct checkpoint_model *m, const char *path, size_t bytes, char *err, size_t errlen)
{
    char name[CHECKPOINT_NAME_SIZE];
    snprintf(name, sizeof name, "params_epoch_%d", m->experiment.variants[0].diffusion.guide_epoch);
    const struct checkpoint_section *s = checkpoint_find(&m->file, name);
    if (!s)
        return path_error(err, errlen, path, "no weights of epoch %d to guide with (a run keeps every epoch's "
                          "only when it has diffusion.guide_epoch)", m->experiment.variants[0].diffusion.guide_epoch);
    if (s->size != bytes)
        return path_error(err, errlen, path, "not a run's checkpoint: its %s section is %llu bytes, its params %zu",
                          name, (unsigned long long)s->size, bytes);
    if (refuse_non_finite(path, s, bytes / sizeof(float), err, errlen))
        return -1;
    m->guide = malloc(bytes);
    if (!m->guide)
        return path_error(err, errlen, path, "out of memory for the guide's weights");
    memcpy(m->guide, s->data, bytes);
    return 0;
}

/* Reads the checkpoint at path and rebuilds its variant into m->experiment. */
static int rebuild_variant(struct checkpoint_model *m, const char *path, const struct checkpoint_model_options *o,
                           char *err, size_t errlen)
{
    char variant[sizeof m->experiment.variants->name], saved_experiment[sizeof m->experiment.path] = "";
    if (checkpoint_read(path, &m->file, err, errlen))
        return -1;
    if (section_text(&m->file, "variant", variant, sizeof variant))
        return path_error(err, errlen, path, "not a run's checkpoint: it names no variant");
    char *config = config_experiment(&m->file);
    const int named = section_text(&m->file, "experiment", saved_experiment, sizeof saved_experiment) == 0;
    const char *experiment = o->experiment ? o->experiment : named ? saved_experiment : "its config";
    int status = 0;
    if (!o->experiment && !named && !config)
        status = path_error(err, errlen, path, "the checkpoint does not name its experiment file (a run before "
                            "`ddim-lab sample` saved it): pass --experiment FILE.lua");
    else if (!o->experiment && named && access(saved_experiment, R_OK) != 0)
        status = path_error(err, errlen, path, "its experiment file %s: %s; run from the directory the run "
                            "started in, or pass --experiment FILE.lua", saved_experiment, strerror(errno));
    const struct checkpoint_section *saved_seed = checkpoint_find(&m->file, "seed");
    uint64_t seed;
    if (!status && saved_seed && saved_seed->size != sizeof seed)
        status = path_error(err, errlen, path, "not a run's checkpoint: its seed has %llu bytes, not 8",
                            (unsigned long long)saved_seed->size);
    if (!status && saved_seed)
        memcpy(&seed, saved_seed->data, sizeof seed);
    if (!status)
        status = load_variant(m, path, config, experiment, variant, saved_seed ? &seed : NULL, o, err, errlen);
    free(config);
    if (!status && saved_seed)
        m->experiment.variants[0].train.seed = seed; /* as the runner sets it, seed by seed */
    if (!status)
        m->run_seed = m->experiment.variants[0].train.seed;
    if (!status && o->has_noise_seed)
        m->experiment.variants[0].train.seed = o->noise_seed; /* the weights are loaded: it seeds the noise alone */
    return status;
}

static int rebuild(struct checkpoint_model *m, const char *path, const struct checkpoint_model_options *o,
                   const struct kernels *k, const char *data_dir, char *err, size_t errlen)
{
    if (rebuild_variant(m, path, o, err, errlen))
        return -1;
    struct variant *v = &m->experiment.variants[0];
    const struct checkpoint_section *params = checkpoint_find(&m->file, "params");
    const size_t bytes = v->graph.param_floats * sizeof(float);
    if (!params)
        return path_error(err, errlen, path, "not a run's checkpoint: it has no 'params' section");
    if (params->size != bytes)
        return path_error(err, errlen, path, "%s no longer builds the network variant '%s' was trained with: it "
                          "has %zu parameters, the checkpoint %llu", m->experiment.path, v->name,
                          v->graph.param_floats, (unsigned long long)(params->size / sizeof(float)));
    const struct checkpoint_section *weights = choose_weights(m, path, o->weights, err, errlen);
    if (!weights)
        return -1;
    if (weights->size != bytes)
        return path_error(err, errlen, path, "not a run's checkpoint: its %s weights are %llu bytes, its params %zu",
                          m->weights_name, (unsigned long long)weights->size, bytes);
    if (refuse_non_finite(path, weights, v->graph.param_floats, err, errlen))
        return -1;

    /* Sampling reads no training images: only the standardisation
     * (train.normalize) is fitted on them, so they are loaded only then. */
    struct mnist_dataset training = { 0 };
    if (v->train.normalize) {
        if (mnist_load_dataset(data_dir, "all", &m->all, err, errlen))
            return -1;
        training = variant_training_set(v, &m->all);
    }
    if (trainer_create(&m->trainer, v, k, training.pixels, (long)training.count, SAMPLE_BATCH, err, errlen))
        return -1;
    m->weights = malloc(bytes); /* a copy: sections lie unaligned in the file's bytes */
    if (!m->weights)
        return path_error(err, errlen, path, "out of memory for %zu parameters", v->graph.param_floats);
    memcpy(m->weights, weights->data, bytes);
    return v->diffusion.guidance != 1 ? load_guide(m, path, bytes, err, errlen) : 0;
}

int checkpoint_model_load(struct checkpoint_model *m, const char *path, const struct checkpoint_model_options *o,
                          const struct kernels *k, const char *data_dir, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    if (rebuild(m, path, o, k, data_dir, err, errlen) == 0)
        return 0;
    checkpoint_model_free(m);
    return -1;
}

void checkpoint_model_free(struct checkpoint_model *m)
{
    trainer_free(&m->trainer);
    experiment_free(&m->experiment);
    mnist_free_dataset(&m->all);
    checkpoint_free(&m->file);
    free(m->weights);
    free(m->guide);
    memset(m, 0, sizeof *m);
}

float *checkpoint_model_draw(struct checkpoint_model *m, long count)
{
    float *samples = malloc((size_t)count * MNIST_IMAGE_PIXELS * sizeof *samples);
    float *batch = malloc((size_t)SAMPLE_BATCH * MNIST_IMAGE_PIXELS * sizeof *batch);
    if (samples && batch) {
        draw_samples(&m->trainer, m->weights, m->guide, count, samples, batch);
    } else {
        free(samples);
        samples = NULL;
    }
    free(batch);
    return samples;
}

const char *sampler_words(const struct variant *v, char *out, size_t size)
{
    int used = snprintf(out, size, "%d steps", v->diffusion.steps);
    if (v->diffusion.eta > 0)
        used += snprintf(out + used, size - (size_t)used, ", eta %g", v->diffusion.eta);
    if (v->diffusion.guidance != 1)
        snprintf(out + used, size - (size_t)used, ", guidance %g by epoch %d", v->diffusion.guidance,
                 v->diffusion.guide_epoch);
    return out;
}
