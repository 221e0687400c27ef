/* `ddim-lab sample` and `ddim-lab eval` on the checkpoint of a tiny run
 * (made once per test process, removed at exit): eval prints the figures
 * the run wrote into metrics.csv; sample writes a grid of the size asked
 * for, to samples.png by default; and each refusal is one line: EMA
 * weights the checkpoint lacks, a damaged file, an experiment file that
 * builds another network, an older checkpoint that names no experiment, a
 * bad command line (exit status 2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime/base/checkpoint.h"
#include "runtime/report/image_grid.h"
#include "runtime/base/mnist.h"
#include "test_classifier_file.h"
#include "test_util.h"
#include "test_program.h"

/* The seed's skip network with what a rebuild must get right to draw the
 * run's samples: seed 2 (the file says 1), the cosine schedule, the
 * standardisation fitted on the first 128 test digits, the EMA. */
#define TINY_RUN "experiments/skip_vs_noskip.lua --variant skip --seed 2 train.max_images=128 train.dataset=test " \
                 "train.epochs=1 train.normalize=true train.ema=0.999 diffusion.schedule=cosine diffusion.steps=2 " \
                 "sample.metric_samples=64"
#define TINY_SCALE 3 /* skip_vs_noskip's sample.scale */

/* Fails unless out is one "ddim-lab: " line that says part. */
static void assert_one_line(const char *out, const char *part)
{
    if (strncmp(out, "ddim-lab: ", 10) != 0 || strchr(out, '\n') != out + strlen(out) - 1)
        fail_msg("expected one line \"ddim-lab: ...\", got:\n%s", out);
    assert_contains(out, part);
}

static char run_dir[] = "/tmp/ddim-lab-checkpoint-XXXXXX";
static char checkpoint_path[600], metrics_path[600];

static void remove_run(void)
{
    remove_tree(run_dir);
}

/* The path of the one file matching pattern, into path. */
static const char *tiny_checkpoint(void)
{
    if (checkpoint_path[0])
        return checkpoint_path;
    if (!mkdtemp(run_dir))
        fail_msg("mkdtemp %s failed", run_dir);
    atexit(remove_run);
    char args[1024], out[8192], pattern[600];
    snprintf(args, sizeof args, TINY_RUN " --classifier %s --out %s", test_classifier_file(), run_dir);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/metrics.csv", run_dir);
    only_match(pattern, metrics_path);
    snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/skip/seed2/checkpoint.ddim", run_dir);
    only_match(pattern, checkpoint_path);
    return checkpoint_path;
}

/* Copies the checkpoint at from to to without the sections named in drop
 * (NULL-terminated). */
static void copy_checkpoint_without(const char *from, const char *to, const char *const *drop)
{
    struct checkpoint c;
    char err[1024];
    if (checkpoint_read(from, &c, err, sizeof err))
        fail_msg("%s", err);
    struct checkpoint_section *kept = calloc((size_t)c.count, sizeof *kept);
    assert_non_null(kept);
    int count = 0;
    for (int i = 0; i < c.count; i++) {
        int dropped = 0;
        for (const char *const *name = drop; *name; name++)
            dropped |= strcmp(c.sections[i].name, *name) == 0;
        if (!dropped)
            kept[count++] = c.sections[i];
    }
    if (checkpoint_write(to, kept, count, err, sizeof err))
        fail_msg("%s", err);
    free(kept);
    checkpoint_free(&c);
}

/* Field number field (from 0) of the CSV line that starts with prefix. */
static void csv_field(const char *csv, const char *prefix, int field, char *out, size_t size)
{
    const char *line = strstr(csv, prefix);
    if (!line)
        fail_msg("no line starting %s in:\n%s", prefix, csv);
    for (int f = 0; f < field; f++)
        line = strchr(line, ',') + 1;
    const size_t length = strcspn(line, ",\n");
    assert_true(length < size);
    memcpy(out, line, length);
    out[length] = '\0';
}

