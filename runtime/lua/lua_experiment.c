/* lua_experiment.c: ddim.experiment{...}, read once.
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
 *       { name = "mse", model = nets.skip(), train = { loss = "mse" },
 *         quick = { train = { max_images = 4096 } } },  -- this variant's own, after the file's
 *     },
 *   }
 *
 * A variant's settings are, in order: the defaults (config_defaults), the
 * experiment's sections, the variant's own sections, the file's `quick` and
 * then the variant's own `quick` (with --quick), the command-line overrides "train.epochs=3", and --seed.
 *
 * The call walks the table once. Each variant is checked as the file gives
 * it and with `quick` applied (whether or not --quick is given, so that a
 * mistake in quick is found on any run), at the "file.lua:LINE:" of the
 * call; then the variants the options keep get the command line's
 * overrides, whose messages start with "file.lua: override ...". The
 * resolution hangs on the returned table's metatable.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include "runtime/config/config_fields.h"
#include "runtime/lua/lua_experiment.h"
#include "runtime/lua/lua_graph.h"
#include "runtime/lua/lua_settings.h"

#define RESOLUTION_TYPE "ddim.resolution"
#define REQUEST_KEY "ddim.experiment_request"

/* Keys of the tables besides the settings sections. */
static const char *const experiment_keys[] = { "name", "quick", "variants", "seeds", NULL };
static const char *const variant_keys[] = { "name", "model", "reference", "changes", "quick", NULL };
static const char *const no_keys[] = { NULL };

/* What --quick changes when the file has no `quick` table: a smoke run. */
static void default_quick(struct variant *v)
{
    v->train.epochs = 1;
    v->train.max_images = 4096;
    v->sample.metric_samples = 256;
}

const struct experiment_request *ddim_experiment_request(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, REQUEST_KEY);    /* ... request */
    const struct experiment_request *request = lua_touserdata(L, -1);
    lua_pop(L, 1);                                      /* ... */
    return request;
}

const struct experiment_request *ddim_experiment_set_request(lua_State *L, const struct experiment_request *request)
{
    const struct experiment_request *previous = ddim_experiment_request(L);
    if (request)
        lua_pushlightuserdata(L, (void *)request);
    else
        lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, REQUEST_KEY);
    return previous;
}

/* Reads variant i (its table at index) over base into *v, the settings as
 * the file gives them, or with quick (the quick table's index, 0 for none)
 * applied when use_quick. Its model goes to models[i]. */
static void read_variant(struct reader *r, int index, int i, const struct variant *base, int quick, int use_quick,
                         struct variant *v, int models)
{
    lua_State *L = r->L;
    snprintf(r->context, sizeof r->context, "variants[%d]: ", i);
    if (!lua_istable(L, index))
        settings_error(r, "a variant is a table { name = \"...\", model = ... }, got %s", luaL_typename(L, index));
    const char *name = settings_optional_string(r, index, "name"); /* ... name */
    if (!name || !settings_plain_name(name))
        settings_error(r, "name must be a name of letters, digits, '_', '-' or '.' (under 64 characters), got %s",
                       name ? name : "none");
    *v = *base;
    snprintf(v->name, sizeof v->name, "%s", name);
    snprintf(r->context, sizeof r->context, "variants[%d] ('%s'): ", i, v->name);
    lua_getfield(L, index, "model");                    /* ... name model */
    if (!ddim_is_model(L, -1) && !ddim_is_model_ref(L, -1))
        settings_error(r, "model must be a model made by ddim.model{...}, got %s", luaL_typename(L, -1));
    lua_rawseti(L, models, i);                          /* ... name */
    const char *changes = settings_optional_string(r, index, "changes"); /* ... name changes */
    if (changes && strlen(changes) >= sizeof v->changes)
        settings_error(r, "changes must be under %zu characters", sizeof v->changes);
    snprintf(v->changes, sizeof v->changes, "%s", changes ? changes : "");
    const char *reference = settings_optional_string(r, index, "reference"); /* ... name changes reference */
    if (reference && (strlen(reference) >= sizeof v->reference || strcmp(reference, v->name) == 0))
        settings_error(r, "reference must name another variant of the experiment, got '%s'", reference);
    snprintf(v->reference, sizeof v->reference, "%s", reference ? reference : "");
    lua_pop(L, 3);                                      /* ... */
    settings_apply(r, index, "the variant", v, variant_keys);
    settings_check_variant(r, v);
    lua_getfield(L, index, "quick");                    /* ... own_quick */
    const int own_quick = lua_isnil(L, -1) ? 0 : lua_gettop(L);
    if (own_quick && !lua_istable(L, own_quick))
        settings_error(r, "quick must be a table { train = {...}, ... }, got %s", luaL_typename(L, own_quick));
    if (quick || own_quick) {
        struct variant quick_variant = *v;
        snprintf(r->context, sizeof r->context, "variants[%d] ('%s') with quick: ", i, v->name);
        if (quick)
            settings_apply(r, quick, "quick", &quick_variant, no_keys);
        if (own_quick)
            settings_apply(r, own_quick, "its quick", &quick_variant, no_keys);
        settings_check_variant(r, &quick_variant);
        if (use_quick)
            *v = quick_variant;
    }
    lua_pop(L, 1);                                      /* ... */
}

