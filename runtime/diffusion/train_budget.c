/* What training a variant takes, before anything is loaded (train_budget.h). */
#include <string.h>
#include "runtime/base/mnist.h"
#include "runtime/diffusion/train_budget.h"

size_t variant_training_count(const struct variant *v)
{
    const char *name = v->train.dataset;
    size_t count = strcmp(name, "all") == 0     ? MNIST_TRAIN_COUNT + MNIST_TEST_COUNT
                   : strcmp(name, "train") == 0 ? MNIST_TRAIN_COUNT
                                                : MNIST_TEST_COUNT;
    if (v->train.max_images > 0 && (size_t)v->train.max_images < count)
        count = (size_t)v->train.max_images;
    return count;
}

double train_memory_estimate(const struct variant *v, int sample_batch, struct train_memory *out)
{
    memset(out, 0, sizeof *out);
    /* weights, gradients, AdamW's m and v, the sampler's weights, the best epoch's; the
     * EMA; the epochs' kept weights (with an EMA also the weights themselves) */
    const int kept_per_epoch = v->train.ema > 0 ? 2 : 1;
    out->copies = 6 + (v->train.ema > 0) + (v->diffusion.guide_epoch > 0 ? (v->train.epochs - 1) * kept_per_epoch : 0);
    out->parameter_bytes = (double)v->graph.param_floats * sizeof(float) * out->copies;
    double floats_per_image = 0;
    for (int id = 0; id < v->graph.count; id++) {
        const struct node *n = &v->graph.nodes[id];
        if (n->shape.batched)
            floats_per_image += (double)shape_size(&n->shape);
    }
    out->activation_bytes = 2 * floats_per_image * sizeof(float) * ((double)v->train.batch_size + sample_batch);
    out->data_bytes = (double)(MNIST_TRAIN_COUNT + MNIST_TEST_COUNT) * MNIST_IMAGE_PIXELS;
    return out->parameter_bytes + out->activation_bytes + out->data_bytes;
}
