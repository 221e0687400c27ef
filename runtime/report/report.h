/* report.h: a run directory's report, built from its saved results alone,
 * so that `ddim-lab report RUN_DIR` rebuilds exactly what the run wrote:
 *
 *   variants.csv   experiment, variant, reference, samples_from, parameters, changes, mflop_per_image,
 *                  trained_as
 *   results.csv    variant, seed, epoch, noise_loss, image_loss, best_noise_loss
 *   timing.csv     variant, seed, epoch, seconds, images_per_second
 *   metrics.csv    variant, seed, samples, sampling_steps, classifier, classifier_sha256, fid, kid,
 *                  recognisable, class_entropy, class_0 .. class_9; the rows of variant "data_floor"
 *                  score a same-size draw of training digits
 *   runs.csv       variant, seed, state, detail: each (variant, seed) run's state (pending, running,
 *                  complete, diverged, interrupted) and what stopped it; optional
 *
 * and writes report.md (the table of means, standard deviations and 95%
 * intervals over seeds, each ablation's paired difference to its reference,
 * a generated summary, the sample grids) and loss_curves.png. */
#ifndef DDIM_REPORT_H
#define DDIM_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "runtime/scoring/sample_metrics.h"

#define REPORT_FLOOR "data_floor"   /* metrics.csv's name for the data floor's rows */

struct report_variant {
    char name[64], reference[64], samples_from[16];
    char trained_as[64];            /* the variant whose training it samples from: its own name, or an earlier's */
    char changes[160];
    long parameters;
    double mflop_per_image;         /* MFLOP of one sampling step of one image; NAN when not recorded */
};

/* One variant trained at one seed. */
struct report_run {
    int variant;                    /* index into variants; -1 for the data floor */
    uint64_t seed;
    int epochs;                     /* rows of results.csv (epochs done) */
    double noise_loss[64], image_loss[64]; /* per epoch (the first 64) */
    double seconds;                 /* training time, summed over epochs */
    double images_per_second;       /* over the whole training */
    int scored;                     /* has a metrics.csv row */
    struct sample_scores scores;
    int samples, sampling_steps;
};

/* A row of runs.csv: how far one (variant, seed) run got. */
struct report_state {
    char variant[64];
    uint64_t seed;
    char state[16];                 /* pending, running, complete, diverged, interrupted */
    char detail[512];               /* what stopped it */
};

struct report_data {
    char experiment[64];
    int variant_count, run_count;
    struct report_variant *variants;
    struct report_run *runs;        /* the floor's runs too (variant -1) */
    char classifier[256], classifier_sha256[72];
    int state_count;                /* rows of runs.csv; 0 when the directory has none */
    struct report_state *states;
    int quick;                      /* the run had --quick (meta.json's arguments): a smoke test */
    double classifier_test_accuracy; /* meta.json's; NAN for a run from before it was recorded */
};

/* Reads the CSV files of the run directory dir. Returns 0, or -1 with ONE
 * line in err naming the file (and line) and the problem. */
int report_load(const char *dir, struct report_data *d, char *err, size_t errlen);
void report_free(struct report_data *d);

/* Writes dir/report.md and dir/loss_curves.png from d. Returns 0, or -1
 * with ONE line in err naming the file and the problem. */
int report_write(const char *dir, const struct report_data *d, char *err, size_t errlen);

#endif
