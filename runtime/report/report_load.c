/* Reading a run directory's CSV files back (see report.h). Each file has a
 * header naming its columns; a file that does not match, a row with a
 * wrong number of fields or a value that is not a number is one error line
 * naming the file and line. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/base/files.h"
#include "runtime/report/report.h"
#include "runtime/report/run_meta.h"

#define MAX_FIELDS 32

/* A CSV file split in place: fields[row][column] point into text. */
struct csv {
    char *text;
    int rows;                       /* data rows, the header excluded */
    char *(*fields)[MAX_FIELDS];
    char path[1024];
};

enum { TOO_MANY_FIELDS = -1, TEXT_AFTER_QUOTE = -2 };

/* Splits one line at line (in place, quotes "..." with "" for a quote) into
 * fields; returns how many, or TOO_MANY_FIELDS (over MAX_FIELDS), or
 * TEXT_AFTER_QUOTE. *next: the line after. */
static int split_line(char *line, char **fields, char **next)
{
    int count = 0;
    char *in = line, *out = line;
    for (;;) {
        if (count == MAX_FIELDS)
            return TOO_MANY_FIELDS;
        fields[count++] = out;
        if (*in == '"') {
            for (in++; *in && !(in[0] == '"' && in[1] != '"'); in++)
                *out++ = *in == '"' ? *++in : *in;
            /* Text after the closing quote would start a row that no line
             * break ends: more rows than the lines counted for them. */
            if (*in == '"' && in[1] != ',' && in[1] != '\n' && in[1] != '\0')
                return TEXT_AFTER_QUOTE;
            in += *in == '"';
        } else {
            while (*in && *in != ',' && *in != '\n')
                *out++ = *in++;
        }
        const char end = *in;
        *out++ = '\0';
        if (end != ',') {
            *next = end == '\n' ? in + 1 : in;
            return count;
        }
        in++;
    }
}

static void csv_free(struct csv *c)
{
    free(c->text);
    free(c->fields);
}

/* Reads dir/name; its header must be the columns listed in header. */
static int csv_read(const char *dir, const char *name, const char *header, struct csv *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s/%s", dir, name);
    size_t size;
    if (read_text_file(c->path, &c->text, &size, err, errlen))
        return -1;
    int lines = 0;
    for (size_t i = 0; i < size; i++)
        lines += c->text[i] == '\n';
    c->fields = calloc((size_t)lines + 1, sizeof *c->fields);
    if (!c->fields)
        return path_error(err, errlen, c->path, "out of memory");
    char *at = c->text, *columns[MAX_FIELDS];
    const size_t header_length = strlen(header);
    if (strncmp(at, header, header_length) != 0 || at[header_length] != '\n')
        return path_error(err, errlen, c->path, "the first line must be the header '%s'", header);
    const int width = split_line(at, columns, &at);
    for (int line = 2; *at; line++) {
        const int fields = split_line(at, c->fields[c->rows], &at);
        if (fields == TEXT_AFTER_QUOTE)
            return path_error(err, errlen, c->path, "line %d: text after a closing quote (a quoted field ends at "
                              "a comma or the line's end)", line);
        if (fields != width)
            return path_error(err, errlen, c->path, "line %d: not %d comma-separated fields", line, width);
        c->rows++;
    }
    return 0;
}

/* field as a number; NAN and -1 on error with the message in err. */
static int number(const struct csv *c, int row, int column, double *out, char *err, size_t errlen)
{
    const char *text = c->fields[row][column];
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    if (errno || end == text || *end)
        return path_error(err, errlen, c->path, "line %d: field %d is '%s', not a number", row + 2, column + 1, text);
    return 0;
}

/* field as a whole number from min to max: the counts, epochs and seeds,
 * which the run writes as integers; -1 on error with the message in err.
 * (Through a double, a seed would lose its low bits and an out-of-range
 * value would not convert.) */
static int whole_number(const struct csv *c, int row, int column, uint64_t min, uint64_t max, uint64_t *out,
                        char *err, size_t errlen)
{
    const char *text = c->fields[row][column];
    char *end;
    errno = 0;
    *out = strtoull(text, &end, 10);
    /* strtoull would take leading blanks and a sign (negating the value). */
    if (errno || text[0] < '0' || text[0] > '9' || *end || *out < min || *out > max)
        return path_error(err, errlen, c->path, "line %d: field %d is '%s', not a whole number from %llu to %llu",
                          row + 2, column + 1, text, (unsigned long long)min, (unsigned long long)max);
    return 0;
}

static int find_variant(const struct report_data *d, const char *name)
{
    for (int i = 0; i < d->variant_count; i++)
        if (strcmp(d->variants[i].name, name) == 0)
            return i;
    return strcmp(name, REPORT_FLOOR) == 0 ? -1 : -2;
}

