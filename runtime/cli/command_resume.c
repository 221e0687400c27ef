/* Going on with a run directory: `ddim-lab resume RUN_DIR [--threads N]`
 * reruns the experiment with the arguments its meta.json saved and
 * --resume RUN_DIR; the checks that a resumed run is the run it resumes
 * (experiment_run.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/files.h"
#include "runtime/cli/commands.h"
#include "runtime/cli/experiment_run.h"
#include "runtime/report/run_meta.h"

#define MAX_ENTRIES 4096
#define MAX_ARGUMENTS 256

/* A config.lua as "path = value" entries: each table field of a variant
 * ("skip.train.epochs"), its other fields ("skip.changes"), its network
 * (the layer table in comments, "skip.network"), and the top ("seeds"). */
struct config_entries {
    int count;
    char (*key)[300];
    char (*value)[512];
};

static void add_entry(struct config_entries *c, const char *key, const char *value, size_t length)
{
    for (int i = 0; i < c->count; i++)
        if (strcmp(c->key[i], key) == 0) { /* a network's lines: one entry, their text together */
            const size_t used = strlen(c->value[i]);
            snprintf(c->value[i] + used, sizeof c->value[i] - used, "|%.*s", (int)length, value);
            return;
        }
    if (c->count == MAX_ENTRIES)
        return;
    snprintf(c->key[c->count], sizeof c->key[0], "%s", key);
    snprintf(c->value[c->count++], sizeof c->value[0], "%.*s", (int)length, value);
}

/* The "k = v" fields of a table "{ k = v, k = v }" under prefix. */
static void add_table(struct config_entries *c, const char *prefix, const char *table)
{
    const char *at = table + 1;
    while (*at && *at != '}') {
        while (*at == ' ' || *at == ',')
            at++;
        const char *end = at;
        while (*end && *end != ',' && *end != '}')
            end++;
        const char *equals = memchr(at, '=', (size_t)(end - at));
        char key[300];
        if (equals && equals > at) {
            const int key_length = (int)(equals - at - 1) < 100 ? (int)(equals - at - 1) : 100;
            snprintf(key, sizeof key, "%.150s.%.*s", prefix, key_length, at);
            add_entry(c, key, equals + 2, (size_t)(end - equals - 2 > 0 ? end - equals - 2 : 0));
        }
        at = end;
    }
}

static void add_line(struct config_entries *c, const char *line, size_t length, char *variant, int *in_body)
{
    char key[300];
    while (length && (*line == ' '))
        line++, length--;
    if (!*in_body) {
        *in_body = strncmp(line, "return ", 7) == 0;
        add_entry(c, "options", line, length);
        return;
    }
    if (strncmp(line, "--", 2) == 0) {
        snprintf(key, sizeof key, "%s.network", variant);
        add_entry(c, key, line, length);
        return;
    }
    const char *equals = memchr(line, '=', length);
    if (!equals || equals == line)
        return;
    const int name_length = (int)(equals - line - 1);
    if (strncmp(line, "name = \"", 8) == 0 && length > 10)
        snprintf(variant, 64, "%.*s", (int)(length - 10), line + 8);
    if (equals[2] == '{' && memchr(line, '}', length) && variant[0]) {
        snprintf(key, sizeof key, "%s.%.*s", variant, name_length, line);
        add_table(c, key, equals + 2);
    } else {
        snprintf(key, sizeof key, "%s%s%.*s", variant, variant[0] ? "." : "", name_length, line);
        add_entry(c, key, equals + 2, length - (size_t)(equals + 2 - line));
    }
}

static int parse_config(const char *text, struct config_entries *c)
{
    c->count = 0;
    c->key = malloc(MAX_ENTRIES * sizeof *c->key);
    c->value = malloc(MAX_ENTRIES * sizeof *c->value);
    if (!c->key || !c->value)
        return -1;
    char variant[64] = "";
    int in_body = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        const size_t length = end ? (size_t)(end - line) : strlen(line);
        add_line(c, line, length, variant, &in_body);
        line += length + (end != NULL);
    }
    return 0;
}

static const char *value_of(const struct config_entries *c, const char *key)
{
    for (int i = 0; i < c->count; i++)
        if (strcmp(c->key[i], key) == 0)
            return c->value[i];
    return NULL;
}

/* Appends "key (run: a; now: b)" to out, the first few of them. */
static void list_one(char *out, size_t size, int *listed, const char *key, const char *then, const char *now)
{
    if ((*listed)++ >= 4)
        return;
    const size_t used = strlen(out);
    snprintf(out + used, size - used, "%s%s (run: %.60s; now: %.60s)", *listed > 1 ? ", " : "", key,
             then ? then : "absent", now ? now : "absent");
}

/* The entries whose values differ or that one side lacks. */
static void list_differences(const struct config_entries *then, const struct config_entries *now, char *out,
                             size_t size)
{
    int listed = 0;
    out[0] = '\0';
    for (int i = 0; i < then->count; i++) {
        const char *other = value_of(now, then->key[i]);
        if (!other || strcmp(other, then->value[i]) != 0)
            list_one(out, size, &listed, then->key[i], then->value[i], other);
    }
    for (int i = 0; i < now->count; i++)
        if (!value_of(then, now->key[i]))
            list_one(out, size, &listed, now->key[i], NULL, now->value[i]);
    if (listed > 4) {
        const size_t used = strlen(out);
        snprintf(out + used, size - used, " and %d more", listed - 4);
    }
}

int check_resumed_config(const char *dir, const char *config, char *err, size_t errlen)
{
    char path[1024], *saved;
    size_t size;
    snprintf(path, sizeof path, "%s/config.lua", dir);
    if (read_text_file(path, &saved, &size, err, errlen))
        return path_error(err, errlen, dir, "cannot resume: not a run directory (no readable config.lua)");
    if (strcmp(saved, config) == 0) {
        free(saved);
        return 0;
    }
    struct config_entries then = { 0 }, now = { 0 };
    char differences[768];
    if (parse_config(saved, &then) || parse_config(config, &now))
        snprintf(differences, sizeof differences, "(out of memory to list them)");
    else
        list_differences(&then, &now, differences, sizeof differences);
    path_error(err, errlen, path, "cannot resume: this run's config differs from the run's: %s", differences);
    free(saved);
    free(then.key), free(then.value), free(now.key), free(now.value);
    return -1;
}

int run_resume(const struct context *ctx, int argc, char **argv)
{
    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "ddim-lab: resume needs a run directory, e.g. ddim-lab resume runs/skip_vs_noskip/20261207-035344"
                        " (see ddim-lab --help)\n");
        return 2;
    }
    char path[1024], err[1024], *json, *args[MAX_ARGUMENTS];
    size_t size;
    int count;
    snprintf(path, sizeof path, "%s/meta.json", argv[0]);
    if (read_text_file(path, &json, &size, err, sizeof err)) {
        fprintf(stderr, "ddim-lab: %s\n", err);
        return 1;
    }
    if (run_meta_arguments(json, args, MAX_ARGUMENTS - 4, &count) || count + 2 + argc - 1 > MAX_ARGUMENTS) {
        fprintf(stderr, "ddim-lab: %s: no \"arguments\" list to rerun (a run from before ddim-lab resume?): "
                        "run its experiment file with --resume %s\n", path, argv[0]);
        free(json);
        return 1;
    }
    args[count++] = "--resume";
    args[count++] = argv[0];
    for (int i = 1; i < argc; i++) /* e.g. --threads N: later options win */
        args[count++] = argv[i];
    const int status = run_experiment(ctx, count, args);
    free(json);
    return status;
}
