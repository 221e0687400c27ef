/* lua_model_of.c: ddim.model_of(file, variant), the model that the
 * experiment file `file` builds for its variant `variant`. It is how a
 * run's config.lua (lua_resolved.c) gets its networks back: the file runs
 * again, in the same Lua state (once per load, however many variants ask),
 * its `require`s beside it and its ddim.experiment resolved for no
 * command-line options; its settings are not used, only the network.
 *
 * The models it hands out are remembered with where they came from, so
 * that a config.lua written from a config.lua names the original file. */
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include <lualib.h>
#include "runtime/lua/lua_experiment.h"
#include "runtime/lua/lua_settings.h"

#define LOADED_FILES "ddim.model_of_files"   /* file -> the experiment it returned */
#define MODEL_SOURCES "ddim.model_sources"   /* model -> { file, variant } (weak keys) */

/* Pushes the registry's table key, made (with weak keys when weak) on first use. */
static void push_registry_table(lua_State *L, const char *key, int weak)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, key) == LUA_TTABLE) /* ... table */
        return;
    lua_pop(L, 1);                                      /* ... */
    lua_newtable(L);                                    /* ... table */
    if (weak) {
        lua_createtable(L, 0, 1);                       /* ... table meta */
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);                        /* ... table */
    }
    lua_pushvalue(L, -1);                               /* ... table table */
    lua_setfield(L, LUA_REGISTRYINDEX, key);            /* ... table */
}

/* Runs the experiment file at file and pushes what it returned, a
 * ddim.experiment (checked by the caller). */
static void run_experiment_file(struct reader *r, const char *file)
{
    lua_State *L = r->L;
    lua_getglobal(L, LUA_LOADLIBNAME);                  /* ... package */
    lua_getfield(L, -1, "path");                        /* ... package path */
    ddim_set_package_path(L, file);
    const int status = luaL_loadfile(L, file);          /* ... package path chunk | message */
    if (status == LUA_ERRFILE)
        settings_error(r, "ddim.model_of: %s (a run's config.lua runs from the directory the run started in)",
                       lua_tostring(L, -1));
    if (status != LUA_OK) /* a syntax error: "file.lua:LINE: ..." */
        lua_error(L);
    const struct experiment_request *request = ddim_experiment_set_request(L, NULL);
    lua_call(L, 0, 1);                                  /* ... package path experiment */
    ddim_experiment_set_request(L, request);
    lua_insert(L, -3);                                  /* ... experiment package path */
    lua_setfield(L, -2, "path");                        /* ... experiment package */
    lua_pop(L, 1);                                      /* ... experiment */
}

/* ddim.model_of(file, variant): the model of variant of the experiment file. */
static int ddim_model_of(lua_State *L)
{
    const char *file = luaL_checkstring(L, 1), *variant = luaL_checkstring(L, 2);
    lua_settop(L, 2);                                   /* file variant */
    struct reader r;
    settings_reader_at_caller(&r, L);
    if (strlen(file) >= DDIM_MODEL_FILE_SIZE)
        settings_error(&r, "ddim.model_of: the file name is too long (at most %zu characters)",
                       DDIM_MODEL_FILE_SIZE - 1);
    /* sample --experiment FILE.lua: the networks come from FILE.lua. */
    const struct experiment_request *request = ddim_experiment_request(L);
    const char *from = request && request->options->model_file ? request->options->model_file : file;
    push_registry_table(L, LOADED_FILES, 0);            /* file variant loaded */
    if (lua_getfield(L, 3, from) == LUA_TNIL) {         /* file variant loaded experiment? */
        lua_pop(L, 1);                                  /* file variant loaded */
        run_experiment_file(&r, from);                  /* file variant loaded experiment */
        lua_pushvalue(L, -1);
        lua_setfield(L, 3, from);
    }
    const struct resolution *res = ddim_experiment_resolution(L, 4, from); /* ... experiment models */
    char names[1024] = "";
    size_t used = 0;
    for (int i = 0; i < res->count; i++) {
        if (strcmp(res->variants[i].name, variant) != 0) {
            int n = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", res->variants[i].name);
            used += n > 0 && (size_t)n < sizeof names - used ? (size_t)n : 0;
            continue;
        }
        lua_rawgeti(L, 5, i + 1);                       /* ... experiment models model */
        push_registry_table(L, MODEL_SOURCES, 1);       /* ... model sources */
        lua_pushvalue(L, -2);                           /* ... model sources model */
        lua_createtable(L, 2, 0);                       /* ... model sources model source */
        lua_pushstring(L, from);
        lua_rawseti(L, -2, 1);
        lua_pushstring(L, variant);
        lua_rawseti(L, -2, 2);
        lua_rawset(L, -3);                              /* ... model sources */
        lua_pop(L, 1);                                  /* ... model */
        return 1;
    }
    return settings_error(&r, "ddim.model_of: %s has no variant '%s'; its variants are %s", from, variant, names);
}

void ddim_model_of_register(lua_State *L)
{
    lua_pushcfunction(L, ddim_model_of);
    lua_setfield(L, -2, "model_of");
}

void ddim_push_model_source(lua_State *L, int model, const char *file, const char *variant)
{
    model = lua_absindex(L, model);
    push_registry_table(L, MODEL_SOURCES, 1);           /* ... sources */
    lua_pushvalue(L, model);
    if (lua_rawget(L, -2) == LUA_TTABLE) {              /* ... sources source */
        lua_rawgeti(L, -1, 1);                          /* ... sources source file */
        lua_rawgeti(L, -2, 2);                          /* ... sources source file variant */
    } else {
        lua_pushstring(L, file);                        /* ... sources nil file */
        lua_pushstring(L, variant);                     /* ... sources nil file variant */
    }
    lua_rotate(L, -4, 2);                               /* ... file variant sources source */
    lua_pop(L, 2);                                      /* ... file variant */
}
