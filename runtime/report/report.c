/* report.md and loss_curves.png from a run's saved results (see report.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/files.h"
#include "runtime/report/figures.h"
#include "runtime/report/loss_plot.h"
#include "runtime/report/report.h"
#include "runtime/scoring/sample_scorer.h"
#include "runtime/scoring/statistics.h"
#include "runtime/base/text.h"

static int variant_index(const struct report_data *d, const char *name)
{
    for (int i = 0; i < d->variant_count; i++)
        if (strcmp(d->variants[i].name, name) == 0)
            return i;
    return -1;
}

/* The seeds of the runs of variant, as "1, 2, 3"; their count. */
static int seeds_of(const struct report_data *d, int variant, char *out, size_t size)
{
    int count = 0;
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < d->run_count; i++)
        if (d->runs[i].variant == variant && used < size) {
            int n = snprintf(out + used, size - used, "%s%llu", count ? ", " : "",
                             (unsigned long long)d->runs[i].seed);
            used += n > 0 ? (size_t)n : 0;
            count++;
        }
    return count;
}

static void write_table(struct text *out, const struct report_data *d)
{
    static const enum figure all[FIGURES] = { NOISE_LOSS, FID, KID, RECOGNISABLE, ENTROPY, SECONDS,
                                              IMAGES_PER_SECOND }; /* ORDER FIGURE */
    figure_table_header(out, "| variant | what changed | parameters | MFLOP a step | seeds |", 5, all, FIGURES, "");
    for (int v = -1; v < d->variant_count; v++) {
        char seeds[256];
        if (seeds_of(d, v, seeds, sizeof seeds) == 0)
            continue;
        if (v < 0) {
            text_append(out, "| *data floor* | training digits, not samples | | | %s |", seeds);
        } else {
            text_append(out, "| %s | %s | %ld |", d->variants[v].name, d->variants[v].changes,
                        d->variants[v].parameters);
            if (isnan(d->variants[v].mflop_per_image))
                text_append(out, " |");
            else
                text_append(out, " %.1f |", d->variants[v].mflop_per_image);
            text_append(out, " %s |", seeds);
        }
        for (int f = 0; f < FIGURES; f++) {
            const struct summary s = summarise_figure(d, v, f);
            format_summary(out, &s, figure_decimals[f]);
        }
        text_append(out, "\n");
    }
}

/* The mean share of each class, in %: mode collapse shows here. */
static void write_class_table(struct text *out, const struct report_data *d)
{
    text_append(out, "| variant | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int v = -1; v < d->variant_count; v++) {
        double share[METRIC_CLASSES] = { 0 };
        int count = 0;
        for (int i = 0; i < d->run_count; i++)
            if (d->runs[i].variant == v && d->runs[i].scored) {
                for (int k = 0; k < METRIC_CLASSES; k++)
                    share[k] += d->runs[i].scores.class_share[k];
                count++;
            }
        if (!count)
            continue;
        text_append(out, "| %s |", v < 0 ? "*data floor*" : d->variants[v].name);
        for (int k = 0; k < METRIC_CLASSES; k++)
            text_append(out, " %.1f |", 100 * share[k] / count);
        text_append(out, "\n");
    }
}

/* The differences each ablation makes to its reference; returns how many
 * variants have a reference. */
static int write_differences(struct text *out, const struct report_data *d)
{
    static const enum figure compared[] = { NOISE_LOSS, FID, KID, RECOGNISABLE, ENTROPY };
    int rows = 0;
    for (int v = 0; v < d->variant_count; v++) {
        const int reference = variant_index(d, d->variants[v].reference);
        if (reference < 0)
            continue;
        if (rows++ == 0) {
            figure_table_header(out, "| variant | minus its reference |", 2, compared,
                                (int)(sizeof compared / sizeof compared[0]), "Δ ");
        }
        text_append(out, "| %s | %s |", d->variants[v].name, d->variants[reference].name);
        for (size_t f = 0; f < sizeof compared / sizeof compared[0]; f++) {
            const struct summary s = summarise_paired(d, v, d, reference, compared[f]);
            const int decimals = figure_decimals[compared[f]];
            if (s.count < 2)
                text_append(out, s.count ? " %+.*f |" : " |", decimals, s.mean);
            else
                text_append(out, " %s%+.*f [%+.*f, %+.*f]%s |", excludes_zero(&s) ? "**" : "", decimals, s.mean,
                            decimals, s.mean - s.half_width, decimals, s.mean + s.half_width,
                            excludes_zero(&s) ? "**" : "");
        }
        text_append(out, "\n");
    }
    return rows;
}

