/* commands.h: what the CLI's commands share, and the commands main.c
 * dispatches to, one file each: runtime/cli/command_<name>.c. */
#ifndef DDIM_COMMANDS_H
#define DDIM_COMMANDS_H

#include "kernels/kernels.h"

/* What every command receives besides its own arguments. */
struct context {
    const char *data_dir;           /* directory of the MNIST .gz files */
    const struct kernels *kernels;  /* the best for this CPU, or DDIM_ISA's */
};

/* `ddim-lab EXPERIMENT.lua [options] [key.path=value ...]`: argv[0] is the
 * file. Returns the exit status (2 for a bad command line or config). */
int run_experiment(const struct context *ctx, int argc, char **argv);

/* `ddim-lab resume RUN_DIR [--threads N ...]`: the run's experiment again,
 * with the arguments its meta.json saved and --resume RUN_DIR: finished
 * (variant, seed) runs are kept, unfinished ones go on from their state
 * (command_resume.c). */
int run_resume(const struct context *ctx, int argc, char **argv);

/* `ddim-lab info`: CPU features, kernel ISAs, library versions, and whether
 * the MNIST files are verified (command_info.c). */
int run_info(const struct context *ctx, int argc, char **argv);

/* `ddim-lab report RUN_DIR`: rebuilds RUN_DIR/report.md and
 * loss_curves.png from its CSV files, without training. */
int run_report(const struct context *ctx, int argc, char **argv);
int run_compare(const struct context *ctx, int argc, char **argv);

/* `ddim-lab bench EXPERIMENT.lua [--variant NAME] [--threads N] [key.path=value ...]`:
 * training-step and sampler timings with a per-op profile. argv[0] is the
 * first argument after "bench". */
int run_bench(const struct context *ctx, int argc, char **argv);

/* `ddim-lab classifier [--epochs N] [--out FILE] [--threads N] [--max-images N] [--test-images N]`:
 * trains the MNIST classifier that scores samples (command_classifier.c).
 * argv[0] is the first argument after "classifier". */
int run_classifier(const struct context *ctx, int argc, char **argv);

/* `ddim-lab sample CHECKPOINT [-n N] [--steps N] [-o FILE.png] [--weights ema|best|last]
 * [--experiment FILE.lua]`: draws N samples from a run's checkpoint
 * (checkpoint_model.h) into a PNG grid. argv[0] is the first argument
 * after "sample". Returns the exit status: 2 for a bad command line, 1
 * when the checkpoint cannot be sampled. */
int run_sample(const struct context *ctx, int argc, char **argv);

/* `ddim-lab eval CHECKPOINT [-n N] [--steps N] [--weights ema|best|last]
 * [--classifier FILE] [--experiment FILE.lua]`: scores N samples of a run's
 * checkpoint as the run scored them (FID, KID, recognisable, classes).
 * Exit status as for sample. */
int run_eval(const struct context *ctx, int argc, char **argv);

/* `ddim-lab config --list`: every config field (path, type, default,
 * accepted values, description) as markdown on stdout, what docs/config.md
 * holds (command_config.c). argv[0] is the first argument after "config".
 * Returns the exit status: 2 for a bad command line. */
int run_config(const struct context *ctx, int argc, char **argv);

#endif
