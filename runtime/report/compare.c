/* Runs side by side (see compare.h). Variants are matched by name; a
 * difference pairs the seeds both runs have, so that a rerun at other
 * settings is compared seed by seed, as an ablation inside one run is. */
#include <math.h>
#include <string.h>
#include "runtime/report/compare.h"
#include "runtime/report/figures.h"

/* The figures a comparison gives. ORDER FIGURE */
static const enum figure compared[] = { FID, KID, RECOGNISABLE, ENTROPY, NOISE_LOSS, SECONDS };
#define COMPARED (int)(sizeof compared / sizeof *compared)

static int variant_named(const struct report_data *d, const char *name)
{
    for (int i = 0; i < d->variant_count; i++)
        if (strcmp(d->variants[i].name, name) == 0)
            return i;
    return -1;
}

/* "key": "value", with the JSON escapes value needs (a path may hold any byte). */
static void json_string(struct text *out, const char *key, const char *value)
{
    text_append(out, "\"%s\": \"", key);
    for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
        if (*c == '"' || *c == '\\')
            text_append(out, "\\%c", *c);
        else if (*c < 0x20)
            text_append(out, "\\u%04x", *c);
        else
            text_append(out, "%c", *c);
    }
    text_append(out, "\"");
}

/* A number for JSON: null for NAN (one seed has no interval). */
static void json_number(struct text *out, const char *key, double x)
{
    if (isnan(x))
        text_append(out, "\"%s\": null", key);
    else
        text_append(out, "\"%s\": %.6g", key, x);
}

static void json_summary(struct text *out, const char *key, const struct summary *s)
{
    text_append(out, "\"%s\": {\"seeds\": %d, ", key, s->count);
    json_number(out, "mean", s->count ? s->mean : NAN);
    text_append(out, ", ");
    json_number(out, "sd", s->count > 1 ? s->sd : NAN);
    text_append(out, ", ");
    json_number(out, "low", s->count > 1 ? s->mean - s->half_width : NAN);
    text_append(out, ", ");
    json_number(out, "high", s->count > 1 ? s->mean + s->half_width : NAN);
    text_append(out, "}");
}

/* The JSON form: {"runs": [{"dir", "experiment", "quick", "classifier_sha256",
 * "variants": [{"name", figures...}]}], "differences": [{"variant", "run",
 * "against", figures...}]}, each figure {"seeds", "mean", "sd", "low",
 * "high"} (null where one seed gives no spread). */
static void write_json(struct text *out, const struct report_data *runs, const char *const *dirs, int count)
{
    text_append(out, "{\n  \"runs\": [");
    for (int r = 0; r < count; r++) {
        const struct report_data *d = &runs[r];
        text_append(out, "%s\n    {", r ? "," : "");
        json_string(out, "dir", dirs[r]);
        text_append(out, ", ");
        json_string(out, "experiment", d->experiment);
        text_append(out, ", \"quick\": %s, ", d->quick ? "true" : "false");
        json_string(out, "classifier_sha256", d->classifier_sha256);
        text_append(out, ", \"variants\": [");
        for (int v = 0; v < d->variant_count; v++) {
            text_append(out, "%s\n      {", v ? "," : "");
            json_string(out, "name", d->variants[v].name);
            for (int f = 0; f < COMPARED; f++) {
                const struct summary s = summarise_figure(d, v, compared[f]);
                text_append(out, ", ");
                json_summary(out, figure_keys[compared[f]], &s);
            }
            text_append(out, "}");
        }
        text_append(out, "]}");
    }
    text_append(out, "\n  ],\n  \"differences\": [");
    int written = 0;
    for (int r = 1; r < count; r++)
        for (int v = 0; v < runs[r].variant_count; v++) {
            const int first = variant_named(&runs[0], runs[r].variants[v].name);
            if (first < 0)
                continue;
            text_append(out, "%s\n    {", written++ ? "," : "");
            json_string(out, "variant", runs[r].variants[v].name);
            text_append(out, ", ");
            json_string(out, "run", dirs[r]);
            text_append(out, ", ");
            json_string(out, "against", dirs[0]);
            for (int f = 0; f < COMPARED; f++) {
                const struct summary s = summarise_paired(&runs[r], v, &runs[0], first, compared[f]);
                text_append(out, ", ");
                json_summary(out, figure_keys[compared[f]], &s);
            }
            text_append(out, "}");
        }
    text_append(out, "\n  ]\n}\n");
}

