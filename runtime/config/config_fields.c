/* The settings of a variant as a table of fields. Adding a setting is a
 * member in config.h and an entry in `fields`: its default, accepted range
 * and description are there, and config_defaults, the error messages and
 * `ddim-lab config --list` (docs/config.md) all come from it. */
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
    const char *default_text;     /* the default as command-line text: "3", "1e-3", "mae", "true" */
    char min_bracket;             /* numbers: '[' when min is accepted, '(' when not... */
    double min, max;              /* ...the accepted range (HUGE_VAL, INT_MAX, INTEGER_LIMIT: no upper bound)... */
    char max_bracket;             /* ...']' when max is accepted, ')' when not */
    const char *const *choices;   /* names, in enum order, NULL-terminated */
    const char *zero_means;       /* what 0 switches off ("no EMA"), or NULL */
    const char *description;      /* one line for docs/config.md */
    enum field_role role;         /* what the field changes (config_fields.h); ROLE_TRAINING when omitted */
};

static const char *const loss_names[] = { "mae", "mse", NULL };
static const char *const schedule_names[] = { "none", "cosine", "linear", NULL };
static const char *const prediction_names[] = { "noise", "velocity", NULL };
static const char *const dataset_names[] = { "all", "train", "test", NULL };

const char *const config_sections[] = { "train", "diffusion", "sample", NULL };

