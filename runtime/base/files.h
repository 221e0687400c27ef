/* files.h: writing output files so that they are either complete or absent.
 *
 * A result file that a crash, a kill or a full disk cut in half is worse
 * than none: it looks like a result. So every output goes to a temporary
 * file in the target's directory (".name.tmp.<unique>"), is flushed to the
 * disk with fsync, and is then renamed over the target. rename(2) within one
 * directory is atomic: a reader sees the old file or the new one, never a
 * mixture, and on any error the old file (if any) is left as it was and the
 * temporary file is removed.
 *
 * The new file gets the mode a freshly created file would (0666 minus the
 * umask), whatever the mode of the file it replaces.
 *
 * Functions that take err return 0 on success, or -1 after writing ONE line
 * to err (at most errlen bytes) that names the path and the problem, e.g.
 * "runs/x/results.csv: writing: No space left on device". */
#ifndef DDIM_FILES_H
#define DDIM_FILES_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

/* Writes "path: message" (message printf-formatted) to err and returns -1,
 * so that callers can `return path_error(...)`. */
int path_error(char *err, size_t errlen, const char *path, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* Creates the directory path and any missing parents, like `mkdir -p`.
 * Directories that already exist are fine. */
int make_directories(const char *path, char *err, size_t errlen);

/* The directory of the running executable (from /proc/self/exe) in out,
 * e.g. "/usr/local/bin"; 0, or -1 when it cannot be known or does not fit. */
int executable_dir(char *out, size_t size);

/* Reads the whole file at path into *text (malloc'd, NUL-terminated), its
 * length in *size. */
int read_text_file(const char *path, char **text, size_t *size, char *err, size_t errlen);

/* Replaces (or creates) the file at path with the size bytes at data. */
int write_file_atomic(const char *path, const void *data, size_t size, char *err, size_t errlen);

/* The streaming form, for outputs written piece by piece:
 *
 *     struct atomic_file file;
 *     if (atomic_file_open(&file, path, err, errlen) != 0)
 *         return -1;
 *     atomic_file_printf(&file, "epoch,loss\n");
 *     ...
 *     return atomic_file_commit(&file, err, errlen);
 *
 * Write errors are remembered rather than reported: after the first one
 * every write does nothing, and commit fails naming that error. So a caller
 * may ignore what write and printf return and check commit alone. Every
 * opened file must end in a commit or an abort, which close it; an abort
 * after a commit or after a failed open does nothing, so a cleanup path may
 * always call it. */
struct atomic_file {
    FILE *stream;                   /* the temporary file, open for writing */
    int error;                      /* errno of the first failed write, else 0 */
    char path[PATH_MAX];            /* the target */
    char temp_path[PATH_MAX];       /* the temporary file next to it */
};

int atomic_file_open(struct atomic_file *file, const char *path, char *err, size_t errlen);

/* Both return 0, or -1 when this or an earlier write failed. */
int atomic_file_write(struct atomic_file *file, const void *data, size_t size);
int atomic_file_printf(struct atomic_file *file, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Flushes, fsyncs and renames the temporary file over the target. On
 * failure the temporary file is removed and the target left untouched. */
int atomic_file_commit(struct atomic_file *file, char *err, size_t errlen);

/* Closes and removes the temporary file; the target is left untouched. */
void atomic_file_abort(struct atomic_file *file);

#endif
