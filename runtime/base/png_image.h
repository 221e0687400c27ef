/* png_image.h: writing 8-bit grayscale and RGB PNGs with libpng. */
#ifndef DDIM_PNG_IMAGE_H
#define DDIM_PNG_IMAGE_H

#include <stddef.h>

/* Writes the width x height pixels (row-major, one byte each, 0 = black,
 * 255 = white) to path as an 8-bit grayscale PNG, through the atomic
 * writer of files.h: the file is complete or not replaced at all. Returns
 * 0, or -1 after writing ONE line naming path and the problem to err. */
int write_gray_png(const char *path, const unsigned char *pixels, int width, int height,
                   char *err, size_t errlen);

/* The same for an RGB picture: width x height pixels, row-major, three
 * bytes each (red, green, blue), written as an 8-bit RGB PNG. */
int write_rgb_png(const char *path, const unsigned char *pixels, int width, int height,
                  char *err, size_t errlen);

#endif
