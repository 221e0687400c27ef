/* experiment_run.h: what the runner of `ddim-lab EXPERIMENT.lua` shares
 * between the experiment (command_experiment.c), each variant's run at one
 * seed (experiment_variant.c) and the files that say how far it got
 * (experiment_files.c). */
#ifndef DDIM_EXPERIMENT_RUN_H
#define DDIM_EXPERIMENT_RUN_H

#include <stddef.h>
#include <stdint.h>
#include "runtime/base/mnist.h"
#include "runtime/base/text.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/run_checks.h"
#include "runtime/config/config.h"
#include "runtime/scoring/sample_scorer.h"

struct run_options {
    struct experiment_options experiment;
    const char *out;
    const char *classifier;
    const char *resume;     /* --resume RUN_DIR: go on with that run, else NULL */
    int threads;            /* 0: OpenMP's default, every core */
    struct run_checks checks;  /* --memory-limit, --allow-unverified-data */
};

/* How one (variant, seed) run ended, or how far it is: runs.csv's states. */
enum run_state_kind { RUN_PENDING, RUN_RUNNING, RUN_COMPLETE, RUN_DIVERGED_STATE, RUN_INTERRUPTED };

struct run_entry {
    enum run_state_kind state;
    char detail[1024];      /* the divergence's message, where an interrupt stopped it */
};

/* What every (variant, seed) run of the experiment shares. */
struct experiment_run {
    const struct context *ctx;
    const struct experiment *e;
    const struct run_options *options;
    char dir[512];
    struct sample_scorer scorer;              /* the classifier and the test set's features */
    struct mnist_dataset all;                 /* train then test (mnist.h); the splits are views into it */
    struct mnist_file_digest data_digests[MNIST_FILE_COUNT]; /* for meta.json */
    struct text results, timing, metrics;
    int rounds;                               /* seeds (1 without a seeds list) */
    struct run_entry *entries;                /* rounds x variants, in the order they run */
    int *trained_as;    /* per variant: the variant whose training it samples from, itself or an earlier one */
};

/* What run_variant and run_all return besides 0 (finished) and -1 (an
 * error, in err: the experiment stops). */
#define RUN_VARIANT_DIVERGED 1      /* that run stopped, the others go on */
#define RUN_VARIANT_INTERRUPTED 2   /* SIGINT or SIGTERM: the experiment stops, its state saved */

/* The exit status of an experiment some of whose runs diverged (the
 * others finished); 130 and 143 for SIGINT and SIGTERM (interrupt.h). */
#define EXIT_DIVERGED 3

/* Refuses to resume the run in dir with config, the resolved config of
 * this invocation, unless it is dir/config.lua's text: the message names
 * the fields that differ. Returns 0, or -1 with ONE line in err. */
int check_resumed_config(const char *dir, const char *config, char *err, size_t errlen);

/* The directory of one (variant, seed) run: <run>/<variant>/seed<N>. */
void run_seed_directory(const struct experiment_run *s, const char *variant, uint64_t seed, char *out, size_t size);

/* Fills s->trained_as: each variant samples from the training of the first
 * earlier variant with the same network that trains alike
 * (config_trains_alike), or from its own. */
void find_shared_trainings(struct experiment_run *s);

/* Trains variant v (entries[entry]) at its train.seed, going on from its
 * state.ddim when an earlier run of this directory saved one, then samples
 * and scores it; a finished or diverged run's state gives its rows back
 * without training. A variant that trains as an earlier one
 * (s->trained_as) is not trained: it takes that run's rows and weights at
 * this seed and samples from them its own way. */
int run_variant(struct experiment_run *s, struct variant *v, int entry, char *err, size_t errlen);

/* The data floor at seed: count training digits scored as samples are. */
int score_data_floor(struct experiment_run *s, uint64_t seed, long count, char *err, size_t errlen);

/* Writes the CSVs (results, timing, metrics, runs), then the report rebuilt
 * from them (as `ddim-lab report` would). */
int write_results(struct experiment_run *s, char *err, size_t errlen);

/* Writes dir/name from text, atomically. */
int write_text(const char *dir, const char *name, const struct text *text, char *err, size_t errlen);

/* A CSV field: quoted, with quotes doubled, when it holds a comma or quote. */
void append_csv_field(struct text *t, const char *field);

#endif
