/* The loss plot and what it is drawn with: RGB PNGs, the bitmap font, and
 * line plots written to a scratch directory and read back with libpng. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"
#include "test_program.h"
#include "runtime/report/bitmap_font.h"
#include "runtime/report/loss_plot.h"
#include "runtime/base/png_image.h"

/* How many files the scratch directory holds (a failed write leaves none). */
static int scratch_file_count(void **state)
{
    const struct scratch *scratch = *state;
    DIR *dir = opendir(scratch->dir);
    assert_non_null(dir);
    int count = 0;
    for (struct dirent *entry; (entry = readdir(dir));)
        count += strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0;
    closedir(dir);
    return count;
}

/* ---- RGB PNG ---------------------------------------------------------- */

static void test_rgb_png_reads_back_exactly(void **state)
{
    enum { WIDTH = 4, HEIGHT = 3 };
    unsigned char pixels[WIDTH * HEIGHT * 3];
    for (int i = 0; i < WIDTH * HEIGHT * 3; i++)
        pixels[i] = (unsigned char)(i * 7 + 1); /* all different */
    char path[256], err[256];
    scratch_path(path, state, "rgb.png");
    if (write_rgb_png(path, pixels, WIDTH, HEIGHT, err, sizeof err) != 0)
        fail_msg("%s", err);
    struct png_read_back png;
    read_png(path, &png);
    assert_int_equal(png.width, WIDTH);
    assert_int_equal(png.height, HEIGHT);
    assert_int_equal(png.bit_depth, 8);
    assert_int_equal(png.color_type, PNG_COLOR_TYPE_RGB);
    assert_memory_equal(png.pixels, pixels, sizeof pixels);
    free(png.pixels);
}

/* ---- font ------------------------------------------------------------- */

enum { CANVAS_WIDTH = 48, CANVAS_HEIGHT = 24 };

static void clear_canvas(struct rgb_image *canvas, unsigned char *pixels)
{
    memset(pixels, 255, CANVAS_WIDTH * CANVAS_HEIGHT * 3);
    *canvas = (struct rgb_image){ CANVAS_WIDTH, CANVAS_HEIGHT, pixels };
}

/* The box holding every pixel that is not white; returns how many there are. */
static int inked_box(const struct rgb_image *canvas, int *left, int *top, int *right, int *bottom)
{
    int count = 0;
    *left = *top = 1 << 30;
    *right = *bottom = -1;
    for (int y = 0; y < canvas->height; y++) {
        for (int x = 0; x < canvas->width; x++) {
            const unsigned char *pixel = canvas->pixels + ((size_t)y * canvas->width + x) * 3;
            if (pixel[0] == 255 && pixel[1] == 255 && pixel[2] == 255)
                continue;
            count++;
            *left = x < *left ? x : *left;
            *right = x > *right ? x : *right;
            *top = y < *top ? y : *top;
            *bottom = y > *bottom ? y : *bottom;
        }
    }
    return count;
}

