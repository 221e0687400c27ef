/* ddim-lab: the command-line entry point. It parses the global options,
 * picks the kernel table, and hands over to a command. Adding a command is
 * writing its function and adding a line to `commands`. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/scoring/classifier.h"
#include "runtime/cli/commands.h"
#include "kernels/kernels.h"

#define EXIT_USAGE 2 /* bad command line or environment */

typedef int command_fn(const struct context *context, int argc, char **argv);

/* Prints "ddim-lab: <message> (see ddim-lab --help)" on stderr; returns the
 * exit status for a usage error. */
static int usage_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "ddim-lab: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, " (see ddim-lab --help)\n");
    va_end(args);
    return EXIT_USAGE;
}

/* Each command's options, for `ddim-lab --help` (all of them) and
 * `ddim-lab COMMAND --help` (its own). */
static const char experiment_help[] =
    "experiment options (after FILE.lua):\n"
    "  --quick          the file's `quick` table: a smoke test at a reduced budget, seconds to minutes,\n"
    "                   whose report says it is not a result\n"
    "  --out DIR        where run directories go (default: runs)\n"
    "  --seed N         the training seed of every variant (one run each)\n"
    "  --seeds N,M,...  run every variant once per seed (replaces the file's seeds)\n"
    "  --classifier FILE  the classifier scoring the samples (default " CLASSIFIER_DEFAULT_PATH ")\n"
    "  --variant NAME   run only the variants NAME matches: a name, or a pattern such as 'full_*'\n"
    "  --threads N      threads to use (default: every core)\n"
    "  --resume RUN_DIR go on with that run (same config): finished runs are kept, the others\n"
    "                   continue from their state.ddim (also: ddim-lab resume RUN_DIR)\n"
    "  --memory-limit MIB  refuse, before anything is written, a variant whose training needs more\n"
    "                   (an estimate from its parameters and activations; default: 80% of the\n"
    "                   physical memory)\n"
    "  --allow-unverified-data  run on MNIST files whose content is not the digests' of\n"
    "                   runtime/base/mnist.sha256 (refused by default; meta.json records the digests)\n"
    "  key.path=value   override a config field, e.g. train.epochs=1\n";
static const char sample_help[] =
    "sample options (after CHECKPOINT, a run's <variant>/seed<N>/checkpoint.ddim):\n"
    "  -n N             samples to draw (default 64, at most 4096)\n"
    "  -o FILE          the PNG grid, ceil(sqrt(N)) samples a row (default samples.png)\n"
    "  --seed N         draw the samples' noise from seed N (default: the run's seed, as the run drew)\n"
    "  --strip FILE     also a PNG of the first 8 samples (rows) from noise to digit through the steps\n"
    "  --steps N        sampling steps (default: the variant's diffusion.steps)\n"
    "  --eta X          the sampler's fresh noise, 0 (deterministic DDIM) to 1 (DDPM-like)\n"
    "                   (default: the variant's diffusion.eta)\n"
    "  --guidance W     autoguidance: guide + W (model - guide), 1 unguided (default: the\n"
    "                   variant's diffusion.guidance); needs a run with diffusion.guide_epoch\n"
    "  --guide-epoch K  the guide: the weights of epoch K (default: diffusion.guide_epoch)\n"
    "  --weights W      ema, best (the best epoch's) or last (default: ema when the run kept one, else\n"
    "                   best: what the run sampled)\n"
    "  --experiment FILE.lua  take the network from this file, not the one the checkpoint's config\n"
    "                   names (a checkpoint whose config does not run: rebuild the variant from it)\n";
static const char eval_help[] =
    "eval options (after CHECKPOINT): --steps, --eta, --guidance, --guide-epoch, --weights, --seed,\n"
    "  --experiment as for sample, and\n"
    "  -n N             samples to score (default 2000; a run's sample.metric_samples gives its metrics)\n"
    "  --classifier FILE  the classifier scoring them (default " CLASSIFIER_DEFAULT_PATH ")\n";
