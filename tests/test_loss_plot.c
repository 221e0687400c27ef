/* What the loss plot is drawn with: RGB PNGs, read back with libpng, and
 * the bitmap font. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test_util.h"
#include "runtime/bitmap_font.h"
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

#define SCRATCH_TEST(f) cmocka_unit_test_setup_teardown(f, make_scratch, remove_scratch)

size_t loss_plot_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        SCRATCH_TEST(test_rgb_png_reads_back_exactly),
        cmocka_unit_test(test_font_draws_glyphs_and_no_spaces),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