/* The generated summary: for each ablation, which of FID and
 * recognisability it changed significantly, and which way. */
static void write_summary(struct text *out, const struct report_data *d)
{
    int said = 0;
    for (int v = 0; v < d->variant_count; v++) {
        const int reference = variant_index(d, d->variants[v].reference);
        if (reference < 0)
            continue;
        const struct summary fid = summarise_paired(d, v, d, reference, FID);
        const struct summary recognisable = summarise_paired(d, v, d, reference, RECOGNISABLE);
        const int fid_moved = excludes_zero(&fid), recognisable_moved = excludes_zero(&recognisable);
        const char *what = d->variants[v].changes[0] ? d->variants[v].changes : d->variants[v].name;
        if (!fid_moved && !recognisable_moved) {
            text_append(out, "- %s (`%s` against `%s`): an effect on FID or recognisability not shown (both "
                             "intervals include zero; n = %d seeds).\n", what, d->variants[v].name,
                        d->variants[reference].name, fid.count);
        } else {
            text_append(out, "- %s (`%s` against `%s`):", what, d->variants[v].name, d->variants[reference].name);
            if (fid_moved)
                text_append(out, " FID %s by %.2f [%.2f, %.2f] (%s)", fid.mean > 0 ? "up" : "down", fabs(fid.mean),
                            fabs(fid.mean) - fid.half_width, fabs(fid.mean) + fid.half_width,
                            fid.mean > 0 ? "worse" : "better");
            if (recognisable_moved)
                text_append(out, "%s recognisable %s by %.1f [%.1f, %.1f] points (%s)", fid_moved ? ";" : "",
                            recognisable.mean > 0 ? "up" : "down", fabs(recognisable.mean),
                            fabs(recognisable.mean) - recognisable.half_width,
                            fabs(recognisable.mean) + recognisable.half_width,
                            recognisable.mean > 0 ? "better" : "worse");
            text_append(out, ".\n");
        }
        said++;
    }
    if (!said)
        text_append(out, "No variant names a reference, so there are no differences to summarise.\n");
}

/* The first seed variant ran at, in *seed; 0 when it has no run. */
static int first_seed_of(const struct report_data *d, int variant, uint64_t *seed)
{
    for (int i = 0; i < d->run_count; i++)
        if (d->runs[i].variant == variant) {
            *seed = d->runs[i].seed;
            return 1;
        }
    return 0;
}

/* Whether the variants form a ladder: the first names no reference and
 * every other names the one before it (at least three variants), so the
 * order is simplest first. */
static int is_ladder(const struct report_data *d)
{
    if (d->variant_count < 3 || d->variants[0].reference[0])
        return 0;
    for (int v = 1; v < d->variant_count; v++)
        if (strcmp(d->variants[v].reference, d->variants[v - 1].name) != 0)
            return 0;
    return 1;
}

/* The simplest rung of a ladder whose mean recognisable % reaches
 * threshold, or -1; the most recognisable rung in *best (-1: none scored). */
static int simplest_reaching(const struct report_data *d, double threshold, int *best)
{
    double best_mean = -1;
    *best = -1;
    for (int v = 0; v < d->variant_count; v++) {
        const struct summary s = summarise_figure(d, v, RECOGNISABLE);
        if (s.count && s.mean >= threshold)
            return v;
        if (s.count && s.mean > best_mean) {
            *best = v;
            best_mean = s.mean;
        }
    }
    return -1;
}

/* For a ladder: the simplest rung whose mean recognisable % reaches each
 * threshold, with its interval and grid, or that none does and the best. */
static void write_ladder(struct text *out, const struct report_data *d)
{
    static const double thresholds[] = { 50, 80 };
    text_append(out, "\n## The ladder\n\nEach variant adds one thing to the one before it, so the first "
                     "listed is the simplest. The simplest whose mean recognisable %% reaches:\n\n");
    for (size_t t = 0; t < sizeof thresholds / sizeof *thresholds; t++) {
        int best;
        const int v = simplest_reaching(d, thresholds[t], &best);
        uint64_t seed;
        if (v >= 0) {
            const struct summary s = summarise_figure(d, v, RECOGNISABLE);
            if (s.count > 1)
                text_append(out, "- **%.0f%%: `%s`**, %.1f%% [%.1f, %.1f] over %d seeds.\n", thresholds[t],
                            d->variants[v].name, s.mean, s.mean - s.half_width, s.mean + s.half_width, s.count);
            else
                text_append(out, "- **%.0f%%: `%s`**, %.1f%% at one seed (no interval).\n", thresholds[t],
                            d->variants[v].name, s.mean);
            if (first_seed_of(d, v, &seed))
                text_append(out, "\n  ![%s samples](%s/seed%llu/samples.png)\n\n", d->variants[v].name,
                            d->variants[v].name, (unsigned long long)seed);
        } else if (best >= 0) {
            text_append(out, "- **%.0f%%: none** of the %d; the most recognisable is `%s` at %.1f%%.\n",
                        thresholds[t], d->variant_count, d->variants[best].name,
                        summarise_figure(d, best, RECOGNISABLE).mean);
        } else {
            text_append(out, "- %.0f%%: not known; no variant has sample metrics yet.\n", thresholds[t]);
        }
    }
}

