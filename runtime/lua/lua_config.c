/* lua_config.c: experiment_load and classifier_network_build, the one
 * place a Lua state lives.
 *
 * Each load gets a fresh sandboxed state (lua_sandbox.c: a reduced
 * standard library, text chunks only, limits on time and memory: an
 * experiment describes a run, it does not perform one, and it cannot
 * depend on the clock or the environment), a `ddim` module (lua_graph.c
 * and lua_experiment.c), and require looking in the experiment's directory
 * so that `require "lib.seed_nets"` finds experiments/lib/seed_nets.lua.
 *
 * All the Lua work runs inside one lua_pcall (load_protected), so that any
 * error, ours or the script's, unwinds to a single place with its message.
 * What survives the state is then copied into the C structs by code that
 * cannot raise: the variants, the resolved text, and the graphs, moved out
 * of their models just before lua_close.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include "runtime/config/config.h"
#include "runtime/lua/lua_experiment.h"
#include "runtime/lua/lua_graph.h"
#include "runtime/lua/lua_sandbox.h"

/* What load_protected gets (as a light userdata) and fills. */
struct load {
    const char *path;           /* the file, or the name of text in messages */
    const char *text;           /* the experiment's source, or NULL: read the file at path */
    size_t size;
    const struct experiment_options *options;
    char name[sizeof ((struct experiment *)0)->name];
};

/* require "ddim" */
static int open_ddim(lua_State *L)
{
    lua_newtable(L);                                    /* module */
    ddim_graph_register(L);
    ddim_experiment_register(L);
    ddim_model_of_register(L);
    return 1;
}

/* The experiment's name into out: its `name`, else the file's name without .lua. */
static void experiment_name(const struct resolution *r, const char *path, char *out, size_t size)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t length = strlen(base);
    if (length > 4 && strcmp(base + length - 4, ".lua") == 0)
        length -= 4;
    if (r->name[0])
        snprintf(out, size, "%s", r->name);
    else
        snprintf(out, size, "%.*s", (int)length, base);
}

/* Runs the experiment file, which resolves itself for the options as it
 * calls ddim.experiment. Argument: struct load. Results: the resolution
 * (struct resolution), the list of its variants' models, the resolved text. */
static int load_protected(lua_State *L)
{
    struct load *load = lua_touserdata(L, 1);
    lua_settop(L, 0);
    sandbox_open_libraries(L, open_ddim);
    sandbox_set_require_dir(L, load->path);             /* nil */
    lua_pop(L, 1);                                      /* */
    const struct experiment_request request = { load->path, load->options };
    ddim_experiment_set_request(L, &request);
    /* A syntax error reads "file.lua:LINE: ...", a missing file "cannot open file.lua"; text only (bytecode
     * is not checked by Lua). */
    const int status = load->text ? luaL_loadbufferx(L, load->text, load->size,
                                                     lua_pushfstring(L, "=%s", load->path), "t")
                                  : luaL_loadfilex(L, load->path, "t"); /* [chunk_name] chunk | message */
    if (status != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, 1);                                  /* [chunk_name] experiment */
    lua_insert(L, 1);                                   /* experiment [chunk_name] */
    lua_settop(L, 1);                                   /* experiment */
    const struct resolution *r = ddim_experiment_resolution(L, 1, load->path); /* experiment models */
    experiment_name(r, load->path, load->name, sizeof load->name);
    luaL_getmetafield(L, 1, "resolution");              /* experiment models resolution */
    lua_replace(L, 1);                                  /* resolution models */
    ddim_push_resolved_source(L, r, 2, load->name, load->path, load->options); /* resolution models resolved */
    return 3;
}