static const char classifier_help[] =
    "classifier options:\n"
    "  --epochs N       training epochs (default 4)\n"
    "  --out FILE       where the classifier goes (default models/mnist_classifier_v2.ddim)\n"
    "  --max-images N   train on the first N training digits (default all 60,000)\n"
    "  --test-images N  measure on the first N test digits (default all 10,000)\n"
    "  --threads N      threads to use (default: every core)\n";
static const char resume_help[] = "resume options (after RUN_DIR):\n"
                                  "  --threads N      threads to use (default: every core)\n";
static const char compare_help[] = "compare options (after the run directories):\n"
                                   "  --json           print JSON, not Markdown\n";
static const char bench_help[] = "bench options (after FILE.lua):\n"
                                 "  --variant NAME, --threads N, key.path=value as for an experiment\n"
                                 "  --json           print the figures as JSON, without the profiles\n";

static const struct command {
    const char *name;  /* FILE.lua: any argument ending in .lua */
    const char *summary;
    command_fn *run;
    int own_options;   /* options main does not know are the command's */
    const char *help;  /* its options, or NULL for none */
} commands[] = {
    { "FILE.lua", "run an experiment: train its variants, write runs/<experiment>/<time>/ with a report",
      run_experiment, 1, experiment_help },
    { "resume", "RUN_DIR: go on with an interrupted run from its saved state, to the files a whole run writes",
      run_resume, 1, resume_help },
    { "report", "RUN_DIR: rebuild a run's report.md and loss_curves.png from its saved results", run_report, 0,
      NULL },
    { "compare", "RUN_A RUN_B ... [--json]: runs side by side, each against the first, paired by seed", run_compare,
      1, compare_help },
    { "sample", "CHECKPOINT: draw digits from a run's checkpoint into a PNG grid", run_sample, 1, sample_help },
    { "eval", "CHECKPOINT: score a run's checkpoint's samples as the run does (FID, KID, recognisable, classes)",
      run_eval, 1, eval_help },
    { "info", "CPU features, kernel ISAs, library versions, and whether the MNIST files are verified", run_info, 0,
      NULL },
    { "bench", "FILE.lua: time each variant's training step and sampler, with a per-op profile", run_bench, 1,
      bench_help },
    { "classifier", "train the MNIST classifier that scores samples; write models/mnist_classifier_v2.ddim",
      run_classifier, 1, classifier_help },
    { "config", "--list: every config field, its type, default, accepted values and meaning (markdown)",
      run_config, 1, NULL },
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static const char global_options[] =
    "options (anywhere on the line; -- ends them):\n"
    "  --data DIR   directory of the MNIST .gz files (default: $DDIM_DATA, else data/mnist)\n"
    "  --help, -h   print this help (after a command: that command's)\n"
    "  --version    print the version\n";
static const char environment_help[] =
    "environment:\n"
    "  DDIM_ISA     use this kernel ISA (ref, avx2, avx512, neon) instead of the best one\n"
    "  DDIM_DATA    default for --data\n";

/* Every command and option, or with command only that command's. */
static void print_help(FILE *out, const struct command *command)
{
    if (command) {
        fprintf(out, "usage: ddim-lab [options] %s\n  %s\n\n", strcmp(command->name, "FILE.lua") == 0 ? "FILE.lua"
                     : command->name, command->summary);
        if (command->help)
            fputs(command->help, out);
        fprintf(out, "\n%s", global_options);
        return;
    }
    fprintf(out, "usage: ddim-lab [options] command [arguments]\n\ncommands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n%s", global_options);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (commands[i].help) {
            fprintf(out, "\n");
            fputs(commands[i].help, out);
        }
    fprintf(out, "\n%s", environment_help);
}

static int is_lua_file(const char *arg)
{
    size_t n = strlen(arg);
    return n > 4 && strcmp(arg + n - 4, ".lua") == 0;
}

/* The command an argument names, or NULL. */
static const struct command *find_command(const char *arg)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, arg) == 0 || (commands[i].name[0] == 'F' && is_lua_file(arg)))
            return &commands[i];
    return NULL;
}

/* The command the line names (the first argument that is neither an
 * option nor --data's value), or NULL. */
