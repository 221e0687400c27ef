/* The command line of `ddim-lab sample` and `ddim-lab eval`
 * (checkpoint_options.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/cli/checkpoint_options.h"
#include "runtime/config/config_fields.h"

/* The flags that set a diffusion field, in the order of o->storage. */
static const struct { const char *flag, *field; } sampler_flags[SAMPLER_FLAG_COUNT] = {
    { "--steps", "diffusion.steps" },
    { "--eta", "diffusion.eta" },
    { "--guidance", "diffusion.guidance" },
    { "--guide-epoch", "diffusion.guide_epoch" },
};

/* A whole number from min to max into *value, else a line in err. */
static int parse_count(const char *text, long min, long max, long *value, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    *value = strtol(text, &end, 10);
    if (errno || end == text || *end || *value < min || *value > max) {
        snprintf(err, errlen, "-n takes a whole number from %ld to %ld, got '%s'", min, max, text);
        return -1;
    }
    return 0;
}

/* A sampler flag's value, checked by its field as any setting is (its
 * checks against the run's other settings come when the run's variant is
 * rebuilt), kept as "field=value" in o. */
static int parse_sampler_flag(int k, const char *value, struct checkpoint_options *o, char *err, size_t errlen)
{
    const struct config_field *f = config_field_find_path(sampler_flags[k].field);
    struct variant scratch;
    char problem[256];
    config_defaults(&scratch);
    if (config_field_set_text(f, value, &scratch, problem, sizeof problem)) {
        snprintf(err, errlen, "%s: %s", sampler_flags[k].flag, problem);
        return -1;
    }
    if ((size_t)snprintf(o->storage[k], sizeof o->storage[k], "%s=%s", sampler_flags[k].field, value) >=
        sizeof o->storage[k]) {
        snprintf(err, errlen, "%s: the value '%s' is too long", sampler_flags[k].flag, value);
        return -1;
    }
    return 0;
}

/* The option arg (with its value) into o. */
static int parse_option(const struct checkpoint_command *command, const char *arg, const char *value,
                        struct checkpoint_options *o, char *err, size_t errlen)
{
    for (int k = 0; k < SAMPLER_FLAG_COUNT; k++)
        if (strcmp(arg, sampler_flags[k].flag) == 0)
            return parse_sampler_flag(k, value, o, err, errlen);
    if (strcmp(arg, "-n") == 0)
        return parse_count(value, command->min_count, command->max_count, &o->count, err, errlen);
    if (strcmp(arg, "--seed") == 0) {
        char *end;
        errno = 0;
        const unsigned long long seed = strtoull(value, &end, 10);
        if (errno || end == value || *end || value[0] == '-') {
            snprintf(err, errlen, "--seed takes a whole number >= 0, got '%s'", value);
            return -1;
        }
        o->model.has_noise_seed = 1;
        o->model.noise_seed = seed;
        return 0;
    }
    if (strcmp(arg, "--weights") == 0) {
        if (strcmp(value, "ema") != 0 && strcmp(value, "best") != 0 && strcmp(value, "last") != 0) {
            snprintf(err, errlen, "--weights takes ema, best or last, got '%s'", value);
            return -1;
        }
        o->model.weights = value;
    } else if (strcmp(arg, "--experiment") == 0) {
        o->model.experiment = value;
    } else if (command->strip_option && strcmp(arg, command->strip_option) == 0) {
        o->strip = value;
    } else {
        o->own_value = value;
    }
    return 0;
}

static int known_option(const struct checkpoint_command *command, const char *arg)
{
    for (int k = 0; k < SAMPLER_FLAG_COUNT; k++)
        if (strcmp(arg, sampler_flags[k].flag) == 0)
            return 1;
    return strcmp(arg, "-n") == 0 || strcmp(arg, "--seed") == 0 || strcmp(arg, "--weights") == 0 ||
           strcmp(arg, "--experiment") == 0 || strcmp(arg, command->own_option) == 0 ||
           (command->strip_option && strcmp(arg, command->strip_option) == 0);
}

static int parse_options(const struct checkpoint_command *command, int argc, char **argv,
                         struct checkpoint_options *o, char *err, size_t errlen)
{
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (arg[0] != '-') {
            if (o->checkpoint) {
                snprintf(err, errlen, "%s takes one checkpoint, got '%s' and '%s'", command->name, o->checkpoint,
                         arg);
                return -1;
            }
            o->checkpoint = arg;
            continue;
        }
        if (!known_option(command, arg)) {
            snprintf(err, errlen, "%s: unknown option '%s'", command->name, arg);
            return -1;
        }
        if (!value) {
            snprintf(err, errlen, "option '%s' needs a value", arg);
            return -1;
        }
        i++;
        if (parse_option(command, arg, value, o, err, errlen))
            return -1;
    }
    if (!o->checkpoint) {
        snprintf(err, errlen, "%s takes a run's checkpoint, e.g. ddim-lab %s runs/skip_vs_noskip/<time>/skip/seed2/"
                 "checkpoint.ddim", command->name, command->name);
        return -1;
    }
    for (int k = 0; k < SAMPLER_FLAG_COUNT; k++)
        if (o->storage[k][0])
            o->settings[o->model.override_count++] = o->storage[k];
    o->model.overrides = o->settings;
    return 0;
}

int checkpoint_command_open(const struct context *ctx, const struct checkpoint_command *command, int argc,
                            char **argv, struct checkpoint_options *o, struct checkpoint_model *m)
{
    char err[1024];
    if (parse_options(command, argc, argv, o, err, sizeof err)) {
        fprintf(stderr, "ddim-lab: %s (see ddim-lab --help)\n", err);
        return 2;
    }
    if (checkpoint_model_load(m, o->checkpoint, &o->model, ctx->kernels, ctx->data_dir, err, sizeof err)) {
        fprintf(stderr, "ddim-lab: %s\n", err);
        return 1;
    }
    return 0;
}
