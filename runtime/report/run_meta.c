/* meta.json (run_meta.h), written by hand: a flat object of strings and
 * numbers, an array of {file, sha256, verified} and one of {variant, seed}. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build_info.h"
#include "runtime/base/files.h"
#include "runtime/base/info.h"
#include "runtime/report/run_meta.h"
#include "runtime/base/sha256.h"

/* s as a JSON string: quotes, backslashes and control characters escaped. */
static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void put_field(FILE *f, const char *key, const char *value)
{
    fprintf(f, "  ");
    put_string(f, key);
    fprintf(f, ": ");
    put_string(f, value);
    fprintf(f, ",\n");
}

int write_run_meta(const char *dir, const struct experiment *e, const struct kernels *k, const struct run_meta *m,
                   char *err, size_t errlen)
{
    char *json = NULL, path[1024], libraries[256], cpu[256], features[256], started[32], session[32];
    char config_hash[SHA256_HEX_SIZE];
    size_t length = 0;
    sha256_hex_of(e->resolved, strlen(e->resolved), config_hash);
    info_libraries(libraries, sizeof libraries);
    info_cpu_model(cpu, sizeof cpu);
    kernels_cpu_features(features, sizeof features);
    strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", gmtime(&m->started));
    strftime(session, sizeof session, "%Y-%m-%dT%H:%M:%SZ", gmtime(&m->session_started));

    FILE *f = open_memstream(&json, &length);
    if (!f) {
        snprintf(err, errlen, "%s/meta.json: out of memory", dir);
        return -1;
    }
    fprintf(f, "{\n");
    put_field(f, "status", m->status);
    put_field(f, "command_line", m->command_line);
    fprintf(f, "  \"arguments\": [");
    for (int i = 0; i < m->argument_count; i++) {
        fprintf(f, i ? ", " : "");
        put_string(f, m->arguments[i]);
    }
    fprintf(f, "],\n");
    put_field(f, "experiment", e->path);
    put_field(f, "data_dir", m->data_dir);
    put_field(f, "ddim_lab_version", DDIM_VERSION);
    put_field(f, "git_commit", DDIM_GIT_COMMIT);
    put_field(f, "compiler", info_compiler());
    put_field(f, "cflags", DDIM_CFLAGS);
    put_field(f, "kernels", k->isa);
    put_field(f, "libraries", libraries);
    put_field(f, "cpu", cpu);
    put_field(f, "cpu_features", features);
    put_field(f, "config_sha256", config_hash);
    put_field(f, "classifier", m->classifier);
    put_field(f, "classifier_sha256", m->classifier_sha256);
    if (isnan(m->classifier_test_accuracy))
        fprintf(f, "  \"classifier_test_accuracy\": null,\n");
    else
        fprintf(f, "  \"classifier_test_accuracy\": %.4f,\n", m->classifier_test_accuracy);
    put_field(f, "started_utc", started);
    if (m->session_started)
        put_field(f, "resumed_utc", session);
    fprintf(f, "  \"data_files\": [");
    for (int i = 0; i < MNIST_FILE_COUNT; i++) {
        fprintf(f, "%s\n    {\"file\": ", i ? "," : "");
        put_string(f, mnist_files[i].name);
        fprintf(f, ", \"sha256\": ");
        put_string(f, m->data_digests[i].sha256);
        fprintf(f, ", \"verified\": %s}", m->data_digests[i].verified ? "true" : "false");
    }
    fprintf(f, "\n  ],\n");
    fprintf(f, "  \"threads\": %d,\n  \"wall_seconds\": %.1f,\n  \"sessions\": %d,\n  \"runs_done\": %d,\n"
               "  \"runs_total\": %d,\n  \"seeds\": [", m->threads, m->wall_seconds, m->sessions > 0 ? m->sessions : 1,
            m->runs_done, m->runs_total);
    for (int i = 0; i < e->seed_count; i++)
        fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)e->seeds[i]);
    for (int i = 0; !e->seed_count && i < e->variant_count; i++) { /* no seeds list: each variant's own */
        fprintf(f, "%s\n    {\"variant\": ", i ? "," : "");
        put_string(f, e->variants[i].name);
        fprintf(f, ", \"seed\": %llu}", (unsigned long long)e->variants[i].train.seed);
    }
    fprintf(f, "%s]\n}\n", e->seed_count ? "" : "\n  "); /* a list of numbers stays on one line */
    fclose(f);
    snprintf(path, sizeof path, "%s/meta.json", dir);
    int status = write_file_atomic(path, json, length, err, errlen);
    free(json);
    return status;
}