/* Raises unless the models of variants first to first + count - 1 (the
 * list at models) are distinct. */
static void check_models_distinct(struct reader *r, const struct resolution *res, int models, const int *indices,
                                  int count)
{
    lua_State *L = r->L;
    for (int a = 0; a < count; a++)
        for (int b = 0; b < a; b++) {
            const int i = indices ? indices[a] : a, j = indices ? indices[b] : b;
            lua_rawgeti(L, models, i + 1);              /* ... model */
            lua_rawgeti(L, models, j + 1);              /* ... model earlier_model */
            snprintf(r->context, sizeof r->context, "variants[%d] ('%s'): ", i + 1, res->variants[i].name);
            if (lua_rawequal(L, -1, -2))
                settings_error(r, "it shares its model with variant '%s': call the network's function once per "
                               "variant (each variant trains its own weights)", res->variants[j].name);
            lua_pop(L, 2);                              /* ... */
        }
    r->context[0] = '\0';
}

/* Raises unless the variants' names are unique and each reference names
 * another variant. */
static void check_variant_names(struct reader *r, const struct resolution *res)
{
    for (int i = 0; i < res->count; i++) {
        const struct variant *v = &res->variants[i];
        snprintf(r->context, sizeof r->context, "variants[%d] ('%s'): ", i + 1, v->name);
        for (int j = 0; j < i; j++)
            if (strcmp(res->variants[j].name, v->name) == 0)
                settings_error(r, "another variant has the same name");
    }
    for (int i = 0; i < res->count; i++) {
        const struct variant *v = &res->variants[i];
        int found = !v->reference[0];
        for (int j = 0; j < res->count && !found; j++)
            found = strcmp(res->variants[j].name, v->reference) == 0;
        snprintf(r->context, sizeof r->context, "variants[%d] ('%s'): ", i + 1, v->name);
        if (!found)
            settings_error(r, "reference must name another variant of the experiment, got '%s'", v->reference);
    }
    r->context[0] = '\0';
}

/* Reads the `variants` list at index over base into res (count entries of
 * room), their models into the list at models. */
static void read_variants(struct reader *r, int index, const struct variant *base, int quick, int use_quick,
                          struct resolution *res, int models)
{
    lua_State *L = r->L;
    for (int i = 1; i <= res->count; i++) {
        lua_rawgeti(L, index, i);                       /* ... variant */
        read_variant(r, lua_gettop(L), i, base, quick, use_quick, &res->variants[i - 1], models);
        lua_pop(L, 1);                                  /* ... */
    }
    check_variant_names(r, res);
    check_models_distinct(r, res, models, NULL, res->count);
    /* Keys besides 1..count: a hole in the list, or a name = ... by mistake. */
    lua_pushnil(L);                                     /* ... nil */
    while (lua_next(L, index)) {                        /* ... key value */
        lua_pop(L, 1);                                  /* ... key */
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > res->count)
            settings_error(r, "variants must be a list { {...}, {...} }; found the key %s",
                           luaL_tolstring(L, -1, NULL));
    }
}

