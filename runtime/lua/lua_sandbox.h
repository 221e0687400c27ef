/* lua_sandbox.h: the Lua state an experiment file (or a classifier's
 * stored source) runs in, and what it may not do (lua_sandbox.c).
 *
 * An experiment describes a run, it does not perform one: its file gets
 * text chunks only (no bytecode: `load` is text-only, string.dump is gone),
 * no io, os, dofile, loadfile or C modules, no __gc finalizers, no Lua
 * patterns (they backtrack in C, out of the time limit's reach), `require`
 * only for modules beside the file and the project's experiments/lib,
 * math.random seeded the same every time, and limits on its CPU time and
 * memory. */
#ifndef DDIM_LUA_SANDBOX_H
#define DDIM_LUA_SANDBOX_H

#include <stddef.h>
#include <lua.h>

/* The limits of one Lua state, unless the environment sets others: the
 * CPU time its Lua code may run (seconds) and the memory it may hold. The
 * tests and the fuzz target lower them through the variables. */
#define DDIM_LUA_SECONDS 10.0
#define DDIM_LUA_MEMORY_MIB 1024
#define DDIM_LUA_SECONDS_VARIABLE "DDIM_LUA_SECONDS"
#define DDIM_LUA_MEMORY_VARIABLE "DDIM_LUA_MEMORY_MIB"

/* One state's limits and what it used; the state's allocator data, so
 * that it must outlive the state. */
struct lua_sandbox {
    const char *path;           /* the file, first in every message */
    const char *what;           /* "the experiment file", in the limits' messages */
    double seconds, start;      /* the budget of thread CPU time, and when the state began */
    size_t cap, used;           /* bytes */
    int expired, refused;       /* the time ran out; an allocation went past cap */
};

/* A new state for the file at path within the limits (the environment's,
 * else the defaults above), or NULL with one line in err. */
lua_State *sandbox_new(struct lua_sandbox *s, const char *path, const char *what, char *err, size_t errlen);

/* Opens the libraries the file may use, with `ddim` (made by open_ddim)
 * both a global and require "ddim". May raise. */
void sandbox_open_libraries(lua_State *L, lua_CFunction open_ddim);

/* Makes require look beside the file at path, and pushes where it looked
 * before (nil at first) for sandbox_restore_require_dir. May raise. */
void sandbox_set_require_dir(lua_State *L, const char *path);
/* Pops what sandbox_set_require_dir pushed and makes require look there again. */
void sandbox_restore_require_dir(lua_State *L);

/* err = why the pcall that returned status failed, as one line: a limit's
 * message when the sandbox stopped the code, else the error on the stack. */
void sandbox_error(lua_State *L, const struct lua_sandbox *s, int status, char *err, size_t errlen);

#endif
