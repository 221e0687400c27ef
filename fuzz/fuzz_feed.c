/* The fuzz targets' inputs turned into the readers' files (see fuzz_feed.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "fuzz/fuzz_feed.h"
#include "kernels/kernels.h"
#include "runtime/base/checkpoint.h"
#include "runtime/base/mnist.h"
#include "runtime/config/config.h"
#include "runtime/lua/lua_sandbox.h"
#include "runtime/report/report.h"
#include "runtime/scoring/classifier.h"

#define ERR_SIZE 1024
#define PATH_SIZE 1024

/* Every name a feed writes under the directory, the report's directory last
 * so that it is empty when removed. */
static const char *const feed_names[] = {
    "idx.gz", "raw.gz", "checkpoint.ddim", "classifier.ddim",
    "report/variants.csv", "report/results.csv", "report/timing.csv", "report/metrics.csv", "report", "lib",
};
static const char *const report_csv_names[4] = { "variants.csv", "results.csv", "timing.csv", "metrics.csv" };

static char directory[PATH_SIZE / 2];

/* The feeds cannot go on without their files: that is the machine's
 * problem, not the reader's, so it ends the process rather than count as a
 * read. */
static void harness_failure(const char *what, const char *path)
{
    fprintf(stderr, "fuzz feed: %s %s failed\n", what, path);
    abort();
}

static void remove_directory(void)
{
    char path[PATH_SIZE];
    for (size_t i = 0; i < sizeof feed_names / sizeof feed_names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", directory, feed_names[i]);
        remove(path);
    }
    remove(directory);
}

/* path = the feeds' directory / name; the directory is made on first use. */
static char *feed_path(char path[PATH_SIZE], const char *name)
{
    if (!directory[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(directory, sizeof directory, "%s/ddim-fuzz-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
        if (!mkdtemp(directory))
            harness_failure("mkdtemp", directory);
        atexit(remove_directory);
        snprintf(path, PATH_SIZE, "%s/report", directory);
        if (mkdir(path, 0700))
            harness_failure("mkdir", path);
        char lib[PATH_SIZE];
        if (!getcwd(lib, sizeof lib - 32))
            harness_failure("getcwd for", "experiments/lib");
        strcat(lib, "/experiments/lib");
        snprintf(path, PATH_SIZE, "%s/lib", directory);
        if (symlink(lib, path))
            harness_failure("symlink", path);
    }
    snprintf(path, PATH_SIZE, "%s/%s", directory, name);
    return path;
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f))
        harness_failure("writing", path);
}

static void write_gzip(const char *path, const void *data, size_t size)
{
    gzFile gz = gzopen(path, "wb1");
    if (!gz || gzfwrite(data, 1, size, gz) != size || gzclose(gz) != Z_OK)
        harness_failure("gzip-writing", path);
}

/* The input with its last 4 bytes replaced by the little-endian CRC-32 of
 * the bytes before them, as checkpoint_write ends a file. */
static void write_with_crc(const char *path, const uint8_t *data, size_t size)
{
    if (size < 4) {
        write_file(path, data, size);
        return;
    }
    uint8_t *copy = malloc(size);
    if (!copy)
        harness_failure("allocating a copy for", path);
    memcpy(copy, data, size);
    const uLong crc = crc32_z(crc32(0, Z_NULL, 0), copy, size - 4);
    for (int i = 0; i < 4; i++)
        copy[size - 4 + i] = (uint8_t)(crc >> (8 * i));
    write_file(path, copy, size);
    free(copy);
}

/* The reads of one input: how many succeeded, how many failed without one
 * line naming the file. */
struct tally {
    int reads, bad_answers;
};

static void count_answer(struct tally *t, int status, const char *path, const char *err)
{
    if (status == 0) {
        t->reads++;
    } else if (strncmp(err, path, strlen(path)) != 0 || strchr(err, '\n')) {
        fprintf(stderr, "fuzz feed: a failed read of %s said '%s': not one line naming the file\n", path, err);
        t->bad_answers++;
    }
}

static int outcome(const struct tally *t)
{
    return t->bad_answers ? -1 : t->reads;
}

