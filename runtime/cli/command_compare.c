/* `ddim-lab compare RUN_A RUN_B [...] [--json]`: runs side by side
 * (compare.h), from the files each run directory saved, as Markdown on
 * standard output, or JSON with --json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/cli/commands.h"
#include "runtime/report/compare.h"

int run_compare(const struct context *ctx, int argc, char **argv)
{
    (void)ctx;
    const char *dirs[argc > 0 ? argc : 1];
    int count = 0, json = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "ddim-lab: compare: unknown option '%s' (it takes run directories and --json)\n", argv[i]);
            return 2;
        } else {
            dirs[count++] = argv[i];
        }
    }
    if (count < 2) {
        fprintf(stderr, "ddim-lab: compare takes two or more run directories, e.g. ddim-lab compare "
                        "runs/digits_in_minutes/A runs/digits_in_minutes/B (see ddim-lab --help)\n");
        return 2;
    }
    struct report_data *runs = calloc((size_t)count, sizeof *runs);
    if (!runs) {
        fprintf(stderr, "ddim-lab: compare: out of memory\n");
        return 1;
    }
    char err[1024];
    int status = 0, loaded = 0;
    for (; loaded < count; loaded++)
        if (report_load(dirs[loaded], &runs[loaded], err, sizeof err)) {
            if (runs[loaded].variants)
                report_free(&runs[loaded]);
            fprintf(stderr, "ddim-lab: %s\n", err);
            status = 1;
            break;
        }
    if (status == 0) {
        struct text out = { 0 };
        compare_write(&out, runs, dirs, count, json);
        if (out.failed) {
            fprintf(stderr, "ddim-lab: compare: out of memory\n");
            status = 1;
        } else {
            fwrite(out.text, 1, out.length, stdout);
        }
        text_free(&out);
    }
    for (int i = 0; i < loaded; i++)
        report_free(&runs[i]);
    free(runs);
    return status;
}