static void test_font_draws_glyphs_and_no_spaces(void **state)
{
    (void)state;
    unsigned char pixels[CANVAS_WIDTH * CANVAS_HEIGHT * 3];
    struct rgb_image canvas;
    const struct rgb_colour ink = { 10, 20, 30 };
    int left, top, right, bottom;

    assert_int_equal(text_length("Ab1", 1), 3 * FONT_ADVANCE - 1);
    assert_int_equal(text_length("Ab1", 2), 2 * (3 * FONT_ADVANCE - 1));
    assert_int_equal(text_length("", 2), 0);

    clear_canvas(&canvas, pixels);
    draw_text(&canvas, 2, 3, "Ab1", 1, ink, TEXT_RIGHTWARD);
    assert_true(inked_box(&canvas, &left, &top, &right, &bottom) > 0);
    assert_true(left >= 2 && right < 2 + text_length("Ab1", 1));
    assert_true(top >= 3 && bottom < 3 + FONT_HEIGHT);

    clear_canvas(&canvas, pixels);
    draw_text(&canvas, 2, 3, " ", 2, ink, TEXT_RIGHTWARD);
    assert_int_equal(inked_box(&canvas, &left, &top, &right, &bottom), 0);

    /* Every other printable character has a glyph, within its box. */
    for (char c = 33; c <= 126; c++) {
        const char text[2] = { c, '\0' };
        clear_canvas(&canvas, pixels);
        draw_text(&canvas, 1, 1, text, 1, ink, TEXT_RIGHTWARD);
        if (inked_box(&canvas, &left, &top, &right, &bottom) == 0)
            fail_msg("'%c' draws nothing", c);
        assert_true(left >= 1 && right <= FONT_GLYPH_WIDTH && top >= 1 && bottom <= FONT_HEIGHT);
    }

    /* Upward text is the same pixels turned: the box FONT_HEIGHT wide and
     * text_length high, and the first character ("A", no descender) at the
     * bottom, its top towards the left. */
    clear_canvas(&canvas, pixels);
    draw_text(&canvas, 4, 2, "Ab", 1, ink, TEXT_UPWARD);
    assert_true(inked_box(&canvas, &left, &top, &right, &bottom) > 0);
    assert_int_equal(left, 4);                               /* the glyphs' top rows */
    assert_true(right < 4 + FONT_ASCENT);                    /* no descenders in "Ab" */
    assert_int_equal(bottom, 2 + text_length("Ab", 1) - 1);  /* A's left column */
    assert_true(top >= 2);

    /* Text running off the canvas is cut, not written past it. */
    clear_canvas(&canvas, pixels);
    draw_text(&canvas, CANVAS_WIDTH - 3, CANVAS_HEIGHT - 4, "WWW", 3, ink, TEXT_RIGHTWARD);
    draw_text(&canvas, -5, -5, "WWW", 3, ink, TEXT_UPWARD);
    assert_true(inked_box(&canvas, &left, &top, &right, &bottom) > 0);
}

/* ---- line plots ------------------------------------------------------- */

enum { PLOT_WIDTH = 800, PLOT_HEIGHT = 500 };

/* How many pixels of the image have colour, inside the plot area's frame
 * (inside = 1) or to the right of it (inside = 0, where the legend is). */
static int colour_pixels(const unsigned char *pixels, int width, const struct line_plot *plot,
                         struct rgb_colour colour, int inside)
{
    int count = 0;
    int left = inside ? plot->area_left + 1 : plot->area_right + 1;
    int right = inside ? plot->area_right - 1 : width - 1;
    int top = inside ? plot->area_top + 1 : 0;
    int bottom = inside ? plot->area_bottom - 1 : plot->image.height - 1;
    for (int y = top; y <= bottom; y++) {
        for (int x = left; x <= right; x++) {
            const unsigned char *pixel = pixels + ((size_t)y * width + x) * 3;
            count += pixel[0] == colour.red && pixel[1] == colour.green && pixel[2] == colour.blue;
        }
    }
    return count;
}

/* Writes the plot to path and reads it back, checking that the PNG is an
 * 8-bit RGB picture of the composed plot; the caller frees png->pixels and
 * the plot. */
static void write_and_read_back(const char *path, const struct plot_series *series, int count,
                                int log_y, struct line_plot *plot, struct png_read_back *png)
{
    char err[512];
    if (write_line_plot_png(path, "Noise loss", "epoch", "loss", series, count, log_y,
                            PLOT_WIDTH, PLOT_HEIGHT, err, sizeof err) != 0)
        fail_msg("%s", err);
    if (compose_line_plot("Noise loss", "epoch", "loss", series, count, log_y, PLOT_WIDTH,
                          PLOT_HEIGHT, plot, err, sizeof err) != 0)
        fail_msg("%s", err);
    read_png(path, png);
    assert_int_equal(png->width, PLOT_WIDTH);
    assert_int_equal(png->height, PLOT_HEIGHT);
    assert_int_equal(png->bit_depth, 8);
    assert_int_equal(png->color_type, PNG_COLOR_TYPE_RGB);
    assert_memory_equal(png->pixels, plot->image.pixels, (size_t)PLOT_WIDTH * PLOT_HEIGHT * 3);
    assert_true(plot->area_left > 0 && plot->area_right < PLOT_WIDTH - 1);
    assert_true(plot->area_top > 0 && plot->area_bottom < PLOT_HEIGHT - 1);
}

