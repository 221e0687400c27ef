/* plot_axis.h: one axis of a line plot (loss_plot.h): its range and its
 * labelled ticks, chosen so that the labels fit along the axis. */
#ifndef DDIM_PLOT_AXIS_H
#define DDIM_PLOT_AXIS_H

#define PLOT_MAX_TICKS 10
#define PLOT_TICK_LABEL_SIZE 32

/* An axis as drawn: its range and its ticks, which are labelled. */
struct plot_axis {
    double low, high;                  /* the values at the frame's two ends */
    int log_scale;                     /* positions are proportional to log10 of values */
    int integer_values;                /* every value plotted is an integer (epochs): so are
                                          the ticks at linear steps */
    int tick_count;
    double ticks[PLOT_MAX_TICKS];      /* ascending, within low..high */
    char labels[PLOT_MAX_TICKS][PLOT_TICK_LABEL_SIZE];
};

/* Where value lies on the axis, as a fraction from low (0) to high (1). */
double plot_axis_fraction(const struct plot_axis *axis, double value);

/* Sets the axis' range to the data's, low..high, widened by 5% on each
 * side (of log10 on a log axis; a single value as loss_plot.h says).
 * Returns -1 when the range does not fit in a double. */
int plot_axis_set_range(struct plot_axis *axis, double low, double high);

/* The most ticks, two or more, whose labels at font scale `scale` fit
 * along length pixels (horizontal: an x axis); when none do, two. */
void plot_axis_choose_ticks(struct plot_axis *axis, int length, int scale, int horizontal);

#endif