/* The run of (variant, seed), added when new. */
static struct report_run *find_run(struct report_data *d, int variant, uint64_t seed, int capacity)
{
    for (int i = 0; i < d->run_count; i++)
        if (d->runs[i].variant == variant && d->runs[i].seed == seed)
            return &d->runs[i];
    if (d->run_count == capacity)
        return NULL;
    struct report_run *r = &d->runs[d->run_count++];
    memset(r, 0, sizeof *r);
    r->variant = variant;
    r->seed = seed;
    return r;
}

/* variants.csv, in any of its versions: a run from before MFLOP a sampling
 * step was recorded reads as NAN there; from before trained_as, each
 * variant trained itself. */
static int read_variants(const char *dir, struct report_data *d, char *err, size_t errlen)
{
    static const char *const headers[] = { /* newest first */
        "experiment,variant,reference,samples_from,parameters,changes,mflop_per_image,trained_as",
        "experiment,variant,reference,samples_from,parameters,changes,mflop_per_image",
        "experiment,variant,reference,samples_from,parameters,changes",
    };
    struct csv c;
    char older_err[1]; /* the newest header's message is the one to give */
    int columns = 8;
    for (int h = 0; csv_read(dir, "variants.csv", headers[h], &c, h ? older_err : err, h ? 1 : errlen) != 0;
         h++, columns--) {
        csv_free(&c);
        if (h == 2)
            return -1;
    }
    d->variants = calloc((size_t)c.rows + 1, sizeof *d->variants);
    if (!d->variants)
        return csv_free(&c), path_error(err, errlen, c.path, "out of memory");
    for (int row = 0; row < c.rows; row++) {
        struct report_variant *v = &d->variants[d->variant_count++];
        char *const *f = c.fields[row];
        uint64_t parameters;
        if (whole_number(&c, row, 4, 0, LONG_MAX, &parameters, err, errlen))
            return csv_free(&c), -1;
        snprintf(d->experiment, sizeof d->experiment, "%s", f[0]);
        snprintf(v->name, sizeof v->name, "%s", f[1]);
        snprintf(v->reference, sizeof v->reference, "%s", f[2]);
        snprintf(v->samples_from, sizeof v->samples_from, "%s", f[3]);
        snprintf(v->changes, sizeof v->changes, "%s", f[5]);
        snprintf(v->trained_as, sizeof v->trained_as, "%s", columns == 8 ? f[7] : f[1]);
        v->parameters = (long)parameters;
        v->mflop_per_image = NAN;
        if (columns >= 7 && number(&c, row, 6, &v->mflop_per_image, err, errlen))
            return csv_free(&c), -1;
    }
    csv_free(&c);
    return 0;
}

/* results.csv and timing.csv: one row per variant, seed and epoch. */
static int read_epochs(const char *dir, struct report_data *d, int capacity, char *err, size_t errlen)
{
    struct csv results = { 0 }, timing = { 0 }; /* both freed at done, whichever was read */
    int status = -1;
    if (csv_read(dir, "results.csv", "variant,seed,epoch,noise_loss,image_loss,best_noise_loss", &results, err,
                 errlen) ||
        csv_read(dir, "timing.csv", "variant,seed,epoch,seconds,images_per_second", &timing, err, errlen))
        goto done;
    for (int file = 0; file < 2; file++) {
        const struct csv *c = file ? &timing : &results;
        for (int row = 0; row < c->rows; row++) {
            uint64_t seed, epoch;
            double a, b;
            if (whole_number(c, row, 1, 0, UINT64_MAX, &seed, err, errlen) ||
                whole_number(c, row, 2, 1, INT_MAX, &epoch, err, errlen) || number(c, row, 3, &a, err, errlen) ||
                number(c, row, 4, &b, err, errlen))
                goto done;
            const int variant = find_variant(d, c->fields[row][0]);
            struct report_run *r = variant >= 0 ? find_run(d, variant, seed, capacity) : NULL;
            if (!r) {
                path_error(err, errlen, c->path, "line %d: no variant '%s' in variants.csv, or over %d runs", row + 2,
                           c->fields[row][0], capacity);
                goto done;
            }
            const int e = (int)epoch - 1;
            if (file == 0) {
                r->epochs = e + 1 > r->epochs ? e + 1 : r->epochs;
                if (e < 64) {
                    r->noise_loss[e] = a;
                    r->image_loss[e] = b;
                }
            } else {
                r->seconds += a;
                r->images_per_second += a * b; /* images, until divided by the seconds below */
            }
        }
    }
    for (int i = 0; i < d->run_count; i++) /* images/s over the whole training */
        d->runs[i].images_per_second = d->runs[i].seconds > 0 ? d->runs[i].images_per_second / d->runs[i].seconds : 0;
    status = 0;
done:
    csv_free(&results);
    csv_free(&timing);
    return status;
}

