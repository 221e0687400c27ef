/* lua_graph.c: ddim's functional graph API, in the spirit of Keras':
 *
 *   local x = ddim.input{28, 28, 1}
 *   local t = ddim.input{1, 1, 1}
 *   local s = ddim.dense(ddim.flatten(x + t), 784)
 *   local model = ddim.model{inputs = {x, t}, output = ddim.reshape(s, {28, 28, 1})}
 *
 * Three userdata types:
 *   ddim.graph   struct graph_box, the graph being built. Its user value is
 *                the list of its layers' summary lines. __gc frees the graph
 *                unless experiment_load has moved it into a struct variant.
 *   ddim.tensor  struct tensor, a node of a graph; user value: its box.
 *   ddim.model   struct model, the inputs and the output; user value: its box.
 * Tensors and models keep their box alive, so the graph of a network no
 * variant uses is freed by the garbage collector (at the latest by lua_close).
 *
 * The inputs of one network must share a graph, yet ddim.input has no
 * graph argument: the registry keeps the box being built under OPEN_GRAPH,
 * ddim.input adds to it, and ddim.model{} closes it so that the next
 * ddim.input starts a new one.
 *
 * Every builder stamps the caller's "file.lua:LINE" on the nodes it makes
 * (for the summary and later errors), and a layer that does not fit its
 * input raises "file.lua:LINE: <the graph's reason>".
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "runtime/lua/lua_graph.h"
#include "runtime/lua/lua_layers.h"

#define GRAPH_TYPE "ddim.graph"
#define TENSOR_TYPE "ddim.tensor"
#define MODEL_TYPE "ddim.model"
#define OPEN_GRAPH "ddim.open_graph"


struct tensor {
    int node;
};

struct model {
    int input_image, input_noise_level, output;
};

/* What a ddim model is: the noisy image and its noise level in, the
 * predicted noise out (batched shapes, without the batch). */
static const struct shape image_shape = { 3, { 28, 28, 1 }, 1 };
static const struct shape noise_level_shape = { 3, { 1, 1, 1 }, 1 };

/* ---- helpers ---------------------------------------------------------------- */

/* "file.lua:12": where the Lua code calling the running C function is. */
static void caller_location(lua_State *L, char *out, size_t size)
{
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
        snprintf(out, size, "%s:%d", ar.short_src, ar.currentline);
    else
        snprintf(out, size, "?");
}

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
static int check_dims(lua_State *L, int arg, int allow_name, int *dims, const char *function)
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

/* ---- tensors and their graphs --------------------------------------------- */

/* Pushes a new tensor for node of the box at box_index. */
static void push_tensor(lua_State *L, int box_index, int node)
{
    struct tensor *t = lua_newuserdatauv(L, sizeof *t, 1); /* ... tensor */
    t->node = node;
    luaL_setmetatable(L, TENSOR_TYPE);
    lua_pushvalue(L, box_index);                        /* ... tensor box */
    lua_setiuservalue(L, -2, 1);                        /* ... tensor */
}

/* The box of the tensor at index (which keeps it alive: nothing is left
 * on the stack), its node in *node; NULL when the value is no tensor. */
static struct graph_box *tensor_box(lua_State *L, int index, int *node)
{
    struct tensor *t = luaL_testudata(L, index, TENSOR_TYPE);
    if (!t)
        return NULL;
    *node = t->node;
    lua_getiuservalue(L, index, 1);                     /* ... box */
    struct graph_box *box = lua_touserdata(L, -1);
    lua_pop(L, 1);                                      /* ... */
    return box;
}

struct graph_box *check_tensor(lua_State *L, int arg, int *node)
{
    struct graph_box *box = tensor_box(L, arg, node);
    if (!box)
        luaL_typeerror(L, arg, "tensor");
    return box;
}

void check_same_graph(lua_State *L, const struct graph_box *a, const struct graph_box *b,
                      const char *function)
{
    if (a != b)
        luaL_error(L, "%s: tensors of different models: the first comes from the ddim.input at %s, the second "
                   "from the one at %s", function, a->origin, b->origin);
}

