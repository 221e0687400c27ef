/* See test_program.h. */
#include "test_program.h"
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_util.h"

#ifndef DDIM_LAB_BINARY
#define DDIM_LAB_BINARY "build/ddim-lab"
#endif

int run_ddim_lab(const char *dir, const char *env, const char *args, char *out, size_t size)
{
    /* A relative binary path is taken from here, before the cd. */
    char binary[1024], command[4096];
    if (DDIM_LAB_BINARY[0] == '/')
        snprintf(binary, sizeof binary, "%s", DDIM_LAB_BINARY);
    else {
        char cwd[512];
        assert_non_null(getcwd(cwd, sizeof cwd));
        snprintf(binary, sizeof binary, "%s/%s", cwd, DDIM_LAB_BINARY);
    }
    snprintf(command, sizeof command, "%s%s%s %s %s %s 2>&1", dir ? "cd " : "", dir ? dir : "", dir ? " &&" : "",
             env ? env : "", binary, args);
    FILE *pipe = popen(command, "r");
    assert_non_null(pipe);
    size_t used = fread(out, 1, size - 1, pipe);
    out[used] = '\0';
    char rest[4096];
    while (fread(rest, 1, sizeof rest, pipe) > 0)
        continue; /* drain, so the program is not killed by SIGPIPE */
    int status = pclose(pipe);
    if (!WIFEXITED(status))
        fail_msg("%s did not exit normally (status %d)", command, status);
    return WEXITSTATUS(status);
}

void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in:\n%s", part, text);
}

void only_match(const char *pattern, char path[MATCH_PATH_SIZE])
{
    glob_t found;
    if (glob(pattern, 0, NULL, &found) != 0 || found.gl_pathc != 1)
        fail_msg("expected exactly one file matching %s", pattern);
    snprintf(path, MATCH_PATH_SIZE, "%s", found.gl_pathv[0]);
    globfree(&found);
}

void read_only_match_file(const char *pattern, char *buf, size_t size)
{
    char path[MATCH_PATH_SIZE];
    only_match(pattern, path);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t used = fread(buf, 1, size, f);
    fclose(f);
    if (used == size)
        fail_msg("%s does not fit in %zu bytes", path, size - 1);
    buf[used] = '\0';
}

void read_png(const char *path, struct png_read_back *out)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        fail_msg("no PNG at %s", path);
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
