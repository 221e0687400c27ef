/* Line plots of named series (layout, axes and styles in loss_plot.h).
 * Drawing is plain pixel setting, without anti-aliasing, so every pixel of
 * a curve has exactly its series' colour. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/report/loss_plot.h"
#include "runtime/report/plot_axis.h"
#include "runtime/base/png_image.h"

#define MIN_AREA_SIDE 32      /* pixels: a plot area smaller than this is refused */

static const struct rgb_colour palette[PLOT_PALETTE_SIZE] = {
    { 0, 92, 200 },      /* blue */
    { 230, 110, 0 },     /* orange */
    { 20, 150, 50 },     /* green */
    { 210, 30, 40 },     /* red */
    { 125, 60, 190 },    /* purple */
    { 130, 80, 30 },     /* brown */
    { 220, 50, 160 },    /* magenta */
    { 0, 160, 170 },     /* teal */
};
static const struct rgb_colour white = { 255, 255, 255 }, black = { 0, 0, 0 },
                                text_colour = { 30, 30, 30 }, grid_colour = { 225, 225, 225 },
                                legend_frame_colour = { 170, 170, 170 };

/* Line patterns, in units of the line's thickness: on for `on`, off for
 * `off` (0: solid), measured along the line. */
struct dash {
    int on, off;
};
static const struct dash dashes[] = { { 1, 0 }, { 6, 4 }, { 2, 2 } };
enum { PATTERN_COUNT = sizeof dashes / sizeof dashes[0] };
/* One per pattern, in the order of dashes. */
enum marker_shape { MARKER_SQUARE, MARKER_DIAMOND, MARKER_TRIANGLE };

struct rgb_colour plot_series_colour(int index)
{
    return palette[index % PLOT_PALETTE_SIZE];
}

static int pattern_of(int index)
{
    return index / PLOT_PALETTE_SIZE % PATTERN_COUNT;
}

static const char *text_or_empty(const char *text)
{
    return text ? text : "";
}

/* ---- pixels ----------------------------------------------------------- */

/* A rectangle of pixels, inclusive on all sides. */
struct box {
    int left, top, right, bottom;
};

/* Paints the part of rect that is inside clip. */
static void fill_box(struct rgb_image *image, struct box rect, struct box clip,
                     struct rgb_colour colour)
{
    int left = rect.left > clip.left ? rect.left : clip.left;
    int right = rect.right < clip.right ? rect.right : clip.right;
    int top = rect.top > clip.top ? rect.top : clip.top;
    int bottom = rect.bottom < clip.bottom ? rect.bottom : clip.bottom;
    for (int y = top; y <= bottom; y++) {
        unsigned char *pixel = image->pixels + ((size_t)y * (size_t)image->width + (size_t)left) * 3;
        for (int x = left; x <= right; x++, pixel += 3) {
            pixel[0] = colour.red;
            pixel[1] = colour.green;
            pixel[2] = colour.blue;
        }
    }
}

static struct box whole_image(const struct rgb_image *image)
{
    return (struct box){ 0, 0, image->width - 1, image->height - 1 };
}

static void fill_rect(struct rgb_image *image, int left, int top, int right, int bottom,
                      struct rgb_colour colour)
{
    fill_box(image, (struct box){ left, top, right, bottom }, whole_image(image), colour);
}

static void draw_frame(struct rgb_image *image, struct box rect, struct rgb_colour colour)
{
    fill_rect(image, rect.left, rect.top, rect.right, rect.top, colour);
    fill_rect(image, rect.left, rect.bottom, rect.right, rect.bottom, colour);
    fill_rect(image, rect.left, rect.top, rect.left, rect.bottom, colour);
    fill_rect(image, rect.right, rect.top, rect.right, rect.bottom, colour);
}

/* How a series' line and markers look. */
struct pen {
    struct rgb_colour colour;
    int thickness;              /* pixels */
    struct dash dash;           /* in thicknesses */
    enum marker_shape marker;
    int marker_radius;          /* pixels from the centre to the edge of the marker */
    struct box clip;            /* nothing is drawn outside it */
};

static struct pen pen_for_series(int index, int scale, struct box clip)
{
    int pattern = pattern_of(index);
    return (struct pen){ plot_series_colour(index), scale, dashes[pattern],
                         (enum marker_shape)pattern, scale + 1, clip };
}

