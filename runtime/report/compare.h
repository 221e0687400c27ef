/* compare.h: runs side by side (`ddim-lab compare RUN_A RUN_B ...`): each
 * variant's figures in every run that has it, and each later run's paired
 * differences to the first, by variant name and seed. */
#ifndef DDIM_COMPARE_H
#define DDIM_COMPARE_H

#include "runtime/base/text.h"
#include "runtime/report/report.h"

/* Appends to out the comparison of the count runs in runs (loaded from
 * dirs) as Markdown, or as JSON when json is set. The first run is the
 * one the others are compared against. */
void compare_write(struct text *out, const struct report_data *runs, const char *const *dirs, int count, int json);

#endif