static int read_metrics(const char *dir, struct report_data *d, int capacity, char *err, size_t errlen)
{
    struct csv c;
    if (csv_read(dir, "metrics.csv",
                 "variant,seed,samples,sampling_steps,classifier,classifier_sha256,fid,kid,recognisable,"
                 "class_entropy,class_0,class_1,class_2,class_3,class_4,class_5,class_6,class_7,class_8,class_9",
                 &c, err, errlen))
        return csv_free(&c), -1;
    for (int row = 0; row < c.rows; row++) {
        uint64_t seed, samples, sampling_steps;
        double values[20]; /* by column; the scores, from column 6 on */
        if (whole_number(&c, row, 1, 0, UINT64_MAX, &seed, err, errlen) ||
            whole_number(&c, row, 2, 0, INT_MAX, &samples, err, errlen) ||
            whole_number(&c, row, 3, 0, INT_MAX, &sampling_steps, err, errlen))
            return csv_free(&c), -1;
        for (int column = 6; column < 20; column++)
            if (number(&c, row, column, &values[column], err, errlen))
                return csv_free(&c), -1;
        const int variant = find_variant(d, c.fields[row][0]);
        struct report_run *r = variant >= -1 ? find_run(d, variant, seed, capacity) : NULL;
        if (!r) {
            path_error(err, errlen, c.path, "line %d: no variant '%s' in variants.csv, or over %d runs", row + 2,
                       c.fields[row][0], capacity);
            return csv_free(&c), -1; /* after the message: the variant's name is in c's text */
        }
        r->scored = 1;
        r->samples = (int)samples;
        r->sampling_steps = (int)sampling_steps;
        r->scores = (struct sample_scores){ .count = (long)samples, .fid = values[6], .kid = values[7],
                                            .recognisable = values[8], .class_entropy = values[9] };
        for (int k = 0; k < METRIC_CLASSES; k++)
            r->scores.class_share[k] = values[10 + k];
        snprintf(d->classifier, sizeof d->classifier, "%s", c.fields[row][4]);
        snprintf(d->classifier_sha256, sizeof d->classifier_sha256, "%s", c.fields[row][5]);
    }
    csv_free(&c);
    return 0;
}

/* runs.csv, when the directory has one (runs before it existed do not):
 * each (variant, seed) run's state and what stopped it. */
static int read_states(const char *dir, struct report_data *d, char *err, size_t errlen)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    if (access(path, F_OK) != 0)
        return 0;
    struct csv c;
    if (csv_read(dir, "runs.csv", "variant,seed,state,detail", &c, err, errlen))
        return csv_free(&c), -1;
    d->states = calloc((size_t)c.rows + 1, sizeof *d->states);
    if (!d->states)
        return csv_free(&c), path_error(err, errlen, c.path, "out of memory");
    for (int row = 0; row < c.rows; row++) {
        struct report_state *r = &d->states[row];
        if (whole_number(&c, row, 1, 0, UINT64_MAX, &r->seed, err, errlen))
            return csv_free(&c), -1;
        snprintf(r->variant, sizeof r->variant, "%s", c.fields[row][0]);
        snprintf(r->state, sizeof r->state, "%s", c.fields[row][2]);
        snprintf(r->detail, sizeof r->detail, "%s", c.fields[row][3]);
        d->state_count++;
    }
    csv_free(&c);
    return 0;
}

/* From meta.json: whether its arguments have --quick, and the classifier's
 * test accuracy. A run directory without meta.json, or from before it kept
 * them, reads as not quick and NAN. */
static void read_meta(const char *dir, struct report_data *d)
{
    char path[1024], err[256], *json, *args[256];
    size_t size;
    int count;
    d->quick = 0;
    d->classifier_test_accuracy = NAN;
    snprintf(path, sizeof path, "%s/meta.json", dir);
    if (read_text_file(path, &json, &size, err, sizeof err))
        return;
    d->classifier_test_accuracy = run_meta_classifier_accuracy(json); /* before the arguments' unescaping */
    if (run_meta_arguments(json, args, 256, &count) == 0)
        for (int i = 0; i < count; i++)
            d->quick |= strcmp(args[i], "--quick") == 0;
    free(json);
}

int report_load(const char *dir, struct report_data *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    if (read_variants(dir, d, err, errlen))
        return report_free(d), -1;
    /* At most a run per row of results.csv or metrics.csv: 4096 is far above any experiment's. */
    const int capacity = 4096;
    d->runs = calloc(capacity, sizeof *d->runs);
    if (!d->runs) {
        report_free(d);
        return path_error(err, errlen, dir, "out of memory");
    }
    if (read_epochs(dir, d, capacity, err, errlen) || read_metrics(dir, d, capacity, err, errlen) ||
        read_states(dir, d, err, errlen))
        return report_free(d), -1;
    read_meta(dir, d);
    return 0;
}

void report_free(struct report_data *d)
{
    free(d->variants);
    free(d->runs);
    free(d->states);
    memset(d, 0, sizeof *d);
}