/* loss_curves.png: each variant's noise loss per epoch, the mean over its seeds. */
static int write_loss_curves(const char *dir, const struct report_data *d, char *err, size_t errlen)
{
    struct plot_series *series = calloc((size_t)d->variant_count + 1, sizeof *series);
    double *values = calloc((size_t)d->variant_count * 2 * 64 + 1, sizeof *values);
    int count = 0, status = -1;
    char path[1024];
    snprintf(path, sizeof path, "%s/loss_curves.png", dir);
    if (!series || !values) {
        path_error(err, errlen, path, "out of memory");
        goto done;
    }
    for (int v = 0; v < d->variant_count; v++) {
        double *x = values + (size_t)v * 128, *y = x + 64;
        int epochs = 0;
        for (int e = 0; e < 64; e++) {
            double sum = 0;
            int runs = 0;
            for (int i = 0; i < d->run_count; i++)
                if (d->runs[i].variant == v && d->runs[i].epochs > e) {
                    sum += d->runs[i].noise_loss[e];
                    runs++;
                }
            if (!runs)
                break;
            x[e] = e + 1;
            y[e] = sum / runs;
            epochs = e + 1;
        }
        if (epochs)
            series[count++] = (struct plot_series){ d->variants[v].name, epochs, x, y };
    }
    status = count ? write_line_plot_png(path, "Noise loss per epoch (mean over seeds)", "epoch", "noise loss",
                                         series, count, 1, 1200, 700, err, errlen)
                   : 0;
done:
    free(series);
    free(values);
    return status;
}

/* When some (variant, seed) run is not complete: which, and why, before
 * any figure, so that a partial run does not read like a finished one. */
static void write_run_states(struct text *out, const struct report_data *d, const char *dir)
{
    int complete = 0, diverged = 0;
    for (int i = 0; i < d->state_count; i++) {
        complete += strcmp(d->states[i].state, "complete") == 0;
        diverged += strcmp(d->states[i].state, "diverged") == 0;
    }
    if (complete == d->state_count)
        return;
    text_append(out, "**This run is not complete: %d of %d (variant, seed) runs finished%s.** The figures below "
                     "are of the finished runs alone.\n\n", complete, d->state_count,
                diverged ? ", some diverged" : "");
    for (int i = 0; i < d->state_count; i++) {
        const struct report_state *r = &d->states[i];
        if (strcmp(r->state, "complete") != 0)
            text_append(out, "- `%s` seed %llu: %s%s%s\n", r->variant, (unsigned long long)r->seed,
                        strcmp(r->state, "pending") == 0 ? "not started" : r->state, r->detail[0] ? ": " : "",
                        r->detail);
    }
    if (complete + diverged < d->state_count)
        text_append(out, "\n`ddim-lab resume %s` goes on with the unfinished runs and ends with the files an "
                         "uninterrupted run writes.\n", dir);
    text_append(out, "\n");
}

/* The classifier's test accuracy, and a warning when it, or the data
 * floor's recognisability, is below what makes the figures trustworthy. */
static void write_classifier_checks(struct text *out, const struct report_data *d)
{
    const double accuracy = d->classifier_test_accuracy;
    if (isnan(accuracy))
        text_append(out, "The classifier's test accuracy was not recorded (a run from before meta.json kept it).\n\n");
    else
        text_append(out, "The classifier gets %.2f%% of the 10,000 test digits right (measured as the run loaded "
                         "it).\n\n", 100 * accuracy);
    if (accuracy < SCORER_MIN_TEST_ACCURACY)
        text_append(out, "**Warning: a weak classifier.** Its test accuracy is below %.0f%%: the recognisable %% "
                         "and FID below are not to be trusted.\n\n", 100 * SCORER_MIN_TEST_ACCURACY);
    const struct summary floor = summarise_figure(d, -1, RECOGNISABLE);
    if (floor.count && floor.mean < 100 * SCORER_MIN_FLOOR_RECOGNISABLE)
        text_append(out, "**Warning: a weak classifier.** It finds only %.1f%% of training digits recognisable "
                         "(the data floor; below %.0f%%): the recognisable %% and FID below are not to be "
                         "trusted.\n\n", floor.mean, 100 * SCORER_MIN_FLOOR_RECOGNISABLE);
}