/* Pushes the box new inputs go to, making one when none is open. */
static struct graph_box *push_open_box(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, OPEN_GRAPH) != LUA_TNIL) /* ... box */
        return lua_touserdata(L, -1);
    lua_pop(L, 1);                                      /* ... */
    struct graph_box *box = lua_newuserdatauv(L, sizeof *box, 1); /* ... box */
    memset(box, 0, sizeof *box);
    graph_init(&box->graph);
    luaL_setmetatable(L, GRAPH_TYPE);                   /* from now on __gc frees the graph */
    lua_newtable(L);                                    /* ... box lines */
    lua_setiuservalue(L, -2, 1);                        /* ... box */
    lua_pushvalue(L, -1);                               /* ... box box */
    lua_setfield(L, LUA_REGISTRYINDEX, OPEN_GRAPH);     /* ... box */
    return box;
}

static int graph_box_gc(lua_State *L)
{
    struct graph_box *box = luaL_checkudata(L, 1, GRAPH_TYPE);
    graph_free(&box->graph);
    return 0;
}

/* Starts a layer: stamps the caller's line on the nodes to come and notes
 * the parameter count. The box must be on top of the stack (end_layer
 * expects it there). */
static void begin_layer(lua_State *L, struct graph_box *box)
{
    if (box->model[0])
        luaL_error(L, "this tensor belongs to the model made at %s; a network's layers all come before its "
                   "ddim.model{}", box->model);
    char location[GRAPH_LOCATION_SIZE];
    caller_location(L, location, sizeof location);
    graph_set_location(&box->graph, location);
    box->params_before = box->graph.param_floats;
}

/* Ends a layer whose box is on top of the stack: raises the graph's reason
 * when node is -1, else records the summary line `what` and returns the
 * output tensor (pushed) as the builder's one result. */
int end_layer(lua_State *L, int node, const char *what)
{
    int box_index = lua_gettop(L);
    struct graph_box *box = lua_touserdata(L, box_index);
    if (node < 0)
        return luaL_error(L, "%s", box->graph.error);
    char shape[64], line[GRAPH_LOCATION_SIZE + 128];
    format_dims(&box->graph.nodes[node].shape, shape, sizeof shape);
    snprintf(line, sizeof line, "%-32s %-10s %9zu  %s", what, shape, box->graph.param_floats - box->params_before,
             box->graph.location);
    lua_getiuservalue(L, box_index, 1);                 /* ... box lines */
    lua_pushstring(L, line);                            /* ... box lines line */
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1); /* ... box lines */
    lua_pop(L, 1);                                      /* ... box */
    push_tensor(L, box_index, node);                    /* ... box tensor */
    return 1;
}

/* Pushes the box of the tensor argument arg and begins a layer on it. */
struct graph_box *begin_layer_on(lua_State *L, int arg, int *node)
{
    struct graph_box *box = check_tensor(L, arg, node);
    lua_getiuservalue(L, arg, 1);                       /* ... box */
    begin_layer(L, box);
    return box;
}

/* ---- the builders ------------------------------------------------------------ */

/* ddim.input{28, 28, 1, name = "x"} */
static int ddim_input(lua_State *L)
{
    int dims[GRAPH_MAX_RANK];
    int rank = check_dims(L, 1, 1, dims, "ddim.input");
    lua_getfield(L, 1, "name");                         /* shape name */
    if (!lua_isnil(L, 2) && lua_type(L, 2) != LUA_TSTRING)
        luaL_error(L, "ddim.input: name must be a string, got %s", push_description(L, 2));
    struct graph_box *box = push_open_box(L);           /* shape name box */
    char name[32];
    snprintf(name, sizeof name, "%s", lua_isnil(L, 2) ? "" : lua_tostring(L, 2));
    if (!name[0])
        snprintf(name, sizeof name, "input_%d", box->input_count + 1);
    begin_layer(L, box);
    if (!box->origin[0])
        snprintf(box->origin, sizeof box->origin, "%s", box->graph.location);
    int node = graph_input(&box->graph, name, rank, dims);
    box->input_count += node >= 0;
    char what[64];
    snprintf(what, sizeof what, "input '%s'", name);
    return end_layer(L, node, what);
}

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
static int ddim_add(lua_State *L)
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

