/* config.h: an experiment as the Lua file describes it, resolved (defaults
 * filled, command-line overrides applied, everything checked), and the
 * classifier's network as its Lua module builds it. The Lua state never
 * outlives experiment_load (or classifier_network_build): what the runtime
 * needs is copied into these plain structs. */
#ifndef DDIM_CONFIG_H
#define DDIM_CONFIG_H

#include <stdint.h>
#include "runtime/graph/graph.h"

enum loss_kind { LOSS_MAE, LOSS_MSE };
/* The diffusion schedule (see diffusion.h): the seed's none (noisy = image +
 * noise, the network told t^2), the Keras example's offset cosine, or a
 * signal rate linear in t. */
enum schedule_kind { SCHEDULE_NONE, SCHEDULE_COSINE, SCHEDULE_LINEAR };
/* What the network's output is (diffusion.h): the noise, as in the seed and
 * the Keras example, or the velocity signal noise - noise_rate image. */
enum prediction_kind { PREDICT_NOISE, PREDICT_VELOCITY };

struct train_config {
    int epochs;
    int batch_size;
    double learning_rate;
    double weight_decay;        /* AdamW's decoupled decay (Keras default 0.004) */
    enum loss_kind loss;        /* of the noise prediction */
    uint64_t seed;
    char dataset[8];            /* "all" (70,000), "train" (60,000) or "test" (10,000) */
    double ema;                 /* EMA decay of the weights; 0 = off */
    long max_images;            /* use only the first max_images of the data set; 0 = all */
    int normalize;              /* standardise the images (mean, variance of the training data), and
                                 * invert it on the samples */
    int ema_warmup;             /* EMA decay min(ema, (1 + n) / (10 + n)) at step n, not ema from step 0 */
    int image_loss;             /* train on noise_loss + image_loss (the seed's commented-out line): with
                                 * the gradient trick, through its second derivative */
    int cosine_decay;           /* the learning rate falls along half a cosine to 0 over the run's steps
                                 * (learning_rate_at in train.h); off: constant */
    double p2_gamma;            /* what AdamW descends weighs each image's noise loss by p2_weight
                                 * (diffusion.h) with this gamma; 0: every noise level alike */
    int p2_sampling;            /* with p2_gamma: draw the times in proportion to the weight instead
                                 * (p2_sampler in diffusion.h), the loss unweighted */
    long checkpoint_every;      /* optimizer steps between the run's state saves (state.ddim), besides
                                 * every epoch's end; 0: at epoch ends only */
    double max_weight;          /* a weight of larger magnitude (or not finite) stops the run as diverged */
};

struct diffusion_config {
    int steps;                  /* sampling steps */
    double min_signal_rate, max_signal_rate;
    enum schedule_kind schedule;
    int gradient_trick;         /* pred_image = noisy - pred_noise - d(sum pred_noise)/d(noisy) */
    double eta;                 /* the sampler's fresh noise: 0 deterministic DDIM, 1 DDPM-like (diffusion.h) */
    int clip_denoised;          /* each sampling step clips the predicted image to the pixels' range [0, 1]
                                 * and re-derives the predicted noise from it (trainer_sample) */
    enum prediction_kind prediction; /* the network's output; velocity needs a variance-preserving
                                      * schedule and no gradient trick (config_check_variant) */
    double guidance;            /* autoguidance (Karras et al. 2024): each sampling step's predictions are
                                 * guide + guidance (model - guide), the guide being the model's own weights
                                 * at the end of epoch guide_epoch; 1: unguided (trainer_sample) */
    int guide_epoch;            /* the guide's epoch; 0: none. A run with one keeps the sampled weights of
                                 * every epoch before the last in its checkpoint (checkpoint_model.h) */
};

struct sample_config {
    int grid;                   /* samples per side of the sample grid */
    int scale;                  /* pixels per MNIST pixel in the PNGs */
    int metric_samples;         /* samples scored by the classifier's metrics (sample_metrics.h) */
};

struct variant {
    char name[64];
    char reference[64];         /* the variant it is an ablation of ("" for none): the report's differences */
    char changes[160];          /* what it changes, in words ("" for none) */
    struct train_config train;
    struct diffusion_config diffusion;
    struct sample_config sample;
    struct graph graph;         /* the model */
    int input_image, input_noise_level, output; /* node ids in graph */
};

#define EXPERIMENT_MAX_SEEDS 32

struct experiment {
    char name[64];              /* the file's name without .lua */
    char path[512];             /* the Lua file */
    int variant_count;
    struct variant *variants;
    int seed_count;             /* every variant trains once per seed, train.seed set to it */
    uint64_t seeds[EXPERIMENT_MAX_SEEDS];
    char *resolved;             /* the resolved config as Lua source, saved with the results */
};

/* Options of `ddim-lab EXPERIMENT.lua` that change the config. */
struct experiment_options {
    int quick;                  /* apply the file's `quick` overrides */
    const char *variant;        /* keep only this variant, or NULL */
    int seed_count;             /* --seed N or --seeds N,M,...: replaces the file's seeds (0: keep them) */
    uint64_t seeds[EXPERIMENT_MAX_SEEDS];
    int override_count;
    char **overrides;           /* "key.path=value" */
    const char *model_file;     /* ddim.model_of takes its networks from this file, not the one it names
                                 * (sample and eval's --experiment), or NULL */
};

/* Loads, resolves and checks an experiment. On error returns -1 with ONE
 * line in err naming the file (and line, where the problem is in the file)
 * and what was expected. */
int experiment_load(const char *path, const struct experiment_options *options,
                    struct experiment *out, char *err, size_t errlen);
/* The same for an experiment file's text (size bytes), such as a
 * checkpoint's config: name stands for the file in messages ("name:LINE:"),
 * and out->path is name. */
int experiment_load_text(const char *name, const char *text, size_t size, const struct experiment_options *options,
                         struct experiment *out, char *err, size_t errlen);
void experiment_free(struct experiment *e);

/* An MNIST classifier's network as its Lua module builds it
 * (experiments/lib/classifier.lua, `ddim-lab classifier`): the graph and
 * its node ids. */
struct classifier_network {
    struct graph graph;
    int input;                  /* the image, 28x28x1 */
    int features;               /* the penultimate layer, (batch, features): what FID/KID compare */
    int logits;                 /* (batch, classes) */
};

/* Runs the Lua module `source` (size bytes), which returns a table whose
 * network() returns ddim.classifier{...}, and moves its graph into out.
 * name is the module's file (or the model file that stored the source):
 * messages are "name:LINE: ...", and require looks beside it. On error
 * returns -1 with ONE line in err. */
int classifier_network_build(const char *name, const char *source, size_t size, struct classifier_network *out,
                             char *err, size_t errlen);

#endif
