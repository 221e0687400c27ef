/* lua_model_of.c: ddim.model_of(file, variant), the model that the
 * experiment file `file` builds for its variant `variant`. It is how a
 * run's config.lua (lua_resolved.c) gets its networks back.
 *
 * ddim.model_of returns a reference; ddim.experiment takes it where a
 * model goes and resolves it only for the variants the command line keeps
 * (so that `sample --variant`'s experiment file need hold that variant
 * alone). Resolving runs the file in the same Lua state, once per load
 * however many variants ask, its `require`s beside it and its
 * ddim.experiment resolved for no command-line options: only its network
 * is used, none of its settings. The models handed out are remembered with
 * where they came from, so that a config.lua written from a config.lua
 * names the original file. */
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include <lualib.h>
#include "runtime/lua/lua_experiment.h"
#include "runtime/lua/lua_sandbox.h"
#include "runtime/lua/lua_settings.h"

#define MODEL_REF_TYPE "ddim.model_ref"
#define LOADED_FILES "ddim.model_of_files"   /* file -> the experiment it returned */
#define MODEL_SOURCES "ddim.model_sources"   /* model -> { file, variant } (weak keys) */

/* What ddim.model_of was asked for, and where. */
struct model_ref {
    char file[DDIM_MODEL_FILE_SIZE];
    char variant[64];
    char where[512];                         /* "config.lua:15: " */
};

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

/* Runs the experiment file at file and pushes what it returned (checked
 * by the caller). */
static void run_experiment_file(struct reader *r, const char *file)
{
    lua_State *L = r->L;
    sandbox_set_require_dir(L, file);                   /* ... dir */
    const int status = luaL_loadfilex(L, file, "t");    /* ... dir chunk | message */
    if (status == LUA_ERRFILE)
        settings_error(r, "ddim.model_of: %s (a run's config.lua runs from the directory the run started in)",
                       lua_tostring(L, -1));
    if (status != LUA_OK) /* a syntax error: "file.lua:LINE: ..." */
        lua_error(L);
    const struct experiment_request *request = ddim_experiment_set_request(L, NULL);
    lua_call(L, 0, 1);                                  /* ... dir experiment */
    ddim_experiment_set_request(L, request);
    lua_insert(L, -2);                                  /* ... experiment dir */
    sandbox_restore_require_dir(L);                     /* ... experiment */
}

/* Pushes the experiment the file at from returns, run on first use. */
static void push_experiment_of(struct reader *r, const char *from)
{
    lua_State *L = r->L;
    push_registry_table(L, LOADED_FILES, 0);            /* ... loaded */
    if (lua_getfield(L, -1, from) == LUA_TNIL) {        /* ... loaded experiment? */
        lua_pop(L, 1);                                  /* ... loaded */
        run_experiment_file(r, from);                   /* ... loaded experiment */
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, from);
    }
    lua_remove(L, -2);                                  /* ... experiment */
}

/* Records that model (on top) came from variant of from. */
static void remember_source(lua_State *L, const char *from, const char *variant)
{
    push_registry_table(L, MODEL_SOURCES, 1);           /* ... model sources */
    lua_pushvalue(L, -2);                               /* ... model sources model */
    lua_createtable(L, 2, 0);                           /* ... model sources model source */
    lua_pushstring(L, from);
    lua_rawseti(L, -2, 1);
    lua_pushstring(L, variant);
    lua_rawseti(L, -2, 2);
    lua_rawset(L, -3);                                  /* ... model sources */
    lua_pop(L, 1);                                      /* ... model */
}

void ddim_resolve_model(lua_State *L, int index)
{
    index = lua_absindex(L, index);
    const struct model_ref *ref = luaL_testudata(L, index, MODEL_REF_TYPE);
    if (!ref)
        return;
    struct reader r = { .L = L };
    snprintf(r.where, sizeof r.where, "%s", ref->where);
    /* sample --experiment FILE.lua: the networks come from FILE.lua. */
    const struct experiment_request *request = ddim_experiment_request(L);
    const char *from = request && request->options->model_file ? request->options->model_file : ref->file;
    push_experiment_of(&r, from);                       /* ... experiment */
    const struct resolution *res = ddim_experiment_resolution(L, -1, from); /* ... experiment models */
    char names[1024] = "";
    size_t used = 0;
    for (int i = 0; i < res->count; i++) {
        if (strcmp(res->variants[i].name, ref->variant) == 0) {
            lua_rawgeti(L, -1, i + 1);                  /* ... experiment models model */
            ddim_resolve_model(L, -1);                  /* the file's own model may be a reference too */
            remember_source(L, from, ref->variant);
            lua_replace(L, index);                      /* ... experiment models */
            lua_pop(L, 2);                              /* ... */
            return;
        }
        int n = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", res->variants[i].name);
        used += n > 0 && (size_t)n < sizeof names - used ? (size_t)n : 0;
    }
    settings_error(&r, "ddim.model_of: %s has no variant '%s'; its variants are %s", from, ref->variant, names);
}

int ddim_is_model_ref(lua_State *L, int index)
{
    return luaL_testudata(L, index, MODEL_REF_TYPE) != NULL;
}

/* ddim.model_of(file, variant): a reference to the model of variant of
 * the experiment file, resolved by ddim.experiment. */
static int ddim_model_of(lua_State *L)
{
    const char *file = luaL_checkstring(L, 1), *variant = luaL_checkstring(L, 2);
    struct reader r;
    settings_reader_at_caller(&r, L);
    if (strlen(file) >= DDIM_MODEL_FILE_SIZE)
        settings_error(&r, "ddim.model_of: the file name is too long (at most %zu characters)",
                       DDIM_MODEL_FILE_SIZE - 1);
    if (!settings_plain_name(variant))
        settings_error(&r, "ddim.model_of: '%s' is no variant name", variant);
    struct model_ref *ref = lua_newuserdatauv(L, sizeof *ref, 0); /* file variant ref */
    snprintf(ref->file, sizeof ref->file, "%s", file);
    snprintf(ref->variant, sizeof ref->variant, "%s", variant);
    snprintf(ref->where, sizeof ref->where, "%s", r.where);
    luaL_setmetatable(L, MODEL_REF_TYPE);
    return 1;
}

void ddim_model_of_register(lua_State *L)
{
    luaL_newmetatable(L, MODEL_REF_TYPE);               /* module meta */
    lua_pop(L, 1);                                      /* module */
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