/* Draws the straight line from (x0, y0) to (x1, y1) (pixel centres) as
 * squares of the pen's thickness, one per step along its longer extent.
 * *distance is how far along the whole polyline the line starts, in
 * pixels; it is advanced to where the line ends, so that dashes run on
 * across the polyline's corners. */
static void draw_segment(struct rgb_image *image, const struct pen *pen, double x0, double y0,
                         double x1, double y1, double *distance)
{
    double dx = x1 - x0, dy = y1 - y0;
    double length = sqrt(dx * dx + dy * dy);
    int steps = (int)ceil(fmax(fabs(dx), fabs(dy)));
    if (steps < 1)
        steps = 1;
    double period = (pen->dash.on + pen->dash.off) * pen->thickness;
    int below = (pen->thickness - 1) / 2, above = pen->thickness / 2;
    for (int i = 0; i <= steps; i++) {
        double along = *distance + length * i / steps;
        if (pen->dash.off && fmod(along, period) >= pen->dash.on * pen->thickness)
            continue;
        int x = (int)lround(x0 + dx * i / steps), y = (int)lround(y0 + dy * i / steps);
        fill_box(image, (struct box){ x - below, y - below, x + above, y + above }, pen->clip,
                 pen->colour);
    }
    *distance += length;
}

static void draw_marker(struct rgb_image *image, const struct pen *pen, double cx, double cy)
{
    int x = (int)lround(cx), y = (int)lround(cy), r = pen->marker_radius;
    for (int dy = -r; dy <= r; dy++) {
        /* Half the width of the shape on row dy. */
        int half = r;
        if (pen->marker == MARKER_DIAMOND)
            half = r - abs(dy);
        else if (pen->marker == MARKER_TRIANGLE) /* point up, base on the bottom row */
            half = (dy + r + 1) / 2;
        fill_box(image, (struct box){ x - half, y + dy, x + half, y + dy }, pen->clip,
                 pen->colour);
    }
}

/* ---- the plot --------------------------------------------------------- */

static int point_plotted(const struct plot_series *series, int i, int log_y)
{
    return isfinite(series->x[i]) && isfinite(series->y[i]) && (!log_y || series->y[i] > 0);
}

struct data_range {
    double x_low, x_high, y_low, y_high;   /* of the points plotted */
    int points;
    int integer_x, integer_y;              /* every x (y) plotted is an integer */
};

static struct data_range range_of(const struct plot_series *series, int series_count, int log_y)
{
    struct data_range range = { INFINITY, -INFINITY, INFINITY, -INFINITY, 0, 1, 1 };
    for (int s = 0; s < series_count; s++) {
        for (int i = 0; i < series[s].count; i++) {
            if (!point_plotted(&series[s], i, log_y))
                continue;
            range.x_low = fmin(range.x_low, series[s].x[i]);
            range.x_high = fmax(range.x_high, series[s].x[i]);
            range.y_low = fmin(range.y_low, series[s].y[i]);
            range.y_high = fmax(range.y_high, series[s].y[i]);
            range.points++;
            range.integer_x = range.integer_x && series[s].x[i] == floor(series[s].x[i]);
            range.integer_y = range.integer_y && series[s].y[i] == floor(series[s].y[i]);
        }
    }
    return range;
}

/* Where the legend goes and at which scale its text is drawn. */
struct legend {
    struct box frame;
    int scale;
    int entry_height;          /* pixels from one entry's top to the next one's */
    int sample_length;         /* of the line sample before each name */
};

/* The legend at scale, its frame's top-right corner at (right, top). */
static struct legend plan_legend(const struct plot_series *series, int series_count, int scale,
                                 int right, int top)
{
    int widest = 0;
    for (int s = 0; s < series_count; s++) {
        int length = text_length(text_or_empty(series[s].name), scale);
        widest = length > widest ? length : widest;
    }
    struct legend legend;
    legend.scale = scale;
    legend.entry_height = (FONT_HEIGHT + 2) * scale;
    legend.sample_length = 5 * FONT_ADVANCE * scale;
    int pad = 2 * FONT_ADVANCE * scale / 3;
    legend.frame = (struct box){ right - (pad + legend.sample_length + pad + widest + pad), top,
                                 right, top + 2 * pad + series_count * legend.entry_height };
    return legend;
}

