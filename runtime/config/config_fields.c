/* The settings of a variant as a table of fields. Adding a setting is a
 * member in config.h, a line in `fields` and its default in config_defaults. */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/config/config_fields.h"

enum field_type {
    FIELD_INT,      /* int */
    FIELD_LONG,     /* long */
    FIELD_SEED,     /* uint64_t */
    FIELD_NUMBER,   /* double */
    FIELD_BOOLEAN,  /* int, 0 or 1 */
    FIELD_LOSS,     /* enum loss_kind, by name */
    FIELD_SCHEDULE, /* enum schedule_kind, by name */
    FIELD_PREDICTION, /* enum prediction_kind, by name */
    FIELD_DATASET,  /* char[8], by name */
};

struct config_field {
    const char *section, *name;
    enum field_type type;
    size_t offset;                /* into struct variant */
    double min, max;              /* numbers: the accepted range... */
    int min_open, max_open;       /* ...without min, max themselves when set */
    const char *const *choices;   /* names, in enum order, NULL-terminated */
    const char *expected;         /* what the error messages say is accepted */
};

static const char *const loss_names[] = { "mae", "mse", NULL };
static const char *const schedule_names[] = { "none", "cosine", "linear", NULL };
static const char *const prediction_names[] = { "noise", "velocity", NULL };
static const char *const dataset_names[] = { "all", "train", "test", NULL };

const char *const config_sections[] = { "train", "diffusion", "sample", NULL };

#define AT(member) offsetof(struct variant, member)
/* 2^63: every integer setting fits a Lua integer. */
#define INTEGER_LIMIT 9223372036854775807.0
static const struct config_field fields[] = {
    { "train", "epochs", FIELD_INT, AT(train.epochs), 1, INT_MAX, 0, 0, NULL, "an integer >= 1" },
    { "train", "batch_size", FIELD_INT, AT(train.batch_size), 1, INT_MAX, 0, 0, NULL, "an integer >= 1" },
    { "train", "learning_rate", FIELD_NUMBER, AT(train.learning_rate), 0, HUGE_VAL, 1, 1, NULL, "a number > 0" },
    { "train", "weight_decay", FIELD_NUMBER, AT(train.weight_decay), 0, HUGE_VAL, 0, 1, NULL, "a number >= 0" },
    { "train", "loss", FIELD_LOSS, AT(train.loss), 0, 0, 0, 0, loss_names, "one of \"mae\", \"mse\"" },
    { "train", "seed", FIELD_SEED, AT(train.seed), 0, INTEGER_LIMIT, 0, 1, NULL, "an integer >= 0" },
    { "train", "dataset", FIELD_DATASET, AT(train.dataset), 0, 0, 0, 0, dataset_names,
      "one of \"all\", \"train\", \"test\"" },
    { "train", "ema", FIELD_NUMBER, AT(train.ema), 0, 1, 0, 1, NULL, "a number in [0, 1) (0 = no EMA)" },
    { "train", "max_images", FIELD_LONG, AT(train.max_images), 0, INTEGER_LIMIT, 0, 1, NULL,
      "an integer >= 0 (0 = all)" },
    { "train", "normalize", FIELD_BOOLEAN, AT(train.normalize), 0, 0, 0, 0, NULL, "a boolean (true or false)" },
    { "train", "ema_warmup", FIELD_BOOLEAN, AT(train.ema_warmup), 0, 0, 0, 0, NULL, "a boolean (true or false)" },
    { "train", "image_loss", FIELD_BOOLEAN, AT(train.image_loss), 0, 0, 0, 0, NULL, "a boolean (true or false)" },
    { "train", "cosine_decay", FIELD_BOOLEAN, AT(train.cosine_decay), 0, 0, 0, 0, NULL,
      "a boolean (true or false)" },
    { "train", "p2_gamma", FIELD_NUMBER, AT(train.p2_gamma), 0, 4, 0, 0, NULL, "a number in [0, 4]" },
    { "train", "p2_sampling", FIELD_BOOLEAN, AT(train.p2_sampling), 0, 0, 0, 0, NULL, "a boolean (true or false)" },
    { "diffusion", "steps", FIELD_INT, AT(diffusion.steps), 1, INT_MAX, 0, 0, NULL, "an integer >= 1" },
    { "diffusion", "min_signal_rate", FIELD_NUMBER, AT(diffusion.min_signal_rate), 0, 1, 1, 1, NULL,
      "a number in (0, 1)" },
    { "diffusion", "max_signal_rate", FIELD_NUMBER, AT(diffusion.max_signal_rate), 0, 1, 1, 0, NULL,
      "a number in (0, 1]" },
    { "diffusion", "schedule", FIELD_SCHEDULE, AT(diffusion.schedule), 0, 0, 0, 0, schedule_names,
      "one of \"none\", \"cosine\", \"linear\"" },
    { "diffusion", "gradient_trick", FIELD_BOOLEAN, AT(diffusion.gradient_trick), 0, 0, 0, 0, NULL,
      "a boolean (true or false)" },
    { "diffusion", "eta", FIELD_NUMBER, AT(diffusion.eta), 0, 1, 0, 0, NULL, "a number in [0, 1]" },
    { "diffusion", "clip_denoised", FIELD_BOOLEAN, AT(diffusion.clip_denoised), 0, 0, 0, 0, NULL,
      "a boolean (true or false)" },
    { "diffusion", "prediction", FIELD_PREDICTION, AT(diffusion.prediction), 0, 0, 0, 0, prediction_names,
      "one of \"noise\", \"velocity\"" },
    { "diffusion", "guidance", FIELD_NUMBER, AT(diffusion.guidance), 0, 10, 0, 0, NULL, "a number in [0, 10]" },
    { "diffusion", "guide_epoch", FIELD_INT, AT(diffusion.guide_epoch), 0, INT_MAX, 0, 0, NULL,
      "an integer >= 0 (0 = no guide)" },
    { "sample", "grid", FIELD_INT, AT(sample.grid), 1, 64, 0, 0, NULL, "an integer in [1, 64]" },
    { "sample", "scale", FIELD_INT, AT(sample.scale), 1, 32, 0, 0, NULL, "an integer in [1, 32]" },
    { "sample", "metric_samples", FIELD_INT, AT(sample.metric_samples), 2, 1000000, 0, 0, NULL,
      "an integer in [2, 1000000]" },
};
#define FIELD_COUNT (int)(sizeof fields / sizeof fields[0])

