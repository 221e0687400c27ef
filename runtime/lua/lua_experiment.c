/* lua_experiment.c: ddim.experiment{...} and its resolution.
 *
 * An experiment file returns
 *
 *   ddim.experiment {
 *     name = "skip_vs_noskip",                  -- optional: the file's name
 *     train = { epochs = 3, ... },              -- settings for every variant
 *     diffusion = { steps = 20, ... },
 *     sample = { grid = 8, ... },
 *     quick = { train = { epochs = 1 } },       -- what --quick changes
 *     variants = {
 *       { name = "first", model = nets.first() },
 *       { name = "mse", model = nets.skip(), train = { loss = "mse" } },
 *     },
 *   }
 *
 * A variant's settings are, in order: the defaults (config_defaults), the
 * experiment's sections, the variant's own sections, `quick` (with --quick),
 * the command-line overrides "train.epochs=3", and --seed.
 *
 * ddim.experiment checks the whole table when the script calls it, so that
 * a mistake in the file is reported at "file.lua:LINE:" of the call; the
 * resolution after the script has run only adds what the command line
 * brings, and its messages start with "file.lua: override ...".
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include "runtime/config/config_fields.h"
#include "runtime/lua/lua_experiment.h"
#include "runtime/lua/lua_graph.h"

#ifndef DDIM_VERSION
#define DDIM_VERSION "?"
#endif

#define EXPERIMENT_TYPE "ddim.experiment"

/* Keys of the tables besides the settings sections. */
static const char *const experiment_keys[] = { "name", "quick", "variants", "seeds", NULL };
static const char *const variant_keys[] = { "name", "model", "reference", "changes", NULL };
static const char *const no_keys[] = { NULL };

/* What --quick changes when the file has no `quick` table: a smoke run. */
static void default_quick(struct variant *v)
{
    v->train.epochs = 1;
    v->train.max_images = 4096;
    v->sample.metric_samples = 256;
}

/* The context of messages about a table being read. */
struct reader {
    lua_State *L;
    char where[512];     /* "file.lua:12: " of the ddim.experiment call, or "file.lua: " */
    char context[128];   /* "" or "variants[2] ('skip'): " */
    char file[512];      /* the file of the ddim.experiment call ("" when resolving) */
    char short_file[LUA_IDSIZE]; /* as Lua names it in messages */
    int line;            /* the line of the call */
};

static int read_error(struct reader *r, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int read_error(struct reader *r, const char *format, ...)
{
    char message[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    lua_pushfstring(r->L, "%s%s%s", r->where, r->context, message);
    return lua_error(r->L);
}

static int in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(name, *list) == 0)
            return 1;
    return 0;
}

/* "a, b, c" */
static void join(const char *const *names, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; names[i] && used < size; i++) {
        int n = snprintf(out + used, size - used, "%s%s", i ? ", " : "", names[i]);
        used += n > 0 ? (size_t)n : 0;
    }
}

/* Names go into directory names and the resolved file: keep them plain. */
static int plain_name(const char *name)
{
    if (!*name || strlen(name) >= 64)
        return 0;
    for (; *name; name++)
        if (!(*name >= 'a' && *name <= 'z') && !(*name >= 'A' && *name <= 'Z') && !(*name >= '0' && *name <= '9') &&
            !strchr("_-.", *name))
            return 0;
    return 1;
}

/* The value at index as a setting_value (strings stay on the stack). */
static struct setting_value setting_of(lua_State *L, int index)
{
    struct setting_value value = { .kind = VALUE_OTHER, .text = luaL_typename(L, index) };
    switch (lua_type(L, index)) {
    case LUA_TNUMBER:
        value.number = lua_tonumber(L, index);
        value.kind = lua_isinteger(L, index) ? VALUE_INTEGER : VALUE_FLOAT;
        value.integer = lua_isinteger(L, index) ? (long long)lua_tointeger(L, index) : 0;
        break;
    case LUA_TBOOLEAN:
        value.kind = VALUE_BOOLEAN;
        value.boolean = lua_toboolean(L, index);
        break;
    case LUA_TSTRING:
        value.kind = VALUE_STRING;
        value.text = lua_tostring(L, index);
        break;
    }
    return value;
}

