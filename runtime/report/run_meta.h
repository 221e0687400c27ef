/* run_meta.h: a run directory's meta.json, what it takes to rerun the run
 * and to know what produced it: the command line, the git commit, the
 * compiler and its flags, the kernel ISA, the libraries, the CPU, the
 * thread count, the SHA-256 of the resolved config (config.lua) and of
 * each MNIST file's content (and whether it is the one mnist.sha256 lists),
 * each variant's seed, and when and how long it ran; its status (running until
 * the run ends) and its arguments, for `ddim-lab resume RUN_DIR`. */
#ifndef DDIM_RUN_META_H
#define DDIM_RUN_META_H

#include <stddef.h>
#include <time.h>
#include "runtime/base/mnist.h"
#include "runtime/config/config.h"
#include "kernels/kernels.h"

struct run_meta {
    const char *command_line;   /* the command's arguments, e.g. "ddim-lab experiments/seed_extras.lua --quick" */
    const char *data_dir;       /* where the MNIST files were read (--data, $DDIM_DATA or data/mnist) */
    int threads;
    time_t started;             /* of the run's first session (a resume keeps it) */
    time_t session_started;     /* of this session, when it is a resume (else 0) */
    double wall_seconds;        /* over all its sessions */
    int sessions;               /* 1, plus one a resume */
    int runs_done, runs_total;  /* (variant, seed) runs finished, of all */
    const char *classifier;     /* the file that scored the samples, and its SHA-256 */
    const char *classifier_sha256;
    double classifier_test_accuracy; /* its share of the test digits right, measured as the run loaded it */
    const struct mnist_file_digest *data_digests; /* MNIST_FILE_COUNT, in mnist_files' order */
    const char *status;         /* running, complete, diverged, interrupted or failed */
    int argument_count;         /* the experiment's arguments (FILE.lua first), which `ddim-lab resume` */
    char **arguments;           /* reruns with --resume */
};

/* Writes dir/meta.json (atomically). Returns 0, or -1 with one line in err. */
int write_run_meta(const char *dir, const struct experiment *e, const struct kernels *k, const struct run_meta *m,
                   char *err, size_t errlen);

/* meta.json's text json (read whole) into its "arguments" list: at most
 * capacity strings into args, unescaped over json's own bytes (json is
 * changed). Returns 0, or -1 when there is no such list or it is not as
 * write_run_meta writes it. */
int run_meta_arguments(char *json, char **args, int capacity, int *count);

/* What a resume carries over from the run's meta.json text json: when its
 * first session started, the wall seconds of its sessions and how many
 * there were (1 for a meta.json from before the "sessions" field). Returns
 * 0, or -1 when json has no "started_utc" or "wall_seconds" as
 * write_run_meta writes them. */
int run_meta_sessions(const char *json, time_t *started, double *wall_seconds, int *sessions);

/* meta.json's "classifier_test_accuracy", or NAN when it has none (a run
 * from before the field). */
double run_meta_classifier_accuracy(const char *json);

#endif
