/* config_fields.h: the settings of a variant (train.*, diffusion.*,
 * sample.*) as a table of fields: their names, types, defaults, accepted
 * values, descriptions, and where they live in struct variant. Every
 * setter (the Lua file's sections, key.path=value overrides, the flags of
 * sample and eval) goes through config_field_set, so a value is checked the
 * same way wherever it comes from. No Lua here. */
#ifndef DDIM_CONFIG_FIELDS_H
#define DDIM_CONFIG_FIELDS_H

#include <stddef.h>
#include "runtime/config/config.h"

struct config_field;

/* What a field changes. A variant whose fields differ from an earlier
 * variant's only in ROLE_SAMPLING fields, and in ROLE_KEPT fields it does
 * not use, samples from that variant's training (config_trains_alike). */
enum field_role { /* ORDER ROLE: command_config.c names them */
    ROLE_TRAINING = 0,  /* the trained weights */
    ROLE_SAMPLING,      /* only how the samples are drawn, scored or shown */
    ROLE_KEPT,          /* what training keeps besides the weights: the EMA, the guide's epoch weights */
};

/* A value as the file or the command line wrote it, before it is checked
 * against a field. */
struct setting_value {
    enum { VALUE_INTEGER, VALUE_FLOAT, VALUE_BOOLEAN, VALUE_STRING, VALUE_OTHER } kind;
    long long integer;          /* VALUE_INTEGER */
    double number;              /* VALUE_INTEGER and VALUE_FLOAT */
    int boolean;                /* VALUE_BOOLEAN */
    const char *text;           /* VALUE_STRING: the string; VALUE_OTHER: its type's name */
};

/* The section names in order, NULL-terminated: "train", "diffusion", "sample". */
extern const char *const config_sections[];

/* Lookup by section and name, or by "section.name"; NULL when unknown. */
const struct config_field *config_field_find(const char *section, const char *name);
const struct config_field *config_field_find_path(const char *path);

/* "train.epochs" */
void config_field_path(const struct config_field *f, char *out, size_t size);

/* The field names of a section, or every path ("train.epochs", ...) when
 * section is NULL, as a list "a, b, c" for error messages. */
void config_field_list(const char *section, char *out, size_t size);

/* Of names (NULL-terminated), the one a typo most likely meant, or NULL. */
const char *config_closest_name(const char *typo, const char *const *names);
/* The field of section (or, when section is NULL, the path) a typo most likely meant, or NULL. */
const struct config_field *config_closest_field(const char *section, const char *typo);

/* The seed's settings: every field at its default (the table's). */
void config_defaults(struct variant *v);

/* Sets f in v from value; on a value f does not accept, returns -1 with
 * "train.epochs must be an integer >= 1, got string 'three'" in err. */
int config_field_set(const struct config_field *f, const struct setting_value *value, struct variant *v,
                     char *err, size_t errlen);
/* The same from command-line text, parsed as f's type ("3", "1e-3", "true", "mse"). */
int config_field_set_text(const struct config_field *f, const char *text, struct variant *v, char *err,
                          size_t errlen);

/* Checks that involve more than one field; -1 with the reason in err. */
int config_check_variant(const struct variant *v, char *err, size_t errlen);

/* f's value in v as Lua source: 3, 0.001, "mae", true. */
void config_field_format(const struct config_field *f, const struct variant *v, char *out, size_t size);

/* Whether v's samples can come from the run that trains `trained`: every
 * ROLE_TRAINING field equal (train.seed too, unless ignore_seed: the
 * experiment's seeds set it), and the ROLE_KEPT fields equal unless v has
 * no use for them (train.ema and train.ema_warmup when v keeps no EMA: a
 * run with one keeps its raw epoch weights too, for a guide without it;
 * diffusion.guide_epoch when v has no guide). The networks are the
 * caller's to compare. */
int config_trains_alike(const struct variant *trained, const struct variant *v, int ignore_seed);

/* Iteration over the fields of a section in order: i = 0, 1, ... until NULL. */
const struct config_field *config_field_at(const char *section, int i);
const char *config_field_name(const struct config_field *f);

/* What the field accepts, as error messages and docs/config.md say it:
 * "an integer >= 1", "a number in [0, 1) (0 = no EMA)", "one of \"mae\", \"mse\"". */
void config_field_accepted(const struct config_field *f, char *out, size_t size);
/* The default as command-line text ("1e-3", "mae", "true"). */
const char *config_field_default(const struct config_field *f);
/* One line saying what the field does. */
const char *config_field_description(const struct config_field *f);
enum field_role config_field_role(const struct config_field *f);
/* "integer", "number", "boolean" or "string" (the named choices). */
const char *config_field_type_name(const struct config_field *f);

#endif