/* eval -n 64 prints what the run wrote for its 64 samples, to the digit. */
static void test_checkpoint_eval_prints_the_runs_metrics(void **state)
{
    (void)state;
    char args[1024], out[8192], want[1024], csv[8192], value[128];
    const char *checkpoint = tiny_checkpoint();
    FILE *f = fopen(metrics_path, "r");
    assert_non_null(f);
    csv[fread(csv, 1, sizeof csv - 1, f)] = '\0';
    fclose(f);

    snprintf(args, sizeof args, "eval %s -n 64 --classifier %s", checkpoint, test_classifier_file());
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(want, sizeof want, "%s: variant skip of experiments/skip_vs_noskip.lua, seed 2: 64 samples, 2 steps, "
             "ema weights\n", checkpoint);
    assert_contains(out, want);
    const char *row = "\nskip,2,64,2,";
    csv_field(csv, row, 5, value, sizeof value);
    snprintf(want, sizeof want, "classifier: %s (sha256 %s), ", test_classifier_file(), value);
    assert_contains(out, want);
    static const struct { const char *label; int field; int percent; const char *unit; } figures[] = {
        { "FID", 6, 0, "" }, { "KID", 7, 0, "" }, { "recognisable", 8, 1, "" }, { "class entropy", 9, 0, " bits" },
    };
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        csv_field(csv, row, figures[i].field, value, sizeof value);
        if (figures[i].percent)
            snprintf(want, sizeof want, "\n%s: %.4f%%\n", figures[i].label, 100 * atof(value));
        else
            snprintf(want, sizeof want, "\n%s: %s%s\n", figures[i].label, value, figures[i].unit);
        assert_contains(out, want);
    }
    size_t used = (size_t)snprintf(want, sizeof want, "\nclass shares:");
    for (int c = 0; c < 10; c++) {
        csv_field(csv, row, 10 + c, value, sizeof value);
        used += (size_t)snprintf(want + used, sizeof want - used, " %d %.4f%%%s", c, 100 * atof(value),
                                 c < 9 ? "," : "\n");
    }
    assert_contains(out, want);
}

/* Width and height from a PNG's IHDR (big-endian, at bytes 16 and 20). */
static void png_size(const char *path, long *width, long *height)
{
    unsigned char header[24];
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("no PNG at %s", path);
    assert_int_equal(fread(header, 1, sizeof header, f), sizeof header);
    fclose(f);
    assert_memory_equal(header + 12, "IHDR", 4);
    *width = (long)header[16] << 24 | header[17] << 16 | header[18] << 8 | header[19];
    *height = (long)header[20] << 24 | header[21] << 16 | header[22] << 8 | header[23];
}

/* 10 samples: a grid of 4 columns, 3 rows, at the variant's scale; and
 * samples.png in the current directory when -o is not given. */