void config_defaults(struct variant *v)
{
    v->train = (struct train_config){
        .epochs = 3, .batch_size = 64, .learning_rate = 1e-3, .weight_decay = 0.004,
        .loss = LOSS_MAE, .seed = 1, .dataset = "all", .ema = 0, .max_images = 0, .normalize = 0,
        .ema_warmup = 0, .image_loss = 0, .cosine_decay = 0, .p2_gamma = 0, .p2_sampling = 0,
    };
    v->diffusion = (struct diffusion_config){
        .steps = 20, .min_signal_rate = 0.02, .max_signal_rate = 0.95,
        .schedule = SCHEDULE_NONE, .gradient_trick = 1, .eta = 0, .clip_denoised = 0,
        .prediction = PREDICT_NOISE, .guidance = 1, .guide_epoch = 0,
    };
    v->sample = (struct sample_config){ .grid = 8, .scale = 3, .metric_samples = 2000 };
}

const struct config_field *config_field_at(const char *section, int i)
{
    for (int f = 0; f < FIELD_COUNT; f++)
        if (!section || strcmp(fields[f].section, section) == 0)
            if (i-- == 0)
                return &fields[f];
    return NULL;
}

const char *config_field_name(const struct config_field *f)
{
    return f->name;
}

const struct config_field *config_field_find(const char *section, const char *name)
{
    for (int f = 0; f < FIELD_COUNT; f++)
        if (strcmp(fields[f].section, section) == 0 && strcmp(fields[f].name, name) == 0)
            return &fields[f];
    return NULL;
}

const struct config_field *config_field_find_path(const char *path)
{
    const char *dot = strchr(path, '.');
    char section[32];
    if (!dot || (size_t)(dot - path) >= sizeof section)
        return NULL;
    memcpy(section, path, (size_t)(dot - path));
    section[dot - path] = '\0';
    return config_field_find(section, dot + 1);
}

void config_field_path(const struct config_field *f, char *out, size_t size)
{
    snprintf(out, size, "%s.%s", f->section, f->name);
}

void config_field_list(const char *section, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    const struct config_field *f;
    for (int i = 0; (f = config_field_at(section, i)) != NULL && used < size; i++) {
        int n = section ? snprintf(out + used, size - used, "%s%s", i ? ", " : "", f->name)
                        : snprintf(out + used, size - used, "%s%s.%s", i ? ", " : "", f->section, f->name);
        used += n > 0 ? (size_t)n : 0;
    }
}