/* Reads the experiment's `seeds` (the table at index) into seeds; returns
 * how many (0 when absent). */
static int read_seeds(struct reader *r, int index, uint64_t *seeds)
{
    lua_State *L = r->L;
    int type = lua_getfield(L, index, "seeds");         /* ... seeds */
    const lua_Integer count = type == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, -1) : 0;
    if (type != LUA_TNIL && (type != LUA_TTABLE || count < 1 || count > EXPERIMENT_MAX_SEEDS))
        settings_error(r, "seeds must be a list of 1 to %d integers >= 0, such as {1, 2, 3}", EXPERIMENT_MAX_SEEDS);
    for (lua_Integer i = 1; i <= count; i++) {
        lua_rawgeti(L, -1, i);                          /* ... seeds seed */
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
            settings_error(r, "seeds[%d] must be an integer >= 0, got %s", (int)i, luaL_tolstring(L, -1, NULL));
        seeds[i - 1] = (uint64_t)lua_tointeger(L, -1);
        for (lua_Integer j = 1; j < i; j++)
            if (seeds[j - 1] == seeds[i - 1])
                settings_error(r, "seeds lists %llu twice", (unsigned long long)seeds[i - 1]);
        lua_pop(L, 1);                                  /* ... seeds */
    }
    lua_pop(L, 1);                                      /* ... */
    return (int)count;
}

/* Keeps the variants the request's options ask for, and gives them the
 * command line's settings and their models (resolving ddim.model_of's in
 * the list at models); raises "path: ..." on a mistake there. */
static void apply_options(lua_State *L, const struct experiment_request *request, int has_quick,
                          struct resolution *res, int models)
{
    const struct experiment_options *o = request ? request->options : NULL;
    res->kept_count = 0;
    for (int i = 0; i < res->count; i++) /* --variant: a name, or a pattern such as 'full_*' */
        if (!o || !o->variant || fnmatch(o->variant, res->variants[i].name, 0) == 0)
            res->kept[res->kept_count++] = i;
    if (!request)
        return;
    struct reader r = { .L = L };
    snprintf(r.where, sizeof r.where, "%s: ", request->path);
    if (res->kept_count == 0) {
        char names[1024] = "";
        size_t used = 0;
        for (int i = 0; i < res->count; i++) {
            int n = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", res->variants[i].name);
            used += n > 0 && (size_t)n < sizeof names - used ? (size_t)n : 0;
        }
        settings_error(&r, "--variant %s: no such variant; the variants are %s", o->variant, names);
    }
    if (o->seed_count) {
        res->seed_count = o->seed_count;
        memcpy(res->seeds, o->seeds, (size_t)o->seed_count * sizeof *res->seeds);
    }
    for (int k = 0; k < res->kept_count; k++) {
        const int i = res->kept[k];
        struct variant *v = &res->variants[i];
        if (o->quick && !has_quick)
            default_quick(v);
        r.context[0] = '\0'; /* an override's mistake is the same for every variant */
        for (int k = 0; k < o->override_count; k++)
            settings_apply_override(&r, o->overrides[k], v);
        snprintf(r.context, sizeof r.context, "variant '%s': ", v->name);
        settings_check_variant(&r, v);
        lua_rawgeti(L, models, i + 1);                  /* ... model */
        ddim_resolve_model(L, -1);
        lua_rawseti(L, models, i + 1);                  /* ... */
    }
    r.context[0] = '\0';
    check_models_distinct(&r, res, models, res->kept, res->kept_count);
}

/* Pushes a new resolution of count variants, its models' list (empty) as
 * its user value. */