static void write_figures_table(struct text *out, const struct report_data *runs, int count)
{
    figure_table_header(out, "| variant | run |", 2, compared, COMPARED, "");
    for (int r = 0; r < count; r++)
        for (int v = 0; v < runs[r].variant_count; v++) {
            text_append(out, "| %s | %c |", runs[r].variants[v].name, 'A' + r);
            for (int f = 0; f < COMPARED; f++) {
                const struct summary s = summarise_figure(&runs[r], v, compared[f]);
                format_summary(out, &s, figure_decimals[compared[f]]);
            }
            text_append(out, "\n");
        }
}

/* Each later run's variants against the first run's of the same name. */
static void write_differences_table(struct text *out, const struct report_data *runs, int count)
{
    figure_table_header(out, "| variant | run | seeds paired |", 3, compared, COMPARED, "Δ ");
    int rows = 0;
    for (int r = 1; r < count; r++)
        for (int v = 0; v < runs[r].variant_count; v++) {
            const int first = variant_named(&runs[0], runs[r].variants[v].name);
            if (first < 0)
                continue;
            const struct summary paired = summarise_paired(&runs[r], v, &runs[0], first, FID);
            text_append(out, "| %s | %c - A | %d |", runs[r].variants[v].name, 'A' + r, paired.count);
            for (int f = 0; f < COMPARED; f++) {
                const struct summary s = summarise_paired(&runs[r], v, &runs[0], first, compared[f]);
                const int decimals = figure_decimals[compared[f]], bold = excludes_zero(&s);
                if (s.count == 0)
                    text_append(out, " |");
                else if (s.count == 1)
                    text_append(out, " %+.*f |", decimals, s.mean);
                else
                    text_append(out, " %s%+.*f [%+.*f, %+.*f]%s |", bold ? "**" : "", decimals, s.mean, decimals,
                                s.mean - s.half_width, decimals, s.mean + s.half_width, bold ? "**" : "");
            }
            text_append(out, "\n");
            rows++;
        }
    if (!rows)
        text_append(out, "\nNo variant of a later run has a namesake in run A: nothing to pair.\n");
}

void compare_write(struct text *out, const struct report_data *runs, const char *const *dirs, int count, int json)
{
    if (json) {
        write_json(out, runs, dirs, count);
        return;
    }
    text_append(out, "# Comparing %d runs\n\n| run | directory | experiment |\n|---|---|---|\n", count);
    for (int r = 0; r < count; r++)
        text_append(out, "| %c | `%s` | %s%s |\n", 'A' + r, dirs[r], runs[r].experiment,
                    runs[r].quick ? " (--quick: a smoke test, not a result)" : "");
    for (int r = 1; r < count; r++)
        if (strcmp(runs[r].classifier_sha256, runs[0].classifier_sha256) != 0)
            text_append(out, "\n**Run %c's samples were scored by another classifier than run A's** (SHA-256 "
                             "%.16s... against %.16s...): their FID, KID and recognisability are not on one "
                             "scale.\n", 'A' + r, runs[r].classifier_sha256, runs[0].classifier_sha256);
    text_append(out, "\n## Figures\n\nThe mean ± standard deviation [95%% confidence interval, Student's t] over "
                     "each run's seeds.\n\n");
    write_figures_table(out, runs, count);
    text_append(out, "\n## Differences\n\nEach later run's variant minus run A's of the same name, paired by the "
                     "seeds both ran (mean [95%% CI]); **bold** where the interval excludes zero. Where it "
                     "includes zero the runs have not shown a difference.\n\n");
    write_differences_table(out, runs, count);
}