/* Edit distance (insertions, deletions, substitutions) of two short names. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return SIZE_MAX;
    size_t row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t above = row[j];
            size_t best = diagonal + (a[i - 1] != b[j - 1]);
            if (above + 1 < best)
                best = above + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb];
}

const char *config_closest_name(const char *typo, const char *const *names)
{
    /* Two edits at most, and fewer than half the name: "epochz" -> "epochs", not "x" -> "ema". */
    size_t best_distance = 3;
    const char *best = NULL;
    for (; *names; names++) {
        size_t d = edit_distance(typo, *names);
        if (d < best_distance && 2 * d < strlen(*names)) {
            best_distance = d;
            best = *names;
        }
    }
    return best;
}

const struct config_field *config_closest_field(const char *section, const char *typo)
{
    const char *names[FIELD_COUNT + 1];
    char paths[FIELD_COUNT][64];
    const struct config_field *candidates[FIELD_COUNT];
    int n = 0;
    const struct config_field *f;
    for (int i = 0; (f = config_field_at(section, i)) != NULL; i++, n++) {
        config_field_path(f, paths[n], sizeof paths[n]);
        names[n] = section ? f->name : paths[n];
        candidates[n] = f;
    }
    names[n] = NULL;
    const char *best = config_closest_name(typo, names);
    for (int i = 0; best && i < n; i++)
        if (names[i] == best)
            return candidates[i];
    return NULL;
}

/* "got string 'three'", "got 2.5", "got table" */
static void describe_value(const struct setting_value *value, char *out, size_t size)
{
    switch (value->kind) {
    case VALUE_INTEGER: snprintf(out, size, "got %lld", value->integer); break;
    case VALUE_FLOAT:   snprintf(out, size, "got %.17g", value->number); break;
    case VALUE_BOOLEAN: snprintf(out, size, "got boolean %s", value->boolean ? "true" : "false"); break;
    case VALUE_STRING:  snprintf(out, size, "got string '%s'", value->text); break;
    case VALUE_OTHER:   snprintf(out, size, "got %s", value->text); break;
    }
}

static int reject(const struct config_field *f, const struct setting_value *value, char *err, size_t errlen)
{
    char got[96];
    describe_value(value, got, sizeof got);
    snprintf(err, errlen, "%s.%s must be %s, %s", f->section, f->name, f->expected, got);
    return -1;
}

static int in_range(const struct config_field *f, double x)
{
    return isfinite(x) && (x > f->min || (x == f->min && !f->min_open)) &&
           (x < f->max || (x == f->max && !f->max_open));
}

static int choice_index(const struct config_field *f, const struct setting_value *value)
{
    if (value->kind != VALUE_STRING)
        return -1;
    for (int i = 0; f->choices[i]; i++)
        if (strcmp(f->choices[i], value->text) == 0)
            return i;
    return -1;
}

int config_field_set(const struct config_field *f, const struct setting_value *value, struct variant *v,
                     char *err, size_t errlen)
{
    char *at = (char *)v + f->offset;
    int is_number = value->kind == VALUE_INTEGER || value->kind == VALUE_FLOAT;
    /* 3.0 is an integer as far as a setting goes (Lua 5.4 keeps it a float). */
    int is_integer = is_number && value->number == floor(value->number);
    switch (f->type) {
    case FIELD_INT: case FIELD_LONG: case FIELD_SEED:
        if (!is_integer || !in_range(f, value->number))
            return reject(f, value, err, errlen);
        if (f->type == FIELD_INT)
            *(int *)at = (int)value->number;
        else if (f->type == FIELD_LONG)
            *(long *)at = value->kind == VALUE_INTEGER ? (long)value->integer : (long)value->number;
        else
            *(uint64_t *)at = value->kind == VALUE_INTEGER ? (uint64_t)value->integer : (uint64_t)value->number;
        return 0;
    case FIELD_NUMBER:
        if (!is_number || !in_range(f, value->number))
            return reject(f, value, err, errlen);
        *(double *)at = value->number;
        return 0;
    case FIELD_BOOLEAN:
        if (value->kind != VALUE_BOOLEAN)
            return reject(f, value, err, errlen);
        *(int *)at = value->boolean;
        return 0;
    case FIELD_LOSS: case FIELD_SCHEDULE: case FIELD_PREDICTION: case FIELD_DATASET: {
        int i = choice_index(f, value);
        if (i < 0)
            return reject(f, value, err, errlen);
        if (f->type == FIELD_LOSS)
            *(enum loss_kind *)at = (enum loss_kind)i;
        else if (f->type == FIELD_SCHEDULE)
            *(enum schedule_kind *)at = (enum schedule_kind)i;
        else if (f->type == FIELD_PREDICTION)
            *(enum prediction_kind *)at = (enum prediction_kind)i;
        else
            snprintf(at, sizeof v->train.dataset, "%s", f->choices[i]);
        return 0;
    }
    }
    return reject(f, value, err, errlen);
}

