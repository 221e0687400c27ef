/* lua_settings.h: reading a variant's settings out of Lua tables (the
 * sections train, diffusion and sample of an experiment, a variant or its
 * `quick` table) and out of key.path=value overrides, every value set
 * through config_fields.h; and the one-line errors about them, at the
 * "file.lua:LINE:" of the ddim.experiment call (or of the key, when it can
 * be found in the file). */
#ifndef DDIM_LUA_SETTINGS_H
#define DDIM_LUA_SETTINGS_H

#include <lua.h>
#include "runtime/config/config.h"

/* The context of messages about a table being read. */
struct reader {
    lua_State *L;
    char where[512];     /* "file.lua:12: " of the call being read, or "file.lua: " */
    char context[128];   /* "" or "variants[2] ('skip'): " */
    char file[512];      /* the file of the call ("" when it is no file, or for the command line) */
    char short_file[LUA_IDSIZE]; /* as Lua names it in messages */
    int line;            /* the line of the call */
};

/* A reader at the Lua code calling the running C function: "file.lua:LINE: ". */
void settings_reader_at_caller(struct reader *r, lua_State *L);

/* Raises "<where><context><message>". */
int settings_error(struct reader *r, const char *format, ...) __attribute__((format(printf, 2, 3), noreturn));

/* Applies the settings of the table at index to v: its sections train,
 * diffusion and sample. Its other keys must be in extra_keys (the
 * caller's); table names it in messages ("the experiment", "quick"). */
void settings_apply(struct reader *r, int index, const char *table, struct variant *v,
                    const char *const *extra_keys);

/* Applies "key.path=value" to v; raises "override '...': ..." otherwise. */
void settings_apply_override(struct reader *r, const char *override, struct variant *v);

/* Raises config_check_variant's reason when v does not hold together. */
void settings_check_variant(struct reader *r, const struct variant *v);

/* Field key of the table at index, pushed: a string, or NULL when absent
 * (anything else raises). */
const char *settings_optional_string(struct reader *r, int index, const char *key);

/* Whether name is plain enough for directory names and the resolved file:
 * letters, digits, '_', '-', '.', under 64 characters. */
int settings_plain_name(const char *name);

#endif
