/* `ddim-lab eval CHECKPOINT`: the samples of any checkpoint a run saved
 * (checkpoint_model.h), scored as the run scores them. With the same
 * checkpoint, number of samples and sampler settings, eval draws the
 * samples the run drew and prints the figures it wrote into metrics.csv, to
 * the same digits. */
#include <stdio.h>
#include <stdlib.h>
#include "runtime/cli/checkpoint_options.h"
#include "runtime/scoring/sample_scorer.h"

#define EVAL_DEFAULT_COUNT 2000
#define EVAL_MAX_COUNT 1000000    /* as sample.metric_samples */

static void print_scores(const struct checkpoint_options *o, const struct checkpoint_model *m,
                         const struct sample_scorer *scorer, const struct sample_scores *scores)
{
    const struct variant *v = &m->experiment.variants[0];
    char sampler[96];
    printf("%s: variant %s of %s, seed %llu: %ld samples, %s, %s weights", o->checkpoint, v->name,
           m->experiment.path, (unsigned long long)m->run_seed, o->count, sampler_words(v, sampler, sizeof sampler),
           m->weights_name);
    if (o->model.has_noise_seed)
        printf(", noise from seed %llu", (unsigned long long)o->model.noise_seed);
    printf("\n");
    printf("classifier: %s (sha256 %s), %.2f%% of the 10,000 test digits right\n", o->own_value, scorer->classifier_sha256,
           100 * scorer->test_accuracy);
    printf("FID: %.6f\n", scores->fid);
    printf("KID: %.6f\n", scores->kid);
    printf("recognisable: %.4f%%\n", 100 * scores->recognisable);
    printf("class entropy: %.6f bits\n", scores->class_entropy);
    printf("class shares:");
    for (int c = 0; c < METRIC_CLASSES; c++)
        printf(" %d %.4f%%%s", c, 100 * scores->class_share[c], c + 1 < METRIC_CLASSES ? "," : "\n");
}

int run_eval(const struct context *ctx, int argc, char **argv)
{
    static const struct checkpoint_command command = { "eval", 2, EVAL_MAX_COUNT, "--classifier", NULL };
    struct checkpoint_options o = { .count = EVAL_DEFAULT_COUNT, .own_value = CLASSIFIER_DEFAULT_PATH };
    struct checkpoint_model m;
    int status = checkpoint_command_open(ctx, &command, argc, argv, &o, &m);
    if (status)
        return status;
    struct sample_scorer scorer;
    struct sample_scores scores;
    char err[1024];
    float *samples = NULL;
    status = 1;
    if (sample_scorer_load(&scorer, o.own_value, ctx->kernels, ctx->data_dir, err, sizeof err))
        goto done;
    fprintf(stderr, "eval: drawing %ld samples (%d steps%s), then scoring them\n", o.count,
            m.experiment.variants[0].diffusion.steps, m.guide ? ", guided" : "");
    samples = checkpoint_model_draw(&m, o.count);
    if (!samples) {
        snprintf(err, sizeof err, "out of memory for %ld samples", o.count);
        goto done;
    }
    if (score_images(&scorer.classifier, &scorer.test_reference, samples, o.count, &scores, err, sizeof err))
        goto done;
    print_scores(&o, &m, &scorer, &scores);
    status = 0;
done:
    if (status)
        fprintf(stderr, "ddim-lab: %s\n", err);
    free(samples);
    sample_scorer_free(&scorer);
    checkpoint_model_free(&m);
    return status;
}
