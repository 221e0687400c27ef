/* lua_settings.c: the settings of a variant read from Lua tables and
 * overrides (lua_settings.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include "runtime/config/config_fields.h"
#include "runtime/lua/lua_settings.h"

void settings_reader_at_caller(struct reader *r, lua_State *L)
{
    memset(r, 0, sizeof *r);
    r->L = L;
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
        snprintf(r->where, sizeof r->where, "%s:%d: ", ar.short_src, ar.currentline);
        if (ar.source[0] == '@') /* a file, not a string chunk */
            snprintf(r->file, sizeof r->file, "%s", ar.source + 1);
        snprintf(r->short_file, sizeof r->short_file, "%s", ar.short_src);
        r->line = ar.currentline;
    }
}

int settings_error(struct reader *r, const char *format, ...)
{
    char message[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    lua_pushfstring(r->L, "%s%s%s", r->where, r->context, message);
    lua_error(r->L);
    abort(); /* lua_error does not return */
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

int settings_plain_name(const char *name)
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
    settings_error(r, "unknown key '%s' in %s%s; valid keys: %s%s", key, table, suggestion, list,
                   strchr(key, '.') ? " (write sections as train = { epochs = 1 })" : "");
}

/* Applies the section table at index (the value of `train = {...}`) to v. */
static void apply_section(struct reader *r, const char *section, int index, struct variant *v)
{
    lua_State *L = r->L;
    if (!lua_istable(L, index))
        settings_error(r, "%s must be a table { ... }, got %s", section, luaL_typename(L, index));
    const char *names[32];
    const struct config_field *f = NULL;
    int n = 0;
    for (; n < 31 && (f = config_field_at(section, n)) != NULL; n++)
        names[n] = config_field_name(f);
    names[n] = NULL;
    lua_pushnil(L);                                     /* ... nil */
    while (lua_next(L, index)) {                        /* ... key value */
        if (lua_type(L, -2) != LUA_TSTRING)
            settings_error(r, "unexpected %s key in %s; its keys are names: %s = ...", luaL_typename(L, -2),
                           section, names[0]);
        f = config_field_find(section, lua_tostring(L, -2));
        if (!f)
            unknown_key(r, lua_tostring(L, -2), section, names);
        char err[256];
        struct setting_value value = setting_of(L, -1);
        if (config_field_set(f, &value, v, err, sizeof err))
            settings_error(r, "%s", err);
        lua_pop(L, 1);                                  /* ... key */
    }
}

void settings_apply(struct reader *r, int index, const char *table, struct variant *v,
                    const char *const *extra_keys)
{
    lua_State *L = r->L;
    index = lua_absindex(L, index);
    lua_pushnil(L);                                     /* ... nil */
    while (lua_next(L, index)) {                        /* ... key value */
        if (lua_type(L, -2) != LUA_TSTRING)
            settings_error(r, "unexpected %s key in %s (a list item where names were expected?)",
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

void settings_apply_override(struct reader *r, const char *override, struct variant *v)
{
    const char *equals = strchr(override, '=');
    if (!equals)
        settings_error(r, "override '%s' must be key.path=value, e.g. train.epochs=3", override);
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
        settings_error(r, "override '%s': unknown setting '%s'%s; the settings are %s", override, path, suggestion,
                       list);
    }
    if (config_field_set_text(f, equals + 1, v, err, sizeof err))
        settings_error(r, "override '%s': %s", override, err);
}

void settings_check_variant(struct reader *r, const struct variant *v)
{
    char err[256];
    if (config_check_variant(v, err, sizeof err))
        settings_error(r, "%s", err);
}

const char *settings_optional_string(struct reader *r, int index, const char *key)
{
    int type = lua_getfield(r->L, index, key);          /* ... value */
    if (type != LUA_TNIL && type != LUA_TSTRING)
        settings_error(r, "%s must be a string, got %s", key, luaL_typename(r->L, -1));
    return lua_tostring(r->L, -1);
}
