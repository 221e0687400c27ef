/* The figures of runs, summarised over seeds (see figures.h). */
#include <math.h>
#include "runtime/report/figures.h"

/* ORDER FIGURE */
const char *const figure_names[FIGURES] = {
    "noise loss (last epoch)", "FID", "KID", "recognisable %", "class entropy (bits)", "training s", "images/s",
};
const char *const figure_keys[FIGURES] = {
    "noise_loss", "fid", "kid", "recognisable_percent", "class_entropy_bits", "training_seconds", "images_per_second",
};
const int figure_decimals[FIGURES] = { 4, 2, 3, 1, 2, 0, 0 };

double figure_of(const struct report_run *r, enum figure f)
{
    switch (f) {
    case NOISE_LOSS:        return r->epochs ? r->noise_loss[(r->epochs < 64 ? r->epochs : 64) - 1] : NAN;
    case FID:               return r->scored ? r->scores.fid : NAN;
    case KID:               return r->scored ? r->scores.kid : NAN;
    case RECOGNISABLE:      return r->scored ? 100 * r->scores.recognisable : NAN;
    case ENTROPY:           return r->scored ? r->scores.class_entropy : NAN;
    case SECONDS:           return r->epochs ? r->seconds : NAN;
    case IMAGES_PER_SECOND: return r->epochs ? r->images_per_second : NAN;
    default:                return NAN;
    }
}

struct summary summarise_figure(const struct report_data *d, int variant, enum figure f)
{
    double values[d->run_count > 0 ? d->run_count : 1];
    int count = 0;
    for (int i = 0; i < d->run_count; i++)
        if (d->runs[i].variant == variant && !isnan(figure_of(&d->runs[i], f)))
            values[count++] = figure_of(&d->runs[i], f);
    return count ? summarise(values, count) : (struct summary){ 0 };
}

struct summary summarise_paired(const struct report_data *a, int variant_a, const struct report_data *b, int variant_b,
                                enum figure f)
{
    double values[a->run_count > 0 ? a->run_count : 1];
    int count = 0;
    for (int i = 0; i < a->run_count; i++)
        for (int j = 0; j < b->run_count; j++) {
            const struct report_run *x = &a->runs[i], *y = &b->runs[j];
            if (x->variant == variant_a && y->variant == variant_b && x->seed == y->seed &&
                !isnan(figure_of(x, f)) && !isnan(figure_of(y, f)))
                values[count++] = figure_of(x, f) - figure_of(y, f);
        }
    return count ? summarise(values, count) : (struct summary){ 0 };
}

void figure_table_header(struct text *out, const char *columns, int leading, const enum figure *figures, int count,
                         const char *prefix)
{
    text_append(out, "%s", columns);
    for (int f = 0; f < count; f++)
        text_append(out, " %s%s |", prefix, figure_names[figures[f]]);
    text_append(out, "\n|");
    for (int c = 0; c < leading + count; c++)
        text_append(out, "---|");
    text_append(out, "\n");
}

void format_summary(struct text *out, const struct summary *s, int decimals)
{
    if (s->count == 0)
        text_append(out, " |");
    else if (s->count == 1)
        text_append(out, " %.*f |", decimals, s->mean);
    else
        text_append(out, " %.*f ± %.*f [%.*f, %.*f] |", decimals, s->mean, decimals, s->sd, decimals,
                    s->mean - s->half_width, decimals, s->mean + s->half_width);
}
