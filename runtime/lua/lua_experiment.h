/* lua_experiment.h: the experiment half of the `ddim` Lua module:
 * ddim.experiment{...}, which checks an experiment table where the script
 * writes it, and its resolution into struct variant once the script has run. */
#ifndef DDIM_LUA_EXPERIMENT_H
#define DDIM_LUA_EXPERIMENT_H

#include <lua.h>
#include "runtime/config/config.h"

/* Adds `experiment` to the module table on top of the stack. */
void ddim_experiment_register(lua_State *L);

/* Resolves what the script at path returned (the value at index, which
 * must come from ddim.experiment) for options. Pushes three values:
 *   1. a userdata holding the kept variants as struct variant[], every
 *      setting filled, graphs still empty;
 *   2. the list of their models, in the same order (for ddim_model_move);
 *   3. the resolved config as Lua source.
 * The experiment's name goes to name, its seeds (options', else the file's
 * `seeds`; none: every variant runs once at its own train.seed) to seeds
 * (EXPERIMENT_MAX_SEEDS of room) and their number to seed_count. Raises "path: ..." on an error. */
void ddim_experiment_resolve(lua_State *L, int index, const char *path, const struct experiment_options *options,
                             char *name, size_t name_size, uint64_t *seeds, int *seed_count);

#endif
