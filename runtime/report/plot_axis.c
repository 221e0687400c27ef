/* plot_axis.c: a line plot's axes: their ranges, where their ticks go and
 * how the ticks are labelled (the rules are in loss_plot.h). */
#include <math.h>
#include <stdio.h>
#include "runtime/report/bitmap_font.h"
#include "runtime/report/plot_axis.h"

#define AXIS_MARGIN 0.05      /* of the data's range, added on each side of an axis */

/* Where value lies on the axis, as a fraction from low (0) to high (1). */
double plot_axis_fraction(const struct plot_axis *axis, double value)
{
    if (axis->log_scale)
        return (log10(value) - log10(axis->low)) / (log10(axis->high) - log10(axis->low));
    return (value - axis->low) / (axis->high - axis->low);
}

/* Sets the axis' range to that of the data, low..high, plus AXIS_MARGIN
 * of it on each side (in log10 on a log axis). A single value v gets
 * v +- 10% (+- 0.5 for 0; +- 0.1 decades on a log axis). Returns -1 when
 * the range does not fit in a double. */
int plot_axis_set_range(struct plot_axis *axis, double low, double high)
{
    double from = axis->log_scale ? log10(low) : low, to = axis->log_scale ? log10(high) : high;
    double span = to - from;
    double widening = span * AXIS_MARGIN;
    if (span == 0)
        widening = axis->log_scale ? 0.1 : from != 0 ? fabs(from) * 0.1 : 0.5;
    from -= widening;
    to += widening;
    if (!isfinite(from) || !isfinite(to) || !isfinite(to - from))
        return -1;
    axis->low = axis->log_scale ? pow(10, from) : from;
    axis->high = axis->log_scale ? pow(10, to) : to;
    /* On a log axis, 10^from can underflow to 0 and 10^to overflow. */
    return !axis->log_scale || (axis->low > 0 && isfinite(axis->high)) ? 0 : -1;
}

/* Ticks at multiples of step, the smallest of 1, 2 or 5 x 10^k that gives
 * at most max_ticks of them from low to high, labelled with the decimals
 * that step needs ("0.40", "0.45"), or in exponent form with the digits it
 * needs when the values are too large or the step too fine for that. */
static void set_linear_ticks(struct plot_axis *axis, int max_ticks)
{
    double rough = (axis->high - axis->low) / (max_ticks - 1);
    double magnitude = pow(10, floor(log10(rough)));
    double step = 10 * magnitude;
    static const double mantissas[] = { 1, 2, 5 };
    for (int m = 0; m < 3; m++) {
        if (mantissas[m] * magnitude >= rough) {
            step = mantissas[m] * magnitude;
            break;
        }
    }
    if (axis->integer_values && step < 1)
        step = 1;
    axis->tick_count = 0;
    /* The count < max_ticks test also ends the loop where k + 1 == k. */
    for (double k = ceil(axis->low / step); k * step <= axis->high && axis->tick_count < max_ticks;
         k++)
        axis->ticks[axis->tick_count++] = k * step + 0.0; /* + 0.0: no "-0" label */
    int step_exponent = (int)floor(log10(step));
    int largest_exponent = (int)floor(log10(fmax(fabs(axis->low), fabs(axis->high))));
    int fixed = largest_exponent < 6 && step_exponent > -6;
    int digits = largest_exponent - step_exponent + 1;
    digits = digits < 1 ? 1 : digits > 17 ? 17 : digits;
    for (int i = 0; i < axis->tick_count; i++) {
        if (fixed)
            snprintf(axis->labels[i], sizeof axis->labels[i], "%.*f",
                     step_exponent < 0 ? -step_exponent : 0, axis->ticks[i]);
        else
            snprintf(axis->labels[i], sizeof axis->labels[i], "%.*g", digits, axis->ticks[i]);
    }
}

/* The ticks m x 10^k within the axis' range for m in mantissas and every
 * k that is a multiple of exponent_stride, written to ticks (unless NULL)
 * up to max_ticks of them; returns how many there are. */
static int log_ticks(const struct plot_axis *axis, const double *mantissas, int mantissa_count,
                     int exponent_stride, int max_ticks, double *ticks)
{
    int first = (int)floor(log10(axis->low)), last = (int)ceil(log10(axis->high));
    int count = 0;
    for (int k = first; k <= last; k++) {
        if (k % exponent_stride != 0)
            continue;
        for (int m = 0; m < mantissa_count; m++) {
            double value = mantissas[m] * pow(10, k);
            if (value < axis->low || value > axis->high)
                continue;
            if (ticks && count < max_ticks)
                ticks[count] = value;
            count++;
        }
    }
    return count;
}

/* A log axis' ticks (the choice is in loss_plot.h), labelled by %g. */
static void set_log_ticks(struct plot_axis *axis, int max_ticks)
{
    static const double decade[] = { 1 }, one_two_five[] = { 1, 2, 5 };
    int powers = log_ticks(axis, decade, 1, 1, 0, NULL);
    if (powers >= 3) {
        /* The smallest stride whose powers fit: from powers / max_ticks
         * rounded up, as a stride's multiples in the range can number one
         * more than powers / stride. */
        int stride = (powers + max_ticks - 1) / max_ticks;
        while (log_ticks(axis, decade, 1, stride, 0, NULL) > max_ticks)
            stride++;
        axis->tick_count = log_ticks(axis, decade, 1, stride, max_ticks, axis->ticks);
    } else {
        int count = log_ticks(axis, one_two_five, 3, 1, 0, NULL);
        if (count >= 3 && count <= max_ticks) {
            axis->tick_count = log_ticks(axis, one_two_five, 3, 1, max_ticks, axis->ticks);
        } else if (powers >= 2) {
            axis->tick_count = log_ticks(axis, decade, 1, 1, max_ticks, axis->ticks);
        } else {
            set_linear_ticks(axis, max_ticks);
            return;
        }
    }
    for (int i = 0; i < axis->tick_count; i++)
        snprintf(axis->labels[i], sizeof axis->labels[i], "%g", axis->ticks[i]);
}

/* Whether every two neighbouring tick labels, placed along length pixels,
 * are apart by at least two labels' height (y) or three characters (x). */
static int tick_labels_fit(const struct plot_axis *axis, int length, int scale, int horizontal)
{
    for (int i = 1; i < axis->tick_count; i++) {
        double apart = (plot_axis_fraction(axis, axis->ticks[i]) -
                        plot_axis_fraction(axis, axis->ticks[i - 1])) * length;
        double needed = horizontal ? (text_length(axis->labels[i], scale) +
                                      text_length(axis->labels[i - 1], scale)) / 2.0 +
                                         3 * FONT_ADVANCE * scale
                                   : 3 * FONT_HEIGHT * scale;
        if (apart < needed)
            return 0;
    }
    return 1;
}

/* The most ticks, two or more, whose labels fit along length pixels; when
 * none do (a tiny plot), those for max_ticks = 2. */
void plot_axis_choose_ticks(struct plot_axis *axis, int length, int scale, int horizontal)
{
    for (int max_ticks = PLOT_MAX_TICKS; max_ticks >= 2; max_ticks--) {
        if (axis->log_scale)
            set_log_ticks(axis, max_ticks);
        else
            set_linear_ticks(axis, max_ticks);
        if (axis->tick_count >= 2 && tick_labels_fit(axis, length, scale, horizontal))
            return;
    }
}
