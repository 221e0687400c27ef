/* `ddim-lab report RUN_DIR`: rebuilds a run directory's report.md and
 * loss_curves.png from the CSV files the run wrote (report.h), without
 * training: for a run that was stopped, or after the report code changed. */
#include <stdio.h>
#include "runtime/cli/commands.h"
#include "runtime/report/report.h"

int run_report(const struct context *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc != 1) {
        fprintf(stderr, "ddim-lab: report takes one run directory, e.g. ddim-lab report runs/seed_extras/20261127-"
                        "150000 (see ddim-lab --help)\n");
        return 2;
    }
    char err[1024];
    struct report_data d;
    if (report_load(argv[0], &d, err, sizeof err) || report_write(argv[0], &d, err, sizeof err)) {
        if (d.variants)
            report_free(&d);
        fprintf(stderr, "ddim-lab: %s\n", err);
        return 1;
    }
    printf("wrote %s/report.md and %s/loss_curves.png from %d run(s) of %d variant(s)\n", argv[0], argv[0],
           d.run_count, d.variant_count);
    report_free(&d);
    return 0;
}
