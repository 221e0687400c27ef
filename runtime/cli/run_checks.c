/* The checks an experiment run makes before its run directory exists
 * (run_checks.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/base/files.h"
#include "runtime/cli/run_checks.h"
#include "runtime/diffusion/checkpoint_model.h"
#include "runtime/diffusion/train_budget.h"

#define MIB (1024.0 * 1024.0)
#define GIB (1024.0 * MIB)
#define MEMORY_LIMIT_MAX_MIB (1LL << 30) /* 1 PiB: more than any machine has */

int run_checks_option(int argc, char **argv, int *i, struct run_checks *c, char *err, size_t errlen)
{
    const char *arg = argv[*i];
    if (strcmp(arg, "--allow-unverified-data") == 0) {
        c->allow_unverified_data = 1;
        return 1;
    }
    if (strcmp(arg, "--memory-limit") != 0)
        return 0;
    if (*i + 1 >= argc) {
        snprintf(err, errlen, "option '--memory-limit' needs a value");
        return -1;
    }
    const char *value = argv[++*i];
    char *end;
    errno = 0;
    const long long mib = strtoll(value, &end, 10);
    if (errno || end == value || *end || mib < 1 || mib > MEMORY_LIMIT_MAX_MIB) {
        snprintf(err, errlen, "--memory-limit takes MiB, a whole number from 1 to %lld, got '%s'",
                 MEMORY_LIMIT_MAX_MIB, value);
        return -1;
    }
    c->memory_limit_mib = mib;
    return 1;
}

/* The limit in bytes, and in words where it comes from. */
static double memory_limit(const struct run_checks *c, char *source, size_t size)
{
    if (c->memory_limit_mib) {
        snprintf(source, size, "the --memory-limit");
        return (double)c->memory_limit_mib * MIB;
    }
    const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    snprintf(source, size, "the limit, %.0f%% of the physical memory (--memory-limit MIB sets another)",
             100 * RUN_CHECKS_MEMORY_SHARE);
    if (pages <= 0 || page_size <= 0)
        return 1e300; /* unknown: no limit */
    return RUN_CHECKS_MEMORY_SHARE * (double)pages * (double)page_size;
}

/* bytes as "1.5 GiB", or "12 MiB" below a GiB, into out. */
static const char *format_bytes(double bytes, char *out, size_t size)
{
    if (bytes >= GIB)
        snprintf(out, size, "%.1f GiB", bytes / GIB);
    else
        snprintf(out, size, "%.0f MiB", bytes / MIB);
    return out;
}

static int check_memory(const struct experiment *e, const struct run_checks *c, char *err, size_t errlen)
{
    char source[128];
    const double limit = memory_limit(c, source, sizeof source);
    for (int i = 0; i < e->variant_count; i++) {
        const struct variant *v = &e->variants[i];
        struct train_memory m;
        const double needed = train_memory_estimate(v, SAMPLE_BATCH, &m);
        if (needed <= limit)
            continue;
        char total[32], copies[32], activations[32], limit_text[32];
        return path_error(err, errlen, e->path, "variant %s: training needs about %s (%zu parameters x 4 bytes x %d "
                          "copies: %s; activations at train.batch_size %d: %s), more than %s: %s", v->name,
                          format_bytes(needed, total, sizeof total), v->graph.param_floats, m.copies,
                          format_bytes(m.parameter_bytes, copies, sizeof copies), v->train.batch_size,
                          format_bytes(m.activation_bytes, activations, sizeof activations), source,
                          format_bytes(limit, limit_text, sizeof limit_text));
    }
    return 0;
}

/* Every MNIST file hashed; a digest that is not the listed one refused
 * unless c allows it. */
static int check_data(const char *data_dir, const struct run_checks *c, struct mnist_file_digest *digests,
                      char *err, size_t errlen)
{
    for (int i = 0; i < MNIST_FILE_COUNT; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", data_dir, mnist_files[i].name) >= sizeof path)
            return path_error(err, errlen, data_dir, "path too long");
        if (mnist_content_sha256(path, digests[i].sha256, err, errlen))
            return -1;
        digests[i].verified = strcmp(digests[i].sha256, mnist_files[i].sha256) == 0;
        if (!digests[i].verified && !c->allow_unverified_data)
            return path_error(err, errlen, path, "not the MNIST file runtime/base/mnist.sha256 lists: the SHA-256 "
                              "of its content is %s, expected %s (make data fetches it again; "
                              "--allow-unverified-data runs on it anyway)", digests[i].sha256,
                              mnist_files[i].sha256);
    }
    return 0;
}

/* Every variant's batch fits its training images. */
static int check_batches(const struct experiment *e, char *err, size_t errlen)
{
    for (int i = 0; i < e->variant_count; i++) {
        const struct variant *v = &e->variants[i];
        const size_t images = variant_training_count(v);
        char cut[64] = "";
        if (v->train.max_images > 0)
            snprintf(cut, sizeof cut, ", train.max_images %ld", (long)v->train.max_images);
        if ((size_t)v->train.batch_size > images)
            return path_error(err, errlen, e->path, "variant %s: train.batch_size %d is larger than its %zu "
                              "training images (train.dataset %s%s): no training step would run", v->name,
                              v->train.batch_size, images, v->train.dataset, cut);
    }
    return 0;
}

int run_checks(const struct experiment *e, const char *data_dir, const struct run_checks *c,
               struct mnist_file_digest *digests, char *err, size_t errlen)
{
    return check_batches(e, err, errlen) || check_memory(e, c, err, errlen) ||
                   check_data(data_dir, c, digests, err, errlen)
               ? -1
               : 0;
}