/* Whether the legend ends above the plot area's bottom and leaves it at
 * least MIN_AREA_SIDE pixels of width, margin * 3 away. */
static int legend_fits(const struct legend *legend, const struct line_plot *plot, int margin)
{
    return legend->frame.bottom <= plot->area_bottom &&
           legend->frame.left - 3 * margin - plot->area_left >= MIN_AREA_SIDE;
}

static void draw_legend(struct rgb_image *image, const struct legend *legend,
                        const struct plot_series *series, int series_count, int scale)
{
    draw_frame(image, legend->frame, legend_frame_colour);
    int pad = 2 * FONT_ADVANCE * legend->scale / 3;
    for (int s = 0; s < series_count; s++) {
        int top = legend->frame.top + pad + s * legend->entry_height + legend->scale;
        int sample_left = legend->frame.left + pad;
        double middle = top + FONT_ASCENT * legend->scale / 2;
        struct pen pen = pen_for_series(s, scale, whole_image(image));
        double distance = 0;
        draw_segment(image, &pen, sample_left, middle, sample_left + legend->sample_length - 1,
                     middle, &distance);
        draw_marker(image, &pen, sample_left + legend->sample_length / 2.0, middle);
        draw_text(image, sample_left + legend->sample_length + pad, top,
                  text_or_empty(series[s].name), legend->scale, pen.colour, TEXT_RIGHTWARD);
    }
}

/* Draws text centred on centre (along x for rightward text, y for upward),
 * moved to stay within low..high where it fits. */
static void draw_centred_text(struct rgb_image *image, int centre, int low, int high, int across,
                              const char *text, int scale, enum text_direction direction)
{
    int length = text_length(text, scale);
    int start = centre - length / 2;
    if (start + length - 1 > high)
        start = high - length + 1;
    if (start < low)
        start = low;
    if (direction == TEXT_RIGHTWARD)
        draw_text(image, start, across, text, scale, text_colour, direction);
    else
        draw_text(image, across, start, text, scale, text_colour, direction);
}

/* Where point i of series goes in the image, in pixels. */
static void point_position(const struct line_plot *plot, const struct plot_series *series, int i,
                           double *x, double *y)
{
    *x = plot->area_left +
         plot_axis_fraction(&plot->x_axis, series->x[i]) * (plot->area_right - plot->area_left);
    *y = plot->area_bottom -
         plot_axis_fraction(&plot->y_axis, series->y[i]) * (plot->area_bottom - plot->area_top);
}

/* The series' line through its plotted points, then its markers over it. */
static void draw_series(struct rgb_image *image, const struct line_plot *plot,
                        const struct plot_series *series, int index, int log_y, int scale)
{
    struct box inside = { plot->area_left + 1, plot->area_top + 1, plot->area_right - 1,
                          plot->area_bottom - 1 };
    struct pen pen = pen_for_series(index, scale, inside);
    double distance = 0, last_x = 0, last_y = 0;
    for (int i = 0; i < series->count; i++) {
        if (!point_plotted(series, i, log_y)) {
            distance = 0; /* a gap: the next piece of line starts its pattern anew */
            continue;
        }
        double x, y;
        point_position(plot, series, i, &x, &y);
        if (i > 0 && point_plotted(series, i - 1, log_y))
            draw_segment(image, &pen, last_x, last_y, x, y, &distance);
        last_x = x;
        last_y = y;
    }
    for (int i = 0; i < series->count; i++) {
        if (point_plotted(series, i, log_y)) {
            double x, y;
            point_position(plot, series, i, &x, &y);
            draw_marker(image, &pen, x, y);
        }
    }
}

