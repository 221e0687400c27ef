/* 8-bit grayscale and RGB PNG output. libpng hands us its bytes, which go
 * to an atomic_file: a failed write is remembered there and reported by the
 * commit, with the system's reason. libpng's own errors come through an
 * error function that must not return: ours keeps the message and longjmps
 * back to the setjmp in encode_png, the one place that then cleans up. */
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include "runtime/base/files.h"
#include "runtime/base/png_image.h"

/* What the error and warning functions leave for encode_png. libpng warns
 * with the details (e.g. which IHDR field is wrong) before it fails with a
 * general error, so the first warning is kept to go with the error. */
struct png_failure {
    char message[320];
    char first_warning[160];
};

static void on_png_error(png_structp png, png_const_charp message)
{
    struct png_failure *failure = png_get_error_ptr(png);
    if (failure->first_warning[0])
        snprintf(failure->message, sizeof failure->message, "libpng: %s (%s)", message,
                 failure->first_warning);
    else
        snprintf(failure->message, sizeof failure->message, "libpng: %s", message);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp message)
{
    struct png_failure *failure = png_get_error_ptr(png);
    if (!failure->first_warning[0])
        snprintf(failure->first_warning, sizeof failure->first_warning, "%s", message);
}

static void write_png_bytes(png_structp png, png_bytep data, size_t length)
{
    atomic_file_write(png_get_io_ptr(png), data, length); /* errors show in commit */
}

/* The commit flushes; libpng only asks for flushes it was told to make. */
static void flush_png_bytes(png_structp png)
{
    (void)png;
}

/* Writes the PNG to file; color_type is PNG_COLOR_TYPE_GRAY (one byte a
 * pixel) or PNG_COLOR_TYPE_RGB (three). Nothing that the error path uses is
 * modified after setjmp, so no local needs to be volatile. */
static int encode_png(struct atomic_file *file, const unsigned char *pixels, int width, int height,
                      int color_type, struct png_failure *failure)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, failure, on_png_error,
                                              on_png_warning);
    if (!png) {
        snprintf(failure->message, sizeof failure->message, "libpng: out of memory");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        snprintf(failure->message, sizeof failure->message, "libpng: out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, file, write_png_bytes, flush_png_bytes);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    size_t row_bytes = (size_t)width * (color_type == PNG_COLOR_TYPE_RGB ? 3 : 1);
    for (int y = 0; y < height; y++)
        png_write_row(png, pixels + (size_t)y * row_bytes);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 0;
}

static int write_png(const char *path, const unsigned char *pixels, int width, int height,
                     int color_type, char *err, size_t errlen)
{
    if (width <= 0 || height <= 0) {
        snprintf(err, errlen, "%s: cannot write a %d x %d image", path, width, height);
        return -1;
    }
    struct atomic_file file;
    if (atomic_file_open(&file, path, err, errlen) != 0)
        return -1;
    struct png_failure failure = { "", "" };
    if (encode_png(&file, pixels, width, height, color_type, &failure) != 0) {
        atomic_file_abort(&file);
        snprintf(err, errlen, "%s: %s", path, failure.message);
        return -1;
    }
    return atomic_file_commit(&file, err, errlen);
}

int write_gray_png(const char *path, const unsigned char *pixels, int width, int height,
                   char *err, size_t errlen)
{
    return write_png(path, pixels, width, height, PNG_COLOR_TYPE_GRAY, err, errlen);
}

int write_rgb_png(const char *path, const unsigned char *pixels, int width, int height,
                  char *err, size_t errlen)
{
    return write_png(path, pixels, width, height, PNG_COLOR_TYPE_RGB, err, errlen);
}
