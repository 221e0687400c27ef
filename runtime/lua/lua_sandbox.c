/* lua_sandbox.c: the Lua state of an experiment file and its limits (see
 * lua_sandbox.h for what the file may not do, and why).
 *
 * The limits: the state's allocator refuses to grow past the cap (Lua then
 * raises "not enough memory"), and a count hook checks the thread's CPU
 * time every HOOK_INSTRUCTIONS instructions. Once the time is out the hook
 * fires on every instruction of every coroutine it meets, so that a script
 * catching the error with pcall is stopped again at its next instruction,
 * outwards to the top. Lua turns hooks off while a __gc metamethod runs,
 * and from an error a hook raises until a pcall catches it; what Lua code
 * could run then is kept out in lua_sandbox_libs.c.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <lauxlib.h>
#include <lualib.h>
#include "runtime/lua/lua_sandbox.h"

#define HOOK_INSTRUCTIONS 10000

static double thread_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* lua_Alloc with the cap. Lua never asks a shrink to fail, so only growth
 * is refused. */
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct lua_sandbox *s = ud;
    const size_t old = ptr ? osize : 0;          /* without ptr, osize is the object's type */
    if (nsize == 0) {
        free(ptr);
        s->used -= old;
        return NULL;
    }
    if (nsize > old && nsize - old > s->cap - s->used) {
        s->refused = 1;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p)
        s->used = s->used - old + nsize;
    return p;
}

static void deadline_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    struct lua_sandbox *s;
    lua_getallocf(L, (void **)&s);
    if (!s->expired && thread_seconds() - s->start < s->seconds)
        return;
    s->expired = 1;
    lua_sethook(L, deadline_hook, LUA_MASKCOUNT, 1); /* this coroutine: stopped at each instruction */
    lua_pushfstring(L, "%s: out of Lua time", s->path); /* what sandbox_error says is longer */
    lua_error(L);
}

/* Errors are all raised inside a lua_pcall; one outside is a bug of ours. */
static int panic(lua_State *L)
{
    fprintf(stderr, "ddim-lab: Lua error outside a protected call: %s\n", lua_tostring(L, -1));
    abort();
}

/* *value = the environment's variable, else fallback; 0, or -1 when it
 * is set but no number > 0. */
static int limit_from_environment(const char *variable, double fallback, double *value)
{
    const char *text = getenv(variable);
    *value = fallback;
    if (!text || !text[0])
        return 0;
    char *end;
    errno = 0;
    *value = strtod(text, &end);
    return *end || errno || !isfinite(*value) || *value <= 0 ? -1 : 0;
}

lua_State *sandbox_new(struct lua_sandbox *s, const char *path, const char *what, char *err, size_t errlen)
{
    double mib;
    memset(s, 0, sizeof *s);
    s->path = path;
    s->what = what;
    if (limit_from_environment(DDIM_LUA_SECONDS_VARIABLE, DDIM_LUA_SECONDS, &s->seconds) ||
        limit_from_environment(DDIM_LUA_MEMORY_VARIABLE, DDIM_LUA_MEMORY_MIB, &mib) || mib >= 1 << 30) {
        const char *seconds = getenv(DDIM_LUA_SECONDS_VARIABLE), *memory = getenv(DDIM_LUA_MEMORY_VARIABLE);
        snprintf(err, errlen, "%s: %s and %s must be numbers > 0 (seconds, MiB) when set, got '%s' and '%s'", path,
                 DDIM_LUA_SECONDS_VARIABLE, DDIM_LUA_MEMORY_VARIABLE, seconds ? seconds : "", memory ? memory : "");
        return NULL;
    }
    s->cap = (size_t)(mib * 1024 * 1024);
    lua_State *L = lua_newstate(capped_alloc, s);
    if (!L) {
        snprintf(err, errlen, "%s: not enough memory for a Lua state", path);
        return NULL;
    }
    lua_atpanic(L, panic);
    s->start = thread_seconds();
    lua_sethook(L, deadline_hook, LUA_MASKCOUNT, HOOK_INSTRUCTIONS);
    return L;
}

/* ---- messages ------------------------------------------------------------ */

/* Copies message to err as one line: require's "module not found"
 * message, for one, lists the places it looked on lines of their own. */
static void copy_one_line(char *err, size_t errlen, const char *message)
{
    size_t used = 0;
    for (; *message && used + 1 < errlen; message++) {
        if (*message == '\n') {
            while (message[1] == '\t' || message[1] == '\n')
                message++;
            if (used + 3 >= errlen)
                break;
            if (used > 0 && err[used - 1] != ':')
                err[used++] = ';';
            err[used++] = ' ';
        } else {
            err[used++] = *message;
        }
    }
    err[used] = '\0';
}

void sandbox_error(lua_State *L, const struct lua_sandbox *s, int status, char *err, size_t errlen)
{
    const char *message = lua_tostring(L, -1);
    if (s->expired)
        snprintf(err, errlen, "%s: %s ran for more than %g s of Lua time (the limit; %s sets another)", s->path,
                 s->what, s->seconds, DDIM_LUA_SECONDS_VARIABLE);
    else if (s->refused || status == LUA_ERRMEM)
        snprintf(err, errlen, "%s: %s used more than %g MiB of memory (the limit; %s sets another)", s->path,
                 s->what, (double)s->cap / (1024 * 1024), DDIM_LUA_MEMORY_VARIABLE);
    else if (message && strncmp(message, s->path, strlen(s->path)) == 0)
        copy_one_line(err, errlen, message);
    else if (message) {
        /* error("...", 0), assert(false), a module's error, a binary chunk refused: name the file. */
        int n = snprintf(err, errlen, "%s: ", s->path);
        if (n > 0 && (size_t)n < errlen)
            copy_one_line(err + n, errlen - (size_t)n, message);
    } else
        snprintf(err, errlen, "%s: the script raised a %s, not an error message", s->path, luaL_typename(L, -1));
}