static void draw_axes(struct rgb_image *image, const struct line_plot *plot, int scale)
{
    int tick_length = 2 * scale, gap = 2 * scale;
    int width = plot->area_right - plot->area_left, height = plot->area_bottom - plot->area_top;
    for (int i = 0; i < plot->x_axis.tick_count; i++) {
        int x = plot->area_left +
                (int)lround(plot_axis_fraction(&plot->x_axis, plot->x_axis.ticks[i]) * width);
        fill_rect(image, x, plot->area_top + 1, x, plot->area_bottom - 1, grid_colour);
        fill_rect(image, x, plot->area_bottom + 1, x, plot->area_bottom + tick_length, black);
        const char *label = plot->x_axis.labels[i];
        draw_text(image, x - text_length(label, scale) / 2, plot->area_bottom + tick_length + gap,
                  label, scale, text_colour, TEXT_RIGHTWARD);
    }
    for (int i = 0; i < plot->y_axis.tick_count; i++) {
        int y = plot->area_bottom -
                (int)lround(plot_axis_fraction(&plot->y_axis, plot->y_axis.ticks[i]) * height);
        fill_rect(image, plot->area_left + 1, y, plot->area_right - 1, y, grid_colour);
        fill_rect(image, plot->area_left - tick_length, y, plot->area_left - 1, y, black);
        const char *label = plot->y_axis.labels[i];
        draw_text(image, plot->area_left - tick_length - gap - text_length(label, scale),
                  y - FONT_ASCENT * scale / 2, label, scale, text_colour, TEXT_RIGHTWARD);
    }
}

/* Refuses a plot that cannot be drawn: a size out of range, no series, a
 * series without its values. Returns 0, or -1 with ONE line in err. */
static int check_plot_request(const struct plot_series *series, int series_count, int width, int height,
                              char *err, size_t errlen)
{
    if (width <= 0 || height <= 0 || width > PLOT_MAX_SIDE || height > PLOT_MAX_SIDE) {
        snprintf(err, errlen, "cannot draw a %d x %d plot (at most %d pixels on a side)", width,
                 height, PLOT_MAX_SIDE);
        return -1;
    }
    if (!series || series_count <= 0) {
        snprintf(err, errlen, "no series to plot");
        return -1;
    }
    for (int s = 0; s < series_count; s++) {
        if (series[s].count < 0 || (series[s].count > 0 && (!series[s].x || !series[s].y))) {
            snprintf(err, errlen, "series %d (%s) has %d points%s", s,
                     text_or_empty(series[s].name), series[s].count,
                     series[s].count < 0 ? "" : " but no x or y values");
            return -1;
        }
    }
    return 0;
}

/* Paints the composed plot out (its layout done, its pixels allocated):
 * background, grid and ticks, the series, the frame, the texts and the
 * legend, in that order, so that the frame and the legend stay on top. */
static void draw_plot(struct line_plot *out, const struct legend *legend, const char *title, const char *x_label,
                      const char *y_label, const struct plot_series *series, int series_count, int log_y,
                      int scale, int margin)
{
    const int width = out->image.width, height = out->image.height, text_height = FONT_HEIGHT * scale;
    struct rgb_image *image = &out->image;
    fill_rect(image, 0, 0, width - 1, height - 1, white);
    draw_axes(image, out, scale);
    for (int s = 0; s < series_count; s++)
        draw_series(image, out, &series[s], s, log_y, scale);
    draw_frame(image, (struct box){ out->area_left, out->area_top, out->area_right,
                                    out->area_bottom }, black);
    int area_centre_x = (out->area_left + out->area_right) / 2;
    if (title[0])
        draw_centred_text(image, area_centre_x, margin, width - 1 - margin, 2 * margin, title,
                          scale + 1, TEXT_RIGHTWARD);
    if (x_label[0])
        draw_centred_text(image, area_centre_x, margin, width - 1 - margin,
                          height - margin - text_height, x_label, scale, TEXT_RIGHTWARD);
    if (y_label[0])
        draw_centred_text(image, (out->area_top + out->area_bottom) / 2, margin,
                          height - 1 - margin, margin, y_label, scale, TEXT_UPWARD);
    draw_legend(image, legend, series, series_count, scale);
}