/* The line, from first_line on, of the first `key =` in the file at path,
 * or 0. A misspelt key is rarely written twice, so its first occurrence
 * after the ddim.experiment call is the line to show. */
static int find_key_line(const char *path, int first_line, const char *key)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char text[1024];
    int line = 1, found = 0;
    size_t key_length = strlen(key);
    while (!found && fgets(text, sizeof text, f)) {
        for (const char *p = strstr(text, key); line >= first_line && p && !found; p = strstr(p + 1, key)) {
            const char *after = p + key_length;
            while (*after == ' ' || *after == '\t')
                after++;
            int word_start = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
            if (word_start && after[0] == '=' && after[1] != '=')
                found = line;
        }
        line += strchr(text, '\n') != NULL;
    }
    fclose(f);
    return found;
}

/* Raises "unknown key 'epochz' in train (did you mean 'epochs'?); valid
 * keys: ...", at the key's line when it can be found. */
static void unknown_key(struct reader *r, const char *key, const char *table, const char *const *valid)
{
    int line = r->file[0] ? find_key_line(r->file, r->line, key) : 0;
    if (line > 0)
        snprintf(r->where, sizeof r->where, "%s:%d: ", r->short_file, line);
    const char *closest = config_closest_name(key, valid);
    char suggestion[96] = "", list[512];
    if (closest)
        snprintf(suggestion, sizeof suggestion, " (did you mean '%s'?)", closest);
    join(valid, list, sizeof list);
    read_error(r, "unknown key '%s' in %s%s; valid keys: %s%s", key, table, suggestion, list,
               strchr(key, '.') ? " (write sections as train = { epochs = 1 })" : "");
}

/* Applies the section table at index (the value of `train = {...}`) to v. */
static void apply_section(struct reader *r, const char *section, int index, struct variant *v)
{
    lua_State *L = r->L;
    if (!lua_istable(L, index))
        read_error(r, "%s must be a table { ... }, got %s", section, luaL_typename(L, index));
    lua_pushnil(L);                                     /* ... nil */
    while (lua_next(L, index)) {                        /* ... key value */
        const char *names[32];
        const struct config_field *f = NULL;
        int n = 0;
        for (; n < 31 && (f = config_field_at(section, n)) != NULL; n++)
            names[n] = config_field_name(f);
        names[n] = NULL;
        if (lua_type(L, -2) != LUA_TSTRING)
            read_error(r, "unexpected %s key in %s; its keys are names: %s = ...", luaL_typename(L, -2), section,
                       names[0]);
        f = config_field_find(section, lua_tostring(L, -2));
        if (!f)
            unknown_key(r, lua_tostring(L, -2), section, names);
        char err[256];
        struct setting_value value = setting_of(L, -1);
        if (config_field_set(f, &value, v, err, sizeof err))
            read_error(r, "%s", err);
        lua_pop(L, 1);                                  /* ... key */
    }
}

/* Applies the settings of the table at index to v: its sections train,
 * diffusion and sample. Other keys must be in extra_keys (the caller's). */
static void apply_settings(struct reader *r, int index, const char *table, struct variant *v,
                           const char *const *extra_keys)
{
    lua_State *L = r->L;
    index = lua_absindex(L, index);
    lua_pushnil(L);                                     /* ... nil */
    while (lua_next(L, index)) {                        /* ... key value */
        if (lua_type(L, -2) != LUA_TSTRING)
            read_error(r, "unexpected %s key in %s (a list item where names were expected?)",
                       luaL_typename(L, -2), table);
        const char *key = lua_tostring(L, -2);
        if (in_list(key, config_sections)) {
            apply_section(r, key, lua_gettop(L), v);
        } else if (!in_list(key, extra_keys)) {
            const char *valid[16];
            int n = 0;
            for (int i = 0; extra_keys[i]; i++)
                valid[n++] = extra_keys[i];
            for (int i = 0; config_sections[i]; i++)
                valid[n++] = config_sections[i];
            valid[n] = NULL;
            unknown_key(r, key, table, valid);
        }
        lua_pop(L, 1);                                  /* ... key */
    }
}

