/* lua_image_layers.c: the `ddim` builders of the Keras example's residual U-Net:
 *
 *   ddim.conv2d(x, 32, {kernel_size = 3, activation = "swish"})
 *   ddim.conv2d(x, 1, {kernel_size = 1, kernel_initializer = "zeros"})
 *   ddim.concat{a, b}            channels of a, then of b
 *   ddim.avg_pool2(x)            AveragePooling2D(pool_size=2)
 *   ddim.upsample2(x)            UpSampling2D(size=2, interpolation="bilinear")
 *   ddim.sinusoidal_embedding(t, {channels = 32, min_frequency = 1, max_frequency = 1000})
 *   ddim.upsample_nearest(e, {28, 28})   a 1x1 map copied to every pixel
 *   ddim.batch_norm(x, {momentum = 0.99, epsilon = 1e-3})   without scale and center
 *
 * Each follows the layer protocol of lua_graph.c (begin_layer_on,
 * end_layer): errors name the caller's file:line. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "runtime/lua/lua_layers.h"

/* ddim.conv2d(x, filters, {kernel_size = 3, activation = ..., kernel_initializer = "glorot_uniform"}) */
static int ddim_conv2d(lua_State *L)
{
    static const char *const options[] = { "activation", "kernel_size", "kernel_initializer", NULL };
    const char *function = "ddim.conv2d";
    int x;
    lua_Integer filters = luaL_checkinteger(L, 2);
    luaL_argcheck(L, filters >= 1 && filters <= INT_MAX, 2, "the number of filters must be a positive integer");
    check_option_keys(L, 3, function, options, "activation, kernel_size, kernel_initializer");
    enum activation act = option_activation(L, 3, function);
    int kernel = option_integer(L, 3, "kernel_size", 3, function);
    int zero_kernel = 0;
    if (!lua_isnoneornil(L, 3) && lua_getfield(L, 3, "kernel_initializer") != LUA_TNIL) { /* ... init */
        const char *init = lua_tostring(L, -1);
        if (lua_type(L, -1) != LUA_TSTRING || (strcmp(init, "zeros") != 0 && strcmp(init, "glorot_uniform") != 0))
            luaL_error(L, "%s: kernel_initializer must be \"glorot_uniform\" or \"zeros\", got %s", function,
                       push_description(L, -1));
        zero_kernel = strcmp(init, "zeros") == 0;
        lua_pop(L, 1);                                  /* ... */
    }
    lua_settop(L, 3);                                   /* x filters options */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* x filters options box */
    char what[64];
    snprintf(what, sizeof what, "conv2d(%d, %dx%d, %s%s)", (int)filters, kernel, kernel, activation_name(act),
             zero_kernel ? ", zeros" : "");
    return end_layer(L, graph_conv2d(&box->graph, x, (int)filters, kernel, act, zero_kernel), what);
}

/* ddim.concat{a, b} */
static int ddim_concat(lua_State *L)
{
    int a, b;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argcheck(L, lua_rawlen(L, 1) == 2, 1, "ddim.concat takes a list of two tensors");
    lua_settop(L, 1);                                   /* list */
    lua_rawgeti(L, 1, 1);                               /* list a */
    lua_rawgeti(L, 1, 2);                               /* list a b */
    check_same_graph(L, check_tensor(L, 2, &a), check_tensor(L, 3, &b), "ddim.concat");
    struct graph_box *box = begin_layer_on(L, 2, &a);   /* list a b box */
    return end_layer(L, graph_concat(&box->graph, a, b), "concat");
}

/* ddim.avg_pool2(x), ddim.upsample2(x): one tensor in, no options. */
static int one_tensor_layer(lua_State *L, int (*build)(struct graph *, int), const char *what)
{
    int x;
    lua_settop(L, 1);                                   /* x */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* x box */
    return end_layer(L, build(&box->graph, x), what);
}

static int ddim_avg_pool2(lua_State *L) { return one_tensor_layer(L, graph_avg_pool2, "avg_pool2"); }
static int ddim_upsample2(lua_State *L) { return one_tensor_layer(L, graph_upsample2, "upsample2 (bilinear)"); }

