#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lua.h>
#include <nettle/version.h>
#include <png.h>
#include <sleef.h>
#include <zlib.h>
#include "runtime/base/info.h"
#include "runtime/base/mnist.h"

/* gcc's __VERSION__ is the bare number; clang's names itself. */
#if defined(__GNUC__) && !defined(__clang__)
#define COMPILER "gcc " __VERSION__
#else
#define COMPILER __VERSION__
#endif

/* Returns how many files failed their check (missing ones do not count). */
static int print_data(FILE *out, const char *data_dir)
{
    int failed = 0;
    fprintf(out, "data:         %s\n", data_dir);
    for (int i = 0; i < MNIST_FILE_COUNT; i++) {
        char path[4096], err[512];
        const char *name = mnist_files[i].name;
        snprintf(path, sizeof path, "%s/%s", data_dir, name);
        if (access(path, F_OK) != 0 && errno == ENOENT)
            fprintf(out, "  %-27s missing (make data fetches it)\n", name);
        else if (mnist_verify_file(path, mnist_files[i].sha256, err, sizeof err) == 0)
            fprintf(out, "  %-27s verified (SHA-256 of the content matches)\n", name);
        else {
            fprintf(out, "  %-27s FAILED: %s\n", name, err);
            failed++;
        }
    }
    return failed;
}

const char *info_compiler(void)
{
    return COMPILER;
}

void info_libraries(char *buf, size_t size)
{
    snprintf(buf, size, "%s, libpng %s, zlib %s, SLEEF %d.%d.%d, nettle %d.%d", LUA_RELEASE,
             png_get_libpng_ver(NULL), zlibVersion(), SLEEF_VERSION_MAJOR, SLEEF_VERSION_MINOR,
             SLEEF_VERSION_PATCHLEVEL, nettle_version_major(), nettle_version_minor());
}

void info_cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(buf, size, "%s", colon + 2);
            buf[strcspn(buf, "\n")] = '\0';
            break;
        }
    }
    if (f)
        fclose(f);
}

int info_print(FILE *out, const struct kernels *chosen, const char *data_dir)
{
    char features[256];
    kernels_cpu_features(features, sizeof features);
    fprintf(out, "ddim-lab %s\n", DDIM_VERSION);
    fprintf(out, "compiler:     %s\n", COMPILER);
    fprintf(out, "cpu features: %s\n", features[0] ? features : "(none detected)");

    int count;
    const struct kernels *const *available = kernels_available(&count);
    fprintf(out, "kernel ISAs:  ");
    for (int i = 0; i < count; i++)
        fprintf(out, "%s ", available[i]->isa);
    fprintf(out, "(compiled in and supported by this CPU, best first)\n");
    const char *forced = getenv("DDIM_ISA");
    fprintf(out, "kernel ISA:   %s (%s)\n", chosen->isa,
            forced && *forced ? "forced by DDIM_ISA" : "the best available");

    char libraries[256];
    info_libraries(libraries, sizeof libraries);
    fprintf(out, "libraries:    %s\n", libraries);
    return print_data(out, data_dir);
}