static void check_variant(struct reader *r, const struct variant *v)
{
    char err[256];
    if (config_check_variant(v, err, sizeof err))
        read_error(r, "%s", err);
}

/* Pushes field key of the table at index; checks that it is a string or absent. */
static const char *optional_string(struct reader *r, int index, const char *key)
{
    int type = lua_getfield(r->L, index, key);          /* ... value */
    if (type != LUA_TNIL && type != LUA_TSTRING)
        read_error(r, "%s must be a string, got %s", key, luaL_typename(r->L, -1));
    return lua_tostring(r->L, -1);
}

/* Checks variant i (its table at index) against base and quick (the quick
 * table's index, 0 for none). */
static void check_variant_table(struct reader *r, int index, int i, const struct variant *base, int quick)
{
    lua_State *L = r->L;
    snprintf(r->context, sizeof r->context, "variants[%d]: ", i);
    if (!lua_istable(L, index))
        read_error(r, "a variant is a table { name = \"...\", model = ... }, got %s", luaL_typename(L, index));
    const char *name = optional_string(r, index, "name"); /* ... name */
    if (!name || !plain_name(name))
        read_error(r, "name must be a name of letters, digits, '_', '-' or '.' (under 64 characters), got %s",
                   name ? name : "none");
    snprintf(r->context, sizeof r->context, "variants[%d] ('%s'): ", i, name);
    lua_getfield(L, index, "model");                    /* ... name model */
    if (!ddim_is_model(L, -1))
        read_error(r, "model must be a model made by ddim.model{...}, got %s", luaL_typename(L, -1));
    lua_pop(L, 2);                                      /* ... */
    const char *changes = optional_string(r, index, "changes"); /* ... changes */
    if (changes && strlen(changes) >= sizeof base->changes)
        read_error(r, "changes must be under %zu characters", sizeof base->changes);
    lua_pop(L, 1);                                      /* ... */
    struct variant v = *base;
    apply_settings(r, index, "the variant", &v, variant_keys);
    check_variant(r, &v);
    if (quick) {
        snprintf(r->context, sizeof r->context, "variants[%d] ('%s') with quick: ", i, name);
        apply_settings(r, quick, "quick", &v, no_keys);
        check_variant(r, &v);
    }
}

/* Checks the `variants` list at index: tables, unique names, one model each. */
static void check_variants(struct reader *r, int index, const struct variant *base, int quick)
{
    lua_State *L = r->L;
    if (!lua_istable(L, index))
        read_error(r, "variants must be a list of { name = \"...\", model = ... }, got %s", luaL_typename(L, index));
    lua_Integer count = (lua_Integer)lua_rawlen(L, index);
    if (count == 0)
        read_error(r, "variants is empty: an experiment needs at least one { name = \"...\", model = ... }");
    lua_newtable(L);                                    /* ... seen: name -> true, model -> its variant's name */
    int seen = lua_gettop(L);
    for (lua_Integer i = 1; i <= count; i++) {
        lua_rawgeti(L, index, i);                       /* ... seen variant */
        check_variant_table(r, lua_gettop(L), (int)i, base, quick);
        lua_getfield(L, -1, "name");                    /* ... seen variant name */
        if (lua_rawget(L, seen) != LUA_TNIL)            /* ... seen variant seen[name] */
            read_error(r, "another variant has the same name");
        lua_pop(L, 1);                                  /* ... seen variant */
        lua_getfield(L, -1, "name");                    /* ... seen variant name */
        lua_pushboolean(L, 1);
        lua_rawset(L, seen);                            /* ... seen variant */
        lua_getfield(L, -1, "model");                   /* ... seen variant model */
        lua_pushvalue(L, -1);                           /* ... seen variant model model */
        if (lua_rawget(L, seen) != LUA_TNIL)            /* ... seen variant model seen[model] */
            read_error(r, "it shares its model with variant '%s': call the network's function once per "
                       "variant (each variant trains its own weights)", lua_tostring(L, -1));
        lua_pop(L, 1);                                  /* ... seen variant model */
        lua_getfield(L, -2, "name");                    /* ... seen variant model name */
        lua_rawset(L, seen);                            /* ... seen variant */
        lua_pop(L, 1);                                  /* ... seen */
    }
    for (lua_Integer i = 1; i <= count; i++) {
        lua_rawgeti(L, index, i);                       /* ... seen variant */
        lua_getfield(L, -1, "name");                    /* ... seen variant name */
        const char *name = lua_tostring(L, -1);
        const char *reference = optional_string(r, -2, "reference"); /* ... seen variant name reference */
        if (reference && (strcmp(reference, name) == 0 || lua_rawget(L, seen) != LUA_TBOOLEAN)) {
            snprintf(r->context, sizeof r->context, "variants[%d] ('%s'): ", (int)i, name);
            read_error(r, "reference must name another variant of the experiment, got '%s'", reference);
        }
        lua_settop(L, seen);                            /* ... seen */
    }
    /* Keys besides 1..count: a hole in the list, or a name = ... by mistake. */
    lua_pushnil(L);                                     /* ... seen nil */
    while (lua_next(L, index)) {                        /* ... seen key value */
        lua_pop(L, 1);                                  /* ... seen key */
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > count) {
            r->context[0] = '\0';
            read_error(r, "variants must be a list { {...}, {...} }; found the key %s", luaL_tolstring(L, -1, NULL));
        }
    }
    lua_pop(L, 1);                                      /* ... */
    r->context[0] = '\0';
}