/* Number option `key` of the table at arg, or fallback. */
static float option_number(lua_State *L, int arg, const char *key, float fallback, const char *function)
{
    if (lua_isnoneornil(L, arg) || lua_getfield(L, arg, key) == LUA_TNIL) { /* ... value? */
        if (!lua_isnoneornil(L, arg))
            lua_pop(L, 1);
        return fallback;
    }
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_error(L, "%s: %s must be a number, got %s", function, key, push_description(L, -1));
    float value = (float)lua_tonumber(L, -1);
    lua_pop(L, 1);                                      /* ... */
    return value;
}

/* ddim.sinusoidal_embedding(t, {channels = 32, min_frequency = 1, max_frequency = 1000}) */
static int ddim_sinusoidal_embedding(lua_State *L)
{
    static const char *const options[] = { "channels", "min_frequency", "max_frequency", NULL };
    const char *function = "ddim.sinusoidal_embedding";
    int x;
    check_option_keys(L, 2, function, options, "channels, min_frequency, max_frequency");
    int channels = option_integer(L, 2, "channels", 32, function);
    float low = option_number(L, 2, "min_frequency", 1.0f, function);
    float high = option_number(L, 2, "max_frequency", 1000.0f, function);
    lua_settop(L, 2);                                   /* t options */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* t options box */
    char what[64];
    snprintf(what, sizeof what, "sinusoidal_embedding(%d, %g..%g)", channels, (double)low, (double)high);
    return end_layer(L, graph_sinusoidal_embedding(&box->graph, x, channels, low, high), what);
}

/* ddim.upsample_nearest(e, {28, 28}): a 1x1 map to every pixel of h x w. */
static int ddim_upsample_nearest(lua_State *L)
{
    const char *function = "ddim.upsample_nearest";
    int x;
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_settop(L, 2);                                   /* x size */
    lua_rawgeti(L, 2, 1);                               /* x size h */
    lua_rawgeti(L, 2, 2);                               /* x size h w */
    int is_h, is_w;
    lua_Integer h = lua_tointegerx(L, 3, &is_h), w = lua_tointegerx(L, 4, &is_w);
    if (!is_h || !is_w || lua_rawlen(L, 2) != 2 || h < 1 || w < 1 || h > INT_MAX || w > INT_MAX)
        luaL_error(L, "%s: the size is a list of two positive integers, {height, width}", function);
    lua_settop(L, 2);                                   /* x size */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* x size box */
    char what[64];
    snprintf(what, sizeof what, "upsample_nearest(%dx%d)", (int)h, (int)w);
    return end_layer(L, graph_upsample_nearest(&box->graph, x, (int)h, (int)w), what);
}

/* ddim.batch_norm(x, {momentum = 0.99, epsilon = 1e-3}): Keras'
 * BatchNormalization(center=False, scale=False) with its defaults. */
static int ddim_batch_norm(lua_State *L)
{
    static const char *const options[] = { "momentum", "epsilon", NULL };
    const char *function = "ddim.batch_norm";
    int x;
    check_option_keys(L, 2, function, options, "momentum, epsilon");
    float momentum = option_number(L, 2, "momentum", 0.99f, function);
    float epsilon = option_number(L, 2, "epsilon", 1e-3f, function);
    lua_settop(L, 2);                                   /* x options */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* x options box */
    char what[64];
    snprintf(what, sizeof what, "batch_norm(%g, %g)", (double)momentum, (double)epsilon);
    return end_layer(L, graph_batch_norm(&box->graph, x, momentum, epsilon), what);
}

void ddim_image_layers_register(lua_State *L)
{
    static const luaL_Reg functions[] = {
        { "conv2d", ddim_conv2d },
        { "concat", ddim_concat },
        { "avg_pool2", ddim_avg_pool2 },
        { "upsample2", ddim_upsample2 },
        { "sinusoidal_embedding", ddim_sinusoidal_embedding },
        { "upsample_nearest", ddim_upsample_nearest },
        { "batch_norm", ddim_batch_norm },
        { NULL, NULL },
    };
    luaL_setfuncs(L, functions, 0);
}
