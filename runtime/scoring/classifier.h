/* classifier.h: the MNIST classifier that scores generated samples, as
 * `ddim-lab classifier` writes it (models/mnist_classifier_v2.ddim): load
 * it, then get for N images their softmax probabilities (recognisability:
 * the share whose top probability is >= 0.9) and their penultimate-layer
 * features (the space FID and KID compare samples in).
 *
 * The file is a checkpoint (checkpoint.h, with its CRC-32) of sections
 *   format           CLASSIFIER_FORMAT: what the file is, and its version
 *   source_name      the Lua module the network came from
 *   source           that module's Lua source: loading rebuilds the graph from it
 *   standardisation  2 floats: mean and standard deviation of the training pixel values
 *   params           the parameters, float32 in the graph's layout
 */
#ifndef DDIM_CLASSIFIER_H
#define DDIM_CLASSIFIER_H

#include <stddef.h>
#include "runtime/config/config.h"
#include "runtime/graph/executor.h"
#include "runtime/base/standardise.h"

#define CLASSIFIER_FORMAT "ddim-lab mnist classifier v2"   /* v2: trained with non-digits (non_digits.h) */
#define CLASSIFIER_DEFAULT_PATH "models/mnist_classifier_v2.ddim"
#define CLASSIFIER_BATCH 100   /* images per forward pass */

struct classifier {
    struct classifier_network net;
    struct standardisation data;   /* of the pixel values the network was trained on */
    float *params;                 /* net.graph.param_floats, 64-byte aligned */
    int classes, feature_count;    /* the widths of the logits and of the features */
    struct plan plan;              /* the forward pass of CLASSIFIER_BATCH images: logits, features */
};

/* Loads the classifier at path (checking its CRC, format, sizes, and that
 * its parameters and standardisation are finite numbers) and
 * plans its forward pass on kernels k. Returns 0, or -1 with ONE line in
 * err naming path and the problem. */
int classifier_load(struct classifier *c, const char *path, const struct kernels *k, char *err, size_t errlen);

/* Plans the forward pass of c's net with c's params (which it reads at
 * every run: training may go on changing them). Returns 0, or -1 with a
 * reason in err. classifier_load calls it; `ddim-lab classifier` too. */
int classifier_plan(struct classifier *c, const struct kernels *k, char *err, size_t errlen);

/* For count images [count, 28, 28] of pixel values in [0, 1]: their
 * softmax probabilities [count, classes] and penultimate features
 * [count, feature_count]; either output may be NULL. Each image's results
 * are independent of the others and of count. */
void classifier_run(const struct classifier *c, const float *images, size_t count, float *probabilities,
                    float *features);

/* The digit a row of probabilities predicts: the first of the largest. */
int classifier_prediction(const struct classifier *c, const float *probabilities);

void classifier_free(struct classifier *c);

#endif
