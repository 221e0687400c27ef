/* lua_seed_layers.c: the `ddim` builders of the seed networks' layers:
 *
 *   ddim.dense(x, 784, {activation = "relu"})
 *   ddim.conv_transpose2d(x, 32, {stride = 2, activation = "relu"})
 *   ddim.reshape(x, {7, 7, 64}), ddim.flatten(x)
 *   ddim.add(a, b), also a + b
 *   ddim.relu(x), ddim.sigmoid(x), ddim.swish(x), ddim.linear(x)
 *
 * Each follows the layer protocol of lua_graph.c (begin_layer_on,
 * end_layer): errors name the caller's file:line. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "runtime/lua/lua_layers.h"

/* ddim.dense(x, units, {activation = "relu"}) */
static int ddim_dense(lua_State *L)
{
    static const char *const options[] = { "activation", NULL };
    int x;
    lua_Integer units = luaL_checkinteger(L, 2);
    luaL_argcheck(L, units >= 1 && units <= INT_MAX, 2, "the number of units must be a positive integer");
    check_option_keys(L, 3, "ddim.dense", options, "activation");
    enum activation act = option_activation(L, 3, "ddim.dense");
    lua_settop(L, 3);                                   /* x units options */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* x units options box */
    char what[64];
    snprintf(what, sizeof what, "dense(%d, %s)", (int)units, activation_name(act));
    return end_layer(L, graph_dense(&box->graph, x, (int)units, act), what);
}

/* ddim.conv_transpose2d(x, filters, {stride = 2, activation = "relu", kernel_size = 3}),
 * always with 'same' padding: the output is stride times the input's size. */
static int ddim_conv_transpose2d(lua_State *L)
{
    static const char *const options[] = { "activation", "stride", "kernel_size", NULL };
    const char *function = "ddim.conv_transpose2d";
    int x;
    lua_Integer filters = luaL_checkinteger(L, 2);
    luaL_argcheck(L, filters >= 1 && filters <= INT_MAX, 2, "the number of filters must be a positive integer");
    check_option_keys(L, 3, function, options, "activation, stride, kernel_size");
    enum activation act = option_activation(L, 3, function);
    int stride = option_integer(L, 3, "stride", 1, function);
    int kernel_size = option_integer(L, 3, "kernel_size", 3, function);
    if (kernel_size != 3)
        luaL_error(L, "%s: only kernel_size = 3 is implemented, got %d", function, kernel_size);
    lua_settop(L, 3);                                   /* x filters options */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* x filters options box */
    char what[64];
    snprintf(what, sizeof what, "conv_transpose2d(%d, s%d, %s)", (int)filters, stride, activation_name(act));
    return end_layer(L, graph_conv_transpose2d(&box->graph, x, (int)filters, stride, act), what);
}

/* ddim.reshape(x, {7, 7, 64}) */
static int ddim_reshape(lua_State *L)
{
    int x, dims[GRAPH_MAX_RANK];
    int rank = check_dims(L, 2, 0, dims, "ddim.reshape");
    lua_settop(L, 2);                                   /* x shape */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* x shape box */
    struct shape target = { .rank = rank, .batched = 1 };
    memcpy(target.dims, dims, sizeof dims);
    char what[64], shape[48];
    format_dims(&target, shape, sizeof shape);
    snprintf(what, sizeof what, "reshape(%s)", shape);
    return end_layer(L, graph_reshape(&box->graph, x, rank, dims), what);
}

/* ddim.flatten(x) */
static int ddim_flatten(lua_State *L)
{
    int x;
    lua_settop(L, 1);                                   /* x */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* x box */
    return end_layer(L, graph_flatten(&box->graph, x), "flatten");
}

/* ddim.add(a, b), also a + b: same shapes, or b one value per sample
 * (the seed's x + t). */
int ddim_add(lua_State *L)
{
    int a, b;
    lua_settop(L, 2);                                   /* a b */
    check_same_graph(L, check_tensor(L, 1, &a), check_tensor(L, 2, &b), "ddim.add");
    struct graph_box *box = begin_layer_on(L, 1, &a);   /* a b box */
    return end_layer(L, graph_add_layer(&box->graph, a, b), "add");
}

/* ddim.relu(x), ddim.sigmoid(x), ddim.swish(x) */
static int activation_layer(lua_State *L, enum activation act, const char *what)
{
    int x;
    lua_settop(L, 1);                                   /* x */
    struct graph_box *box = begin_layer_on(L, 1, &x);   /* x box */
    return end_layer(L, graph_activation(&box->graph, x, act), what);
}
static int ddim_relu(lua_State *L) { return activation_layer(L, ACTIVATION_RELU, "relu"); }
static int ddim_sigmoid(lua_State *L) { return activation_layer(L, ACTIVATION_SIGMOID, "sigmoid"); }
static int ddim_swish(lua_State *L) { return activation_layer(L, ACTIVATION_SWISH, "swish"); }

/* ddim.linear(x): the identity, x itself (as Keras' "linear" activation). */
static int ddim_linear(lua_State *L)
{
    int x;
    check_tensor(L, 1, &x);
    lua_settop(L, 1);
    return 1;
}

void ddim_seed_layers_register(lua_State *L)
{
    static const luaL_Reg functions[] = {
        { "dense", ddim_dense },
        { "conv_transpose2d", ddim_conv_transpose2d },
        { "reshape", ddim_reshape },
        { "flatten", ddim_flatten },
        { "add", ddim_add },
        { "relu", ddim_relu },
        { "sigmoid", ddim_sigmoid },
        { "swish", ddim_swish },
        { "linear", ddim_linear },
        { NULL, NULL },
    };
    luaL_setfuncs(L, functions, 0);
}
