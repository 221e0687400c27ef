/* The output utilities: atomic files, grayscale PNGs, sample grids and the
 * progress line. Tests that touch files get a fresh temporary directory. */
#include <dirent.h>
#include <math.h>
#include <png.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_util.h"
#include "test_program.h"
#include "runtime/base/files.h"
#include "runtime/report/bitmap_font.h"
#include "runtime/report/image_grid.h"
#include "runtime/base/png_image.h"
#include "runtime/base/progress.h"

/* ---- scratch directories ---------------------------------------------- */

/* The names in the scratch directory, sorted, joined by spaces (without "."
 * and ".."), so that a leftover temporary file shows in a failure message. */
static void list_scratch(void **state, char *names, size_t size)
{
    const struct scratch *scratch = *state;
    struct dirent **entries;
    int count = scandir(scratch->dir, &entries, NULL, alphasort);
    assert_true(count >= 0);
    names[0] = '\0';
    for (int i = 0; i < count; i++) {
        const char *name = entries[i]->d_name;
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            size_t used = strlen(names);
            snprintf(names + used, size - used, "%s%s", used ? " " : "", name);
        }
        free(entries[i]);
    }
    free(entries);
}

/* The whole file as a NUL-terminated string (the tests write text). */
static char *read_text(const char *path)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    static const size_t limit = 1 << 20;
    char *text = malloc(limit + 1);
    assert_non_null(text);
    size_t size = fread(text, 1, limit, file);
    fclose(file);
    text[size] = '\0';
    return text;
}

static void write_text(const char *path, const char *text)
{
    char err[256];
    if (write_file_atomic(path, text, strlen(text), err, sizeof err) != 0)
        fail_msg("%s", err);
}

static void assert_file_holds(const char *path, const char *expected)
{
    char *text = read_text(path);
    assert_string_equal(text, expected);
    free(text);
}

/* ---- atomic files ----------------------------------------------------- */

static void test_write_file_atomic_creates_and_replaces(void **state)
{
    char path[256], names[256];
    scratch_path(path, state, "results.csv");
    write_text(path, "old\n");
    assert_file_holds(path, "old\n");
    write_text(path, "epoch,loss\n1,0.25\n");
    assert_file_holds(path, "epoch,loss\n1,0.25\n");
    list_scratch(state, names, sizeof names);
    assert_string_equal(names, "results.csv");
}

static void test_write_file_atomic_gives_new_files_the_default_mode(void **state)
{
    char path[256];
    scratch_path(path, state, "plain.txt");
    mode_t mask = umask(022);
    write_text(path, "x");
    umask(mask);
    struct stat status;
    assert_int_equal(stat(path, &status), 0);
    assert_int_equal(status.st_mode & 0777, 0644); /* not mkstemp's 0600 */
}

static void test_write_file_atomic_into_a_missing_directory_fails(void **state)
{
    char path[256], err[256], names[256];
    scratch_path(path, state, "missing/results.csv");
    assert_int_equal(write_file_atomic(path, "x", 1, err, sizeof err), -1);
    /* One line, naming the target and the reason. */
    assert_ptr_equal(strstr(err, path), err);
    assert_non_null(strstr(err, "No such file or directory"));
    assert_null(strchr(err, '\n'));
    list_scratch(state, names, sizeof names);
    assert_string_equal(names, "");
}

/* A full disk, simulated: a child process whose files may not grow past
 * 4 KiB (RLIMIT_FSIZE holds for root too) writes 64 KiB, so its writes fail
 * with EFBIG, as they would with ENOSPC. The child exits 0 when the write
 * failed with one line saying so. */
enum { FILE_SIZE_LIMIT = 4096, BIG_WRITE = 65536 };

static int write_big_file(const char *path, bool streaming)
{
    static char data[BIG_WRITE];
    memset(data, 'x', sizeof data);
    char err[256];
    int status;
    if (streaming) {
        struct atomic_file file;
        if (atomic_file_open(&file, path, err, sizeof err) != 0)
            return 2;
        for (size_t i = 0; i < sizeof data / 64; i++)
            atomic_file_printf(&file, "%.63s\n", data);
        status = atomic_file_commit(&file, err, sizeof err);
    } else {
        status = write_file_atomic(path, data, sizeof data, err, sizeof err);
    }
    return status == -1 && strstr(err, path) == err && strstr(err, "File too large") &&
                   !strchr(err, '\n')
               ? 0
               : 1;
}