static const double epochs[] = { 1, 2, 3, 4, 5 };

static void test_line_plot_draws_each_series_in_its_colour(void **state)
{
    /* Loss-like curves, one of them a single point. */
    const double skip[] = { 0.9, 0.5, 0.3, 0.2, 0.15 };
    const double no_skip[] = { 1.0, 0.8, 0.7, 0.65, 0.6 };
    const double unet_last[] = { 0.03 };
    const double unet_epoch[] = { 5 };
    const struct plot_series series[] = {
        { "skip", 5, epochs, skip },
        { "no skip", 5, epochs, no_skip },
        { "unet (one epoch)", 1, unet_epoch, unet_last },
    };
    char path[256];
    scratch_path(path, state, "loss.png");
    struct line_plot plot;
    struct png_read_back png;
    write_and_read_back(path, series, 3, 1, &plot, &png);
    for (int s = 0; s < 3; s++) {
        struct rgb_colour colour = plot_series_colour(s);
        int in_plot = colour_pixels(png.pixels, PLOT_WIDTH, &plot, colour, 1);
        int in_legend = colour_pixels(png.pixels, PLOT_WIDTH, &plot, colour, 0);
        /* A line of 4 segments over hundreds of pixels; a lone marker of
         * at least 3 x 3 pixels. */
        if (in_plot < (series[s].count > 1 ? 200 : 9))
            fail_msg("series %d (%s): %d pixels of its colour in the plot area", s,
                     series[s].name, in_plot);
        if (in_legend == 0)
            fail_msg("series %d (%s): not in the legend", s, series[s].name);
    }
    /* 0.03 .. 1.0 spans less than two decades: ticks at 1, 2 and 5 x 10^k. */
    const double one_two_five[] = { 0.05, 0.1, 0.2, 0.5, 1 };
    assert_true(plot.y_axis.log_scale);
    assert_int_equal(plot.y_axis.tick_count, 5);
    for (int i = 0; i < 5; i++)
        assert_true(fabs(plot.y_axis.ticks[i] - one_two_five[i]) <= 1e-12);
    assert_string_equal(plot.y_axis.labels[0], "0.05");
    /* Epochs are integers: so are the x ticks. */
    for (int i = 0; i < plot.x_axis.tick_count; i++)
        assert_true(plot.x_axis.ticks[i] == round(plot.x_axis.ticks[i]));
    assert_true(plot.x_axis.tick_count >= 2);
    free(png.pixels);
    free_line_plot(&plot);
}

static void test_line_plot_log_axis_skips_values_it_cannot_show(void **state)
{
    /* Zero, negative and non-finite values are skipped; what is left spans
     * 1e-5 .. 10, six powers of ten, which alone are the ticks. */
    const double y[] = { 10, 0, -1, NAN, INFINITY, 1e-5, 0.01 };
    const double x[] = { 1, 2, 3, 4, 5, 6, NAN };
    const double steady[] = { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 };
    const struct plot_series series[] = {
        { "with gaps", 7, x, y },
        { "steady", 7, x, steady },
    };
    char path[256];
    scratch_path(path, state, "log.png");
    struct line_plot plot;
    struct png_read_back png;
    write_and_read_back(path, series, 2, 1, &plot, &png);
    assert_true(colour_pixels(png.pixels, PLOT_WIDTH, &plot, plot_series_colour(0), 1) > 0);
    assert_true(colour_pixels(png.pixels, PLOT_WIDTH, &plot, plot_series_colour(1), 1) > 0);
    assert_true(plot.y_axis.low > 0 && plot.y_axis.low < 1e-5);
    assert_true(plot.y_axis.high > 10 && plot.y_axis.high < 100);
    assert_int_equal(plot.y_axis.tick_count, 7);
    for (int i = 0; i < plot.y_axis.tick_count; i++)
        assert_true(fabs(log10(plot.y_axis.ticks[i]) - (i - 5)) <= 1e-12);
    assert_true(plot.x_axis.low > 0.5 && plot.x_axis.high < 6.5); /* x = NaN skipped */
    free(png.pixels);
    free_line_plot(&plot);

    /* On a linear axis the same zero and negative values are points. */
    char err[512];
    assert_int_equal(compose_line_plot(NULL, NULL, NULL, series, 2, 0, PLOT_WIDTH, PLOT_HEIGHT,
                                       &plot, err, sizeof err), 0);
    assert_true(plot.y_axis.low < -1);
    free_line_plot(&plot);
}

