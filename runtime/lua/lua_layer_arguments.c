/* lua_layer_arguments.c: the argument checks the `ddim` builders share
 * (lua_layers.h): descriptions of values for messages, options tables,
 * activations and shapes. Each raises a Lua error naming the function. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "runtime/lua/lua_layers.h"

/* "28x28x1" */
void format_dims(const struct shape *s, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < s->rank && used < size; i++) {
        int n = snprintf(out + used, size - used, i ? "x%d" : "%d", s->dims[i]);
        used += n > 0 ? (size_t)n : 0;
    }
}

/* Pushes a short description of the value at index for messages:
 * 2.5, 'three', table. */
const char *push_description(lua_State *L, int index)
{
    switch (lua_type(L, index)) {
    case LUA_TNUMBER:
    case LUA_TBOOLEAN:
        return luaL_tolstring(L, index, NULL);
    case LUA_TSTRING:
        return lua_pushfstring(L, "'%s'", lua_tostring(L, index));
    default:
        return lua_pushstring(L, luaL_typename(L, index));
    }
}

static int in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return 1;
    return 0;
}

/* Checks that the options table at arg (absent or nil: no options) has
 * only keys from valid. */
void check_option_keys(lua_State *L, int arg, const char *function, const char *const *valid,
                       const char *valid_text)
{
    if (lua_isnoneornil(L, arg))
        return;
    luaL_checktype(L, arg, LUA_TTABLE);
    lua_pushnil(L);                                     /* ... nil */
    while (lua_next(L, arg)) {                          /* ... key value */
        lua_pop(L, 1);                                  /* ... key */
        /* The type test comes first: lua_tostring on a number key would
         * change the key under lua_next. */
        if (lua_type(L, -1) != LUA_TSTRING || !in_list(lua_tostring(L, -1), valid))
            luaL_error(L, "%s: unknown option %s; the options are %s", function, push_description(L, -1),
                       valid_text);
    }
}

/* Options field `key` of the options table at arg as an integer; fallback
 * when there is no table or no such field. */
int option_integer(lua_State *L, int arg, const char *key, int fallback, const char *function)
{
    if (lua_isnoneornil(L, arg) || lua_getfield(L, arg, key) == LUA_TNIL) { /* ... value? */
        if (!lua_isnoneornil(L, arg))
            lua_pop(L, 1);
        return fallback;
    }
    int is_integer;
    lua_Integer value = lua_tointegerx(L, -1, &is_integer);
    if (lua_type(L, -1) != LUA_TNUMBER || !is_integer || value < INT_MIN || value > INT_MAX)
        luaL_error(L, "%s: %s must be an integer, got %s", function, key, push_description(L, -1));
    lua_pop(L, 1);                                      /* ... */
    return (int)value;
}

static const char *const activation_names[] = { "linear", "relu", "sigmoid", "swish", NULL };
static const enum activation activation_values[] = { ACTIVATION_NONE, ACTIVATION_RELU, ACTIVATION_SIGMOID,
                                                     ACTIVATION_SWISH };

const char *activation_name(enum activation act)
{
    for (int i = 0; activation_names[i]; i++)
        if (activation_values[i] == act)
            return activation_names[i];
    return "?";
}

/* The activation named by the value at index: nil (linear) or one of activation_names. */
static enum activation check_activation(lua_State *L, int index, const char *function)
{
    if (lua_isnil(L, index))
        return ACTIVATION_NONE;
    if (lua_type(L, index) == LUA_TSTRING)
        for (int i = 0; activation_names[i]; i++)
            if (strcmp(lua_tostring(L, index), activation_names[i]) == 0)
                return activation_values[i];
    luaL_error(L, "%s: activation must be one of \"linear\", \"relu\", \"sigmoid\", \"swish\", got %s", function,
               push_description(L, index));
    return ACTIVATION_NONE;
}

/* The `activation` of the options table at arg. */
enum activation option_activation(lua_State *L, int arg, const char *function)
{
    if (lua_isnoneornil(L, arg))
        return ACTIVATION_NONE;
    lua_getfield(L, arg, "activation");                 /* ... activation */
    enum activation act = check_activation(L, -1, function);
    lua_pop(L, 1);                                      /* ... */
    return act;
}

/* Reads a shape table {d1, ..., dn} at arg (sizes without the batch);
 * the only other key it may have is `name`, when allow_name. Returns n. */
int check_dims(lua_State *L, int arg, int allow_name, int *dims, const char *function)
{
    luaL_checktype(L, arg, LUA_TTABLE);
    int rank = (int)lua_rawlen(L, arg);
    if (rank < 1 || rank > GRAPH_MAX_RANK)
        luaL_error(L, "%s: a shape lists 1 to %d sizes (without the batch), e.g. {28, 28, 1}; got %d", function,
                   GRAPH_MAX_RANK, rank);
    for (int i = 0; i < rank; i++) {
        lua_rawgeti(L, arg, i + 1);                     /* ... size */
        int is_integer;
        lua_Integer size = lua_tointegerx(L, -1, &is_integer);
        if (lua_type(L, -1) != LUA_TNUMBER || !is_integer || size < 1 || size > INT_MAX)
            luaL_error(L, "%s: shape size %d must be a positive integer, got %s", function, i + 1,
                       push_description(L, -1));
        dims[i] = (int)size;
        lua_pop(L, 1);                                  /* ... */
    }
    lua_pushnil(L);                                     /* ... nil */
    while (lua_next(L, arg)) {                          /* ... key value */
        lua_pop(L, 1);                                  /* ... key */
        int is_integer;
        lua_Integer index = lua_tointegerx(L, -1, &is_integer);
        int is_size = lua_type(L, -1) == LUA_TNUMBER && is_integer && index >= 1 && index <= rank;
        int is_name = allow_name && lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "name") == 0;
        if (!is_size && !is_name)
            luaL_error(L, "%s: unexpected key %s in the shape; expected a list of sizes such as {28, 28, 1}%s",
                       function, push_description(L, -1), allow_name ? " and optionally name = \"...\"" : "");
    }
    return rank;
}