static void check_failed_big_write_keeps_the_old_file(void **state, bool streaming)
{
    char path[256], names[256];
    scratch_path(path, state, "samples.csv");
    write_text(path, "old content\n");
    fflush(NULL); /* the child must not write out the parent's buffers again */
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        struct rlimit limit = { FILE_SIZE_LIMIT, FILE_SIZE_LIMIT };
        signal(SIGXFSZ, SIG_IGN); /* fail the write instead of killing the process */
        if (setrlimit(RLIMIT_FSIZE, &limit) != 0)
            _exit(3);
        _exit(write_big_file(path, streaming));
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_file_holds(path, "old content\n");
    list_scratch(state, names, sizeof names);
    assert_string_equal(names, "samples.csv"); /* no temporary file left */
}

static void test_write_file_atomic_failing_write_keeps_the_old_file(void **state)
{
    check_failed_big_write_keeps_the_old_file(state, false);
}

static void test_atomic_file_failing_write_is_reported_by_commit(void **state)
{
    check_failed_big_write_keeps_the_old_file(state, true);
}

static void test_atomic_file_streams_then_commits(void **state)
{
    char path[256], err[256], names[256];
    scratch_path(path, state, "log.csv");
    struct atomic_file file;
    assert_int_equal(atomic_file_open(&file, path, err, sizeof err), 0);
    assert_int_equal(atomic_file_printf(&file, "step,loss\n"), 0);
    for (int step = 1; step <= 3; step++)
        assert_int_equal(atomic_file_printf(&file, "%d,%.2f\n", step, 1.0 / step), 0);
    assert_int_equal(atomic_file_write(&file, "end\n", 4), 0);
    /* Until the commit only the temporary file exists, named after the target. */
    list_scratch(state, names, sizeof names);
    assert_ptr_equal(strstr(names, ".log.csv.tmp."), names);
    assert_null(strchr(names, ' '));
    if (atomic_file_commit(&file, err, sizeof err) != 0)
        fail_msg("%s", err);
    atomic_file_abort(&file); /* after a commit: does nothing */
    assert_file_holds(path, "step,loss\n1,1.00\n2,0.50\n3,0.33\nend\n");
    list_scratch(state, names, sizeof names);
    assert_string_equal(names, "log.csv");
}

static void test_atomic_file_abort_keeps_the_old_file(void **state)
{
    char path[256], err[256], names[256];
    scratch_path(path, state, "log.csv");
    write_text(path, "old\n");
    struct atomic_file file;
    assert_int_equal(atomic_file_open(&file, path, err, sizeof err), 0);
    atomic_file_printf(&file, "half of a new file");
    atomic_file_abort(&file);
    assert_file_holds(path, "old\n");
    list_scratch(state, names, sizeof names);
    assert_string_equal(names, "log.csv");
}

static void test_make_directories_creates_parents(void **state)
{
    char path[256], err[256];
    scratch_path(path, state, "runs//unet/epoch-1/");
    if (make_directories(path, err, sizeof err) != 0)
        fail_msg("%s", err);
    if (make_directories(path, err, sizeof err) != 0) /* already there: fine */
        fail_msg("%s", err);
    struct stat status;
    assert_int_equal(stat(path, &status), 0);
    assert_true(S_ISDIR(status.st_mode));
    scratch_path(path, state, "runs/unet/epoch-1/grid.png");
    write_text(path, "x");
}

static void test_make_directories_names_a_file_in_the_way(void **state)
{
    char path[256], err[256], file_path[256];
    scratch_path(file_path, state, "runs");
    write_text(file_path, "not a directory");
    scratch_path(path, state, "runs/unet");
    assert_int_equal(make_directories(path, err, sizeof err), -1);
    char expected[300];
    snprintf(expected, sizeof expected, "%s: exists and is not a directory", file_path);
    assert_string_equal(err, expected);
}

/* ---- PNG ------------------------------------------------------------- */

