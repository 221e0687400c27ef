/* info.h: `ddim-lab info`, a report on this build, this machine and the data. */
#ifndef DDIM_INFO_H
#define DDIM_INFO_H

#include <stdio.h>
#include "kernels/kernels.h"

/* Prints the compiler, the CPU features, the kernel ISAs available and the
 * chosen one, the library versions, and for each MNIST file in data_dir
 * whether it is present and verified. */
void info_print(FILE *out, const struct kernels *chosen, const char *data_dir);

#endif