#define AT(member) offsetof(struct variant, member)
/* 2^63: every integer setting fits a Lua integer. */
#define INTEGER_LIMIT 9223372036854775807.0
/* Fields without a range: booleans and names. */
#define NO_RANGE 0, 0, 0, 0
#define CHOICES(names) 0, 0, 0, 0, names, NULL
static const struct config_field fields[] = {
    { "train", "epochs", FIELD_INT, AT(train.epochs), "3", '[', 1, INT_MAX, ']', NULL, NULL,
      "passes over the training images", ROLE_TRAINING },
    { "train", "batch_size", FIELD_INT, AT(train.batch_size), "64", '[', 1, INT_MAX, ']', NULL, NULL,
      "images per optimizer step", ROLE_TRAINING },
    { "train", "learning_rate", FIELD_NUMBER, AT(train.learning_rate), "1e-3", '(', 0, HUGE_VAL, ')', NULL, NULL,
      "AdamW's learning rate (with train.cosine_decay, the rate it starts from)", ROLE_TRAINING },
    { "train", "weight_decay", FIELD_NUMBER, AT(train.weight_decay), "0.004", '[', 0, HUGE_VAL, ')', NULL, NULL,
      "AdamW's decoupled weight decay (the Keras default)", ROLE_TRAINING },
    { "train", "loss", FIELD_LOSS, AT(train.loss), "mae", CHOICES(loss_names),
      "the noise prediction's loss: mean absolute or mean squared error", ROLE_TRAINING },
    { "train", "seed", FIELD_SEED, AT(train.seed), "1", '[', 0, INTEGER_LIMIT, ')', NULL, NULL,
      "seeds the initial weights, the batches and the noise; the experiment's `seeds` set it run by run",
      ROLE_TRAINING },
    { "train", "dataset", FIELD_DATASET, AT(train.dataset), "train", CHOICES(dataset_names),
      "the images trained on: all 70,000 MNIST digits, the 60,000 training or the 10,000 test digits", ROLE_TRAINING },
    { "train", "ema", FIELD_NUMBER, AT(train.ema), "0", '[', 0, 1, ')', NULL, "no EMA",
      "decay of an exponential moving average of the weights; the samples then come from it", ROLE_KEPT },
    { "train", "max_images", FIELD_LONG, AT(train.max_images), "0", '[', 0, INTEGER_LIMIT, ')', NULL, "all",
      "train on the first max_images images of the data set only", ROLE_TRAINING },
    { "train", "normalize", FIELD_BOOLEAN, AT(train.normalize), "false", NO_RANGE, NULL, NULL,
      "standardise the images by the training data's mean and variance, and invert it on the samples", ROLE_TRAINING },
    { "train", "ema_warmup", FIELD_BOOLEAN, AT(train.ema_warmup), "false", NO_RANGE, NULL, NULL,
      "the EMA decay at step n is min(ema, (1 + n) / (10 + n)), not ema from the first step", ROLE_KEPT },
    { "train", "image_loss", FIELD_BOOLEAN, AT(train.image_loss), "false", NO_RANGE, NULL, NULL,
      "train on noise loss + image loss (through the gradient trick's second derivative when it is on)",
      ROLE_TRAINING },
    { "train", "cosine_decay", FIELD_BOOLEAN, AT(train.cosine_decay), "false", NO_RANGE, NULL, NULL,
      "the learning rate falls along half a cosine to 0 over the run's steps; off: constant", ROLE_TRAINING },
    { "train", "p2_gamma", FIELD_NUMBER, AT(train.p2_gamma), "0", '[', 0, 4, ']', NULL, "every noise level alike",
      "P2 weighting (Choi et al. 2022): each image's noise loss weighted by (1 + SNR)^-gamma", ROLE_TRAINING },
    { "train", "p2_sampling", FIELD_BOOLEAN, AT(train.p2_sampling), "false", NO_RANGE, NULL, NULL,
      "with train.p2_gamma: draw the diffusion times in proportion to the P2 weight, the loss unweighted",
      ROLE_TRAINING },
    { "train", "checkpoint_every", FIELD_LONG, AT(train.checkpoint_every), "500", '[', 0, INTEGER_LIMIT, ')', NULL,
      "epoch ends only", "optimizer steps between saves of the run's state (state.ddim, for --resume), besides epoch ends",
      ROLE_TRAINING },
    { "train", "max_weight", FIELD_NUMBER, AT(train.max_weight), "1e4", '(', 0, HUGE_VAL, ')', NULL, NULL,
      "a weight of larger magnitude, or a NaN or infinite one, stops the variant's run as diverged", ROLE_TRAINING },
    { "diffusion", "steps", FIELD_INT, AT(diffusion.steps), "20", '[', 1, INT_MAX, ']', NULL, NULL,
      "sampling steps (sample and eval take --steps)", ROLE_SAMPLING },
    { "diffusion", "min_signal_rate", FIELD_NUMBER, AT(diffusion.min_signal_rate), "0.02", '(', 0, 1, ')', NULL,
      NULL, "the signal rate at the noisiest time, t = 1 (below diffusion.max_signal_rate)", ROLE_TRAINING },
    { "diffusion", "max_signal_rate", FIELD_NUMBER, AT(diffusion.max_signal_rate), "0.95", '(', 0, 1, ']', NULL,
      NULL, "the signal rate at the cleanest time, t = 0", ROLE_TRAINING },
    { "diffusion", "schedule", FIELD_SCHEDULE, AT(diffusion.schedule), "cosine", CHOICES(schedule_names),
      "none: the seed's noisy = image + noise; cosine: the Keras example's offset cosine; linear: signal linear in t",
      ROLE_TRAINING },
    { "diffusion", "gradient_trick", FIELD_BOOLEAN, AT(diffusion.gradient_trick), "false", NO_RANGE, NULL, NULL,
      "the seed's pred_image = noisy - pred_noise - d(sum pred_noise)/d(noisy)", ROLE_TRAINING },
    { "diffusion", "eta", FIELD_NUMBER, AT(diffusion.eta), "0", '[', 0, 1, ']', NULL, NULL,
      "the sampler's fresh noise: 0 deterministic DDIM, 1 DDPM-like; above 0 needs cosine or linear (--eta)",
      ROLE_SAMPLING },
    { "diffusion", "clip_denoised", FIELD_BOOLEAN, AT(diffusion.clip_denoised), "false", NO_RANGE, NULL, NULL,
      "each sampling step clips the predicted image to [0, 1] and re-derives the predicted noise from it",
      ROLE_SAMPLING },
    { "diffusion", "prediction", FIELD_PREDICTION, AT(diffusion.prediction), "noise", CHOICES(prediction_names),
      "the network's output: the noise, or v = signal noise - noise_rate image (cosine or linear, no gradient trick)",
      ROLE_TRAINING },
    { "diffusion", "guidance", FIELD_NUMBER, AT(diffusion.guidance), "1", '[', 0, 10, ']', NULL, NULL,
      "autoguidance (Karras et al. 2024): predictions are guide + guidance (model - guide); 1: unguided (--guidance)",
      ROLE_SAMPLING },
    { "diffusion", "guide_epoch", FIELD_INT, AT(diffusion.guide_epoch), "0", '[', 0, INT_MAX, ']', NULL, "no guide",
      "the guide: the weights of this epoch, before the last; the run keeps every earlier epoch's (--guide-epoch)",
      ROLE_KEPT },
    { "sample", "grid", FIELD_INT, AT(sample.grid), "8", '[', 1, 64, ']', NULL, NULL,
      "samples per side of the sample grids (epoch_NN.png, samples.png; at most 64 samples)", ROLE_SAMPLING },
    { "sample", "scale", FIELD_INT, AT(sample.scale), "3", '[', 1, 32, ']', NULL, NULL,
      "pixels per MNIST pixel in the PNGs", ROLE_SAMPLING },
    { "sample", "metric_samples", FIELD_INT, AT(sample.metric_samples), "2000", '[', 2, 1000000, ']', NULL, NULL,
      "samples scored by the classifier (FID, KID, recognisable, classes) per variant and seed", ROLE_SAMPLING },
};
#define FIELD_COUNT (int)(sizeof fields / sizeof fields[0])