static void test_checkpoint_sample_writes_a_grid_of_the_asked_size(void **state)
{
    char path[256], args[2048], out[8192], want[1024];
    const char *checkpoint = tiny_checkpoint();
    scratch_path(path, state, "grid.png");
    snprintf(args, sizeof args, "sample %s -n 10 -o %s", checkpoint, path);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(want, sizeof want, "wrote %s: 10 samples, 2 steps, ema weights, from %s (variant skip, seed 2)\n", path,
             checkpoint);
    assert_string_equal(out, want);
    float images[24 * MNIST_IMAGE_PIXELS] = { 0 };
    struct gray_image grid;
    char err[256];
    if (compose_sample_grid(images, 10, MNIST_SIDE, MNIST_SIDE, 4, TINY_SCALE, &grid, err, sizeof err))
        fail_msg("%s", err);
    long width, height;
    png_size(path, &width, &height);
    assert_int_equal(width, grid.width);
    assert_int_equal(height, grid.height);
    free_gray_image(&grid);

    /* --seed: the same weights (the run's seed 2), other noise: another grid. */
    char seeded[256];
    scratch_path(seeded, state, "seeded.png");
    snprintf(args, sizeof args, "sample %s -n 10 -o %s --seed 5", checkpoint, seeded);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(want, sizeof want, "wrote %s: 10 samples, 2 steps, ema weights, from %s (variant skip, seed 2), noise "
             "from seed 5\n", seeded, checkpoint);
    assert_string_equal(out, want);
    struct png_read_back first_png, seeded_png;
    read_png(path, &first_png);
    read_png(seeded, &seeded_png);
    assert_int_equal(first_png.width, seeded_png.width);
    assert_true(memcmp(first_png.pixels, seeded_png.pixels, (size_t)first_png.width * first_png.height) != 0);
    free(first_png.pixels);
    free(seeded_png.pixels);

    /* --strip: 8 of the samples (rows) through the sampler: at 2 steps,
     * the noise, the image after step 1, the sample (3 columns). */
    char strip[256];
    scratch_path(strip, state, "strip.png");
    snprintf(args, sizeof args, "sample %s -n 10 -o %s --strip %s", checkpoint, path, strip);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(want, sizeof want, "wrote %s: 8 samples (rows) from noise to digit, 2 of the 2 steps and the result "
             "(columns)\n", strip);
    assert_contains(out, want);
    if (compose_sample_grid(images, 8 * 3, MNIST_SIDE, MNIST_SIDE, 3, TINY_SCALE, &grid, err, sizeof err))
        fail_msg("%s", err);
    png_size(strip, &width, &height);
    assert_int_equal(width, grid.width);
    assert_int_equal(height, grid.height);
    free_gray_image(&grid);

    /* Elsewhere, the experiment file the checkpoint names (a relative
     * path) is not there: the line says so, and --experiment helps. */
    const struct scratch *scratch = *state;
    char cwd[512], data[600];
    assert_non_null(getcwd(cwd, sizeof cwd));
    const char *data_dir = getenv("DDIM_DATA") && *getenv("DDIM_DATA") ? getenv("DDIM_DATA") : "data/mnist";
    snprintf(data, sizeof data, "%s%s%s", data_dir[0] == '/' ? "" : cwd, data_dir[0] == '/' ? "" : "/", data_dir);
    snprintf(args, sizeof args, "sample %s -n 1 --data %s", checkpoint, data);
    assert_int_equal(run_ddim_lab(scratch->dir, NULL, args, out, sizeof out), 1);
    assert_one_line(out, ": its experiment file experiments/skip_vs_noskip.lua: No such file or directory; run "
                         "from the directory the run started in, or pass --experiment FILE.lua");
    snprintf(args, sizeof args, "sample %s -n 1 --data %s --experiment %s/experiments/skip_vs_noskip.lua", checkpoint,
             data, cwd);
    if (run_ddim_lab(scratch->dir, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    assert_contains(out, "wrote samples.png: 1 sample, 2 steps, ema weights, ");
    scratch_path(path, state, "samples.png");
    png_size(path, &width, &height);
    assert_int_equal(width, (2 * MNIST_SIDE + GRID_SEPARATOR) * TINY_SCALE);
    assert_int_equal(height, MNIST_SIDE * TINY_SCALE);
}

/* Without params_ema, --weights ema is refused; by default the best
 * epoch's weights are drawn. */
static void test_checkpoint_without_ema_refuses_ema_weights(void **state)
{
    char path[256], grid[256], args[1024], out[8192];
    scratch_path(path, state, "no_ema.ddim");
    copy_checkpoint_without(tiny_checkpoint(), path, (const char *const[]){ "params_ema", NULL });
    snprintf(args, sizeof args, "sample %s --weights ema", path);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, path);
    assert_contains(out, ": no EMA weights: variant 'skip' trained without train.ema; use --weights best or last");
    scratch_path(grid, state, "grid.png");
    snprintf(args, sizeof args, "sample %s -n 1 -o %s", path, grid);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    assert_contains(out, " best weights, ");
}

/* One byte flipped in the weights: checkpoint_read's CRC refuses it. */
static void test_checkpoint_damaged_is_refused(void **state)
{
    char path[256], args[1024], out[8192];
    scratch_path(path, state, "damaged.ddim");
    FILE *from = fopen(tiny_checkpoint(), "rb"), *to = fopen(path, "wb");
    assert_non_null(from);
    assert_non_null(to);
    long at = 0;
    for (int c; (c = fgetc(from)) != EOF; at++)
        fputc(at == 100000 ? c ^ 0x10 : c, to);
    fclose(from);
    assert_int_equal(fclose(to), 0);
    assert_true(at > 100000);
    for (int command = 0; command < 2; command++) {
        snprintf(args, sizeof args, "%s %s", command ? "eval" : "sample", path);
        assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
        char want[512];
        snprintf(want, sizeof want, "ddim-lab: %s: not a valid checkpoint: CRC mismatch (truncated or damaged)\n", path);
        assert_string_equal(out, want);
    }
}

/* --experiment names the file whose network to take: one without the
 * variant, and one whose variant of that name is another network (the
 * seed's first, 2,517,441 parameters). */
static void test_checkpoint_of_another_network_is_refused(void **state)
{
    char path[256], args[1400], out[8192], cwd[512];
    const char *checkpoint = tiny_checkpoint();
    snprintf(args, sizeof args, "sample %s --experiment experiments/unet_full.lua", checkpoint);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, checkpoint);
    assert_contains(out, ": rebuilding variant 'skip': config:");
    assert_contains(out, ": ddim.model_of: experiments/unet_full.lua has no variant 'skip'; its variants are unet");

    scratch_path(path, state, "other.lua");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("local ddim = require \"ddim\"\nlocal nets = require \"lib.seed_nets\"\n"
          "return ddim.experiment { variants = { { name = \"skip\", model = nets.first() } } }\n", f);
    assert_int_equal(fclose(f), 0);
    const struct scratch *scratch = *state;
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(args, sizeof args, "ln -s %s/experiments/lib %s/lib", cwd, scratch->dir); /* require finds it beside */
    assert_int_equal(system(args), 0);
    snprintf(args, sizeof args, "eval %s --experiment %s", checkpoint, path);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, checkpoint);
    char want[512];
    snprintf(want, sizeof want, ": %s no longer builds the network variant 'skip' was trained with: it has 2517441 "
             "parameters, the checkpoint 3132881", path);
    assert_contains(out, want);
}

