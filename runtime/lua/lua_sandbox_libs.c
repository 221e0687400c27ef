/* lua_sandbox_libs.c: the libraries an experiment file gets (lua_sandbox.h
 * says what it may not do), and require.
 *
 * Lua code that runs while the hooks are off escapes the time limit
 * (lua_sandbox.c): __gc metamethods always, and after the deadline hook
 * has raised its error, until a pcall boundary restores the hooks, an
 * xpcall's message handler and the __close metamethods of a coroutine the
 * error killed (coroutine.wrap and coroutine.close run them). The wrappers
 * below refuse __gc, and once the time is out skip the handler and refuse
 * to close such a coroutine.
 */
#include <string.h>
#include <lauxlib.h>
#include <lualib.h>
#include "runtime/base/files.h"
#include "runtime/lua/lua_sandbox.h"

#define REQUIRE_DIR "ddim.require_dir"  /* registry: the directory require looks in */

static int out_of_time(lua_State *L)
{
    struct lua_sandbox *s;
    lua_getallocf(L, (void **)&s);
    return s->expired;
}

/* ---- the libraries ------------------------------------------------------- */

/* load(chunk [, chunkname [, mode [, env]]]), always in mode "t": a
 * binary chunk is not checked by Lua and can crash the process. */
static int text_load(lua_State *L)
{
    const int given = lua_gettop(L);
    lua_settop(L, 4);                                   /* nil-filled: env stays absent when not given */
    lua_pushvalue(L, lua_upvalueindex(1));              /* chunk name mode env load */
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushliteral(L, "t");
    if (given >= 4)
        lua_pushvalue(L, 4);                            /* chunk name mode env load chunk name "t" [env] */
    lua_call(L, given >= 4 ? 4 : 3, LUA_MULTRET);
    return lua_gettop(L) - 4;
}

/* setmetatable without __gc: Lua runs finalizers with the hooks off (no
 * time limit) and as lua_close frees the state. */
static int no_gc_setmetatable(lua_State *L)
{
    if (lua_istable(L, 2) && lua_getfield(L, 2, "__gc") != LUA_TNIL) /* t mt ... __gc */
        return luaL_error(L, "setmetatable: __gc metamethods are not allowed in an experiment file");
    lua_settop(L, 2);                                   /* t mt */
    lua_pushvalue(L, lua_upvalueindex(1));              /* t mt setmetatable */
    lua_insert(L, 1);                                   /* setmetatable t mt */
    lua_call(L, 2, 1);                                  /* t */
    return 1;
}

/* math.randomseed with a seed only: without one Lua takes the clock's. */
static int seeded_randomseed(lua_State *L)
{
    if (lua_gettop(L) == 0)
        return luaL_error(L, "math.randomseed needs a seed in an experiment file (without one it takes the "
                          "clock's, and runs would differ)");
    const int given = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, given, LUA_MULTRET);
    return lua_gettop(L);
}

/* string.find for plain text only. Lua's pattern matcher backtracks in C,
 * where the time limit's hook never runs: string.find(string.rep("a", 30),
 * string.rep("a*", 30) .. "b") would run for hours. So the pattern
 * functions (match, gmatch, gsub) are out and find takes plain = true. */
static int plain_find(lua_State *L)
{
    if (!lua_toboolean(L, 4))
        return luaL_error(L, "string.find: Lua patterns are not available in an experiment file (one can run "
                          "for hours where the time limit cannot stop it); search plain text with "
                          "s:find(text, 1, true)");
    const int given = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, given, LUA_MULTRET);
    return lua_gettop(L);
}

/* Returns what the call of a wrapper left from index 1 up (lua_callk's
 * continuation too, so that the wrapped function may still yield). */
static int all_results(lua_State *L, int status, lua_KContext context)
{
    (void)status;
    (void)context;
    return lua_gettop(L);
}

/* xpcall's message handler: the script's, unless the time is out (the
 * hook's error then runs it with the hooks off). */
static int guarded_handler(lua_State *L)
{
    if (out_of_time(L))
        return 1;                                       /* the error as it is */
    lua_pushvalue(L, lua_upvalueindex(1));              /* error handler */
    lua_insert(L, 1);                                   /* handler error */
    lua_call(L, lua_gettop(L) - 1, 1);                  /* result */
    return 1;
}

/* xpcall(f, handler, ...) with the handler guarded. */
static int guarded_xpcall(lua_State *L)
{
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);                                  /* f guarded ... */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);                                   /* xpcall f guarded ... */
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, all_results);
    return all_results(L, LUA_OK, 0);
}

