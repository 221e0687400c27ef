/* The MNIST classifier's file and forward pass (see classifier.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/checkpoint.h"
#include "runtime/base/finite.h"
#include "runtime/scoring/classifier.h"
#include "runtime/base/mnist.h"
#include "kernels/softmax.h"

/* "path: problem", and -1 after freeing what the load holds. */
static int load_failed(struct classifier *c, struct checkpoint *file, char *err, size_t errlen, const char *path,
                       const char *problem)
{
    snprintf(err, errlen, "%s: %s", path, problem);
    checkpoint_free(file);
    classifier_free(c);
    return -1;
}

int classifier_load(struct classifier *c, const char *path, const struct kernels *k, char *err, size_t errlen)
{
    struct checkpoint file;
    char problem[512];
    memset(c, 0, sizeof *c);
    if (checkpoint_read(path, &file, err, errlen))
        return -1;
    const struct checkpoint_section *format = checkpoint_find(&file, "format");
    if (!format)
        return load_failed(c, &file, err, errlen, path, "not a classifier: the checkpoint has no 'format' section");
    if (format->size != strlen(CLASSIFIER_FORMAT) || memcmp(format->data, CLASSIFIER_FORMAT, format->size) != 0) {
        /* The file's bytes shown printable: a line break or a control
         * character in them must not break the message's one line. */
        char shown[65];
        const size_t length = format->size < 64 ? (size_t)format->size : 64;
        for (size_t i = 0; i < length; i++) {
            const unsigned char byte = ((const unsigned char *)format->data)[i];
            shown[i] = byte >= 0x20 && byte < 0x7f ? (char)byte : '?';
        }
        shown[length] = '\0';
        snprintf(problem, sizeof problem, "unsupported classifier format '%s'; this ddim-lab reads '%s'", shown,
                 CLASSIFIER_FORMAT);
        return load_failed(c, &file, err, errlen, path, problem);
    }
    static const char *const needed[] = { "source", "standardisation", "params" };
    for (int i = 0; i < 3; i++)
        if (!checkpoint_find(&file, needed[i])) {
            snprintf(problem, sizeof problem, "the classifier has no '%s' section", needed[i]);
            return load_failed(c, &file, err, errlen, path, problem);
        }
    const struct checkpoint_section *source = checkpoint_find(&file, "source");
    const struct checkpoint_section *data = checkpoint_find(&file, "standardisation");
    const struct checkpoint_section *params = checkpoint_find(&file, "params");
    /* The stored source's messages name the model file: it is what was run. */
    if (classifier_network_build(path, source->data, (size_t)source->size, &c->net, err, errlen)) {
        checkpoint_free(&file);
        return -1;
    }
    const size_t param_floats = c->net.graph.param_floats;
    if (data->size != sizeof c->data || params->size != param_floats * sizeof(float)) {
        snprintf(problem, sizeof problem, "%llu bytes of parameters for the %zu floats of its network, %llu of "
                 "standardisation for 8", (unsigned long long)params->size, param_floats,
                 (unsigned long long)data->size);
        return load_failed(c, &file, err, errlen, path, problem);
    }
    /* A NaN weight makes every feature NaN, and FID and KID of NaN
     * features came out 0: the best score there is. So it is refused here. */
    const struct non_finite bad = find_non_finite(params->data, param_floats);
    const struct non_finite bad_data = find_non_finite(data->data, 2);
    if (bad.count || bad_data.count) {
        if (bad.count)
            snprintf(problem, sizeof problem, "the classifier's parameters hold %zu non-finite value%s (the first, "
                     "%s, at element %zu): a diverged or damaged classifier, not used", bad.count,
                     bad.count == 1 ? "" : "s", non_finite_name(bad.first_value), bad.first);
        else
            snprintf(problem, sizeof problem, "the classifier's standardisation holds a non-finite value (%s): a "
                     "damaged classifier, not used", non_finite_name(bad_data.first_value));
        return load_failed(c, &file, err, errlen, path, problem);
    }
    c->params = aligned_alloc(64, (param_floats * sizeof(float) + 63) / 64 * 64);
    if (!c->params)
        return load_failed(c, &file, err, errlen, path, "out of memory for the parameters");
    memcpy(c->params, params->data, (size_t)params->size);
    memcpy(&c->data, data->data, sizeof c->data);
    checkpoint_free(&file);
    if (classifier_plan(c, k, problem, sizeof problem))
        return load_failed(c, &file, err, errlen, path, problem);
    return 0;
}

int classifier_plan(struct classifier *c, const struct kernels *k, char *err, size_t errlen)
{
    const struct graph *g = &c->net.graph;
    c->classes = g->nodes[c->net.logits].shape.dims[0];
    c->feature_count = g->nodes[c->net.features].shape.dims[0];
    const int outputs[2] = { c->net.logits, c->net.features };
    return plan_create(&c->plan, g, k, CLASSIFIER_BATCH, 2, outputs, c->params, err, errlen);
}

void classifier_run(const struct classifier *c, const float *images, size_t count, float *probabilities,
                    float *features)
{
    const struct plan *p = &c->plan;
    float *input = plan_buffer(p, c->net.input);
    const float *logits = plan_buffer(p, c->net.logits), *feature_rows = plan_buffer(p, c->net.features);
    for (size_t first = 0; first < count; first += CLASSIFIER_BATCH) {
        /* A last, partial batch runs padded with blank images, whose results are dropped. */
        const size_t n = count - first < CLASSIFIER_BATCH ? count - first : CLASSIFIER_BATCH;
        const float *batch = images + first * MNIST_IMAGE_PIXELS;
        for (size_t i = 0; i < (size_t)CLASSIFIER_BATCH * MNIST_IMAGE_PIXELS; i++)
            input[i] = standardise(c->data, i < n * MNIST_IMAGE_PIXELS ? batch[i] : 0.0f);
        plan_run(p);
        if (probabilities)
            softmax_rows(n, (size_t)c->classes, logits, probabilities + first * (size_t)c->classes);
        if (features)
            memcpy(features + first * (size_t)c->feature_count, feature_rows,
                   n * (size_t)c->feature_count * sizeof(float));
    }
}

int classifier_prediction(const struct classifier *c, const float *probabilities)
{
    int best = 0;
    for (int j = 1; j < c->classes; j++)
        best = probabilities[j] > probabilities[best] ? j : best;
    return best;
}

void classifier_free(struct classifier *c)
{
    plan_free(&c->plan);
    graph_free(&c->net.graph);
    free(c->params);
    memset(c, 0, sizeof *c);
}
