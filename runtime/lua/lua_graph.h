/* lua_graph.h: the graph half of the `ddim` Lua module (ddim.input,
 * ddim.dense, ..., ddim.model), and what the experiment loader needs to
 * know about the models a script made. */
#ifndef DDIM_LUA_GRAPH_H
#define DDIM_LUA_GRAPH_H

#include <lua.h>
#include <lauxlib.h>
#include "runtime/config/config.h"

/* Adds the graph functions to the module table on top of the stack. */
void ddim_graph_register(lua_State *L);

/* Whether the value at index is a model made by ddim.model{}. */
int ddim_is_model(lua_State *L, int index);

/* Pushes the summary of the model at index: one line per layer (what,
 * output shape, parameters, where it was written), each line starting
 * with indent, then a line with the total. */
void ddim_model_push_summary(lua_State *L, int index, const char *indent);

/* Moves the graph of the model at index into v (graph and node ids); the
 * model no longer frees it. Raises no error, so that the caller can do it
 * after every check has passed. */
void ddim_model_move(lua_State *L, int index, struct variant *v);

/* Whether the value at index is a classifier made by ddim.classifier{}
 * (lua_classifier.c). */
int ddim_is_classifier(lua_State *L, int index);

/* Moves the graph of the classifier at index into out, as ddim_model_move. */
void ddim_classifier_move(lua_State *L, int index, struct classifier_network *out);

#endif