/* coroutine.close(co), refused once the time is out. */
static int guarded_close(lua_State *L)
{
    if (out_of_time(L))
        return luaL_error(L, "coroutine.close: out of Lua time");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* The function coroutine.wrap returns: upvalues the coroutine and
 * coroutine.resume. As Lua's, it closes a coroutine that fails, unless the
 * time is out. */
static int wrapped_coroutine(lua_State *L)
{
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_rotate(L, 1, 2);                                /* resume co args */
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);        /* ok results | false error */
    if (lua_toboolean(L, 1))
        return lua_gettop(L) - 1;
    lua_settop(L, 2);                                   /* false error */
    const int status = lua_status(co);
    if (status != LUA_OK && status != LUA_YIELD && !out_of_time(L) && lua_resetthread(co) != LUA_OK) {
        lua_xmove(co, L, 1);                            /* false error close_error */
        lua_replace(L, 2);                              /* false error */
    }
    if (lua_type(L, 2) == LUA_TSTRING) {
        luaL_where(L, 1);                               /* false error where */
        lua_insert(L, 2);
        lua_concat(L, 2);                               /* false where..error */
    }
    return lua_error(L);
}

/* coroutine.wrap(f) on coroutine.create and coroutine.resume. */
static int guarded_wrap(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);                   /* f co */
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_getglobal(L, LUA_COLIBNAME);                    /* f co coroutine */
    lua_getfield(L, -1, "resume");                      /* f co coroutine resume */
    lua_remove(L, -2);                                  /* f co resume */
    lua_pushcclosure(L, wrapped_coroutine, 2);          /* f wrapped */
    return 1;
}

/* table[name] = wrapper with the old table[name] as its upvalue. */
static void wrap_field(lua_State *L, int table, const char *name, lua_CFunction wrapper)
{
    table = lua_absindex(L, table);
    lua_getfield(L, table, name);                       /* ... old */
    lua_pushcclosure(L, wrapper, 1);                    /* ... wrapped */
    lua_setfield(L, table, name);                       /* ... */
}

/* require's one searcher (below) and the package fields it replaces. */
static int search_beside(lua_State *L);

static void restrict_package(lua_State *L)
{
    static const char *const removed[] = { "path", "cpath", "searchpath", "loadlib" };
    lua_getglobal(L, LUA_LOADLIBNAME);                  /* package */
    for (size_t i = 0; i < sizeof removed / sizeof removed[0]; i++) {
        lua_pushnil(L);
        lua_setfield(L, -2, removed[i]);
    }
    lua_createtable(L, 1, 0);                           /* package searchers */
    lua_pushcfunction(L, search_beside);
    lua_rawseti(L, -2, 1);
    lua_setfield(L, -2, "searchers");                   /* package */
    lua_pop(L, 1);                                      /* */
}

void sandbox_open_libraries(lua_State *L, lua_CFunction open_ddim)
{
    const luaL_Reg libraries[] = {
        { LUA_GNAME, luaopen_base },          { LUA_LOADLIBNAME, luaopen_package },
        { LUA_COLIBNAME, luaopen_coroutine }, { LUA_TABLIBNAME, luaopen_table },
        { LUA_STRLIBNAME, luaopen_string },   { LUA_MATHLIBNAME, luaopen_math },
        { LUA_UTF8LIBNAME, luaopen_utf8 },    { "ddim", open_ddim },
        { NULL, NULL },
    };
    for (const luaL_Reg *lib = libraries; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);      /* lib */
        lua_pop(L, 1);                                  /* */
    }
    /* Files by name outside require's directory. */
    lua_pushnil(L);
    lua_setglobal(L, "dofile");
    lua_pushnil(L);
    lua_setglobal(L, "loadfile");
    lua_pushglobaltable(L);                             /* _G */
    wrap_field(L, -1, "load", text_load);
    wrap_field(L, -1, "setmetatable", no_gc_setmetatable);
    wrap_field(L, -1, "xpcall", guarded_xpcall);
    lua_getfield(L, -1, LUA_STRLIBNAME);                /* _G string */
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");                        /* bytecode out, to be loaded back */
    static const char *const patterns[] = { "match", "gmatch", "gsub" }; /* see plain_find */
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        lua_pushnil(L);
        lua_setfield(L, -2, patterns[i]);
    }
    wrap_field(L, -1, "find", plain_find);
    lua_getfield(L, -2, LUA_MATHLIBNAME);               /* _G string math */
    lua_getfield(L, -1, "randomseed");                  /* _G string math randomseed */
    lua_pushinteger(L, 0);                              /* the same numbers every time */
    lua_call(L, 1, 0);                                  /* _G string math */
    wrap_field(L, -1, "randomseed", seeded_randomseed);
    lua_getfield(L, -3, LUA_COLIBNAME);                 /* _G string math coroutine */
    wrap_field(L, -1, "close", guarded_close);
    lua_pushcfunction(L, guarded_wrap);
    lua_setfield(L, -2, "wrap");
    lua_pop(L, 4);                                      /* */
    restrict_package(L);
}