/* Reads the experiment's `seeds` (the table at index) into seeds; returns
 * how many (0 when absent). */
static int read_seeds(struct reader *r, int index, uint64_t *seeds)
{
    lua_State *L = r->L;
    int type = lua_getfield(L, index, "seeds");         /* ... seeds */
    const lua_Integer count = type == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, -1) : 0;
    if (type != LUA_TNIL && (type != LUA_TTABLE || count < 1 || count > EXPERIMENT_MAX_SEEDS))
        read_error(r, "seeds must be a list of 1 to %d integers >= 0, such as {1, 2, 3}", EXPERIMENT_MAX_SEEDS);
    for (lua_Integer i = 1; i <= count; i++) {
        lua_rawgeti(L, -1, i);                          /* ... seeds seed */
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
            read_error(r, "seeds[%d] must be an integer >= 0, got %s", (int)i, luaL_tolstring(L, -1, NULL));
        seeds[i - 1] = (uint64_t)lua_tointeger(L, -1);
        for (lua_Integer j = 1; j < i; j++)
            if (seeds[j - 1] == seeds[i - 1])
                read_error(r, "seeds lists %llu twice", (unsigned long long)seeds[i - 1]);
        lua_pop(L, 1);                                  /* ... seeds */
    }
    lua_pop(L, 1);                                      /* ... */
    return (int)count;
}

/* ddim.experiment{...}: checks the table and returns it, marked as an experiment. */
static int ddim_experiment(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);                                   /* experiment */
    struct reader r = { .L = L };
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
        snprintf(r.where, sizeof r.where, "%s:%d: ", ar.short_src, ar.currentline);
        if (ar.source[0] == '@') /* a file, not a string chunk */
            snprintf(r.file, sizeof r.file, "%s", ar.source + 1);
        snprintf(r.short_file, sizeof r.short_file, "%s", ar.short_src);
        r.line = ar.currentline;
    }
    struct variant base;
    config_defaults(&base);
    apply_settings(&r, 1, "the experiment", &base, experiment_keys);
    const char *name = optional_string(&r, 1, "name"); /* experiment name */
    if (name && !plain_name(name))
        read_error(&r, "name must be a name of letters, digits, '_', '-' or '.' (under 64 characters), got '%s'",
                   name);
    int quick = 0;
    if (lua_getfield(L, 1, "quick") != LUA_TNIL) {      /* experiment name quick */
        quick = lua_gettop(L);
        if (!lua_istable(L, quick))
            read_error(&r, "quick must be a table of settings such as { train = { epochs = 1 } }, got %s",
                       luaL_typename(L, quick));
    }
    uint64_t seeds[EXPERIMENT_MAX_SEEDS];
    read_seeds(&r, 1, seeds);
    lua_getfield(L, 1, "variants");                     /* experiment name quick variants */
    check_variants(&r, lua_gettop(L), &base, quick);
    lua_settop(L, 1);                                   /* experiment */
    luaL_setmetatable(L, EXPERIMENT_TYPE);
    return 1;
}