static void test_gray_png_reads_back_exactly(void **state)
{
    enum { WIDTH = 5, HEIGHT = 3 };
    unsigned char pixels[WIDTH * HEIGHT];
    for (int i = 0; i < WIDTH * HEIGHT; i++)
        pixels[i] = (unsigned char)(i * 17 + 3); /* all different, 3..241 */
    pixels[0] = 0;
    pixels[WIDTH * HEIGHT - 1] = 255;
    char path[256], err[256];
    scratch_path(path, state, "image.png");
    if (write_gray_png(path, pixels, WIDTH, HEIGHT, err, sizeof err) != 0)
        fail_msg("%s", err);
    struct png_read_back png;
    read_png(path, &png);
    assert_int_equal(png.width, WIDTH);
    assert_int_equal(png.height, HEIGHT);
    assert_int_equal(png.bit_depth, 8);
    assert_int_equal(png.color_type, PNG_COLOR_TYPE_GRAY);
    assert_memory_equal(png.pixels, pixels, sizeof pixels);
    free(png.pixels);
}

static void test_gray_png_reports_errors_in_one_line(void **state)
{
    unsigned char pixel = 0;
    char path[256], err[256], names[256];
    scratch_path(path, state, "image.png");
    assert_int_equal(write_gray_png(path, &pixel, 0, 1, err, sizeof err), -1);
    assert_ptr_equal(strstr(err, path), err);
    assert_null(strchr(err, '\n'));
    scratch_path(path, state, "missing/image.png");
    assert_int_equal(write_gray_png(path, &pixel, 1, 1, err, sizeof err), -1);
    assert_ptr_equal(strstr(err, path), err);
    assert_non_null(strstr(err, "No such file or directory"));
    /* An error inside libpng (it refuses rows wider than its default limit
     * of 10^6 pixels) comes back through setjmp as one line. */
    scratch_path(path, state, "wide.png");
    assert_int_equal(write_gray_png(path, &pixel, 1000001, 1, err, sizeof err), -1);
    assert_ptr_equal(strstr(err, path), err);
    assert_non_null(strstr(err, "libpng: "));
    assert_null(strchr(err, '\n'));
    list_scratch(state, names, sizeof names);
    assert_string_equal(names, "");
}

/* ---- sample grids ----------------------------------------------------- */

static unsigned char pixel_at(const struct gray_image *image, int x, int y)
{
    return image->pixels[(size_t)y * (size_t)image->width + (size_t)x];
}

/* Three 2 x 3 images, two columns, scale 2:
 *
 *   source columns: [img 0: 3][gap 1][img 1: 3] = 7, then separator 4,
 *   then the right view, 7: 18 source = 36 output pixels wide;
 *   source rows: [row 0: 2][gap 1][row 1: 2] = 5 = 10 output pixels high.
 *
 * The values are multiples of 1/255 in [0, 1], so the clipped view shows
 * them exactly; each image holds 0 and 1, so the min..max view does too. */