int report_write(const char *dir, const struct report_data *d, char *err, size_t errlen)
{
    struct text out = { 0 };
    int samples = 0, steps = 0;
    for (int i = 0; i < d->run_count; i++)
        if (d->runs[i].scored && d->runs[i].variant >= 0) {
            samples = d->runs[i].samples;
            steps = d->runs[i].sampling_steps;
            break;
        }
    text_append(&out, "# %s\n\n", d->experiment);
    if (d->quick)
        text_append(&out, "**A smoke test, not a result:** this run had `--quick`, the experiment's reduced budget "
                          "(fewer images, epochs, steps and samples). Its figures show that everything runs "
                          "end to end; the experiment without `--quick` gives the ones to draw conclusions "
                          "from.\n\n");
    text_append(&out, "Run directory `%s`: resolved config [config.lua](config.lua), per-epoch losses "
                      "[results.csv](results.csv), times [timing.csv](timing.csv), sample metrics "
                      "[metrics.csv](metrics.csv), and what built and ran it (commit, compiler and flags, ISA, "
                      "libraries, CPU, threads, config hash, seeds, wall time) [meta.json](meta.json). "
                      "Rerunning the experiment with the same seeds, kernel ISA and thread count gives the same "
                      "results.csv and metrics.csv to the last digit; `ddim-lab report %s` rebuilds this page "
                      "from them.\n\n",
                dir, dir);
    write_run_states(&out, d, dir);
    text_append(&out, "Figures are the mean ± standard deviation [95%% confidence interval, Student's t] over "
                      "the seeds listed. Sample metrics score %d samples per variant and seed (%d DDIM steps) "
                      "with the classifier `%s` (SHA-256 %.16s...), in its 128 penultimate-layer features "
                      "against the 10,000 MNIST test digits: FID; KID (cubic polynomial kernel, unbiased "
                      "MMD²); recognisable: the share whose top class probability is at least %.1f; class "
                      "entropy: of the predicted classes' histogram, log2 10 = 3.32 bits when all ten are "
                      "equal, 0 when all samples are one class. The data floor scores a same-size draw of "
                      "training digits the same way. MFLOP a step: 2 x the multiply-adds of the network's "
                      "matrix products and convolutions for one image at one sampling step (a training step "
                      "costs about three times as much an image).\n\n",
                samples, steps, d->classifier, d->classifier_sha256, RECOGNISABLE_PROBABILITY);
    write_classifier_checks(&out, d);
    write_table(&out, d);
    text_append(&out, "\n## What each change does\n\nEach variant against its reference, paired by seed "
                      "(variant minus reference, mean [95%% CI]); **bold** where the interval excludes zero.\n\n");
    if (write_differences(&out, d)) {
        text_append(&out, "\nIn words (FID and recognisability; lower FID and higher recognisability are "
                          "better):\n\n");
        write_summary(&out, d);
    } else {
        text_append(&out, "No variant names a reference.\n");
    }
    if (is_ladder(d))
        write_ladder(&out, d);
    text_append(&out, "\n## Classes\n\nThe share (%%) of samples the classifier assigns to each digit, mean over "
                      "seeds:\n\n");
    write_class_table(&out, d);
    text_append(&out, "\n## Loss curves\n\n![noise loss per epoch](loss_curves.png)\n\n## Samples\n\n");
    for (int v = 0; v < d->variant_count; v++) {
        const struct report_variant *rv = &d->variants[v];
        uint64_t first_seed;
        char trained[128] = "";
        if (strcmp(rv->trained_as, rv->name) != 0)
            snprintf(trained, sizeof trained, " of `%s`'s training (they train alike)", rv->trained_as);
        if (first_seed_of(d, v, &first_seed))
            text_append(&out, "### %s\n\nSeed %llu, from %s%s (left: clipped to [0, 1]; right: each image "
                              "scaled to its own min..max):\n\n![%s samples](%s/seed%llu/samples.png)\n\n",
                        rv->name, (unsigned long long)first_seed,
                        strcmp(rv->samples_from, "ema") == 0 ? "the EMA of the weights" : "the best epoch's weights",
                        trained, rv->name, rv->name, (unsigned long long)first_seed);
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/report.md", dir);
    int status = out.failed ? path_error(err, errlen, path, "out of memory")
                            : write_file_atomic(path, out.text, out.length, err, errlen);
    text_free(&out);
    return status ? -1 : write_loss_curves(dir, d, err, errlen);
}