int config_field_set_text(const struct config_field *f, const char *text, struct variant *v, char *err,
                          size_t errlen)
{
    /* Read the text as Lua would read the literal, then check it as any value. */
    struct setting_value value = { .kind = VALUE_STRING, .text = text };
    char *end;
    errno = 0;
    long long integer = strtoll(text, &end, 10);
    if (*text && !*end && errno == 0) {
        value = (struct setting_value){ .kind = VALUE_INTEGER, .integer = integer, .number = (double)integer };
    } else {
        double number = strtod(text, &end);
        if (*text && !*end)
            value = (struct setting_value){ .kind = VALUE_FLOAT, .number = number };
        else if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
            value = (struct setting_value){ .kind = VALUE_BOOLEAN, .boolean = text[0] == 't' };
    }
    return config_field_set(f, &value, v, err, errlen);
}

int config_check_variant(const struct variant *v, char *err, size_t errlen)
{
    if (v->diffusion.min_signal_rate >= v->diffusion.max_signal_rate) {
        snprintf(err, errlen, "diffusion.min_signal_rate (%g) must be below diffusion.max_signal_rate (%g)",
                 v->diffusion.min_signal_rate, v->diffusion.max_signal_rate);
        return -1;
    }
    if (v->train.p2_sampling && !(v->train.p2_gamma > 0)) {
        snprintf(err, errlen, "train.p2_sampling draws the times by their P2 weight: it needs train.p2_gamma > 0");
        return -1;
    }
    if (v->diffusion.prediction == PREDICT_VELOCITY &&
        (v->diffusion.schedule == SCHEDULE_NONE || v->diffusion.gradient_trick)) {
        snprintf(err, errlen, "diffusion.prediction = \"velocity\" needs a variance-preserving schedule "
                 "(\"cosine\" or \"linear\") and diffusion.gradient_trick = false");
        return -1;
    }
    if (v->diffusion.guide_epoch >= v->train.epochs && v->diffusion.guide_epoch > 0) {
        snprintf(err, errlen, "diffusion.guide_epoch (%d) must come before the last epoch (train.epochs = %d): the "
                 "guide is an earlier, weaker state of the model", v->diffusion.guide_epoch, v->train.epochs);
        return -1;
    }
    if (v->diffusion.guidance != 1 && v->diffusion.guide_epoch == 0) {
        snprintf(err, errlen, "diffusion.guidance (%g) mixes in a guide: it needs diffusion.guide_epoch, the "
                 "epoch whose weights guide (from 1 to train.epochs - 1)", v->diffusion.guidance);
        return -1;
    }
    if (v->diffusion.eta > 0 && v->diffusion.schedule == SCHEDULE_NONE) {
        snprintf(err, errlen, "diffusion.eta (%g) needs a variance-preserving schedule (\"cosine\" or \"linear\"), "
                 "not \"none\"", v->diffusion.eta);
        return -1;
    }
    return 0;
}

/* The shortest %g that reads back as the same double: 0.001, not 0.0010000000000000000208. */
static void format_number(double x, char *out, size_t size)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(out, size, "%.*g", digits, x);
        if (strtod(out, NULL) == x)
            return;
    }
}

void config_field_format(const struct config_field *f, const struct variant *v, char *out, size_t size)
{
    const char *at = (const char *)v + f->offset;
    switch (f->type) {
    case FIELD_INT:      snprintf(out, size, "%d", *(const int *)at); break;
    case FIELD_LONG:     snprintf(out, size, "%ld", *(const long *)at); break;
    case FIELD_SEED:     snprintf(out, size, "%llu", (unsigned long long)*(const uint64_t *)at); break;
    case FIELD_NUMBER:   format_number(*(const double *)at, out, size); break;
    case FIELD_BOOLEAN:  snprintf(out, size, "%s", *(const int *)at ? "true" : "false"); break;
    case FIELD_LOSS:     snprintf(out, size, "\"%s\"", f->choices[*(const enum loss_kind *)at]); break;
    case FIELD_SCHEDULE: snprintf(out, size, "\"%s\"", f->choices[*(const enum schedule_kind *)at]); break;
    case FIELD_PREDICTION: snprintf(out, size, "\"%s\"", f->choices[*(const enum prediction_kind *)at]); break;
    case FIELD_DATASET:  snprintf(out, size, "\"%s\"", at); break;
    }
}
