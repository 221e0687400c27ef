/* lua_resolved.c: the resolved config of an experiment as Lua source
 * (lua_experiment.h), what a run saves as config.lua and in each
 * checkpoint. It is an experiment file itself:
 *
 *   -- experiments/x.lua, resolved by ddim-lab 0.1.0: ...
 *   -- Options: --quick
 *   local ddim = require "ddim"
 *   return ddim.experiment {
 *     name = "x",
 *     seeds = { 1, 2, 3 },
 *     variants = {
 *       {
 *         name = "skip",
 *         model = ddim.model_of("experiments/x.lua", "skip"),
 *         train = { epochs = 1, ... },   -- every field, as the run used it
 *         diffusion = { ... },
 *         sample = { ... },
 *         -- the model's layers, shapes, parameters and source lines
 *       },
 *     },
 *   }
 *
 * Every field is written, so the settings the run used, and not the
 * defaults or the original file's, are what a rerun trains with; the
 * network alone comes from the original file, through ddim.model_of. */
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include "runtime/config/config_fields.h"
#include "runtime/lua/lua_experiment.h"
#include "runtime/lua/lua_graph.h"

#ifndef DDIM_VERSION
#define DDIM_VERSION "?"
#endif

/* Appends text as a Lua string literal: quotes, backslashes and control
 * characters escaped. */
static void add_string_literal(luaL_Buffer *b, const char *text)
{
    luaL_addchar(b, '"');
    for (const char *c = text; *c; c++) {
        if (*c == '"' || *c == '\\')
            luaL_addchar(b, '\\');
        if ((unsigned char)*c < ' ') {
            char escape[8];
            snprintf(escape, sizeof escape, "\\%03d", (unsigned char)*c);
            luaL_addstring(b, escape);
        } else {
            luaL_addchar(b, *c);
        }
    }
    luaL_addchar(b, '"');
}

/* Appends `key = "text",` on a line of its own. */
static void add_string_field(luaL_Buffer *b, const char *key, const char *text)
{
    luaL_addstring(b, "      ");
    luaL_addstring(b, key);
    luaL_addstring(b, " = ");
    add_string_literal(b, text);
    luaL_addstring(b, ",\n");
}

/* Appends `model = ddim.model_of(file, variant),` for model number of the
 * list at models, which the experiment file at path built for v unless
 * ddim.model_of brought it from elsewhere. */
static void add_model(lua_State *L, luaL_Buffer *b, const struct variant *v, int models, int number,
                      const char *path)
{
    char file[DDIM_MODEL_FILE_SIZE], variant[sizeof v->name];
    lua_rawgeti(L, models, number);                     /* ... <buffer> model */
    ddim_push_model_source(L, -1, path, v->name);       /* ... <buffer> model file variant */
    snprintf(file, sizeof file, "%s", lua_tostring(L, -2));
    snprintf(variant, sizeof variant, "%s", lua_tostring(L, -1));
    lua_pop(L, 3);                                      /* ... <buffer> */
    luaL_addstring(b, "      model = ddim.model_of(");
    add_string_literal(b, file);
    luaL_addstring(b, ", ");
    add_string_literal(b, variant);
    luaL_addstring(b, "),\n");
}

/* Appends variant v, resolved, to b as Lua source, its model number of the
 * list at models, with the model's summary as comments. The stack holds
 * nothing above the buffer between buffer calls. */
