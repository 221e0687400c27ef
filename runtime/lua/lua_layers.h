/* lua_layers.h: what a file of layer builders for the `ddim` module needs:
 * the argument checks (lua_layer_arguments.c) and the layer protocol
 * (lua_graph.c), so that the seed networks' builders (lua_seed_layers.c),
 * the U-Net's (lua_image_layers.c) and the classifier's model
 * (lua_classifier.c) live beside, not inside, the graph's userdata. */
#ifndef DDIM_LUA_LAYERS_H
#define DDIM_LUA_LAYERS_H

#include <lua.h>
#include <lauxlib.h>
#include "runtime/graph/graph.h"

/* The graph being built, a userdata (see lua_graph.c). */
struct graph_box {
    struct graph graph;
    int input_count;
    size_t params_before;               /* graph.param_floats when the current layer began */
    char origin[GRAPH_LOCATION_SIZE];   /* where its first ddim.input was written */
    char model[GRAPH_LOCATION_SIZE];    /* where ddim.model{} closed it; "" while open */
};

/* ---- argument checks (lua_layer_arguments.c) ---- */

/* A short description of the value at index for messages ("a string", "nil"...), pushed. */
const char *push_description(lua_State *L, int index);
/* Raises unless every key of the options table at arg (absent or nil: none) is in valid. */
void check_option_keys(lua_State *L, int arg, const char *function, const char *const *valid,
                       const char *valid_text);
/* Integer option `key` of the options table at arg, or fallback. */
int option_integer(lua_State *L, int arg, const char *key, int fallback, const char *function);
/* The `activation` option ("linear", "relu", "sigmoid", "swish"). */
enum activation option_activation(lua_State *L, int arg, const char *function);
const char *activation_name(enum activation act);
/* Reads a shape table {d1, ..., dn} at arg (sizes without the batch) into
 * dims; the only other key it may have is `name`, when allow_name.
 * Returns n. */
int check_dims(lua_State *L, int arg, int allow_name, int *dims, const char *function);
/* "28x28x1": a shape's sizes without the batch, for messages. */
void format_dims(const struct shape *s, char *out, size_t size);

/* ---- the layer protocol (lua_graph.c) ---- */

/* The tensor argument arg (raises if it is not one): its box and node. */
struct graph_box *check_tensor(lua_State *L, int arg, int *node);
void check_same_graph(lua_State *L, const struct graph_box *a, const struct graph_box *b,
                      const char *function);
/* A layer: begin_layer_on pushes the box of tensor arg and stamps the
 * caller's location; end_layer (box on top) raises the graph's reason when
 * node is -1, else records the summary line `what` and returns the new
 * tensor as the builder's one result. */
struct graph_box *begin_layer_on(lua_State *L, int arg, int *node);
int end_layer(lua_State *L, int node, const char *what);
/* Closes box's graph as a model written at the caller's line: its tensors
 * take no more layers, and the next ddim.input starts a new graph. */
void close_graph(lua_State *L, struct graph_box *box);

/* ---- the builders ---- */

/* ddim.add(a, b) (lua_seed_layers.c), also the tensors' + (their __add). */
int ddim_add(lua_State *L);
/* Add the builders of lua_seed_layers.c (ddim.dense, ddim.conv_transpose2d,
 * ...) and of lua_image_layers.c (the U-Net's) to the module table on top
 * of the stack. */
void ddim_seed_layers_register(lua_State *L);
void ddim_image_layers_register(lua_State *L);
/* Adds ddim.classifier (lua_classifier.c) to the module table on top of the stack. */
void ddim_classifier_register(lua_State *L);

#endif