/* Copies the checkpoint at from to to as a run before config.lua ran again
 * would have saved it: its config a plain table, without the sections named
 * in drop (NULL-terminated). */
static void copy_checkpoint_as_older(const char *from, const char *to, const char *const *drop)
{
    static const char older_config[] = "-- experiments/skip_vs_noskip.lua, resolved by ddim-lab 0.1.0\n"
                                       "return {\n  name = \"skip_vs_noskip\",\n  variants = {},\n}\n";
    struct checkpoint c;
    char err[1024];
    copy_checkpoint_without(from, to, drop);
    if (checkpoint_read(to, &c, err, sizeof err))
        fail_msg("%s", err);
    for (int i = 0; i < c.count; i++)
        if (strcmp(c.sections[i].name, "config") == 0) {
            c.sections[i].data = older_config;
            c.sections[i].size = sizeof older_config - 1;
        }
    if (checkpoint_write(to, c.sections, c.count, err, sizeof err))
        fail_msg("%s", err);
    checkpoint_free(&c);
}

/* The variant comes back from the checkpoint's config alone: without the
 * experiment and options sections, sample draws what the run drew. */
static void test_checkpoint_variant_comes_from_its_config(void **state)
{
    char path[256], grid[256], args[1024], out[8192], want[1024];
    scratch_path(path, state, "config_only.ddim");
    copy_checkpoint_without(tiny_checkpoint(), path, (const char *const[]){ "experiment", "options", NULL });
    scratch_path(grid, state, "grid.png");
    snprintf(args, sizeof args, "sample %s -n 10 -o %s", path, grid);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(want, sizeof want, "wrote %s: 10 samples, 2 steps, ema weights, from %s (variant skip, seed 2)\n", grid,
             path);
    assert_string_equal(out, want);
}

/* A checkpoint from before config.lua ran again (its config a plain
 * table) is rebuilt from its experiment file and options; one from before
 * these commands (no experiment, options or seed either) needs
 * --experiment, and then samples at the variant's own seed. */
static void test_checkpoint_older_needs_its_experiment(void **state)
{
    char path[256], grid[256], args[1024], out[8192];
    scratch_path(path, state, "older.ddim");
    scratch_path(grid, state, "grid.png");
    copy_checkpoint_as_older(tiny_checkpoint(), path, (const char *const[]){ NULL });
    snprintf(args, sizeof args, "sample %s -n 1 -o %s --steps 3", path, grid);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    assert_contains(out, "1 sample, 3 steps, ema weights, ");
    assert_contains(out, "(variant skip, seed 2)\n");

    scratch_path(path, state, "old.ddim");
    copy_checkpoint_as_older(tiny_checkpoint(), path, (const char *const[]){ "experiment", "options", "seed", NULL });
    snprintf(args, sizeof args, "sample %s", path);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, path);
    assert_contains(out, ": the checkpoint does not name its experiment file (a run before `ddim-lab sample` saved "
                         "it): pass --experiment FILE.lua");
    snprintf(args, sizeof args, "sample %s -n 1 -o %s --experiment experiments/skip_vs_noskip.lua", path, grid);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    assert_contains(out, "(variant skip, seed 1)\n");
}

/* The sampler's fresh noise: eval --eta 1 says so, scores other samples
 * than the run's deterministic ones, and the same ones twice (the noise is
 * keyed by seed, sample set, step and pixel). */
