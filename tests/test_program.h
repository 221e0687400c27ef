/* Helpers for the runtime tests that run the ddim-lab binary or read what
 * it writes: the binary's output and exit status, text and file checks, and
 * PNGs read back with libpng. Kept apart from test_util.h, which the kernel
 * tests (built without libpng, also for AArch64 under qemu) link. */
#ifndef DDIM_TEST_PROGRAM_H
#define DDIM_TEST_PROGRAM_H

#include <png.h>
#include <stddef.h>

/* Runs the ddim-lab binary of this build (the Makefile defines
 * DDIM_LAB_BINARY) through the shell as "cd DIR && ENV BINARY ARGS", stderr
 * merged into stdout: dir NULL runs it here, env NULL sets nothing
 * ("DDIM_ISA=ref" sets a variable). Returns the exit status and the first
 * size - 1 bytes of the output in out; fails the test if the program did
 * not exit normally. */
int run_ddim_lab(const char *dir, const char *env, const char *args, char *out, size_t size);

/* Fails unless text contains part, printing text. */
void assert_contains(const char *text, const char *part);

/* The path of the one file matching pattern (a glob); fails unless there
 * is exactly one. */
#define MATCH_PATH_SIZE 600
void only_match(const char *pattern, char path[MATCH_PATH_SIZE]);

/* The whole of the one file matching pattern into buf (NUL-terminated);
 * fails unless there is exactly one and it fits in size - 1 bytes. */
void read_only_match_file(const char *pattern, char *buf, size_t size);

/* A PNG read back as any viewer would. */
struct png_read_back {
    png_uint_32 width, height;
    int bit_depth, color_type, channels;
    unsigned char *pixels; /* height rows of width x channels bytes (8-bit images); free() them */
};
void read_png(const char *path, struct png_read_back *out);

#endif
