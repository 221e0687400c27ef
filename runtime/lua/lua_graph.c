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
 * input raises "file.lua:LINE: <the graph's reason>". The layers' builders
 * live in lua_seed_layers.c, lua_image_layers.c and lua_classifier.c, on
 * the protocol of lua_layers.h (begin_layer_on, end_layer).
 */
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

/* "file.lua:12": where the Lua code calling the running C function is. */
static void caller_location(lua_State *L, char *out, size_t size)
{
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
        snprintf(out, size, "%s:%d", ar.short_src, ar.currentline);
    else
        snprintf(out, size, "?");
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
 * on the stack), its node in *node; NULL when the value is no tensor.
 * Raises when the graph is gone: moved into a variant, or freed by its
 * __gc as lua_close frees the state (a box's __gc may run first). */
static struct graph_box *tensor_box(lua_State *L, int index, int *node)
{
    struct tensor *t = luaL_testudata(L, index, TENSOR_TYPE);
    if (!t)
        return NULL;
    *node = t->node;
    lua_getiuservalue(L, index, 1);                     /* ... box */
    struct graph_box *box = lua_touserdata(L, -1);
    lua_pop(L, 1);                                      /* ... */
    if (t->node >= box->graph.count)
        luaL_error(L, "this tensor's graph is gone (its model was handed over or freed)");
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

/* ---- the graph's inputs ------------------------------------------------------ */

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
    /* The module's fields in the order they have always been set. */
    lua_pushcfunction(L, ddim_input);
    lua_setfield(L, -2, "input");
    ddim_seed_layers_register(L);
    lua_pushcfunction(L, ddim_model);
    lua_setfield(L, -2, "model");
    ddim_image_layers_register(L);
    ddim_classifier_register(L);
}
