/* The Lua sandbox (runtime/lua/lua_sandbox.c, lua_sandbox_libs.c): each
 * way out of it that was found open is refused here with its one line,
 * the exact message asserted; and every experiment the project ships
 * still loads inside it. The limits are lowered through the environment
 * (DDIM_LUA_SECONDS, DDIM_LUA_MEMORY_MIB) so that the tests take seconds. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include "test_util.h"
#include "test_program.h"
#include "runtime/base/files.h"
#include "runtime/config/config.h"
#include "runtime/lua/lua_graph.h"
#include "runtime/lua/lua_sandbox.h"

/* Compiled Lua 5.4 starts with ESC "Lua" and the version byte; what
 * follows never gets read when the mode is "t". */
static const char bytecode[] = "\x1bLuaT\x00\x19\x93\r\n\x1a\n\x04\x08\x08xV\x00\x00\x00";

/* Writes source (size bytes) to the scratch directory as name; its path in path. */
static void write_file(void **state, const char *name, const char *source, size_t size, char path[256])
{
    scratch_path(path, state, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(source, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

/* Loading source as the experiment file `name` must fail with exactly
 * expected, a format whose first "%s" stands for the file's path, its
 * second for the scratch directory. */
static void assert_refused(void **state, const char *name, const char *source, const char *expected)
{
    char path[256], err[1024], want[1024];
    write_file(state, name, source, strlen(source), path);
    const struct scratch *scratch = *state;
    snprintf(want, sizeof want, expected, path, scratch->dir);
    struct experiment e;
    const int status = experiment_load(path, NULL, &e, err, sizeof err);
    if (status == 0)
        experiment_free(&e);
    assert_int_equal(status, -1);
    assert_string_equal(err, want);
}

static void test_sandbox_shipped_experiments_load(void **state)
{
    (void)state;
    DIR *d = opendir("experiments");
    assert_non_null(d);
    int loaded = 0;
    for (struct dirent *entry; (entry = readdir(d));) {
        const size_t length = strlen(entry->d_name);
        if (length < 5 || strcmp(entry->d_name + length - 4, ".lua") != 0)
            continue;
        char path[512], err[1024];
        snprintf(path, sizeof path, "experiments/%s", entry->d_name);
        struct experiment e;
        if (experiment_load(path, NULL, &e, err, sizeof err) != 0)
            fail_msg("%s no longer loads: %s", path, err);
        experiment_free(&e);
        loaded++;
    }
    closedir(d);
    assert_true(loaded >= 8); /* the 8 of today, none of which may be skipped unseen */
}

/* Bytecode is not checked by Lua: a file, a text, a module, load() and a
 * classifier's stored source all take text only, and string.dump is gone. */
static void test_sandbox_bytecode_is_refused(void **state)
{
    char path[256], err[1024], want[512];
    struct experiment e;
    assert_int_equal(experiment_load_text("text.lua", bytecode, sizeof bytecode - 1, NULL, &e, err, sizeof err), -1);
    assert_string_equal(err, "text.lua: attempt to load a binary chunk (mode is 't')");
    write_file(state, "compiled.lua", bytecode, sizeof bytecode - 1, path);
    assert_int_equal(experiment_load(path, NULL, &e, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: attempt to load a binary chunk (mode is 't')", path);
    assert_string_equal(err, want);
    write_file(state, "compiled_module.lua", bytecode, sizeof bytecode - 1, path);
    assert_refused(state, "requires_bytecode.lua", "local m = require 'compiled_module'\n",
                   "%s:1: error loading module 'compiled_module' from %s/compiled_module.lua: attempt to load a binary "
                   "chunk (mode is 't')");
}

/* As test_sandbox_bytecode_is_refused, inside the script and in a classifier. */
static void test_sandbox_load_takes_text_only(void **state)
{
    assert_refused(state, "load.lua", "error(select(2, load('\\27LuaT\\0')))\n",
                   "%s:1: attempt to load a binary chunk (mode is 't')");
    assert_refused(state, "load_b.lua", "error(select(2, load('\\27LuaT\\0', 'x', 'b')))\n",
                   "%s:1: attempt to load a binary chunk (mode is 't')");
    assert_refused(state, "load_env.lua", "error(load('return x', 'x', 't', {x = 'env kept'})())\n",
                   "%s:1: env kept");
    assert_refused(state, "dump.lua", "local b = string.dump(function() end)\n",
                   "%s:1: attempt to call a nil value (field 'dump')");
    struct classifier_network net;
    char err[1024];
    assert_int_equal(classifier_network_build("c.ddim", bytecode, sizeof bytecode - 1, &net, err, sizeof err), -1);
    assert_string_equal(err, "c.ddim: attempt to load a binary chunk (mode is 't')");
}

/* The finalizer, which printed a tensor whose graph lua_close had
 * freed: no __gc from a script. */
static void test_sandbox_gc_is_refused(void **state)
{
    assert_refused(state, "gc.lua",
                   "local ddim=require \"ddim\"; local x; local g=setmetatable({},{__gc=function() "
                   "print(tostring(x)) end}); x=ddim.input{28,28,1}; error(\"stop\")\n",
                   "%s:1: setmetatable: __gc metamethods are not allowed in an experiment file");
}

static int open_graph_module(lua_State *L)
{
    lua_newtable(L);
    ddim_graph_register(L);
    return 1;
}

/* A tensor whose graph went into a variant says so rather than reading it. */
static void test_sandbox_tensor_outlives_its_graph(void **state)
{
    (void)state;
    struct lua_sandbox sandbox;
    char err[256];
    lua_State *L = sandbox_new(&sandbox, "graph.lua", "the test", err, sizeof err);
    assert_non_null(L);
    sandbox_open_libraries(L, open_graph_module);
    assert_int_equal(luaL_loadstring(L, "x = ddim.input{28, 28, 1}\n"
                                        "local t = ddim.input{1, 1, 1}\n"
                                        "return ddim.model{inputs = {x, t}, output = x + t}\n"), LUA_OK);
    assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_OK);
    struct variant v;
    memset(&v, 0, sizeof v);
    ddim_model_move(L, -1, &v);
    assert_int_equal(luaL_loadstring(L, "return tostring(x)"), LUA_OK);
    assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_ERRRUN);
    assert_string_equal(lua_tostring(L, -1), "this tensor's graph is gone (its model was handed over or freed)");
    lua_close(L);
    graph_free(&v.graph);
}

#define OUT_OF_TIME "%s: the experiment file ran for more than 0.25 s of Lua time (the limit; DDIM_LUA_SECONDS " \
                    "sets another)"

/* Each loop is stopped, however it catches the error, and so is Lua code
 * the hooks would not see (an xpcall handler, a dead coroutine's __close). */
static void test_sandbox_time_limit(void **state)
{
    static const char *const loops[] = {
        "while true do end\n",
        "while true do pcall(function() while true do pcall(function() while true do end end) end end) end\n",
        "while true do coroutine.resume(coroutine.create(function() while true do pcall(function() "
        "while true do end end) end end)) end\n",
        "while true do xpcall(function() while true do end end, function() while true do end end) end\n",
        "local f = coroutine.wrap(function() local x <close> = setmetatable({}, {__close = function() "
        "while true do end end}); while true do end end)\nf()\n",
        "local co = coroutine.create(function() local x <close> = setmetatable({}, {__close = function() "
        "while true do end end}); while true do end end)\ncoroutine.resume(co)\ncoroutine.close(co)\n",
    };
    assert_int_equal(setenv(DDIM_LUA_SECONDS_VARIABLE, "0.25", 1), 0);
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "loop%zu.lua", i);
        assert_refused(state, name, loops[i], OUT_OF_TIME);
    }
    /* The command line: exit status 2 and the one line. */
    char path[256], out[2048], want[512];
    scratch_path(path, state, "loop0.lua");
    assert_int_equal(run_ddim_lab(NULL, "DDIM_LUA_SECONDS=0.25", path, out, sizeof out), 2);
    snprintf(want, sizeof want, "ddim-lab: " OUT_OF_TIME "\n", path);
    assert_string_equal(out, want);
    unsetenv(DDIM_LUA_SECONDS_VARIABLE);
}

static void test_sandbox_memory_limit(void **state)
{
    assert_refused(state, "big_string.lua", "local s = string.rep('x', 2^30)\n",
                   "%s: the experiment file used more than 1024 MiB of memory (the limit; DDIM_LUA_MEMORY_MIB sets "
                   "another)");
    assert_int_equal(setenv(DDIM_LUA_MEMORY_VARIABLE, "16", 1), 0);
    assert_refused(state, "big_table.lua", "local t = {}\nfor i = 1, 1e9 do t[i] = i end\n",
                   "%s: the experiment file used more than 16 MiB of memory (the limit; DDIM_LUA_MEMORY_MIB sets "
                   "another)");
    assert_int_equal(setenv(DDIM_LUA_MEMORY_VARIABLE, "lots", 1), 0);
    assert_refused(state, "any.lua", "return 1\n",
                   "%s: DDIM_LUA_SECONDS and DDIM_LUA_MEMORY_MIB must be numbers > 0 (seconds, MiB) when set, got "
                   "'' and 'lots'");
    unsetenv(DDIM_LUA_MEMORY_VARIABLE);
}

/* require finds modules beside the file and nowhere else; the package
 * functions that reach other files are gone, and so are io, os, dofile
 * and loadfile. */
static void test_sandbox_require_stays_beside_the_file(void **state)
{
    char path[256];
    write_file(state, "value.lua", "return 'beside'\n", 15, path);
    assert_refused(state, "found.lua", "error((require 'value'))\n", "%s:1: beside");
    assert_refused(state, "any_path.lua", "package.path = '/any/?.lua'; require 'evil'\n",
                   "%s:1: module 'evil' not found: no file '%s/evil.lua'");
    static const char *const names[] = { "../x", "/etc/passwd", "a/b", "a..b", ".a", "" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char source[128], expected[512];
        snprintf(source, sizeof source, "require '%s'\n", names[i]);
        snprintf(expected, sizeof expected, "%%s:1: require '%s': a module name is letters, digits and '_' between "
                 "dots (no '/', '..' or absolute path); modules come from the experiment file's directory", names[i]);
        assert_refused(state, "bad_name.lua", source, expected);
    }
    assert_refused(state, "searchpath.lua", "package.searchpath('passwd', '/etc/?')\n",
                   "%s:1: attempt to call a nil value (field 'searchpath')");
    assert_refused(state, "loadlib.lua", "package.loadlib('libc.so.6', 'system')\n",
                   "%s:1: attempt to call a nil value (field 'loadlib')");
    assert_refused(state, "cpath.lua", "error(tostring(package.cpath) .. ' ' .. #package.searchers)\n",
                   "%s:1: nil 1");
    assert_refused(state, "dofile.lua", "dofile('/etc/passwd')\n", "%s:1: attempt to call a nil value (global 'dofile')");
    assert_refused(state, "loadfile.lua", "loadfile('/etc/passwd')\n",
                   "%s:1: attempt to call a nil value (global 'loadfile')");
    assert_refused(state, "os.lua", "os.execute('true')\n", "%s:1: attempt to index a nil value (global 'os')");
    assert_refused(state, "io.lua", "io.open('/etc/passwd')\n", "%s:1: attempt to index a nil value (global 'io')");
}

/* math.random gives the same numbers at every load; the clock's seed is refused. */
static void test_sandbox_random_is_seeded(void **state)
{
    char path[256], first[1024], second[1024];
    const char source[] = "error(math.random(1 << 40) .. ' ' .. math.random())\n";
    write_file(state, "random.lua", source, strlen(source), path);
    struct experiment e;
    assert_int_equal(experiment_load(path, NULL, &e, first, sizeof first), -1);
    assert_int_equal(experiment_load(path, NULL, &e, second, sizeof second), -1);
    assert_string_equal(first, second);
    assert_refused(state, "clock_seed.lua", "math.randomseed()\n",
                   "%s:1: math.randomseed needs a seed in an experiment file (without one it takes the clock's, and "
                   "runs would differ)");
    assert_refused(state, "own_seed.lua", "math.randomseed(7)\nlocal a = math.random(1000)\nmath.randomseed(7)\n"
                   "error(a == math.random(1000) and 'same' or 'different')\n", "%s:4: same");
}

/* lib.NAME comes from the project's experiments/lib when the file's own
 * directory has no lib/NAME.lua: experiment files kept elsewhere use the
 * shipped networks, from the working directory's experiments/ or the one
 * beside the executable (installed, or in the build tree). */
static void test_sandbox_require_reaches_experiments_lib(void **state)
{
    assert_refused(state, "elsewhere.lua", "local nets = require 'lib.seed_nets'\nerror(type(nets.skip))\n",
                   "%s:2: function");
    char exe[1024], expected[4096];
    assert_int_equal(executable_dir(exe, sizeof exe), 0);
    snprintf(expected, sizeof expected,
             "%%s:1: module 'lib.missing' not found: no file '%%2$s/lib/missing.lua'; no file "
             "'experiments/lib/missing.lua'; no file '%s/../share/ddim-lab/experiments/lib/missing.lua'; no file "
             "'%s/../experiments/lib/missing.lua'", exe, exe);
    assert_refused(state, "missing.lua", "require 'lib.missing'\n", expected);
}

/* Lua patterns backtrack in C, out of the time limit's reach: the pattern
 * functions are gone and find searches plain text only. */
static void test_sandbox_patterns_are_refused(void **state)
{
    assert_refused(state, "pattern.lua", "string.find(string.rep('a', 30), string.rep('a*', 30) .. 'b')\n",
                   "%s:1: string.find: Lua patterns are not available in an experiment file (one can run for hours "
                   "where the time limit cannot stop it); search plain text with s:find(text, 1, true)");
    assert_refused(state, "match.lua", "local m = ('abc'):match('b')\n",
                   "%s:1: attempt to call a nil value (method 'match')");
    assert_refused(state, "plain.lua", "local a, b = ('hello world'):find('o w', 1, true)\nerror(a .. ',' .. b)\n",
                   "%s:2: 5,7");
}

size_t sandbox_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sandbox_shipped_experiments_load),
        cmocka_unit_test_setup_teardown(test_sandbox_bytecode_is_refused, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_sandbox_load_takes_text_only, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_sandbox_gc_is_refused, make_scratch, remove_scratch),
        cmocka_unit_test(test_sandbox_tensor_outlives_its_graph),
        cmocka_unit_test_setup_teardown(test_sandbox_time_limit, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_sandbox_memory_limit, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_sandbox_require_stays_beside_the_file, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_sandbox_random_is_seeded, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_sandbox_patterns_are_refused, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_sandbox_require_reaches_experiments_lib, make_scratch, remove_scratch),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