/* Asserts that err is one line beginning with path and holding what. */
static void assert_error_names(const char *err, const char *path, const char *what)
{
    if (strstr(err, path) != err || !strstr(err, what) || strchr(err, '\n'))
        fail_msg("error \"%s\": want one line naming %s and saying \"%s\"", err, path, what);
}

static void test_line_plot_refuses_nothing_to_plot(void **state)
{
    const double nan_values[] = { NAN, NAN, NAN };
    const double non_positive[] = { 0, -0.5, -1 };
    const struct plot_series all_nan = { "diverged", 3, epochs, nan_values };
    const struct plot_series below_zero = { "negative", 3, epochs, non_positive };
    const struct plot_series empty = { "empty", 0, NULL, NULL };
    char path[256], err[512];
    scratch_path(path, state, "none.png");

    assert_int_equal(write_line_plot_png(path, "t", "x", "y", &all_nan, 0, 1, PLOT_WIDTH,
                                         PLOT_HEIGHT, err, sizeof err), -1);
    assert_error_names(err, path, "no series");
    assert_int_equal(write_line_plot_png(path, "t", "x", "y", NULL, 3, 1, PLOT_WIDTH,
                                         PLOT_HEIGHT, err, sizeof err), -1);
    assert_error_names(err, path, "no series");
    assert_int_equal(write_line_plot_png(path, "t", "x", "y", &all_nan, 1, 0, PLOT_WIDTH,
                                         PLOT_HEIGHT, err, sizeof err), -1);
    assert_error_names(err, path, "no points to plot");
    assert_int_equal(write_line_plot_png(path, "t", "x", "y", &below_zero, 1, 1, PLOT_WIDTH,
                                         PLOT_HEIGHT, err, sizeof err), -1);
    assert_error_names(err, path, "no points to plot");
    assert_int_equal(write_line_plot_png(path, "t", "x", "y", &empty, 1, 0, PLOT_WIDTH,
                                         PLOT_HEIGHT, err, sizeof err), -1);
    assert_error_names(err, path, "no points to plot");
    assert_int_equal(write_line_plot_png(path, "t", "x", "y", &below_zero, 1, 0, 60, 40, err,
                                         sizeof err), -1);
    assert_error_names(err, path, "too small");
    assert_int_equal(scratch_file_count(state), 0);
}

static void test_line_plot_into_a_missing_directory_fails(void **state)
{
    const double y[] = { 1, 0.5, 0.25, 0.2, 0.1 };
    const struct plot_series series = { "loss", 5, epochs, y };
    char path[256], err[512];
    scratch_path(path, state, "missing/loss.png");
    assert_int_equal(write_line_plot_png(path, "t", "x", "y", &series, 1, 1, PLOT_WIDTH,
                                         PLOT_HEIGHT, err, sizeof err), -1);
    assert_error_names(err, path, "No such file or directory");
    assert_int_equal(scratch_file_count(state), 0);
}

#define SCRATCH_TEST(f) cmocka_unit_test_setup_teardown(f, make_scratch, remove_scratch)

size_t loss_plot_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        SCRATCH_TEST(test_rgb_png_reads_back_exactly),
        cmocka_unit_test(test_font_draws_glyphs_and_no_spaces),
        SCRATCH_TEST(test_line_plot_draws_each_series_in_its_colour),
        SCRATCH_TEST(test_line_plot_log_axis_skips_values_it_cannot_show),
        SCRATCH_TEST(test_line_plot_refuses_nothing_to_plot),
        SCRATCH_TEST(test_line_plot_into_a_missing_directory_fails),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
