/* Run-time choice of the kernel table: the best ISA the CPU supports, or the
 * one DDIM_ISA names. The tables are const; nothing here holds state. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "kernels.h"

/* The build defines DDIM_HAVE_<isa> for each ISA it compiles in. */
extern const struct kernels kernels_ref, kernels_avx2, kernels_avx512, kernels_neon;

static int cpu_supports_isa(const char *isa)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (strcmp(isa, "avx512") == 0) /* its sgemm packs with the AVX2 transpose */
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
               __builtin_cpu_supports("fma");
    if (strcmp(isa, "avx2") == 0)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#elif defined(__aarch64__)
    if (strcmp(isa, "neon") == 0)
        return 1; /* Advanced SIMD is mandatory on AArch64. */
#endif
    return strcmp(isa, "ref") == 0;
}

/* Every table compiled in, best first. */
static const struct kernels *const compiled_in[] = {
#ifdef DDIM_HAVE_avx512
    &kernels_avx512,
#endif
#ifdef DDIM_HAVE_avx2
    &kernels_avx2,
#endif
#ifdef DDIM_HAVE_neon
    &kernels_neon,
#endif
    &kernels_ref,
};
#define COMPILED_IN_COUNT (int)(sizeof compiled_in / sizeof compiled_in[0])

const struct kernels *const *kernels_available(int *count)
{
    /* Supported tables form a suffix of compiled_in: each ISA implies the
     * ones after it, so the first supported one starts the list. */
    int first = 0;
    while (!cpu_supports_isa(compiled_in[first]->isa))
        first++;
    *count = COMPILED_IN_COUNT - first;
    return compiled_in + first;
}

const struct kernels *kernels_by_name(const char *isa)
{
    for (int i = 0; i < COMPILED_IN_COUNT; i++)
        if (strcmp(compiled_in[i]->isa, isa) == 0)
            return cpu_supports_isa(isa) ? compiled_in[i] : NULL;
    return NULL;
}

const struct kernels *kernels_select(const char **error)
{
    const char *forced = getenv("DDIM_ISA");
    if (!forced || !*forced) {
        int count;
        return kernels_available(&count)[0];
    }
    const struct kernels *table = kernels_by_name(forced);
    if (!table)
        *error = "DDIM_ISA names an ISA that is unknown, not compiled in, or not supported by this CPU "
                 "(use ref, avx2, avx512 or neon)";
    return table;
}

/* __builtin_cpu_supports takes only string literals, hence the macro. */
#define APPEND_IF_SUPPORTED(feature) \
    if (used < size && __builtin_cpu_supports(feature)) \
        used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? " " : "", feature)

void kernels_cpu_features(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
#if defined(__x86_64__)
    __builtin_cpu_init();
    APPEND_IF_SUPPORTED("sse4.2");
    APPEND_IF_SUPPORTED("avx");
    APPEND_IF_SUPPORTED("fma");
    APPEND_IF_SUPPORTED("avx2");
    APPEND_IF_SUPPORTED("avx512f");
    APPEND_IF_SUPPORTED("avx512bw");
    APPEND_IF_SUPPORTED("avx512vl");
#elif defined(__aarch64__)
    used += (size_t)snprintf(buf, size, "asimd");
#endif
    (void)used;
}
