/* info.h: `ddim-lab info`, a report on this build, this machine and the data. */
#ifndef DDIM_INFO_H
#define DDIM_INFO_H

#include <stdio.h>
#include "kernels/kernels.h"

/* Prints the compiler, the CPU features, the kernel ISAs available and the
 * chosen one, the library versions, and for each MNIST file in data_dir
 * whether it is present and verified. Returns the number of files present
 * whose content is not the canonical one (a missing file does not count). */
int info_print(FILE *out, const struct kernels *chosen, const char *data_dir);

/* Pieces of it, for a run's meta.json: the compiler ("gcc 12.2.0"), the
 * libraries ("Lua 5.4.4, libpng 1.6.39, zlib 1.2.13, SLEEF 3.5.1") and the
 * CPU's model name from /proc/cpuinfo ("unknown" where it has none). */
const char *info_compiler(void);
void info_libraries(char *buf, size_t size);
void info_cpu_model(char *buf, size_t size);

#endif
