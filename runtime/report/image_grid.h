/* image_grid.h: sample grids, many small float images in one 8-bit picture.
 *
 * The picture holds two views of the same images side by side:
 *
 *   left  "clipped": each value clipped to [0, 1], times 255, rounded; what
 *         the images are as data (MNIST digits are 0 = black background,
 *         1 = white ink), so a washed-out or faint sample looks like one;
 *   right "per image min..max": each image stretched from its own minimum
 *         (black) to its own maximum (white), as matplotlib's imshow shows a
 *         float image; this shows the shape of a sample whatever its range.
 *         A constant image (max = min) is black, as in matplotlib.
 *
 * NaN is black in both views; infinities are clipped (and do not count as
 * an image's min or max).
 *
 * Layout, in source pixels, every one of them upscaled to scale x scale
 * output pixels (nearest neighbour): images are placed row by row, `columns`
 * to a row (or count, if fewer), with a gap of GRID_GAP between them; the
 * right view starts GRID_SEPARATOR after the left one ends. Gaps,
 * separator and the cells left empty in the last row are GRID_GAP_LEVEL. */
#ifndef DDIM_IMAGE_GRID_H
#define DDIM_IMAGE_GRID_H

#include <stddef.h>

#define GRID_GAP 1            /* source pixels between neighbouring images */
#define GRID_SEPARATOR 4      /* source pixels between the two views */
#define GRID_GAP_LEVEL 96     /* gray level of gaps: dark, but not background black */

/* An 8-bit grayscale picture, row-major, width x height bytes. */
struct gray_image {
    int width, height;
    unsigned char *pixels;
};

/* Composes the two views of count images of height x width floats each
 * (stored one after another, row-major) into out, which the caller frees
 * with free_gray_image. Returns 0, or -1 with ONE line in err (bad
 * arguments, a picture too large, out of memory). */
int compose_sample_grid(const float *images, int count, int height, int width, int columns,
                        int scale, struct gray_image *out, char *err, size_t errlen);
void free_gray_image(struct gray_image *image);

/* compose_sample_grid, then write_gray_png to path (atomically). The line
 * in err names path. E.g. 64 MNIST samples, 8 columns, scale 3. */
int write_sample_grid_png(const char *path, const float *images, int count, int height, int width,
                          int columns, int scale, char *err, size_t errlen);

/* write_sample_grid_png with caption, one line of text (bitmap_font.h), in
 * a band above the grid: what the grid is ("unet seed 1, epoch 3 of 4").
 * The picture is RGB; text wider than the grid is cut at its edge. */
int write_captioned_grid_png(const char *path, const char *caption, const float *images, int count, int height,
                             int width, int columns, int scale, char *err, size_t errlen);

#endif