void config_defaults(struct variant *v)
{
    v->train = (struct train_config){ 0 };
    v->diffusion = (struct diffusion_config){ 0 };
    v->sample = (struct sample_config){ 0 };
    char err[256];
    for (int f = 0; f < FIELD_COUNT; f++)
        if (config_field_set_text(&fields[f], fields[f].default_text, v, err, sizeof err))
            abort(); /* a default outside its own range: a mistake in the table, caught by any test */
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

/* An integer range's upper bound that is no bound: the type's own limit. */
static int unbounded(const struct config_field *f)
{
    return f->max == INT_MAX || f->max == INTEGER_LIMIT || f->max == HUGE_VAL;
}

void config_field_accepted(const struct config_field *f, char *out, size_t size)
{
    int used = 0;
    const char *kind = f->type == FIELD_NUMBER ? "a number" : "an integer";
    switch (f->type) {
    case FIELD_INT: case FIELD_LONG: case FIELD_SEED: case FIELD_NUMBER:
        if (unbounded(f))
            used = snprintf(out, size, "%s %s %.17g", kind, f->min_bracket == '[' ? ">=" : ">", f->min);
        else
            used = snprintf(out, size, "%s in %c%.17g, %.17g%c", kind, f->min_bracket, f->min, f->max, f->max_bracket);
        break;
    case FIELD_BOOLEAN:
        used = snprintf(out, size, "a boolean (true or false)");
        break;
    case FIELD_LOSS: case FIELD_SCHEDULE: case FIELD_PREDICTION: case FIELD_DATASET:
        used = snprintf(out, size, "one of");
        for (int i = 0; f->choices[i] && used >= 0 && (size_t)used < size; i++)
            used += snprintf(out + used, size - (size_t)used, "%s \"%s\"", i ? "," : "", f->choices[i]);
        break;
    }
    if (f->zero_means && used >= 0 && (size_t)used < size)
        snprintf(out + used, size - (size_t)used, " (0 = %s)", f->zero_means);
}

static int reject(const struct config_field *f, const struct setting_value *value, char *err, size_t errlen)
{
    char got[96], accepted[160];
    describe_value(value, got, sizeof got);
    config_field_accepted(f, accepted, sizeof accepted);
    snprintf(err, errlen, "%s.%s must be %s, %s", f->section, f->name, accepted, got);
    return -1;
}

static int in_range(const struct config_field *f, double x)
{
    return isfinite(x) && (x > f->min || (x == f->min && f->min_bracket == '[')) &&
           (x < f->max || (x == f->max && f->max_bracket == ']'));
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

/* Whether v has no use for kept field f (config_trains_alike). */
static int kept_unused(const struct config_field *f, const struct variant *v)
{
    if (strcmp(f->section, "train") == 0) /* the EMA's: a run with one keeps raw epoch weights for guides too */
        return v->train.ema == 0;
    return v->diffusion.guide_epoch == 0;
}

int config_trains_alike(const struct variant *trained, const struct variant *v, int ignore_seed)
{
    for (int i = 0; i < FIELD_COUNT; i++) {
        const struct config_field *f = &fields[i];
        char a[64], b[64];
        if (f->role == ROLE_SAMPLING || (f->role == ROLE_KEPT && kept_unused(f, v)) ||
            (ignore_seed && f->offset == AT(train.seed)))
            continue;
        config_field_format(f, trained, a, sizeof a);
        config_field_format(f, v, b, sizeof b);
        if (strcmp(a, b) != 0)
            return 0;
    }
    return 1;
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

const char *config_field_default(const struct config_field *f)
{
    return f->default_text;
}

const char *config_field_description(const struct config_field *f)
{
    return f->description;
}

enum field_role config_field_role(const struct config_field *f)
{
    return f->role;
}

const char *config_field_type_name(const struct config_field *f)
{
    switch (f->type) {
    case FIELD_INT: case FIELD_LONG: case FIELD_SEED: return "integer";
    case FIELD_NUMBER: return "number";
    case FIELD_BOOLEAN: return "boolean";
    default: return "string";
    }
}