static const struct command *named_command(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1 < argc ? find_command(argv[i + 1]) : NULL;
        if (strcmp(argv[i], "--data") == 0)
            i++;
        else if (argv[i][0] != '-')
            return find_command(argv[i]);
    }
    return NULL;
}

/* The option names split off "--name=value" arguments, freed at exit. */
struct split_arguments {
    char **names;
    int count;
};

static void free_split_names(struct split_arguments *split)
{
    for (int i = 0; i < split->count; i++)
        free(split->names[i]);
    free(split->names);
}

/* argv with every "--name=value" before a "--" split into "--name" and
 * "value", so that each command's option loop sees one form; NULL when out
 * of memory. The new names are kept in *split for free_split_names. */
static char **split_long_options(int argc, char **argv, int *count, struct split_arguments *split)
{
    char **out = calloc(2 * (size_t)argc + 1, sizeof *out);
    split->names = calloc((size_t)argc + 1, sizeof *split->names);
    if (!out || !split->names) {
        free(out);
        return NULL;
    }
    int n = 0, ended = 0;
    for (int i = 0; i < argc; i++) {
        const char *equals = strchr(argv[i], '=');
        ended |= strcmp(argv[i], "--") == 0;
        if (i > 0 && !ended && strncmp(argv[i], "--", 2) == 0 && equals && equals > argv[i] + 2) {
            out[n] = split->names[split->count] = strndup(argv[i], (size_t)(equals - argv[i]));
            if (!out[n]) {
                free(out);
                return NULL;
            }
            split->count++;
            n++;
            out[n++] = (char *)equals + 1;
        } else {
            out[n++] = argv[i];
        }
    }
    out[n] = NULL;
    *count = n;
    return out;
}

static int run_command_line(int argc, char **argv);

int main(int argc, char **argv)
{
    struct split_arguments split = { 0 };
    char **arguments = split_long_options(argc, argv, &argc, &split);
    if (!arguments) {
        free_split_names(&split);
        fprintf(stderr, "ddim-lab: out of memory\n");
        return 1;
    }
    const int status = run_command_line(argc, arguments);
    free(arguments);
    free_split_names(&split);
    return status;
}

/* Everything after the "--name=value" split: the global options, then the
 * command. */
static int run_command_line(int argc, char **argv)
{
    struct context context = { .data_dir = getenv("DDIM_DATA") };
    if (!context.data_dir || !*context.data_dir)
        context.data_dir = "data/mnist";

    /* Options are consumed; the other arguments are moved to the front of
     * argv + 1, in order: the command, then its arguments. */
    const int own_options = named_command(argc, argv) && named_command(argc, argv)->own_options;
    int positional = 0, options_ended = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_ended || arg[0] != '-' || strcmp(arg, "-") == 0) {
            argv[1 + positional++] = argv[i];
        } else if (strcmp(arg, "--") == 0) {
            options_ended = 1;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_help(stdout, named_command(argc, argv));
            return EXIT_SUCCESS;
        } else if (strcmp(arg, "--version") == 0) {
            printf("ddim-lab %s\n", DDIM_VERSION);
            return EXIT_SUCCESS;
        } else if (strcmp(arg, "--data") == 0) {
            if (i + 1 == argc)
                return usage_error("option '--data' needs a directory");
            context.data_dir = argv[++i];
        } else if (own_options) {
            argv[1 + positional++] = argv[i]; /* the command's own option */
        } else {
            return usage_error("unknown option '%s'", arg);
        }
    }
    if (positional == 0) {
        print_help(stderr, NULL);
        return EXIT_USAGE;
    }

    const struct command *command = find_command(argv[1]);
    if (!command)
        return usage_error("unknown command '%s'", argv[1]);

    const char *isa_error = NULL;
    context.kernels = kernels_select(&isa_error);
    if (!context.kernels) {
        fprintf(stderr, "ddim-lab: DDIM_ISA=%s: %s\n", getenv("DDIM_ISA"), isa_error);
        return EXIT_USAGE;
    }
    /* An experiment's file is its first argument; a named command's
     * arguments follow its name. */
    if (is_lua_file(argv[1]))
        return command->run(&context, positional, argv + 1);
    return command->run(&context, positional - 1, argv + 2);
}