int feed_mnist_idx(const uint8_t *data, size_t size)
{
    char compressed[PATH_SIZE], raw[PATH_SIZE], err[ERR_SIZE];
    write_gzip(feed_path(compressed, "idx.gz"), data, size);
    write_file(feed_path(raw, "raw.gz"), data, size);
    struct tally t = { 0 };
    const char *const paths[2] = { compressed, raw };
    for (int i = 0; i < 2; i++) {
        struct mnist_images images;
        struct mnist_labels labels;
        err[0] = '\0';
        count_answer(&t, mnist_load_images(paths[i], &images, err, sizeof err), paths[i], err);
        mnist_free_images(&images);
        err[0] = '\0';
        count_answer(&t, mnist_load_labels(paths[i], &labels, err, sizeof err), paths[i], err);
        mnist_free_labels(&labels);
    }
    err[0] = '\0';
    count_answer(&t, mnist_verify_file(raw, "0000000000000000000000000000000000000000000000000000000000000000", err,
                                       sizeof err),
                 raw, err);
    return outcome(&t);
}

/* Where read_sections puts what it reads, so that the reads stay. */
static volatile unsigned char section_bytes;

/* Reads every byte of every section, so that the sanitizer sees a section
 * reaching past the bytes the checkpoint holds. */
static void read_sections(const struct checkpoint *c)
{
    for (int i = 0; i < c->count; i++) {
        const unsigned char *bytes = c->sections[i].data;
        for (uint64_t b = 0; b < c->sections[i].size; b++)
            section_bytes ^= bytes[b];
    }
}

int feed_checkpoint(const uint8_t *data, size_t size)
{
    char path[PATH_SIZE], err[ERR_SIZE] = "";
    write_with_crc(feed_path(path, "checkpoint.ddim"), data, size);
    struct checkpoint c;
    struct tally t = { 0 };
    const int status = checkpoint_read(path, &c, err, sizeof err);
    count_answer(&t, status, path, err);
    if (status == 0) {
        read_sections(&c);
        checkpoint_free(&c);
    }
    return outcome(&t);
}

int feed_classifier_file(const uint8_t *data, size_t size)
{
    static const struct kernels *kernels;
    if (!kernels) {
        const char *why = NULL;
        kernels = kernels_select(&why);
        if (!kernels)
            harness_failure("kernels_select:", why);
    }
    char path[PATH_SIZE], err[ERR_SIZE] = "";
    write_with_crc(feed_path(path, "classifier.ddim"), data, size);
    struct classifier c;
    struct tally t = { 0 };
    const int status = classifier_load(&c, path, kernels, err, sizeof err);
    count_answer(&t, status, path, err);
    if (status == 0)
        classifier_free(&c);
    return outcome(&t);
}

int feed_report_csv(const uint8_t *data, size_t size)
{
    char dir[PATH_SIZE], path[PATH_SIZE + 16], err[ERR_SIZE] = "";
    feed_path(dir, "report");
    const uint8_t *piece = data, *const end = data + size;
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, report_csv_names[i]);
        if (!piece) {
            remove(path); /* the input has no piece for this file */
            continue;
        }
        const uint8_t *nul = piece < end ? memchr(piece, '\0', (size_t)(end - piece)) : NULL;
        write_file(path, piece, (size_t)((nul ? nul : end) - piece));
        piece = nul ? nul + 1 : NULL;
    }
    struct report_data d;
    struct tally t = { 0 };
    const int status = report_load(dir, &d, err, sizeof err);
    count_answer(&t, status, dir, err);
    if (status == 0)
        report_free(&d);
    return outcome(&t);
}

/* Sets variable to value for a feed; restore_variable puts the old value back. */
static char *set_variable(const char *variable, const char *value)
{
    const char *old = getenv(variable);
    char *saved = old ? strdup(old) : NULL;
    if ((old && !saved) || setenv(variable, value, 1))
        harness_failure("setting", variable);
    return saved;
}

static void restore_variable(const char *variable, char *saved)
{
    if (saved ? setenv(variable, saved, 1) : unsetenv(variable))
        harness_failure("restoring", variable);
    free(saved);
}

int feed_experiment(const uint8_t *data, size_t size)
{
    char path[PATH_SIZE], err[ERR_SIZE] = "";
    feed_path(path, "experiment.lua");
    char *seconds = set_variable(DDIM_LUA_SECONDS_VARIABLE, "1");
    char *memory = set_variable(DDIM_LUA_MEMORY_VARIABLE, "256");
    struct experiment e;
    struct tally t = { 0 };
    const int status = experiment_load_text(path, (const char *)data, size, NULL, &e, err, sizeof err);
    restore_variable(DDIM_LUA_SECONDS_VARIABLE, seconds);
    restore_variable(DDIM_LUA_MEMORY_VARIABLE, memory);
    count_answer(&t, status, path, err);
    if (status == 0)
        experiment_free(&e);
    return outcome(&t);
}