/* ---- models -------------------------------------------------------------------- */

/* The tensor at index, named `what` in messages; its box. */
static struct graph_box *model_tensor(lua_State *L, int index, const char *what, int *node)
{
    struct graph_box *box = tensor_box(L, index, node);
    if (!box)
        luaL_error(L, "ddim.model: %s must be a tensor, got %s", what, push_description(L, index));
    return box;
}

/* Checks that node is an input of the expected shape. */
static void check_model_input(lua_State *L, const struct graph_box *box, int node, const char *what,
                              const struct shape *expected, const char *role)
{
    const struct node *n = &box->graph.nodes[node];
    if (n->op != OP_INPUT || !shape_equal(&n->shape, expected)) {
        char want[48], got[48];
        format_dims(expected, want, sizeof want);
        format_dims(&n->shape, got, sizeof got);
        luaL_error(L, "ddim.model: %s must be %s, a ddim.input of shape %s; got %s of shape %s (made at %s)", what,
                   role, want, n->op == OP_INPUT ? "an input" : "a layer's output", got, n->location);
    }
}

/* ddim.model{inputs = {image, noise_level}, output = predicted_noise} */
static int ddim_model(lua_State *L)
{
    static const char *const keys[] = { "inputs", "output", NULL };
    luaL_checktype(L, 1, LUA_TTABLE);
    check_option_keys(L, 1, "ddim.model", keys, "inputs, output");
    lua_settop(L, 1);                                   /* spec */
    lua_getfield(L, 1, "inputs");                       /* spec inputs */
    if (!lua_istable(L, 2) || lua_rawlen(L, 2) != 2)
        luaL_error(L, "ddim.model: inputs must be {image, noise_level}, the two ddim.input tensors "
                   "(28x28x1 and 1x1x1)");
    lua_rawgeti(L, 2, 1);                               /* spec inputs image */
    lua_rawgeti(L, 2, 2);                               /* spec inputs image noise_level */
    lua_getfield(L, 1, "output");                       /* spec inputs image noise_level output */
    struct model m;
    struct graph_box *box = model_tensor(L, 3, "inputs[1]", &m.input_image);
    check_same_graph(L, box, model_tensor(L, 4, "inputs[2]", &m.input_noise_level), "ddim.model");
    check_same_graph(L, box, model_tensor(L, 5, "output", &m.output), "ddim.model");
    if (box->model[0])
        luaL_error(L, "ddim.model: these tensors already make the model of %s", box->model);
    check_model_input(L, box, m.input_image, "inputs[1]", &image_shape, "the image");
    check_model_input(L, box, m.input_noise_level, "inputs[2]", &noise_level_shape, "the noise level");
    const struct shape *out = &box->graph.nodes[m.output].shape;
    if (!shape_equal(out, &image_shape)) {
        char got[48];
        format_dims(out, got, sizeof got);
        luaL_error(L, "ddim.model: output must have the image's shape 28x28x1 (it is the predicted noise), got %s",
                   got);
    }
    if (box->input_count != 2)
        luaL_error(L, "ddim.model: the graph has %d inputs, expected the 2 in inputs (the first at %s); was an "
                   "earlier network left without its ddim.model{}?", box->input_count, box->origin);

    struct model *model = lua_newuserdatauv(L, sizeof *model, 1); /* spec inputs image noise_level output model */
    *model = m;
    luaL_setmetatable(L, MODEL_TYPE);
    lua_getiuservalue(L, 3, 1);                         /* ... output model box */
    lua_setiuservalue(L, -2, 1);                        /* ... output model */
    close_graph(L, box);
    return 1;
}

void close_graph(lua_State *L, struct graph_box *box)
{
    caller_location(L, box->model, sizeof box->model);
    /* Closed: the next ddim.input starts a new graph. */
    lua_pushnil(L);                                     /* ... nil */
    lua_setfield(L, LUA_REGISTRYINDEX, OPEN_GRAPH);     /* ... */
}

