/* command_config.h: `ddim-lab config --list` (command_config.c). Declared
 * here rather than in commands.h, which another change owns. */
#ifndef DDIM_COMMAND_CONFIG_H
#define DDIM_COMMAND_CONFIG_H

#include "runtime/cli/commands.h"

/* `ddim-lab config --list`: every config field (path, type, default,
 * accepted values, description) as markdown on stdout, what docs/config.md
 * holds. argv[0] is the first argument after "config". Returns the exit
 * status: 2 for a bad command line. */
int run_config(const struct context *ctx, int argc, char **argv);

#endif
