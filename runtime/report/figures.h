/* figures.h: the figures a report and a comparison summarise over seeds
 * (each run's, from report_load's data), their names and decimals, and
 * their summaries: over one variant's seeds, and paired by seed between
 * two variants of one run or of two runs. */
#ifndef DDIM_FIGURES_H
#define DDIM_FIGURES_H

#include "runtime/base/text.h"
#include "runtime/report/report.h"
#include "runtime/scoring/statistics.h"

/* In the order the tables give them. ORDER FIGURE */
enum figure { NOISE_LOSS, FID, KID, RECOGNISABLE, ENTROPY, SECONDS, IMAGES_PER_SECOND, FIGURES };
extern const char *const figure_names[FIGURES];  /* for tables: "recognisable %" */
extern const char *const figure_keys[FIGURES];   /* for JSON: "recognisable_percent" */
extern const int figure_decimals[FIGURES];

/* Figure f of run r, or NAN when the run does not have it. */
double figure_of(const struct report_run *r, enum figure f);

/* The summary of figure f over the runs of variant (-1: the floor). */
struct summary summarise_figure(const struct report_data *d, int variant, enum figure f);

/* The paired differences (a's variant_a) - (b's variant_b) of figure f over
 * the seeds both have; a and b may be the same run. */
struct summary summarise_paired(const struct report_data *a, int variant_a, const struct report_data *b, int variant_b,
                                enum figure f);

/* A Markdown table's two header lines: the columns (e.g. "| variant | run |",
 * `leading` of them) then one per figure, its name after prefix ("Δ "). */
void figure_table_header(struct text *out, const char *columns, int leading, const enum figure *figures, int count,
                         const char *prefix);

/* " mean ± sd [low, high] |", or " mean |" for one seed, or " |" for none. */
void format_summary(struct text *out, const struct summary *s, int decimals);

#endif