void ddim_experiment_register(lua_State *L)
{
    luaL_newmetatable(L, EXPERIMENT_TYPE);              /* module meta */
    lua_pop(L, 1);                                      /* module */
    lua_pushcfunction(L, ddim_experiment);
    lua_setfield(L, -2, "experiment");
}

/* ---- resolution ----------------------------------------------------------------- */

static void apply_override(struct reader *r, const char *override, struct variant *v)
{
    const char *equals = strchr(override, '=');
    if (!equals)
        read_error(r, "override '%s' must be key.path=value, e.g. train.epochs=3", override);
    char path[64], err[256], list[1024];
    snprintf(path, sizeof path, "%.*s", (int)(equals - override), override);
    const struct config_field *f = config_field_find_path(path);
    if (!f) {
        char suggestion[96] = "";
        const struct config_field *closest = config_closest_field(NULL, path);
        if (closest) {
            char closest_path[64];
            config_field_path(closest, closest_path, sizeof closest_path);
            snprintf(suggestion, sizeof suggestion, " (did you mean '%s'?)", closest_path);
        }
        config_field_list(NULL, list, sizeof list);
        read_error(r, "override '%s': unknown setting '%s'%s; the settings are %s", override, path, suggestion, list);
    }
    if (config_field_set_text(f, equals + 1, v, err, sizeof err))
        read_error(r, "override '%s': %s", override, err);
}

/* Whether the value at index was made by ddim.experiment. */
static int is_experiment(lua_State *L, int index)
{
    if (!lua_getmetatable(L, index))                    /* ... meta? */
        return 0;
    luaL_getmetatable(L, EXPERIMENT_TYPE);              /* ... meta experiment_meta */
    int same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);                                      /* ... */
    return same;
}

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

/* Pushes the resolved config of the variants (count of them, their models
 * in the list at models) as Lua source. */
static void push_resolved(lua_State *L, const char *name, const char *path, const struct experiment_options *options,
                          const struct variant *variants, int count, int models, const uint64_t *seeds,
                          int seed_count)
{
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
    if (seed_count) {
        luaL_addstring(&b, "  -- every variant trains once per seed, its train.seed set to it\n  seeds = {");
        for (int i = 0; i < seed_count; i++) {
            char seed[40];
            snprintf(seed, sizeof seed, "%s%llu", i ? ", " : " ", (unsigned long long)seeds[i]);
            luaL_addstring(&b, seed);
        }
        luaL_addstring(&b, " },\n");
    }
    luaL_addstring(&b, "  variants = {\n");
    for (int i = 0; i < count; i++)
        add_variant_source(L, &b, &variants[i], models, i + 1);
    luaL_addstring(&b, "  },\n}\n");
    luaL_pushresult(&b);                                /* ... resolved */
}

/* The experiment's name: its `name`, else the file's name without .lua. */
static void experiment_name(lua_State *L, int index, const char *path, char *name, size_t size)
{
    if (lua_getfield(L, index, "name") == LUA_TSTRING) { /* ... name */
        snprintf(name, size, "%s", lua_tostring(L, -1));
    } else {
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        size_t length = strlen(base);
        if (length > 4 && strcmp(base + length - 4, ".lua") == 0)
            length -= 4;
        snprintf(name, size, "%.*s", (int)length, base);
    }
    lua_pop(L, 1);                                      /* ... */
}