int compose_line_plot(const char *title, const char *x_label, const char *y_label,
                      const struct plot_series *series, int series_count, int log_y, int width,
                      int height, struct line_plot *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    title = text_or_empty(title);
    x_label = text_or_empty(x_label);
    y_label = text_or_empty(y_label);
    if (check_plot_request(series, series_count, width, height, err, errlen) != 0)
        return -1;
    struct data_range range = range_of(series, series_count, log_y);
    if (range.points == 0) {
        snprintf(err, errlen, "no points to plot: none of the %d series has one with finite x "
                 "and y%s", series_count, log_y ? " > 0 (the y axis is logarithmic)" : "");
        return -1;
    }
    out->x_axis.log_scale = 0;
    out->x_axis.integer_values = range.integer_x;
    out->y_axis.log_scale = log_y != 0;
    out->y_axis.integer_values = range.integer_y;
    if (plot_axis_set_range(&out->x_axis, range.x_low, range.x_high) != 0 ||
        plot_axis_set_range(&out->y_axis, range.y_low, range.y_high) != 0) {
        snprintf(err, errlen, "the values span too wide a range to plot (x %g .. %g, y %g .. %g)",
                 range.x_low, range.x_high, range.y_low, range.y_high);
        return -1;
    }

    /* Vertical layout, from the top: margin, title, gap, plot area, ticks
     * and their labels, gap, x label, margin. */
    int scale = width / 500 < height / 300 ? width / 500 : height / 300;
    scale = scale < 1 ? 1 : scale > 3 ? 3 : scale;
    int margin = 4 * scale, text_height = FONT_HEIGHT * scale, tick_length = 2 * scale;
    int title_height = title[0] ? FONT_HEIGHT * (scale + 1) + 2 * margin : 0;
    out->area_top = 2 * margin + title_height;
    out->area_bottom = height - 1 - margin - (x_label[0] ? text_height + margin : 0) -
                       text_height - 2 * scale - tick_length;
    int area_height = out->area_bottom - out->area_top;
    if (area_height < MIN_AREA_SIDE) {
        snprintf(err, errlen, "a %d x %d plot is too small: %d pixels are left for the plot "
                 "area's height (at least %d needed)", width, height, area_height, MIN_AREA_SIDE);
        return -1;
    }
    plot_axis_choose_ticks(&out->y_axis, area_height, scale, 0);

    /* Horizontal: margin, y label, gap, tick labels, ticks, plot area,
     * gap, legend, margin. */
    int widest_tick_label = 0;
    for (int i = 0; i < out->y_axis.tick_count; i++) {
        int length = text_length(out->y_axis.labels[i], scale);
        widest_tick_label = length > widest_tick_label ? length : widest_tick_label;
    }
    out->area_left = margin + (y_label[0] ? text_height + margin : 0) + widest_tick_label +
                     2 * scale + tick_length;
    struct legend legend = plan_legend(series, series_count, scale, width - 1 - margin,
                                       out->area_top);
    if (!legend_fits(&legend, out, margin) && scale > 1)
        legend = plan_legend(series, series_count, 1, width - 1 - margin, out->area_top);
    if (!legend_fits(&legend, out, margin)) {
        snprintf(err, errlen, "a %d x %d plot is too small for a legend of %d series beside a "
                 "plot area of at least %d x %d pixels", width, height, series_count,
                 MIN_AREA_SIDE, MIN_AREA_SIDE);
        return -1;
    }
    out->area_right = legend.frame.left - 3 * margin;
    plot_axis_choose_ticks(&out->x_axis, out->area_right - out->area_left, scale, 1);

    out->image.width = width;
    out->image.height = height;
    out->image.pixels = malloc((size_t)width * (size_t)height * 3);
    if (!out->image.pixels) {
        snprintf(err, errlen, "out of memory for a %d x %d plot", width, height);
        memset(out, 0, sizeof *out);
        return -1;
    }
    draw_plot(out, &legend, title, x_label, y_label, series, series_count, log_y, scale, margin);
    return 0;
}

void free_line_plot(struct line_plot *plot)
{
    free(plot->image.pixels);
    memset(plot, 0, sizeof *plot);
}

int write_line_plot_png(const char *path, const char *title, const char *x_label, const char *y_label,
                        const struct plot_series *series, int series_count, int log_y, int width, int height,
                        char *err, size_t errlen)
{
    struct line_plot plot;
    char why[300];
    if (compose_line_plot(title, x_label, y_label, series, series_count, log_y, width, height,
                          &plot, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    int status = write_rgb_png(path, plot.image.pixels, width, height, err, errlen);
    free_line_plot(&plot);
    return status;
}