static void test_checkpoint_eval_with_fresh_noise_is_reproducible(void **state)
{
    (void)state;
    char args[1024], plain[8192], first[8192], second[8192], want[1024];
    const char *checkpoint = tiny_checkpoint();
    snprintf(args, sizeof args, "eval %s -n 64 --classifier %s", checkpoint, test_classifier_file());
    assert_int_equal(run_ddim_lab(NULL, NULL, args, plain, sizeof plain), 0);
    snprintf(args, sizeof args, "eval %s -n 64 --eta 1 --classifier %s", checkpoint, test_classifier_file());
    if (run_ddim_lab(NULL, NULL, args, first, sizeof first) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, first);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, second, sizeof second), 0);
    assert_string_equal(first, second);
    snprintf(want, sizeof want, "seed 2: 64 samples, 2 steps, eta 1, ema weights\n");
    assert_contains(first, want);
    const char *plain_fid = strstr(plain, "\nFID: "), *fresh_fid = strstr(first, "\nFID: ");
    assert_non_null(plain_fid);
    assert_non_null(fresh_fid);
    if (strncmp(plain_fid, fresh_fid, strcspn(plain_fid + 1, "\n") + 1) == 0)
        fail_msg("eta 1 scored the same FID as eta 0:\n%s\n%s", plain, first);
    /* --seed draws other noise from the same weights, the same at every call. */
    char seeded[8192], again[8192];
    snprintf(args, sizeof args, "eval %s -n 64 --eta 1 --seed 7 --classifier %s", checkpoint, test_classifier_file());
    assert_int_equal(run_ddim_lab(NULL, NULL, args, seeded, sizeof seeded), 0);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, again, sizeof again), 0);
    assert_string_equal(seeded, again);
    const char *seeded_fid = strstr(seeded, "\nFID: ");
    assert_non_null(seeded_fid);
    if (strncmp(seeded_fid, fresh_fid, strcspn(fresh_fid + 1, "\n") + 1) == 0)
        fail_msg("--seed 7 scored the same FID as the run's seed:\n%s\n%s", first, seeded);
}

/* A run sampled with a guide (diffusion.guide_epoch 1 of 2, guidance 2)
 * keeps epoch 1's weights and not the last's; eval draws its samples again,
 * guided, to the run's FID; --guidance 1 samples unguided; without the
 * guide's weights, eval says which epoch it lacks. */
static void test_checkpoint_of_a_guided_run(void **state)
{
    char args[2048], out[8192], want[1024], pattern[600], checkpoint[MATCH_PATH_SIZE], metrics[MATCH_PATH_SIZE];
    char value[128], csv[8192], err[1024], stripped[256];
    const struct scratch *scratch = *state;
    snprintf(args, sizeof args, "experiments/skip_vs_noskip.lua --variant skip --seed 2 train.max_images=128 "
             "train.dataset=test train.epochs=2 train.normalize=true train.ema=0.999 diffusion.schedule=cosine "
             "diffusion.steps=2 diffusion.eta=1 diffusion.guide_epoch=1 diffusion.guidance=2 sample.metric_samples=64 "
             "--classifier %s --out %s", test_classifier_file(), scratch->dir);
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/skip/seed2/checkpoint.ddim", scratch->dir);
    only_match(pattern, checkpoint);
    snprintf(pattern, sizeof pattern, "%s/skip_vs_noskip/*/metrics.csv", scratch->dir);
    only_match(pattern, metrics);
    struct checkpoint c;
    if (checkpoint_read(checkpoint, &c, err, sizeof err))
        fail_msg("%s", err);
    assert_non_null(checkpoint_find(&c, "params_epoch_1"));
    assert_null(checkpoint_find(&c, "params_epoch_2"));
    checkpoint_free(&c);

    FILE *f = fopen(metrics, "r");
    assert_non_null(f);
    csv[fread(csv, 1, sizeof csv - 1, f)] = '\0';
    fclose(f);
    snprintf(args, sizeof args, "eval %s -n 64 --classifier %s", checkpoint, test_classifier_file());
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    assert_contains(out, "seed 2: 64 samples, 2 steps, eta 1, guidance 2 by epoch 1, ema weights\n");
    csv_field(csv, "\nskip,2,64,2,", 6, value, sizeof value);
    snprintf(want, sizeof want, "\nFID: %s\n", value);
    assert_contains(out, want);
    snprintf(args, sizeof args, "eval %s -n 64 --guidance 1 --classifier %s", checkpoint, test_classifier_file());
    if (run_ddim_lab(NULL, NULL, args, out, sizeof out) != 0)
        fail_msg("ddim-lab %s failed:\n%s", args, out);
    assert_contains(out, "seed 2: 64 samples, 2 steps, eta 1, ema weights\n");

    scratch_path(stripped, state, "no_guide.ddim");
    copy_checkpoint_without(checkpoint, stripped, (const char *const[]){ "params_epoch_1", NULL });
    snprintf(args, sizeof args, "sample %s -n 1", stripped);
    assert_int_equal(run_ddim_lab(NULL, NULL, args, out, sizeof out), 1);
    assert_one_line(out, stripped);
    assert_contains(out, ": no weights of epoch 1 to guide with (a run keeps every epoch's only when it has "
                         "diffusion.guide_epoch)");
}

