/* `ddim-lab config --list`: the field table of config_fields.c as markdown,
 * one table per section. docs/config.md is this output, committed; a test
 * (tests/test_config.c) fails when the two differ. */
#include <stdio.h>
#include <string.h>
#include "runtime/cli/commands.h"
#include "runtime/config/config_fields.h"

static void print_section(const char *section)
{
    static const char *const role_words[] = { "the weights", "sampling", "what is kept" }; /* ORDER ROLE */
    printf("\n## %s\n\n| field | type | default | accepted | changes | description |\n"
           "| --- | --- | --- | --- | --- | --- |\n", section);
    const struct config_field *f;
    for (int i = 0; (f = config_field_at(section, i)) != NULL; i++) {
        char path[64], accepted[160];
        config_field_path(f, path, sizeof path);
        config_field_accepted(f, accepted, sizeof accepted);
        printf("| `%s` | %s | `%s` | %s | %s | %s |\n", path, config_field_type_name(f), config_field_default(f),
               accepted, role_words[config_field_role(f)], config_field_description(f));
    }
}

int run_config(const struct context *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc != 1 || strcmp(argv[0], "--list") != 0) {
        fprintf(stderr, "ddim-lab: config takes --list, got '%s' (see ddim-lab --help)\n",
                argc > 0 ? argv[0] : "nothing");
        return 2;
    }
    printf("# Config fields\n\n"
           "Every setting of a variant, as `ddim-lab config --list` prints it from the field table in\n"
           "`runtime/config/config_fields.c`. This file is that output (`make test` fails when they differ;\n"
           "rewrite it with `build/ddim-lab config --list > docs/config.md`).\n\n"
           "A variant's fields are set, in order, by their defaults; the experiment file's `train = {...}`,\n"
           "`diffusion = {...}` and `sample = {...}` tables, then the variant's own; the file's `quick` table\n"
           "and then the variant's own (with `--quick`); `key.path=value` on the command line; and `--seed` or `--seeds` for `train.seed`.\n"
           "`ddim-lab sample` and `ddim-lab eval` set `diffusion.steps`, `diffusion.eta`, `diffusion.guidance`\n"
           "and `diffusion.guide_epoch` with `--steps`, `--eta`, `--guidance` and `--guide-epoch`. Each value\n"
           "is checked against its field wherever it comes from, then the variant as a whole (for instance\n"
           "`diffusion.eta` above 0 needs a cosine or linear schedule). A run's `config.lua` lists every field\n"
           "of every variant as the run used it, and runs again as `ddim-lab <run dir>/config.lua`.\n\n"
           "**Changes** says what a field changes: the trained weights, only the sampling (how samples are drawn,\n"
           "scored or shown), or what the training keeps besides its weights (the EMA, the guide's epoch\n"
           "weights). A variant whose fields and network are an earlier variant's but for sampling fields, and\n"
           "kept ones it does not use (an EMA or a guide it goes without), is not trained again: at each seed it\n"
           "samples from the earlier variant's training, and its run says so (`variants.csv`'s `trained_as`).\n");
    for (int s = 0; config_sections[s]; s++)
        print_section(config_sections[s]);
    return 0;
}
