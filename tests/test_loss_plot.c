/* What the loss plot is written as: RGB PNGs, read back with libpng. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"
#include "runtime/png_image.h"

/* ---- reading back ----------------------------------------------------- */

struct png_read_back {
    png_uint_32 width, height;
    int bit_depth, color_type, channels;
    unsigned char *pixels;     /* width x height x channels bytes; the caller frees them */
};

/* Reads the PNG at path with libpng, as any viewer would. */
static void read_png(const char *path, struct png_read_back *out)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("%s: libpng cannot read it", path);
    png_init_io(png, file);
    png_read_info(png, info);
    out->width = png_get_image_width(png, info);
    out->height = png_get_image_height(png, info);
    out->bit_depth = png_get_bit_depth(png, info);
    out->color_type = png_get_color_type(png, info);
    out->channels = png_get_channels(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    out->pixels = malloc(row_bytes * out->height);
    assert_non_null(out->pixels);
    for (png_uint_32 y = 0; y < out->height; y++)
        png_read_row(png, out->pixels + y * row_bytes, NULL);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(file);
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

#define SCRATCH_TEST(f) cmocka_unit_test_setup_teardown(f, make_scratch, remove_scratch)

size_t loss_plot_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        SCRATCH_TEST(test_rgb_png_reads_back_exactly),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
