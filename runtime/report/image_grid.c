/* Sample grids: the clipped and the per-image min..max view side by side
 * (layout and mapping in image_grid.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/report/bitmap_font.h"
#include "runtime/report/image_grid.h"
#include "runtime/base/png_image.h"

/* Far beyond any sample grid; it keeps every size and offset an int and
 * the picture within what PNG readers accept. */
#define GRID_MAX_SIDE 65536

enum grid_view { VIEW_CLIPPED, VIEW_MIN_MAX };

/* A fraction of full white in [0, 1] as a gray level, rounded; a fraction
 * outside is clipped, and NaN (which fails every comparison) is black. */
static unsigned char level_of(double fraction)
{
    if (!(fraction > 0))
        return 0;
    if (fraction >= 1)
        return 255;
    return (unsigned char)(fraction * 255 + 0.5);
}

struct value_range {
    double low, high;   /* of the finite values; low > high when there are none */
};

static struct value_range finite_range(const float *image, size_t n)
{
    struct value_range range = { INFINITY, -INFINITY };
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(image[i]))
            continue;
        if (image[i] < range.low)
            range.low = image[i];
        if (image[i] > range.high)
            range.high = image[i];
    }
    return range;
}

/* Draws one image with its top-left corner at output pixel (left, top). */
static void draw_image(struct gray_image *canvas, int left, int top, const float *image,
                       int height, int width, int scale, enum grid_view view)
{
    struct value_range range = finite_range(image, (size_t)height * (size_t)width);
    /* Doubles: max - min of two floats can overflow a float. */
    double span = range.high - range.low;
    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
            double value = image[(size_t)y * (size_t)width + (size_t)x];
            unsigned char level;
            if (view == VIEW_CLIPPED)
                level = level_of(value);
            else
                level = span > 0 ? level_of((value - range.low) / span) : 0;
            for (int dy = 0; dy < scale; dy++) {
                unsigned char *row = canvas->pixels +
                    (size_t)(top + y * scale + dy) * (size_t)canvas->width;
                memset(row + left + x * scale, level, (size_t)scale);
            }
        }
    }
}

int compose_sample_grid(const float *images, int count, int height, int width, int columns,
                        int scale, struct gray_image *out, char *err, size_t errlen)
{
    out->width = out->height = 0;
    out->pixels = NULL;
    if (count <= 0 || height <= 0 || width <= 0 || columns <= 0 || scale <= 0) {
        snprintf(err, errlen,
                 "cannot make a grid of %d images of %d x %d pixels, %d columns, scale %d",
                 count, height, width, columns, scale);
        return -1;
    }
    if (columns > count)
        columns = count;
    int rows = (count + columns - 1) / columns;
    /* Sizes in source pixels first, checked before scaling, so that no
     * product below can overflow a long long. */
    long long view_width = (long long)columns * ((long long)width + GRID_GAP) - GRID_GAP;
    long long grid_height = (long long)rows * ((long long)height + GRID_GAP) - GRID_GAP;
    if (view_width > GRID_MAX_SIDE || grid_height > GRID_MAX_SIDE ||
        (2 * view_width + GRID_SEPARATOR) * scale > GRID_MAX_SIDE ||
        grid_height * scale > GRID_MAX_SIDE) {
        snprintf(err, errlen, "a grid of %d images of %d x %d pixels, %d columns, scale %d "
                 "would be larger than %d pixels on a side",
                 count, height, width, columns, scale, GRID_MAX_SIDE);
        return -1;
    }
    out->width = (int)((2 * view_width + GRID_SEPARATOR) * scale);
    out->height = (int)(grid_height * scale);
    out->pixels = malloc((size_t)out->width * (size_t)out->height);
    if (!out->pixels) {
        snprintf(err, errlen, "out of memory for a %d x %d grid", out->width, out->height);
        out->width = out->height = 0;
        return -1;
    }
    memset(out->pixels, GRID_GAP_LEVEL, (size_t)out->width * (size_t)out->height);

    int right_view_left = (int)(view_width + GRID_SEPARATOR) * scale;
    for (int i = 0; i < count; i++) {
        const float *image = images + (size_t)i * (size_t)height * (size_t)width;
        int left = i % columns * (width + GRID_GAP) * scale;
        int top = i / columns * (height + GRID_GAP) * scale;
        draw_image(out, left, top, image, height, width, scale, VIEW_CLIPPED);
        draw_image(out, right_view_left + left, top, image, height, width, scale, VIEW_MIN_MAX);
    }
    return 0;
}

void free_gray_image(struct gray_image *image)
{
    free(image->pixels);
    image->pixels = NULL;
    image->width = image->height = 0;
}

int write_sample_grid_png(const char *path, const float *images, int count, int height, int width,
                          int columns, int scale, char *err, size_t errlen)
{
    struct gray_image grid;
    char why[200];
    if (compose_sample_grid(images, count, height, width, columns, scale, &grid, why,
                            sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    int status = write_gray_png(path, grid.pixels, grid.width, grid.height, err, errlen);
    free_gray_image(&grid);
    return status;
}

/* The caption's band: CAPTION_PADDING font pixels above and below the text. */
#define CAPTION_PADDING 2
#define CAPTION_BACKGROUND 24   /* the band's gray level: darker than the gaps */

int write_captioned_grid_png(const char *path, const char *caption, const float *images, int count, int height,
                             int width, int columns, int scale, char *err, size_t errlen)
{
    struct gray_image grid;
    char why[200];
    if (compose_sample_grid(images, count, height, width, columns, scale, &grid, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    const int text_scale = scale > 1 ? scale - 1 : 1;
    const int band = (FONT_HEIGHT + 2 * CAPTION_PADDING) * text_scale;
    struct rgb_image picture = { grid.width, grid.height + band, NULL };
    picture.pixels = malloc((size_t)picture.width * (size_t)picture.height * 3);
    if (!picture.pixels) {
        free_gray_image(&grid);
        snprintf(err, errlen, "%s: out of memory for a %d x %d picture", path, picture.width, picture.height);
        return -1;
    }
    memset(picture.pixels, CAPTION_BACKGROUND, (size_t)picture.width * (size_t)band * 3);
    for (size_t i = 0; i < (size_t)grid.width * (size_t)grid.height; i++)
        memset(picture.pixels + ((size_t)picture.width * (size_t)band + i) * 3, grid.pixels[i], 3);
    const struct rgb_colour white = { 255, 255, 255 };
    draw_text(&picture, CAPTION_PADDING * text_scale, CAPTION_PADDING * text_scale, caption, text_scale, white,
              TEXT_RIGHTWARD);
    const int status = write_rgb_png(path, picture.pixels, picture.width, picture.height, err, errlen);
    free(picture.pixels);
    free_gray_image(&grid);
    return status;
}
