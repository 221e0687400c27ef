/* loss_plot.h: line plots of named series as RGB PNGs (the run report's
 * loss curves of all variants).
 *
 * The picture, white, for text scale s (every font pixel s x s image
 * pixels: 1 below 1000 x 600 pixels, 2 from there, 3 from 1500 x 900):
 *
 *   the title at the top at scale s + 1, centred over the plot area;
 *   the plot area in a black frame, light grid lines at the ticks, the y
 *   axis label turned upward at the far left, then the y tick labels; the
 *   x tick labels and the x axis label below;
 *   the legend to the right of the plot area, in its own frame, as wide as
 *   the longest name needs (the plot area gets what is left, so the legend
 *   never covers a curve): per series a sample of its line and marker, and
 *   its name in its colour. The legend's text is at scale s, or at 1 when
 *   at s the legend would be taller than the plot area or leave it too
 *   narrow.
 *
 * Each axis shows the range of the points plotted, widened by 5% of it on
 * each side (of log10 of the values on a log axis) so that markers at the
 * extremes stay clear of the frame; a single value v by 10% of v (0.1
 * decades on a log axis, 0.5 for a 0). A point is plotted when x and y are
 * finite (and, on a log y axis, y > 0); a point that is not leaves a gap in
 * its series' line.
 *
 * Ticks are as many as their labels leave room for (at most
 * PLOT_MAX_TICKS). A linear axis has them at multiples of 1, 2 or 5 x 10^k
 * (of 1 or more when every value plotted on it is an integer, e.g. epochs).
 * A log axis has them at powers of ten when at least three are in its
 * range (at every n-th power, n as small as leaves room, when they are too
 * many), else at 1, 2 and 5 x 10^k when at least three of those are, else
 * at powers of ten when two are, else (a range of less than a factor of
 * about 10) where a linear axis would have them.
 *
 * Series i is drawn in colour i % PLOT_PALETTE_SIZE (plot_series_colour)
 * and, when colours repeat, with another line pattern and marker: solid
 * lines with square markers, then dashed with diamonds, then dotted with
 * triangles, then solid again. Lines are s pixels thick; markers are 2s + 3
 * pixels across, so a series of one point shows. */
#ifndef DDIM_LOSS_PLOT_H
#define DDIM_LOSS_PLOT_H

#include <stddef.h>
#include "runtime/report/bitmap_font.h"
#include "runtime/report/plot_axis.h"

#define PLOT_PALETTE_SIZE 8
#define PLOT_MAX_SIDE 8192     /* pixels: a plot of at most 8192 x 8192 x 3 bytes = 192 MiB */

struct plot_series {
    const char *name;      /* legend text */
    int count;             /* points */
    const double *x, *y;   /* count values each */
};

/* A composed plot. The plot area's frame runs along pixel columns
 * area_left and area_right and rows area_top and area_bottom; curves and
 * markers lie strictly inside, the legend wholly to the right of it. */
struct line_plot {
    struct rgb_image image;
    int area_left, area_top, area_right, area_bottom;
    struct plot_axis x_axis, y_axis;
};

/* The colour of series index (the palette repeats every
 * PLOT_PALETTE_SIZE series). */
struct rgb_colour plot_series_colour(int index);

/* Draws the plot that write_line_plot_png writes into out, which the
 * caller frees with free_line_plot. Returns 0, or -1 with ONE line in err
 * (which does not name a file). */
int compose_line_plot(const char *title, const char *x_label, const char *y_label,
                      const struct plot_series *series, int series_count, int log_y, int width,
                      int height, struct line_plot *out, char *err, size_t errlen);
void free_line_plot(struct line_plot *plot);

/* Writes a width x height RGB PNG to path (atomically: complete or not replaced): title at the top,
 * axes with tick labels (y on a log10 scale when log_y, with ticks at powers of ten and 2x/5x when the
 * range is narrow; x linear), one coloured polyline per series with a small marker at each point
 * (so a series of one point is still visible), and a legend listing every series' name in its colour.
 * Non-finite or (with log_y) non-positive y values are skipped. Returns 0, or -1 with ONE line in err
 * naming path and the problem (no series, no finite points, I/O error...). The title and labels may
 * be NULL or "" for none. */
int write_line_plot_png(const char *path, const char *title, const char *x_label, const char *y_label,
                        const struct plot_series *series, int series_count, int log_y, int width, int height,
                        char *err, size_t errlen);

#endif