/* Refused before any file is read: exit status 2 and one line. */
static void test_checkpoint_commands_bad_command_lines_are_usage_errors(void **state)
{
    (void)state;
    static const struct { const char *args, *says; } cases[] = {
        { "sample", "sample takes a run's checkpoint, e.g. ddim-lab sample runs/" },
        { "eval", "eval takes a run's checkpoint" },
        { "sample c.ddim -n 0", "-n takes a whole number from 1 to 4096, got '0'" },
        { "eval c.ddim -n 1", "-n takes a whole number from 2 to 1000000, got '1'" },
        { "sample c.ddim -n 64x", "-n takes a whole number from 1 to 4096, got '64x'" },
        { "sample c.ddim --weights foo", "--weights takes ema, best or last, got 'foo'" },
        { "sample c.ddim --seed -3", "--seed takes a whole number >= 0, got '-3'" },
        { "sample c.ddim --weights=foo", "--weights takes ema, best or last, got 'foo'" }, /* --opt=value too */
        /* The sampler's flags are checked by their fields, as key.path=value would be. */
        { "eval c.ddim --steps 0", "--steps: diffusion.steps must be an integer >= 1, got 0" },
        { "eval c.ddim --eta 2", "--eta: diffusion.eta must be a number in [0, 1], got 2" },
        { "sample c.ddim --eta x", "--eta: diffusion.eta must be a number in [0, 1], got string 'x'" },
        { "eval c.ddim --guidance 11", "--guidance: diffusion.guidance must be a number in [0, 10], got 11" },
        { "sample c.ddim --guide-epoch -1",
          "--guide-epoch: diffusion.guide_epoch must be an integer >= 0 (0 = no guide), got -1" },
        { "sample c.ddim -n", "option '-n' needs a value" },
        { "sample c.ddim d.ddim", "sample takes one checkpoint, got 'c.ddim' and 'd.ddim'" },
        { "eval c.ddim -o grid.png", "eval: unknown option '-o'" },
        { "sample c.ddim --classifier x", "sample: unknown option '--classifier'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[4096];
        if (run_ddim_lab(NULL, NULL, cases[i].args, out, sizeof out) != 2)
            fail_msg("ddim-lab %s: expected exit status 2, got:\n%s", cases[i].args, out);
        assert_one_line(out, cases[i].says);
        assert_contains(out, " (see ddim-lab --help)\n");
    }
    char out[8192];
    assert_int_equal(run_ddim_lab(NULL, NULL, "--help", out, sizeof out), 0);
    assert_contains(out, "\n  sample       CHECKPOINT: ");
    assert_contains(out, "\n  eval         CHECKPOINT: ");
    assert_contains(out, "\nsample options (after CHECKPOINT");
    assert_contains(out, "\neval options (after CHECKPOINT)");
}

size_t checkpoint_command_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checkpoint_eval_prints_the_runs_metrics),
        cmocka_unit_test(test_checkpoint_eval_with_fresh_noise_is_reproducible),
        cmocka_unit_test_setup_teardown(test_checkpoint_sample_writes_a_grid_of_the_asked_size, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_checkpoint_without_ema_refuses_ema_weights, make_scratch,
                                        remove_scratch),
        cmocka_unit_test_setup_teardown(test_checkpoint_damaged_is_refused, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_checkpoint_of_another_network_is_refused, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_checkpoint_variant_comes_from_its_config, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_checkpoint_older_needs_its_experiment, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_checkpoint_of_a_guided_run, make_scratch, remove_scratch),
        cmocka_unit_test(test_checkpoint_commands_bad_command_lines_are_usage_errors),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}
