/* lua_resolved.c: the resolved config of an experiment as Lua source
 * (lua_experiment.h), what a run saves as config.lua and in each
 * checkpoint: every setting of every variant as the run used it, with the
 * summary of each model's layers as comments. */
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include "runtime/config/config_fields.h"
#include "runtime/lua/lua_experiment.h"
#include "runtime/lua/lua_graph.h"

#ifndef DDIM_VERSION
#define DDIM_VERSION "?"
#endif

/* Appends variant v, resolved, to b as Lua source, with the summary of
 * its model (entry number of the list at models) as comments. The stack
 * holds nothing above the buffer between buffer calls. */
static void add_variant_source(lua_State *L, luaL_Buffer *b, const struct variant *v, int models, int number)
{
    char line[256];
    snprintf(line, sizeof line, "    {\n      name = \"%s\",\n", v->name);
    luaL_addstring(b, line);
    if (v->reference[0]) {
        snprintf(line, sizeof line, "      reference = \"%s\",\n", v->reference);
        luaL_addstring(b, line);
    }
    if (v->changes[0]) { /* a Lua string literal: quotes, backslashes and control characters escaped */
        luaL_addstring(b, "      changes = \"");
        for (const char *c = v->changes; *c; c++) {
            if (*c == '"' || *c == '\\')
                luaL_addchar(b, '\\');
            if ((unsigned char)*c < ' ') {
                snprintf(line, sizeof line, "\\%03d", (unsigned char)*c);
                luaL_addstring(b, line);
            } else {
                luaL_addchar(b, *c);
            }
        }
        luaL_addstring(b, "\",\n");
    }
    for (int s = 0; config_sections[s]; s++) {
        snprintf(line, sizeof line, "      %s = {", config_sections[s]);
        luaL_addstring(b, line);
        const struct config_field *f;
        for (int i = 0; (f = config_field_at(config_sections[s], i)) != NULL; i++) {
            char value[64];
            config_field_format(f, v, value, sizeof value);
            snprintf(line, sizeof line, "%s %s = %s", i ? "," : "", config_field_name(f), value);
            luaL_addstring(b, line);
        }
        luaL_addstring(b, " },\n");
    }
    lua_rawgeti(L, models, number);                     /* ... <buffer> model */
    ddim_model_push_summary(L, -1, "      -- ");        /* ... <buffer> model summary */
    lua_remove(L, -2);                                  /* ... <buffer> summary */
    luaL_addvalue(b);                                   /* ... <buffer> */
    luaL_addstring(b, "    },\n");
}

void ddim_push_resolved_source(lua_State *L, const struct resolution *r, int models, const char *name,
                               const char *path, const struct experiment_options *options)
{
    models = lua_absindex(L, models);
    luaL_Buffer b;
    luaL_buffinit(L, &b);                               /* ... <buffer> */
    luaL_addstring(&b, "-- ");
    luaL_addstring(&b, path);
    luaL_addstring(&b, ", resolved by ddim-lab " DDIM_VERSION ": every setting of every variant as the run "
                       "used it.\n-- Options:");
    if (options->quick)
        luaL_addstring(&b, " --quick");
    if (options->variant) {
        luaL_addstring(&b, " --variant ");
        luaL_addstring(&b, options->variant);
    }
    for (int i = 0; i < options->seed_count; i++) {
        char seed[40];
        snprintf(seed, sizeof seed, "%s%llu", i ? "," : " --seeds ", (unsigned long long)options->seeds[i]);
        luaL_addstring(&b, seed);
    }
    for (int i = 0; i < options->override_count; i++) {
        luaL_addchar(&b, ' ');
        luaL_addstring(&b, options->overrides[i]);
    }
    if (!options->quick && !options->variant && !options->seed_count && !options->override_count)
        luaL_addstring(&b, " none");
    luaL_addstring(&b, "\nreturn {\n  name = \"");
    luaL_addstring(&b, name);
    luaL_addstring(&b, "\",\n");
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
    for (int i = r->first_kept; i < r->first_kept + r->kept_count; i++)
        add_variant_source(L, &b, &r->variants[i], models, i + 1);
    luaL_addstring(&b, "  },\n}\n");
    luaL_pushresult(&b);                                /* ... resolved */
}