/* ---- require ------------------------------------------------------------- */

/* Whether name is NAME or NAME.NAME...: letters, digits and '_' between
 * single dots; no '/', "..", or absolute path. */
static int plain_module_name(const char *name)
{
    int length = 0;
    for (const char *c = name;; c++) {
        if (*c == '.' || *c == '\0') {
            if (length == 0)
                return 0;
            if (*c == '\0')
                return 1;
            length = 0;
        } else if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_') {
            length++;
        } else {
            return 0;
        }
    }
}

/* Pushes the directories require searches for name, in order, and returns
 * their count: the require directory (the experiment file's); for lib.NAME
 * also the project's experiments/ from the working directory (as data/mnist
 * is), then beside the executable, installed (<prefix>/bin/../share/
 * ddim-lab/experiments) or in the build tree (build/../experiments), so
 * that an experiment file kept anywhere can use the shipped networks. */
static int push_require_roots(lua_State *L, const char *name)
{
    lua_getfield(L, LUA_REGISTRYINDEX, REQUIRE_DIR);
    if (strncmp(name, "lib.", 4) != 0)
        return 1;
    lua_pushliteral(L, "experiments");
    char exe[4096];
    if (executable_dir(exe, sizeof exe) != 0)
        return 2;
    lua_pushfstring(L, "%s/../share/ddim-lab/experiments", exe);
    lua_pushfstring(L, "%s/../experiments", exe);
    return 4;
}

/* require's searcher: NAME.lua (dots as '/') under the first of
 * push_require_roots' directories that has it, as text; otherwise the
 * reasons, for require's "module not found". */
static int search_beside(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    if (!plain_module_name(name)) {
        luaL_where(L, 2);                               /* name where: the require's line */
        lua_pushfstring(L, "require '%s': a module name is letters, digits and '_' between dots (no '/', '..' "
                        "or absolute path); modules come from the experiment file's directory", name);
        lua_concat(L, 2);
        return lua_error(L);
    }
    lua_settop(L, 1);                                   /* name */
    const char *relative = luaL_gsub(L, name, ".", "/"); /* name relative */
    const int roots = push_require_roots(L, name);      /* name relative root1 .. rootN */
    for (int root = 3; root < 3 + roots; root++) {
        lua_pushfstring(L, "%s/%s.lua", lua_tostring(L, root), relative); /* ... file */
        const int status = luaL_loadfilex(L, lua_tostring(L, -1), "t"); /* ... file chunk | message */
        if (status == LUA_ERRFILE) {
            lua_pop(L, 2);
            continue;
        }
        if (status != LUA_OK) {                         /* ... file message */
            luaL_where(L, 2);                           /* ... file message where: the require's line */
            lua_pushfstring(L, "error loading module '%s' from %s: %s", name, lua_tostring(L, -3),
                            lua_tostring(L, -2));
            lua_concat(L, 2);
            return lua_error(L);
        }
        lua_insert(L, -2);                              /* ... chunk file */
        return 2;
    }
    luaL_Buffer b;                                      /* the reasons, one "no file" per root */
    luaL_buffinit(L, &b);
    for (int root = 3; root < 3 + roots; root++) {
        if (root > 3)
            luaL_addstring(&b, "\n\t");
        lua_pushfstring(L, "no file '%s/%s.lua'", lua_tostring(L, root), relative);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    return 1;
}

void sandbox_set_require_dir(lua_State *L, const char *path)
{
    const char *slash = strrchr(path, '/');
    lua_getfield(L, LUA_REGISTRYINDEX, REQUIRE_DIR);    /* ... previous */
    if (!slash)
        lua_pushliteral(L, ".");
    else if (slash == path)
        lua_pushliteral(L, "/"); /* "/x.lua": the root */
    else
        lua_pushlstring(L, path, (size_t)(slash - path)); /* ... previous dir */
    lua_setfield(L, LUA_REGISTRYINDEX, REQUIRE_DIR);    /* ... previous */
}

void sandbox_restore_require_dir(lua_State *L)
{
    lua_setfield(L, LUA_REGISTRYINDEX, REQUIRE_DIR);
}

