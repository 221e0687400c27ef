/* The files of a run directory that grow as the run goes (experiment_run.h):
 * the CSVs, runs.csv (each (variant, seed) run's state) and the report. */
#include <stdio.h>
#include <string.h>
#include "runtime/base/files.h"
#include "runtime/cli/experiment_run.h"
#include "runtime/report/report.h"

int write_text(const char *dir, const char *name, const struct text *text, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (text->failed)
        return path_error(err, errlen, path, "out of memory");
    return write_file_atomic(path, text->text ? text->text : "", text->length, err, errlen);
}

void append_csv_field(struct text *t, const char *field)
{
    if (!strpbrk(field, ",\"\n")) {
        text_append(t, "%s", field);
        return;
    }
    text_append(t, "\"");
    for (const char *c = field; *c; c++)
        text_append(t, *c == '"' ? "\"\"" : "%c", *c);
    text_append(t, "\"");
}

/* ORDER run_state_kind */
static const char *const state_names[] = { "pending", "running", "complete", "diverged", "interrupted" };
_Static_assert(sizeof state_names / sizeof state_names[0] == RUN_INTERRUPTED + 1, "a name per run state");

/* runs.csv: every (variant, seed) run in the order they run, its state
 * and what stopped it. */
static int write_runs(struct experiment_run *s, char *err, size_t errlen)
{
    struct text t = { 0 };
    text_append(&t, "variant,seed,state,detail\n");
    for (int round = 0; round < s->rounds; round++)
        for (int i = 0; i < s->e->variant_count; i++) {
            const struct variant *v = &s->e->variants[i];
            const struct run_entry *entry = &s->entries[round * s->e->variant_count + i];
            const unsigned long long seed = s->e->seed_count ? s->e->seeds[round] : v->train.seed;
            text_append(&t, "%s,%llu,%s,", v->name, seed, state_names[entry->state]);
            append_csv_field(&t, entry->detail);
            text_append(&t, "\n");
        }
    const int status = write_text(s->dir, "runs.csv", &t, err, errlen);
    text_free(&t);
    return status;
}

int write_results(struct experiment_run *s, char *err, size_t errlen)
{
    struct report_data d;
    if (write_text(s->dir, "results.csv", &s->results, err, errlen) ||
        write_text(s->dir, "timing.csv", &s->timing, err, errlen) ||
        write_text(s->dir, "metrics.csv", &s->metrics, err, errlen) || write_runs(s, err, errlen) ||
        report_load(s->dir, &d, err, errlen))
        return -1;
    int status = report_write(s->dir, &d, err, errlen);
    report_free(&d);
    return status;
}
