/* Atomic output files: write a temporary file, fsync it, rename it over the
 * target (see files.h for why). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "runtime/base/files.h"

/* How many names to try before giving up when temporary names collide
 * (they only do if another process picked the same name at the same time). */
#define TEMP_NAME_ATTEMPTS 100


int path_error(char *err, size_t errlen, const char *path, const char *format, ...)
{
    int used = snprintf(err, errlen, "%s: ", path);
    if (used >= 0 && (size_t)used < errlen) {
        va_list args;
        va_start(args, format);
        vsnprintf(err + used, errlen - (size_t)used, format, args);
        va_end(args);
    }
    return -1;
}

int make_directories(const char *path, char *err, size_t errlen)
{
    size_t length = strlen(path);
    if (length == 0)
        return path_error(err, errlen, "(empty path)", "cannot create a directory without a name");
    if (length >= PATH_MAX)
        return path_error(err, errlen, path, "path too long");
    char prefix[PATH_MAX];
    memcpy(prefix, path, length + 1);
    /* Each prefix ending before a '/' (or at the end) is one directory to
     * create, parents first; "a//b" and a trailing '/' add nothing. */
    for (size_t end = 1; end <= length; end++) {
        if (end < length && (path[end] != '/' || path[end - 1] == '/'))
            continue;
        prefix[end] = '\0';
        if (mkdir(prefix, 0777) != 0) {
            /* EEXIST is the usual "already there", but an existing directory
             * can also fail with EACCES or EROFS: look at what is there. */
            int error = errno;
            struct stat status;
            if (stat(prefix, &status) == 0) {
                if (!S_ISDIR(status.st_mode))
                    return path_error(err, errlen, prefix, "exists and is not a directory");
            } else {
                return path_error(err, errlen, prefix, "cannot create directory: %s", strerror(error));
            }
        }
        prefix[end] = path[end];
    }
    return 0;
}

/* Creates and opens a new file next to path, named ".<name>.tmp.<pid>.<n>",
 * where n comes from the clock so that retries differ. O_EXCL makes the
 * creation fail rather than reuse an existing file. (mkstemp would do, but
 * it creates files with mode 0600; open applies the umask to 0666, which
 * gives the mode any new file would have.) Returns the descriptor or -1
 * with errno set. */
static int create_temp_file(const char *path, char temp_path[PATH_MAX])
{
    const char *slash = strrchr(path, '/');
    int dir_length = slash ? (int)(slash - path + 1) : 0; /* keeps the '/' */
    const char *name = path + dir_length;
    for (int attempt = 0; attempt < TEMP_NAME_ATTEMPTS; attempt++) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        uint32_t unique = (uint32_t)now.tv_nsec ^ (uint32_t)attempt * 2654435761u;
        int n = snprintf(temp_path, PATH_MAX, "%.*s.%s.tmp.%ld.%08x", dir_length, path, name,
                         (long)getpid(), (unsigned)unique);
        if (n < 0 || n >= PATH_MAX) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1; /* errno is EEXIST */
}

/* After a rename, the directory entry is only durable once the directory
 * itself is synced. This is best effort: the file is already in place, and
 * some file systems do not support fsync on a directory. */