/* Raises when options->variant names no variant of the list at variants. */
static void check_variant_option(struct reader *r, int variants, const char *wanted)
{
    lua_State *L = r->L;
    char names[1024] = "";
    size_t used = 0;
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, variants); i++) {
        lua_rawgeti(L, variants, i);                    /* ... variant */
        lua_getfield(L, -1, "name");                    /* ... variant name */
        const char *name = lua_tostring(L, -1);
        int found = strcmp(name, wanted) == 0;
        int n = snprintf(names + used, sizeof names - used, "%s%s", i > 1 ? ", " : "", name);
        used += n > 0 && (size_t)n < sizeof names - used ? (size_t)n : 0;
        lua_pop(L, 2);                                  /* ... */
        if (found)
            return;
    }
    read_error(r, "--variant %s: no such variant; the variants are %s", wanted, names);
}

void ddim_experiment_resolve(lua_State *L, int index, const char *path, const struct experiment_options *options,
                             char *name, size_t name_size, uint64_t *seeds, int *seed_count)
{
    struct reader r = { .L = L };
    snprintf(r.where, sizeof r.where, "%s: ", path);
    index = lua_absindex(L, index);
    if (!is_experiment(L, index))
        read_error(&r, "the script must return ddim.experiment{...}, got %s", luaL_typename(L, index));
    experiment_name(L, index, path, name, name_size);
    *seed_count = options->seed_count;
    if (options->seed_count)
        memcpy(seeds, options->seeds, (size_t)options->seed_count * sizeof *seeds);
    else
        *seed_count = read_seeds(&r, index, seeds);

    lua_getfield(L, index, "variants");                 /* variants */
    int variants = lua_gettop(L);
    lua_getfield(L, index, "quick");                    /* variants quick */
    int quick = lua_gettop(L);
    if (options->variant)
        check_variant_option(&r, variants, options->variant);
    int count = options->variant ? 1 : (int)lua_rawlen(L, variants);
    struct variant *resolved = lua_newuserdatauv(L, (size_t)count * sizeof *resolved, 0); /* variants quick out */
    memset(resolved, 0, (size_t)count * sizeof *resolved);
    lua_newtable(L);                                    /* variants quick out models */
    int models = lua_gettop(L);

    struct variant base;
    config_defaults(&base);
    apply_settings(&r, index, "the experiment", &base, experiment_keys);
    int kept = 0;
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, variants); i++) {
        lua_rawgeti(L, variants, i);                    /* ... models variant */
        lua_getfield(L, -1, "name");                    /* ... models variant name */
        if (options->variant && strcmp(lua_tostring(L, -1), options->variant) != 0) {
            lua_pop(L, 2);                              /* ... models */
            continue;
        }
        struct variant *v = &resolved[kept];
        *v = base;
        snprintf(v->name, sizeof v->name, "%s", lua_tostring(L, -1));
        snprintf(r.context, sizeof r.context, "variant '%s': ", v->name);
        lua_pop(L, 1);                                  /* ... models variant */
        static const struct { const char *key; size_t offset, size; } texts[] = {
            { "reference", offsetof(struct variant, reference), sizeof v->reference },
            { "changes", offsetof(struct variant, changes), sizeof v->changes },
        };
        for (int t = 0; t < 2; t++) {
            lua_getfield(L, -1, texts[t].key);          /* ... models variant text */
            snprintf((char *)v + texts[t].offset, texts[t].size, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
            lua_pop(L, 1);                              /* ... models variant */
        }
        apply_settings(&r, -1, "the variant", v, variant_keys);
        if (options->quick && lua_istable(L, quick))
            apply_settings(&r, quick, "quick", v, no_keys);
        else if (options->quick)
            default_quick(v);
        r.context[0] = '\0'; /* an override's mistake is the same for every variant */
        for (int o = 0; o < options->override_count; o++)
            apply_override(&r, options->overrides[o], v);
        snprintf(r.context, sizeof r.context, "variant '%s': ", v->name);
        check_variant(&r, v);
        lua_getfield(L, -1, "model");                   /* ... models variant model */
        lua_rawseti(L, models, ++kept);                 /* ... models variant */
        lua_pop(L, 1);                                  /* ... models */
    }
    push_resolved(L, name, path, options, resolved, kept, models, seeds, *seed_count); /* variants quick out models resolved */
    lua_rotate(L, variants, -2);                        /* out models resolved variants quick */
    lua_pop(L, 2);                                      /* out models resolved */
}
