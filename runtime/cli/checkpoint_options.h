/* checkpoint_options.h: the command line that `ddim-lab sample` and
 * `ddim-lab eval` share (command_sample.c, command_eval.c): the checkpoint,
 * -n, --weights, --experiment and the sampler's settings --steps, --eta,
 * --guidance and --guide-epoch, which set the diffusion fields of those
 * names through config_fields.h as key.path=value settings over the run's. */
#ifndef DDIM_CHECKPOINT_OPTIONS_H
#define DDIM_CHECKPOINT_OPTIONS_H

#include "runtime/cli/commands.h"
#include "runtime/diffusion/checkpoint_model.h"

#define SAMPLER_FLAG_COUNT 4       /* --steps, --eta, --guidance, --guide-epoch */

/* What differs between the two commands' command lines. */
struct checkpoint_command {
    const char *name;              /* "sample" or "eval" */
    long min_count, max_count;     /* -n's range */
    const char *own_option;        /* the command's own option with a value: "-o" or "--classifier" */
    const char *strip_option;      /* sample's "--strip FILE", or NULL */
};

struct checkpoint_options {
    const char *checkpoint;
    long count;                    /* samples to draw (set the default before parsing) */
    const char *own_value;         /* the own option's value (set the default before parsing) */
    const char *strip;             /* the strip option's value, or NULL */
    struct checkpoint_model_options model;
    char *settings[SAMPLER_FLAG_COUNT];   /* "diffusion.steps=5", ...: model.overrides point here */
    char storage[SAMPLER_FLAG_COUNT][96];
};

/* Parses argv (the arguments after the command's name) into o and rebuilds
 * the checkpoint's model into m. Returns the exit status: 0 when m is
 * ready, 2 for a bad command line, 1 when the checkpoint cannot be sampled
 * (the reason printed on stderr in one line). */
int checkpoint_command_open(const struct context *ctx, const struct checkpoint_command *command, int argc,
                            char **argv, struct checkpoint_options *o, struct checkpoint_model *m);

#endif