static void sync_parent_directory(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == path)
        strcpy(dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int atomic_file_open(struct atomic_file *file, const char *path, char *err, size_t errlen)
{
    /* An empty temp_path means "nothing to remove": abort after a failed
     * open or after a commit does nothing. */
    file->stream = NULL;
    file->error = 0;
    file->temp_path[0] = '\0';
    size_t length = strlen(path);
    if (length == 0)
        return path_error(err, errlen, "(empty path)", "cannot write a file without a name");
    if (length >= sizeof file->path)
        return path_error(err, errlen, path, "path too long");
    memcpy(file->path, path, length + 1);
    int fd = create_temp_file(path, file->temp_path);
    if (fd < 0) {
        int error = errno;
        file->temp_path[0] = '\0';
        return path_error(err, errlen, path, "cannot create a temporary file next to it: %s",
                      strerror(error));
    }
    file->stream = fdopen(fd, "wb");
    if (!file->stream) {
        int error = errno;
        close(fd);
        unlink(file->temp_path);
        file->temp_path[0] = '\0';
        return path_error(err, errlen, path, "cannot open a stream: %s", strerror(error));
    }
    return 0;
}

/* Remembers the first error; a failed stdio call that left errno at 0
 * still failed, and EIO says so. */
static int fail(struct atomic_file *file)
{
    if (!file->error)
        file->error = errno ? errno : EIO;
    return -1;
}

int atomic_file_write(struct atomic_file *file, const void *data, size_t size)
{
    if (file->error)
        return -1;
    errno = 0;
    if (fwrite(data, 1, size, file->stream) != size)
        return fail(file);
    return 0;
}

int atomic_file_printf(struct atomic_file *file, const char *format, ...)
{
    if (file->error)
        return -1;
    va_list args;
    va_start(args, format);
    errno = 0;
    int written = vfprintf(file->stream, format, args);
    va_end(args);
    return written < 0 ? fail(file) : 0;
}

/* Fault injection for the tests of resuming (tests/test_resume.c): with
 * DDIM_FAULT_KILL_AT_COMMIT=N in the environment, the process kills itself
 * with SIGKILL in its Nth commit, when the temporary file is complete on
 * the disk but not yet renamed: the worst moment for a kill. */
static void fault_kill_at_commit(void)
{
    static long commits, kill_at = -1;
    if (kill_at < 0) {
        const char *value = getenv("DDIM_FAULT_KILL_AT_COMMIT");
        kill_at = value ? strtol(value, NULL, 10) : 0;
    }
    if (kill_at > 0 && ++commits == kill_at)
        raise(SIGKILL);
}

int atomic_file_commit(struct atomic_file *file, char *err, size_t errlen)
{
    /* stdio buffers, so a full disk may only show in fflush or fclose. */
    const char *stage = "writing";
    errno = 0;
    if (!file->error && fflush(file->stream) != 0)
        fail(file);
    if (!file->error && fsync(fileno(file->stream)) != 0) {
        stage = "fsync";
        fail(file);
    }
    errno = 0;
    if (fclose(file->stream) != 0 && !file->error) {
        stage = "closing";
        fail(file);
    }
    file->stream = NULL;
    if (!file->error)
        fault_kill_at_commit();
    if (!file->error && rename(file->temp_path, file->path) != 0) {
        stage = "renaming the temporary file over it";
        fail(file);
    }
    if (file->error) {
        unlink(file->temp_path);
        file->temp_path[0] = '\0';
        return path_error(err, errlen, file->path, "%s: %s", stage, strerror(file->error));
    }
    file->temp_path[0] = '\0';
    sync_parent_directory(file->path);
    return 0;
}

void atomic_file_abort(struct atomic_file *file)
{
    if (file->stream)
        fclose(file->stream);
    file->stream = NULL;
    if (file->temp_path[0])
        unlink(file->temp_path);
    file->temp_path[0] = '\0';
}

int write_file_atomic(const char *path, const void *data, size_t size, char *err, size_t errlen)
{
    struct atomic_file file;
    if (atomic_file_open(&file, path, err, errlen) != 0)
        return -1;
    atomic_file_write(&file, data, size); /* a failure shows in commit */
    return atomic_file_commit(&file, err, errlen);
}

/* The whole file at path in *text (NUL-terminated), its length in *size. */
int read_text_file(const char *path, char **text, size_t *size, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return path_error(err, errlen, path, "%s", strerror(errno));
    long length = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    rewind(f);
    *text = length >= 0 ? malloc((size_t)length + 1) : NULL;
    int ok = *text && fread(*text, 1, (size_t)length, f) == (size_t)length;
    fclose(f);
    if (!ok)
        return path_error(err, errlen, path, "cannot read it");
    (*text)[length] = '\0';
    *size = (size_t)length;
    return 0;
}

int executable_dir(char *out, size_t size)
{
    const ssize_t length = readlink("/proc/self/exe", out, size);
    if (length <= 0 || (size_t)length >= size)
        return -1;
    out[length] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    return 0;
}
