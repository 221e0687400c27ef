/* lua_classifier.c: the model of an MNIST classifier (experiments/lib/classifier.lua):
 *
 *   local images = ddim.input{28, 28, 1, name = "image"}
 *   ...
 *   local features = ddim.dense(ddim.flatten(x), 128, {activation = "relu"})
 *   local logits = ddim.dense(features, 10)
 *   return ddim.classifier{input = images, features = features, output = logits}
 *
 * A denoiser's ddim.model{} has another contract (an image and its noise
 * level in, the noise out), checked where an experiment writes it; this
 * one is the classifier's: one 28x28x1 image in, flat logits out, and the
 * flat penultimate layer whose activations the sample metrics compare.
 * The userdata "ddim.classifier" holds the three node ids; its user value
 * is the graph's box, which ddim_classifier_move empties into C. */
#include <stdio.h>
#include <string.h>
#include "runtime/lua/lua_graph.h"
#include "runtime/lua/lua_layers.h"

#define CLASSIFIER_TYPE "ddim.classifier"

struct classifier_model {
    int input, features, output;
};

/* The field `what` of the spec, at index, as a tensor: its box. (A
 * "ddim.tensor", lua_graph.c's type, tested first: check_tensor would name
 * an argument number, not the field.) */
static struct graph_box *spec_tensor(lua_State *L, int index, const char *what, int *node)
{
    struct graph_box *box = luaL_testudata(L, index, "ddim.tensor") ? check_tensor(L, index, node) : NULL;
    if (!box)
        luaL_error(L, "ddim.classifier: %s must be a tensor, got %s", what, push_description(L, index));
    return box;
}

/* Raises unless node is batched and flat, (batch, n). */
static void check_flat(lua_State *L, const struct graph *g, int node, const char *what, const char *role)
{
    const struct shape *s = &g->nodes[node].shape;
    if (!s->batched || s->rank != 1) {
        char dims[48];
        format_dims(s, dims, sizeof dims);
        luaL_error(L, "ddim.classifier: %s must be %s, flat (batch, n); got shape %s (made at %s): flatten it or "
                   "add a dense layer", what, role, dims, g->nodes[node].location);
    }
}

/* ddim.classifier{input = images, features = h, output = logits} */
static int ddim_classifier(lua_State *L)
{
    static const char *const keys[] = { "input", "features", "output", NULL };
    static const struct shape image_shape = { 3, { 28, 28, 1 }, 1 };
    luaL_checktype(L, 1, LUA_TTABLE);
    check_option_keys(L, 1, "ddim.classifier", keys, "input, features, output");
    lua_settop(L, 1);                                   /* spec */
    lua_getfield(L, 1, "input");                        /* spec input */
    lua_getfield(L, 1, "features");                     /* spec input features */
    lua_getfield(L, 1, "output");                       /* spec input features output */
    struct classifier_model m;
    struct graph_box *box = spec_tensor(L, 2, "input", &m.input);
    check_same_graph(L, box, spec_tensor(L, 3, "features", &m.features), "ddim.classifier");
    check_same_graph(L, box, spec_tensor(L, 4, "output", &m.output), "ddim.classifier");
    if (box->model[0])
        luaL_error(L, "ddim.classifier: these tensors already make the model of %s", box->model);
    const struct graph *g = &box->graph;
    if (g->nodes[m.input].op != OP_INPUT || !shape_equal(&g->nodes[m.input].shape, &image_shape)) {
        char dims[48];
        format_dims(&g->nodes[m.input].shape, dims, sizeof dims);
        luaL_error(L, "ddim.classifier: input must be a ddim.input of shape 28x28x1 (an MNIST digit); got %s of "
                   "shape %s", g->nodes[m.input].op == OP_INPUT ? "an input" : "a layer's output", dims);
    }
    check_flat(L, g, m.features, "features", "the penultimate layer");
    check_flat(L, g, m.output, "output", "the logits");
    if (box->input_count != 1)
        luaL_error(L, "ddim.classifier: the graph has %d inputs, expected the image alone (the first input is at %s)",
                   box->input_count, box->origin);

    struct classifier_model *model = lua_newuserdatauv(L, sizeof *model, 1); /* spec input features output model */
    *model = m;
    luaL_setmetatable(L, CLASSIFIER_TYPE);
    lua_getiuservalue(L, 2, 1);                         /* ... model box */
    lua_setiuservalue(L, -2, 1);                        /* ... model */
    close_graph(L, box);
    return 1;
}

int ddim_is_classifier(lua_State *L, int index)
{
    return luaL_testudata(L, index, CLASSIFIER_TYPE) != NULL;
}

void ddim_classifier_move(lua_State *L, int index, struct classifier_network *out)
{
    const struct classifier_model *m = lua_touserdata(L, index);
    lua_getiuservalue(L, index, 1);                     /* ... box */
    struct graph_box *box = lua_touserdata(L, -1);
    lua_pop(L, 1);                                      /* ... */
    out->graph = box->graph;
    out->input = m->input;
    out->features = m->features;
    out->logits = m->output;
    graph_init(&box->graph); /* empty: its __gc has nothing left to free */
}

void ddim_classifier_register(lua_State *L)
{
    luaL_newmetatable(L, CLASSIFIER_TYPE);              /* module meta */
    lua_pop(L, 1);                                      /* module */
    lua_pushcfunction(L, ddim_classifier);
    lua_setfield(L, -2, "classifier");
}