/* The box of the model at index; nothing is left on the stack. */
static struct graph_box *model_box(lua_State *L, int index)
{
    lua_getiuservalue(L, index, 1);                     /* ... box */
    struct graph_box *box = lua_touserdata(L, -1);
    lua_pop(L, 1);                                      /* ... */
    return box;
}

int ddim_is_model(lua_State *L, int index)
{
    return luaL_testudata(L, index, MODEL_TYPE) != NULL;
}

void ddim_model_push_summary(lua_State *L, int index, const char *indent)
{
    index = lua_absindex(L, index);
    struct graph_box *box = model_box(L, index);
    lua_getiuservalue(L, index, 1);                     /* ... box */
    lua_getiuservalue(L, -1, 1);                        /* ... box lines */
    int lines = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    char header[256 + GRAPH_LOCATION_SIZE];
    snprintf(header, sizeof header, "%smodel made at %s: %zu parameters\n%s%-32s %-10s %9s  %s\n", indent, box->model,
             box->graph.param_floats, indent, "layer", "output", "params", "written at");
    luaL_addstring(&b, header);
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, lines); i++) {
        luaL_addstring(&b, indent);
        lua_rawgeti(L, lines, i);                       /* ... box lines <buffer> line */
        luaL_addvalue(&b);
        luaL_addchar(&b, '\n');
    }
    luaL_pushresult(&b);                                /* ... box lines summary */
    lua_replace(L, -3);                                 /* ... summary lines */
    lua_pop(L, 1);                                      /* ... summary */
}

void ddim_model_move(lua_State *L, int index, struct variant *v)
{
    const struct model *m = lua_touserdata(L, index);
    struct graph_box *box = model_box(L, index);
    v->graph = box->graph;
    v->input_image = m->input_image;
    v->input_noise_level = m->input_noise_level;
    v->output = m->output;
    graph_init(&box->graph); /* empty: its __gc has nothing left to free */
}

static int tensor_tostring(lua_State *L)
{
    int node;
    struct graph_box *box = check_tensor(L, 1, &node);
    char shape[48];
    format_dims(&box->graph.nodes[node].shape, shape, sizeof shape);
    lua_pushfstring(L, "tensor %s (made at %s)", shape, box->graph.nodes[node].location);
    return 1;
}

static int model_tostring(lua_State *L)
{
    luaL_checkudata(L, 1, MODEL_TYPE);
    struct graph_box *box = model_box(L, 1);
    lua_pushfstring(L, "model of %s (%I parameters)", box->model, (lua_Integer)box->graph.param_floats);
    return 1;
}

void ddim_graph_register(lua_State *L)
{
    static const luaL_Reg functions[] = {
        { "input", ddim_input },
        { "dense", ddim_dense },
        { "conv_transpose2d", ddim_conv_transpose2d },
        { "reshape", ddim_reshape },
        { "flatten", ddim_flatten },
        { "add", ddim_add },
        { "relu", ddim_relu },
        { "sigmoid", ddim_sigmoid },
        { "swish", ddim_swish },
        { "linear", ddim_linear },
        { "model", ddim_model },
        { NULL, NULL },
    };
    /* module */
    luaL_newmetatable(L, GRAPH_TYPE);                   /* module meta */
    lua_pushcfunction(L, graph_box_gc);
    lua_setfield(L, -2, "__gc");
    luaL_newmetatable(L, TENSOR_TYPE);                  /* module meta meta */
    lua_pushcfunction(L, ddim_add);
    lua_setfield(L, -2, "__add");                       /* x + t */
    lua_pushcfunction(L, tensor_tostring);
    lua_setfield(L, -2, "__tostring");
    luaL_newmetatable(L, MODEL_TYPE);                   /* module meta meta meta */
    lua_pushcfunction(L, model_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 3);                                      /* module */
    luaL_setfuncs(L, functions, 0);
    ddim_unet_register(L);
    ddim_classifier_register(L);
}