/* The JSON string at *at (just past its opening quote) into out, with the
 * escapes meta.json writes (\", \\, \u00XX); *at moves past the closing
 * quote. Returns -1 on anything else. */
static int json_string(const char **at, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = *at; *p; p++) {
        char c = *p;
        if (c == '"') {
            out[n] = '\0';
            *at = p + 1;
            return 0;
        }
        if (c == '\\') {
            p++;
            if (*p == 'u' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2]) &&
                isxdigit((unsigned char)p[3]) && isxdigit((unsigned char)p[4])) {
                char hex[5] = { p[1], p[2], p[3], p[4], 0 };
                c = (char)strtol(hex, NULL, 16);
                p += 4;
            } else if (*p == '"' || *p == '\\') {
                c = *p;
            } else {
                return -1;
            }
        }
        if (n + 1 >= size)
            return -1;
        out[n++] = c;
    }
    return -1;
}

int run_meta_arguments(char *json, char **args, int capacity, int *count)
{
    const char *at = strstr(json, "\"arguments\": [");
    if (!at)
        return -1;
    at += strlen("\"arguments\": [");
    char *out = json; /* written over the text already read */
    *count = 0;
    while (*at == '"' && *count < capacity) {
        at++;
        const size_t room = (size_t)(at - out);
        if (json_string(&at, out, room) != 0)
            return -1;
        args[(*count)++] = out;
        out += strlen(out) + 1;
        if (*at == ',')
            at += 2;
    }
    return *at == ']' && *count > 0 ? 0 : -1;
}

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (the civil
 * calendar's day count; Hinnant's "days_from_civil"), so that a UTC time
 * reads back without the non-standard timegm. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long year_of_era = y - era * 400;
    const long day_of_year = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

int run_meta_sessions(const char *json, time_t *started, double *wall_seconds, int *sessions)
{
    const char *at = strstr(json, "\"started_utc\": \"");
    const char *wall = strstr(json, "\"wall_seconds\": ");
    const char *count = strstr(json, "\"sessions\": ");
    int year, month, day, hour, minute, second;
    if (!at || !wall ||
        sscanf(at, "\"started_utc\": \"%4d-%2d-%2dT%2d:%2d:%2dZ\"", &year, &month, &day, &hour, &minute, &second) != 6)
        return -1;
    char *end;
    *wall_seconds = strtod(wall + strlen("\"wall_seconds\": "), &end);
    if (end == wall + strlen("\"wall_seconds\": ") || !(*wall_seconds >= 0))
        return -1;
    *started = (time_t)(days_from_civil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second);
    *sessions = count ? atoi(count + strlen("\"sessions\": ")) : 1;
    if (*sessions < 1)
        *sessions = 1;
    return 0;
}

double run_meta_classifier_accuracy(const char *json)
{
    const char *at = strstr(json, "\"classifier_test_accuracy\": ");
    if (!at)
        return NAN;
    char *end;
    const double accuracy = strtod(at + strlen("\"classifier_test_accuracy\": "), &end);
    return end != at + strlen("\"classifier_test_accuracy\": ") && accuracy >= 0 && accuracy <= 1 ? accuracy : NAN;
}
