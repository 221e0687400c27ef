/* lua_experiment.h: the experiment half of the `ddim` Lua module.
 * ddim.experiment{...} reads the experiment table once, where the script
 * writes it: it checks every part of it (so that a mistake is reported at
 * the "file.lua:LINE:" of the call) and resolves every variant's settings
 * for the command line's options at the same time. What the loader needs
 * then waits in the returned experiment, as a struct resolution. */
#ifndef DDIM_LUA_EXPERIMENT_H
#define DDIM_LUA_EXPERIMENT_H

#include <lua.h>
#include "runtime/config/config.h"

/* What ddim.experiment resolves for: the command line's options, its
 * messages about them starting "path: ". */
struct experiment_request {
    const char *path;
    const struct experiment_options *options;
};

/* An experiment as ddim.experiment resolved it. */
struct resolution {
    char name[64];                  /* its `name`, or "" (the loader then takes the file's) */
    int seed_count;                 /* the options' seeds, else the file's (0: none, see config.h) */
    uint64_t seeds[EXPERIMENT_MAX_SEEDS];
    int *kept, kept_count;          /* the indices of the variants that run, in order: all, or those whose
                                     * names --variant's pattern matches (fnmatch: 'full_*') */
    int count;
    struct variant variants[];      /* count: every setting filled, graphs still empty */
};

/* Adds `experiment` to the module table on top of the stack. */
void ddim_experiment_register(lua_State *L);

/* What ddim.experiment resolves for now, or NULL. */
const struct experiment_request *ddim_experiment_request(lua_State *L);

/* Sets (request not NULL) or clears what ddim.experiment resolves for, and
 * returns the previous request. Without one it resolves for no options:
 * so does ddim.model_of's experiment, whatever the command line. The
 * request must outlive the calls it serves. */
const struct experiment_request *ddim_experiment_set_request(lua_State *L, const struct experiment_request *request);

/* The resolution of the value at index when ddim.experiment made it,
 * pushed with the list of the models of its variants (in order; those of
 * the kept variants resolved, for ddim_model_move), else raises "<path>: the script must return
 * ddim.experiment{...}, got <type>". */
const struct resolution *ddim_experiment_resolution(lua_State *L, int index, const char *path);

/* The longest file name ddim.model_of takes, with its NUL: as struct experiment's path. */
#define DDIM_MODEL_FILE_SIZE sizeof ((struct experiment *)0)->path

/* Adds `model_of` to the module table on top of the stack (lua_model_of.c). */
void ddim_model_of_register(lua_State *L);

/* Whether the value at index is what ddim.model_of returns: a reference
 * to a model, which ddim_resolve_model turns into the model. */
int ddim_is_model_ref(lua_State *L, int index);
/* Replaces the value at index, when it is a ddim.model_of reference, by
 * the model it names (running its file on first use); raises "where the
 * reference was made: ddim.model_of: ..." when there is none. */
void ddim_resolve_model(lua_State *L, int index);

/* Pushes the file and the variant whose model ddim.model_of handed out as
 * the model at index; for any other model, file and variant themselves. */
void ddim_push_model_source(lua_State *L, int model, const char *file, const char *variant);

/* Pushes the resolved config of the kept variants of r (their models in
 * the list at index models, as ddim_experiment_resolution pushes it) as Lua
 * source (lua_resolved.c): name is the experiment's, path its file,
 * options what changed it. */
void ddim_push_resolved_source(lua_State *L, const struct resolution *r, int models, const char *name,
                               const char *path, const struct experiment_options *options);

#endif