static void add_variant(lua_State *L, luaL_Buffer *b, const struct resolution *r, int i, int models,
                        const char *path)
{
    const struct variant *v = &r->variants[i];
    luaL_addstring(b, "    {\n");
    add_string_field(b, "name", v->name);
    int reference_kept = 0;
    for (int k = 0; k < r->kept_count; k++)
        reference_kept |= strcmp(r->variants[r->kept[k]].name, v->reference) == 0;
    if (v->reference[0] && reference_kept) {
        add_string_field(b, "reference", v->reference);
    } else if (v->reference[0]) { /* a reference must be a variant of the experiment, and it is not in this run */
        luaL_addstring(b, "      -- reference: ");
        luaL_addstring(b, v->reference);
        luaL_addstring(b, " (not a variant of this run)\n");
    }
    if (v->changes[0])
        add_string_field(b, "changes", v->changes);
    add_model(L, b, v, models, i + 1, path);
    char line[256];
    for (int s = 0; config_sections[s]; s++) {
        snprintf(line, sizeof line, "      %s = {", config_sections[s]);
        luaL_addstring(b, line);
        const struct config_field *f;
        for (int k = 0; (f = config_field_at(config_sections[s], k)) != NULL; k++) {
            char value[64];
            config_field_format(f, v, value, sizeof value);
            snprintf(line, sizeof line, "%s %s = %s", k ? "," : "", config_field_name(f), value);
            luaL_addstring(b, line);
        }
        luaL_addstring(b, " },\n");
    }
    lua_rawgeti(L, models, i + 1);                      /* ... <buffer> model */
    ddim_model_push_summary(L, -1, "      -- ");        /* ... <buffer> model summary */
    lua_remove(L, -2);                                  /* ... <buffer> summary */
    luaL_addvalue(b);                                   /* ... <buffer> */
    luaL_addstring(b, "    },\n");
}

/* Appends the header: where the config comes from, the options, how to rerun it. */
static void add_header(luaL_Buffer *b, const char *path, const struct experiment_options *options)
{
    luaL_addstring(b, "-- ");
    luaL_addstring(b, path);
    luaL_addstring(b, ", resolved by ddim-lab " DDIM_VERSION ": every setting of every variant as the run "
                      "used it.\n-- Options:");
    if (options->quick)
        luaL_addstring(b, " --quick");
    if (options->variant) {
        luaL_addstring(b, " --variant ");
        luaL_addstring(b, options->variant);
    }
    for (int i = 0; i < options->seed_count; i++) {
        char seed[40];
        snprintf(seed, sizeof seed, "%s%llu", i ? "," : " --seeds ", (unsigned long long)options->seeds[i]);
        luaL_addstring(b, seed);
    }
    for (int i = 0; i < options->override_count; i++) {
        luaL_addchar(b, ' ');
        luaL_addstring(b, options->overrides[i]);
    }
    if (!options->quick && !options->variant && !options->seed_count && !options->override_count)
        luaL_addstring(b, " none");
    luaL_addstring(b, "\n-- An experiment file: `ddim-lab <this file>`, from the directory the run started in, trains "
                      "the same\n-- again (its settings are these; ddim.model_of rebuilds each network from its "
                      "file).\n");
}

void ddim_push_resolved_source(lua_State *L, const struct resolution *r, int models, const char *name,
                               const char *path, const struct experiment_options *options)
{
    models = lua_absindex(L, models);
    luaL_Buffer b;
    luaL_buffinit(L, &b);                               /* ... <buffer> */
    add_header(&b, path, options);
    luaL_addstring(&b, "local ddim = require \"ddim\"\n\nreturn ddim.experiment {\n  name = ");
    add_string_literal(&b, name);
    luaL_addstring(&b, ",\n");
    if (r->seed_count) {
        luaL_addstring(&b, "  -- every variant trains once per seed, its train.seed set to it\n  seeds = {");
        for (int i = 0; i < r->seed_count; i++) {
            char seed[40];
            snprintf(seed, sizeof seed, "%s%llu", i ? ", " : " ", (unsigned long long)r->seeds[i]);
            luaL_addstring(&b, seed);
        }
        luaL_addstring(&b, " },\n");
    }
    luaL_addstring(&b, "  variants = {\n");
    for (int k = 0; k < r->kept_count; k++)
        add_variant(L, &b, r, r->kept[k], models, path);
    luaL_addstring(&b, "  },\n}\n");
    luaL_pushresult(&b);                                /* ... resolved */
}
