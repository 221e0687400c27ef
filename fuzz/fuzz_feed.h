/* fuzz_feed.h: what each fuzz target does with one input, shared by the
 * libFuzzer targets (fuzz/fuzz_*.c) and the regression test that replays
 * their kept inputs (tests/test_fuzz_regressions.c).
 *
 * The readers take paths, so each feed (but the experiment's, whose loader
 * also takes text) writes the input as the file(s) its
 * reader reads, in a directory of the process's own under $TMPDIR (made on
 * first use, removed at exit), and calls the reader(s) on them.
 *
 * Each returns how many reads succeeded, or -1 when a reader failed without
 * leaving ONE line in err that starts with the path it was given (the
 * project's rule for bad input); that case is also printed to stderr. */
#ifndef DDIM_FUZZ_FEED_H
#define DDIM_FUZZ_FEED_H

#include <stddef.h>
#include <stdint.h>

/* The input is an IDX file's content. It is written gzip-compressed (what
 * the IDX checks see) and as is (what the gzip checks see); each file goes
 * to mnist_load_images and mnist_load_labels, the raw one also to
 * mnist_verify_file. */
int feed_mnist_idx(const uint8_t *data, size_t size);

/* The input is a checkpoint whose last 4 bytes are replaced by the CRC-32
 * of the rest (mutations would almost never keep the CRC right, and past
 * the CRC check is where the parsing is); checkpoint_read, then every byte
 * of every section is read. */
int feed_checkpoint(const uint8_t *data, size_t size);

/* The input is a classifier file, its CRC set as feed_checkpoint's; it
 * goes to classifier_load. */
int feed_classifier_file(const uint8_t *data, size_t size);

/* The input is a run directory's CSV files joined by NUL bytes (text holds
 * none): variants.csv, results.csv, timing.csv, metrics.csv in that order,
 * the files past the last piece absent; it goes to report_load. */
int feed_report_csv(const uint8_t *data, size_t size);

/* The input is an experiment file's text; it goes to experiment_load_text
 * under the name <the feeds' directory>/experiment.lua, beside which a
 * link `lib` to experiments/lib lets `require "lib.unet"` work as in
 * experiments/ (the feed runs from the repository's top). The Lua limits
 * are 1 s and 256 MiB (DDIM_LUA_SECONDS, DDIM_LUA_MEMORY_MIB, restored
 * after), so that a loop costs a second and libFuzzer's memory limit is
 * never the one reached. */
int feed_experiment(const uint8_t *data, size_t size);

#endif
