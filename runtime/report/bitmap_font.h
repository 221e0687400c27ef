/* bitmap_font.h: a small fixed-size bitmap font for the labels of figures.
 *
 * Every printable ASCII character (32..126) is a glyph of FONT_GLYPH_WIDTH
 * x FONT_HEIGHT pixels: FONT_ASCENT rows standing on the baseline (capitals,
 * digits, ascenders) and two below it (the descenders of g, j, p, q, y, the
 * comma's tail). Glyphs are FONT_ADVANCE apart, which leaves one blank column
 * between neighbours. Any other byte is drawn as '?'. Text is drawn at an
 * integer scale: each font pixel becomes scale x scale image pixels. */
#ifndef DDIM_BITMAP_FONT_H
#define DDIM_BITMAP_FONT_H

#define FONT_GLYPH_WIDTH 5
#define FONT_ADVANCE 6       /* from one glyph's left edge to the next one's */
#define FONT_ASCENT 7        /* rows above the baseline */
#define FONT_HEIGHT 9        /* rows of a glyph, descenders included */

/* An RGB picture: width x height pixels, row-major, three bytes each (red,
 * green, blue), as write_rgb_png (png_image.h) takes it. */
struct rgb_image {
    int width, height;
    unsigned char *pixels;
};

struct rgb_colour {
    unsigned char red, green, blue;
};

enum text_direction {
    TEXT_RIGHTWARD,          /* ordinary text */
    TEXT_UPWARD,             /* turned a quarter anticlockwise, read bottom to top (a y axis label) */
};

/* The length of text along its direction in pixels at scale: FONT_ADVANCE
 * per character less the blank column after the last; 0 for "". Across
 * the direction text is always FONT_HEIGHT * scale pixels. */
int text_length(const char *text, int scale);

/* Sets the pixels of text's glyphs to colour and leaves the others as they
 * are. (left, top) is the top-left corner of the box the text occupies:
 * text_length x FONT_HEIGHT * scale pixels for TEXT_RIGHTWARD, the same
 * turned (FONT_HEIGHT * scale wide, text_length high) for TEXT_UPWARD.
 * Pixels outside the image are skipped. */
void draw_text(struct rgb_image *image, int left, int top, const char *text, int scale,
               struct rgb_colour colour, enum text_direction direction);

#endif
