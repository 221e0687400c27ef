/* run_checks.h: what an experiment run checks before it loads anything and
 * before its run directory exists, so that a run that cannot work writes
 * nothing and says why in one line naming the file at fault, in this order:
 *   batches     every variant's train.batch_size is at most its training images (train.max_images,
 *               else its train.dataset's size): a bigger one made no step, a loss of NaN
 *   memory      every variant's training (train_budget.h) fits the memory limit: --memory-limit MIB,
 *               else RUN_CHECKS_MEMORY_SHARE of the physical memory; a variant far too big is
 *               refused in milliseconds, before its parameters are allocated
 *   data        the four MNIST files' contents hash to the digests runtime/base/mnist.sha256 lists,
 *               unless --allow-unverified-data (the digests go into meta.json either way)
 * Nothing is cached across processes: every run hashes the files again
 * (inflating and hashing their 55 MB takes about 0.5 s of one core). */
#ifndef DDIM_RUN_CHECKS_H
#define DDIM_RUN_CHECKS_H

#include <stddef.h>
#include "runtime/base/mnist.h"
#include "runtime/config/config.h"

#define RUN_CHECKS_MEMORY_SHARE 0.8   /* of the physical memory: the default limit */

struct run_checks {
    long long memory_limit_mib;   /* 0: RUN_CHECKS_MEMORY_SHARE of the physical memory */
    int allow_unverified_data;
};

/* When argv[*i] is one of the checks' flags (--memory-limit MIB,
 * --allow-unverified-data), takes it (and its value, moving *i past it)
 * into c and returns 1; returns 0 for another argument, and -1 with a line
 * in err for a bad value. */
int run_checks_option(int argc, char **argv, int *i, struct run_checks *c, char *err, size_t errlen);

/* Before anything is loaded: every variant of e has at least
 * train.batch_size training images and fits the memory limit, and the
 * MNIST files in data_dir are verified (their digests into digests,
 * MNIST_FILE_COUNT of them, in mnist_files' order). Returns 0, or -1 with
 * one line in err naming the file at fault (e's, or the data file). */
int run_checks(const struct experiment *e, const char *data_dir, const struct run_checks *c,
               struct mnist_file_digest *digests, char *err, size_t errlen);

#endif