static struct resolution *push_resolution(lua_State *L, int count)
{
    const size_t size = sizeof(struct resolution) + (size_t)count * (sizeof(struct variant) + sizeof(int));
    struct resolution *res = lua_newuserdatauv(L, size, 1); /* ... resolution */
    memset(res, 0, size);
    res->count = count;
    res->kept = (int *)(res->variants + count); /* after the variants, in the same block */
    luaL_setmetatable(L, RESOLUTION_TYPE);
    lua_createtable(L, count, 0);                       /* ... resolution models */
    lua_setiuservalue(L, -2, 1);                        /* ... resolution */
    return res;
}

/* ddim.experiment{...}: reads and resolves the table; returns it, its
 * resolution in its metatable. */
static int ddim_experiment(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);                                   /* experiment */
    struct reader r;
    settings_reader_at_caller(&r, L);
    const struct experiment_request *request = ddim_experiment_request(L);
    struct variant base;
    config_defaults(&base);
    settings_apply(&r, 1, "the experiment", &base, experiment_keys);
    const char *name = settings_optional_string(&r, 1, "name"); /* experiment name */
    if (name && !settings_plain_name(name))
        settings_error(&r, "name must be a name of letters, digits, '_', '-' or '.' (under 64 characters), got '%s'",
                       name);
    int quick = 0;
    if (lua_getfield(L, 1, "quick") != LUA_TNIL) {      /* experiment name quick */
        quick = lua_gettop(L);
        if (!lua_istable(L, quick))
            settings_error(&r, "quick must be a table of settings such as { train = { epochs = 1 } }, got %s",
                           luaL_typename(L, quick));
    }
    uint64_t seeds[EXPERIMENT_MAX_SEEDS] = { 0 };
    const int seed_count = read_seeds(&r, 1, seeds);
    lua_getfield(L, 1, "variants");                     /* experiment name quick variants */
    const int variants = lua_gettop(L);
    if (!lua_istable(L, variants))
        settings_error(&r, "variants must be a list of { name = \"...\", model = ... }, got %s",
                       luaL_typename(L, variants));
    const int count = (int)lua_rawlen(L, variants);
    if (count == 0)
        settings_error(&r, "variants is empty: an experiment needs at least one { name = \"...\", model = ... }");
    struct resolution *res = push_resolution(L, count); /* ... variants resolution */
    snprintf(res->name, sizeof res->name, "%s", name ? name : "");
    res->seed_count = seed_count;
    memcpy(res->seeds, seeds, sizeof seeds);
    lua_getiuservalue(L, -1, 1);                        /* ... variants resolution models */
    read_variants(&r, variants, &base, quick, request && request->options->quick, res, lua_gettop(L));
    apply_options(L, request, quick != 0, res, lua_gettop(L));
    lua_pop(L, 1);                                      /* ... variants resolution */
    lua_createtable(L, 0, 1);                           /* ... variants resolution meta */
    lua_insert(L, -2);                                  /* ... variants meta resolution */
    lua_setfield(L, -2, "resolution");                  /* ... variants meta */
    lua_setmetatable(L, 1);                             /* ... variants */
    lua_settop(L, 1);                                   /* experiment */
    return 1;
}

void ddim_experiment_register(lua_State *L)
{
    luaL_newmetatable(L, RESOLUTION_TYPE);              /* module meta */
    lua_pop(L, 1);                                      /* module */
    lua_pushcfunction(L, ddim_experiment);
    lua_setfield(L, -2, "experiment");
}

const struct resolution *ddim_experiment_resolution(lua_State *L, int index, const char *path)
{
    index = lua_absindex(L, index);
    const struct resolution *res = NULL;
    if (luaL_getmetafield(L, index, "resolution") != LUA_TNIL) { /* ... resolution? */
        res = luaL_testudata(L, -1, RESOLUTION_TYPE);
        lua_pop(L, 1);                                  /* ... */
    }
    if (!res)
        luaL_error(L, "%s: the script must return ddim.experiment{...}, got %s", path, luaL_typename(L, index));
    luaL_getmetafield(L, index, "resolution");          /* ... resolution */
    lua_getiuservalue(L, -1, 1);                        /* ... resolution models */
    lua_remove(L, -2);                                  /* ... models */
    return res;
}