static void test_grid_places_and_upscales_images(void **state)
{
    (void)state;
    enum { COUNT = 3, H = 2, W = 3, COLUMNS = 2, SCALE = 2 };
    float images[COUNT * H * W];
    for (int i = 0; i < COUNT; i++)
        for (int p = 0; p < H * W; p++)
            images[i * H * W + p] = p == 0 ? 0 : p == H * W - 1 ? 1 : (float)(10 * i + p) / 255;
    struct gray_image grid;
    char err[256];
    if (compose_sample_grid(images, COUNT, H, W, COLUMNS, SCALE, &grid, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(grid.width, 36);
    assert_int_equal(grid.height, 10);

    /* Every output pixel, from the layout in image_grid.h. */
    const int view_width = COLUMNS * (W + GRID_GAP) - GRID_GAP;
    for (int y = 0; y < grid.height; y++) {
        for (int x = 0; x < grid.width; x++) {
            int source_x = x / SCALE, source_y = y / SCALE;
            int in_view_x = source_x >= view_width + GRID_SEPARATOR
                                ? source_x - view_width - GRID_SEPARATOR
                                : source_x;
            int column = in_view_x / (W + GRID_GAP), image_x = in_view_x % (W + GRID_GAP);
            int row = source_y / (H + GRID_GAP), image_y = source_y % (H + GRID_GAP);
            int index = row * COLUMNS + column;
            bool inside = source_x < view_width ||
                          source_x >= view_width + GRID_SEPARATOR;
            unsigned char want = GRID_GAP_LEVEL;
            if (inside && image_x < W && image_y < H && index < COUNT)
                want = (unsigned char)lroundf(images[index * H * W + image_y * W + image_x] * 255);
            if (pixel_at(&grid, x, y) != want)
                fail_msg("pixel (%d, %d) is %d, want %d", x, y, pixel_at(&grid, x, y), want);
        }
    }
    /* The same, spelled out at a few places. */
    assert_int_equal(pixel_at(&grid, 0, 0), 0);                  /* image 0, pixel (0, 0) */
    assert_int_equal(pixel_at(&grid, 5, 3), 255);                /* its last, upscaled */
    assert_int_equal(pixel_at(&grid, 6, 0), GRID_GAP_LEVEL);     /* gap after image 0 */
    assert_int_equal(pixel_at(&grid, 10, 1), 11);                /* image 1, pixel (1, 0) */
    assert_int_equal(pixel_at(&grid, 2, 6), 21);                 /* image 2 on row 1 */
    assert_int_equal(pixel_at(&grid, 10, 8), GRID_GAP_LEVEL);    /* the empty cell */
    assert_int_equal(pixel_at(&grid, 14, 0), GRID_GAP_LEVEL);    /* separator, 8 wide */
    assert_int_equal(pixel_at(&grid, 21, 9), GRID_GAP_LEVEL);
    assert_int_equal(pixel_at(&grid, 22 + 2, 0), 1);             /* right view, image 0 */
    free_gray_image(&grid);
}

/* One image of the given values in a single row, scale 1: the left view is
 * x = 0 .. n-1, the right view starts at n + GRID_SEPARATOR. */
static void compose_row(const float *values, int n, struct gray_image *grid)
{
    char err[256];
    if (compose_sample_grid(values, 1, 1, n, 1, 1, grid, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(grid->width, 2 * n + GRID_SEPARATOR);
    assert_int_equal(grid->height, 1);
}

static void test_grid_clipped_view_clips_and_rounds(void **state)
{
    (void)state;
    const float values[] = { -0.5f, 0, 0.5f, 1, 1.5f, NAN, INFINITY, -INFINITY, 0.1f };
    const unsigned char want[] = { 0, 0, 128, 255, 255, 0, 255, 0, 26 };
    enum { N = sizeof values / sizeof values[0] };
    struct gray_image grid;
    compose_row(values, N, &grid);
    assert_memory_equal(grid.pixels, want, N);
    free_gray_image(&grid);
}

static void test_grid_min_max_view_stretches_each_image(void **state)
{
    (void)state;
    /* -1 .. 3 maps to 0 .. 255; 0 is 63.75, 2 is 191.25. */
    const float values[] = { -1, 0, 1, 2, 3 };
    const unsigned char stretched[] = { 0, 64, 128, 191, 255 };
    const unsigned char clipped[] = { 0, 0, 255, 255, 255 };
    struct gray_image grid;
    compose_row(values, 5, &grid);
    assert_memory_equal(grid.pixels + 5 + GRID_SEPARATOR, stretched, 5);
    assert_memory_equal(grid.pixels, clipped, 5);
    free_gray_image(&grid);

    /* Infinities and NaN do not count as the range, and are clipped. */
    const float odd[] = { 10, NAN, 20, INFINITY, -INFINITY, 15 };
    const unsigned char odd_stretched[] = { 0, 0, 255, 255, 0, 128 };
    compose_row(odd, 6, &grid);
    assert_memory_equal(grid.pixels + 6 + GRID_SEPARATOR, odd_stretched, 6);
    free_gray_image(&grid);

    /* A constant image is black (in the clipped view it is what it is). */
    const float constant[] = { 0.5f, 0.5f, 0.5f };
    const unsigned char black[] = { 0, 0, 0 }, mid_gray[] = { 128, 128, 128 };
    compose_row(constant, 3, &grid);
    assert_memory_equal(grid.pixels + 3 + GRID_SEPARATOR, black, 3);
    assert_memory_equal(grid.pixels, mid_gray, 3);
    free_gray_image(&grid);
}

static void test_grid_rejects_bad_arguments(void **state)
{
    (void)state;
    float value = 0;
    struct gray_image grid;
    char err[256];
    assert_int_equal(compose_sample_grid(&value, 0, 28, 28, 8, 3, &grid, err, sizeof err), -1);
    assert_non_null(strstr(err, "0 images"));
    assert_null(grid.pixels);
    assert_int_equal(compose_sample_grid(&value, 1, 28, 28, 8, 100000, &grid, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "larger than"));
    assert_null(grid.pixels);
}

static void test_sample_grid_png_has_both_views(void **state)
{
    enum { COUNT = 4, SIDE = 4, COLUMNS = 2, SCALE = 3 };
    float images[COUNT * SIDE * SIDE];
    fill_uniform(images, COUNT * SIDE * SIDE, -1, 2, 7);
    char path[256], err[256];
    scratch_path(path, state, "grid.png");
    if (write_sample_grid_png(path, images, COUNT, SIDE, SIDE, COLUMNS, SCALE, err,
                              sizeof err) != 0)
        fail_msg("%s", err);
    struct gray_image grid;
    assert_int_equal(compose_sample_grid(images, COUNT, SIDE, SIDE, COLUMNS, SCALE, &grid, err,
                                         sizeof err), 0);
    struct png_read_back png;
    read_png(path, &png);
    assert_int_equal(png.width, (2 * (COLUMNS * (SIDE + 1) - 1) + GRID_SEPARATOR) * SCALE);
    assert_int_equal(png.height, (2 * (SIDE + 1) - 1) * SCALE);
    assert_int_equal(png.color_type, PNG_COLOR_TYPE_GRAY);
    assert_int_equal(png.width, grid.width);
    assert_int_equal(png.height, grid.height);
    assert_memory_equal(png.pixels, grid.pixels, (size_t)grid.width * grid.height);
    free(png.pixels);
    free_gray_image(&grid);

    scratch_path(path, state, "bad.png");
    assert_int_equal(write_sample_grid_png(path, images, COUNT, SIDE, SIDE, 0, SCALE, err,
                                           sizeof err), -1);
    assert_ptr_equal(strstr(err, path), err);
}

/* A captioned grid is the grid under a band of (FONT_HEIGHT + 4) x
 * (scale - 1) rows, as RGB: the grid's pixels as gray triplets below, the
 * band dark with the caption's white pixels in it. */
static void test_captioned_grid_png_puts_the_caption_above(void **state)
{
    enum { COUNT = 4, SIDE = 4, COLUMNS = 2, SCALE = 3 };
    float images[COUNT * SIDE * SIDE];
    fill_uniform(images, COUNT * SIDE * SIDE, -1, 2, 7);
    char path[256], err[256];
    scratch_path(path, state, "captioned.png");
    if (write_captioned_grid_png(path, "a, seed 1", images, COUNT, SIDE, SIDE, COLUMNS, SCALE, err, sizeof err))
        fail_msg("%s", err);
    struct gray_image grid;
    assert_int_equal(compose_sample_grid(images, COUNT, SIDE, SIDE, COLUMNS, SCALE, &grid, err, sizeof err), 0);
    struct png_read_back png;
    read_png(path, &png);
    const int band = (FONT_HEIGHT + 4) * (SCALE - 1);
    assert_int_equal(png.color_type, PNG_COLOR_TYPE_RGB);
    assert_int_equal(png.width, grid.width);
    assert_int_equal(png.height, grid.height + band);
    for (int i = 0; i < grid.width * grid.height; i++)
        for (int c = 0; c < 3; c++)
            assert_int_equal(png.pixels[((size_t)grid.width * band + i) * 3 + c], grid.pixels[i]);
    int white = 0, other = 0;
    for (int i = 0; i < grid.width * band; i++) {
        white += png.pixels[i * 3] == 255;
        other += png.pixels[i * 3] != 255 && png.pixels[i * 3] != 24;
    }
    assert_true(white > 0);
    assert_int_equal(other, 0);
    free(png.pixels);
    free_gray_image(&grid);
}

/* ---- progress --------------------------------------------------------- */

/* Runs two epochs of four steps of batch 64, a step every 0.0625 s (times
 * exact in binary), with the redrawn line on or off; returns the output. */
static char *run_progress(bool redraw)
{
    char *text;
    size_t size;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    struct progress progress;
    progress_start(&progress, out, "skip", 2, 4, 64, 100.0);
    assert_false(progress.redraw); /* a memory stream is not a terminal */
    progress.redraw = redraw;
    double now = 100.0;
    for (int epoch = 1; epoch <= 2; epoch++) {
        for (int step = 1; step <= 4; step++) {
            now += 0.0625;
            progress_step(&progress, epoch, step, 0.5 / epoch + 0.125 * step, now);
        }
        progress_epoch_end(&progress, epoch, 0.75 / epoch, 0.25, 0.5);
    }
    fclose(out);
    return text;
}

static void test_progress_off_a_terminal_prints_one_line_per_epoch(void **state)
{
    (void)state;
    char *text = run_progress(false);
    assert_string_equal(text,
                        "skip  epoch 1/2  noise loss 0.7500  image loss 0.2500  0.5 s  512 img/s\n"
                        "skip  epoch 2/2  noise loss 0.3750  image loss 0.2500  0.5 s  512 img/s\n");
    free(text);
}

static void test_progress_on_a_terminal_redraws_a_throttled_line(void **state)
{
    (void)state;
    char *text = run_progress(true);
    /* Steps end at 0.0625 s, 0.125 s, ...: the first draws, then every
     * second one (0.0625 s apart is under PROGRESS_REDRAW_SECONDS). The
     * loss is this epoch's mean so far; img/s and ETA are over the run:
     * 1024 img/s, and 0.0625 s per remaining step. */
    assert_string_equal(
        text,
        "\rskip  epoch 1/2  step 1/4  loss 0.6250  1024 img/s  ETA 00:00\033[K"
        "\rskip  epoch 1/2  step 3/4  loss 0.7500  1024 img/s  ETA 00:00\033[K"
        "\r\033[K"
        "skip  epoch 1/2  noise loss 0.7500  image loss 0.2500  0.5 s  512 img/s\n"
        "\rskip  epoch 2/2  step 1/4  loss 0.3750  1024 img/s  ETA 00:00\033[K"
        "\rskip  epoch 2/2  step 3/4  loss 0.5000  1024 img/s  ETA 00:00\033[K"
        "\r\033[K"
        "skip  epoch 2/2  noise loss 0.3750  image loss 0.2500  0.5 s  512 img/s\n");
    free(text);
}

static void test_progress_eta_and_clear(void **state)
{
    (void)state;
    char *text;
    size_t size;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    struct progress progress;
    progress_start(&progress, out,
                   "a-label-longer-than-95-characters-a-label-longer-than-95-characters-"
                   "a-label-longer-than-95-chars",
                   10, 100, 64, 0);
    progress.redraw = true;
    progress_step(&progress, 1, 1, 1.0, 2.0); /* 2 s per step, 999 to go: 33:18 */
    progress_clear(&progress);
    progress_clear(&progress); /* nothing shown any more: prints nothing */
    fclose(out);
    assert_string_equal(text, "\ra-label-longer-than-95-characters-a-label-longer-than-95-characters-"
                              "a-label-longer-than-95-char  epoch 1/10  step 1/100  "
                              "loss 1.0000  32 img/s  ETA 33:18\033[K\r\033[K");
    free(text);
}

#define SCRATCH_TEST(f) cmocka_unit_test_setup_teardown(f, make_scratch, remove_scratch)

size_t output_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        SCRATCH_TEST(test_write_file_atomic_creates_and_replaces),
        SCRATCH_TEST(test_write_file_atomic_gives_new_files_the_default_mode),
        SCRATCH_TEST(test_write_file_atomic_into_a_missing_directory_fails),
        SCRATCH_TEST(test_write_file_atomic_failing_write_keeps_the_old_file),
        SCRATCH_TEST(test_atomic_file_failing_write_is_reported_by_commit),
        SCRATCH_TEST(test_atomic_file_streams_then_commits),
        SCRATCH_TEST(test_atomic_file_abort_keeps_the_old_file),
        SCRATCH_TEST(test_make_directories_creates_parents),
        SCRATCH_TEST(test_make_directories_names_a_file_in_the_way),
        SCRATCH_TEST(test_gray_png_reads_back_exactly),
        SCRATCH_TEST(test_gray_png_reports_errors_in_one_line),
        cmocka_unit_test(test_grid_places_and_upscales_images),
        cmocka_unit_test(test_grid_clipped_view_clips_and_rounds),
        cmocka_unit_test(test_grid_min_max_view_stretches_each_image),
        cmocka_unit_test(test_grid_rejects_bad_arguments),
        cmocka_unit_test_setup_teardown(test_captioned_grid_png_puts_the_caption_above, make_scratch, remove_scratch),
        SCRATCH_TEST(test_sample_grid_png_has_both_views),
        cmocka_unit_test(test_progress_off_a_terminal_prints_one_line_per_epoch),
        cmocka_unit_test(test_progress_on_a_terminal_redraws_a_throttled_line),
        cmocka_unit_test(test_progress_eta_and_clear),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