/* experiment_load and experiment_load_text. */
static int load_experiment(struct load load, struct experiment *out, char *err, size_t errlen)
{
    static const struct experiment_options no_options;
    const char *path = load.path;
    if (!load.options)
        load.options = &no_options;
    memset(out, 0, sizeof *out);
    if (strlen(path) >= sizeof out->path) {
        snprintf(err, errlen, "%s: the path is too long (at most %zu characters)", path, sizeof out->path - 1);
        return -1;
    }
    struct lua_sandbox sandbox;
    lua_State *L = sandbox_new(&sandbox, path, "the experiment file", err, errlen);
    if (!L)
        return -1;
    lua_pushcfunction(L, load_protected);
    lua_pushlightuserdata(L, &load);
    const int status = lua_pcall(L, 1, 3, 0);
    if (status != LUA_OK) {                             /* message */
        sandbox_error(L, &sandbox, status, err, errlen);
        lua_close(L);
        return -1;
    }
    /* resolution models resolved: from here on nothing may raise. */
    const struct resolution *r = lua_touserdata(L, 1);
    const char *resolved = lua_tostring(L, 3);
    out->variants = calloc((size_t)r->kept_count, sizeof *out->variants);
    out->resolved = malloc(strlen(resolved) + 1);
    if (!out->variants || !out->resolved) {
        snprintf(err, errlen, "%s: out of memory", path);
        lua_close(L);
        experiment_free(out);
        return -1;
    }
    strcpy(out->resolved, resolved);
    out->variant_count = r->kept_count;
    for (int i = 0; i < r->kept_count; i++) {
        out->variants[i] = r->variants[r->kept[i]];
        lua_rawgeti(L, 2, r->kept[i] + 1);              /* resolution models resolved model */
        ddim_model_move(L, -1, &out->variants[i]);
        lua_pop(L, 1);                                  /* resolution models resolved */
    }
    snprintf(out->name, sizeof out->name, "%s", load.name);
    out->seed_count = r->seed_count;
    memcpy(out->seeds, r->seeds, sizeof out->seeds);
    snprintf(out->path, sizeof out->path, "%s", path);
    lua_close(L);
    return 0;
}

int experiment_load(const char *path, const struct experiment_options *options, struct experiment *out,
                    char *err, size_t errlen)
{
    return load_experiment((struct load){ .path = path, .options = options }, out, err, errlen);
}

int experiment_load_text(const char *name, const char *text, size_t size, const struct experiment_options *options,
                         struct experiment *out, char *err, size_t errlen)
{
    return load_experiment((struct load){ .path = name, .text = text, .size = size, .options = options }, out, err,
                           errlen);
}

void experiment_free(struct experiment *e)
{
    for (int i = 0; i < e->variant_count; i++)
        graph_free(&e->variants[i].graph);
    free(e->variants);
    free(e->resolved);
    memset(e, 0, sizeof *e);
}

/* What build_classifier_protected gets (as a light userdata). */
struct classifier_source {
    const char *name, *source;
    size_t size;
};

/* Runs the classifier's module and its network(). Result: the classifier. */
static int build_classifier_protected(lua_State *L)
{
    const struct classifier_source *module = lua_touserdata(L, 1);
    lua_settop(L, 0);
    sandbox_open_libraries(L, open_ddim);
    sandbox_set_require_dir(L, module->name);           /* nil */
    lua_pop(L, 1);                                      /* */
    const char *chunk_name = lua_pushfstring(L, "@%s", module->name); /* chunk_name */
    /* Text only: a CRC-valid file can still hold any bytes, and Lua does not check bytecode. */
    if (luaL_loadbufferx(L, module->source, module->size, chunk_name, "t") != LUA_OK) /* chunk_name chunk | message */
        return lua_error(L);
    lua_call(L, 0, 1);                                  /* chunk_name module */
    if (!lua_istable(L, 2) || lua_getfield(L, 2, "network") != LUA_TFUNCTION) /* chunk_name module network? */
        luaL_error(L, "%s: the module must return a table whose network() returns ddim.classifier{...}",
                   module->name);
    lua_call(L, 0, 1);                                  /* chunk_name module classifier */
    if (!ddim_is_classifier(L, 3))
        luaL_error(L, "%s: network() must return ddim.classifier{...}, got %s", module->name, luaL_typename(L, 3));
    return 1;
}

int classifier_network_build(const char *name, const char *source, size_t size, struct classifier_network *out,
                             char *err, size_t errlen)
{
    struct classifier_source module = { name, source, size };
    memset(out, 0, sizeof *out);
    struct lua_sandbox sandbox;
    lua_State *L = sandbox_new(&sandbox, name, "the classifier's Lua source", err, errlen);
    if (!L)
        return -1;
    lua_pushcfunction(L, build_classifier_protected);
    lua_pushlightuserdata(L, &module);
    const int status = lua_pcall(L, 1, 1, 0);
    if (status != LUA_OK) {                             /* message */
        sandbox_error(L, &sandbox, status, err, errlen);
        lua_close(L);
        return -1;
    }
    ddim_classifier_move(L, -1, out);                   /* classifier */
    lua_close(L);
    return 0;
}
