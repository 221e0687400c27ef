/* Softmax and its cross-entropy in double, per row (see softmax.h). */
#include <math.h>
#include "softmax.h"

/* The row's maximum, and sum_j exp(logits[j] - max) in *sum. */
static double shifted_exp_sum(size_t classes, const float *logits, double *sum)
{
    double max = logits[0];
    for (size_t j = 1; j < classes; j++)
        max = logits[j] > max ? logits[j] : max;
    *sum = 0;
    for (size_t j = 0; j < classes; j++)
        *sum += exp((double)logits[j] - max);
    return max;
}

float softmax_cross_entropy(size_t rows, size_t classes, const float *logits, const float *labels)
{
    double total = 0;
    for (size_t r = 0; r < rows; r++) {
        const float *x = logits + r * classes, *y = labels + r * classes;
        double sum;
        const double log_sum_exp = shifted_exp_sum(classes, x, &sum) + log(sum);
        for (size_t j = 0; j < classes; j++)
            total += (double)y[j] * (log_sum_exp - x[j]);
    }
    return rows ? (float)(total / (double)rows) : 0.0f;
}

void softmax_cross_entropy_backward(size_t rows, size_t classes, const float *logits, const float *labels,
                                    float dloss, float *dlogits)
{
    const double scale = (double)dloss / (double)rows;
    for (size_t r = 0; r < rows; r++) {
        const float *x = logits + r * classes, *y = labels + r * classes;
        double sum, label_sum = 0;
        const double max = shifted_exp_sum(classes, x, &sum);
        for (size_t j = 0; j < classes; j++)
            label_sum += y[j];
        for (size_t j = 0; j < classes; j++)
            dlogits[r * classes + j] = (float)((exp((double)x[j] - max) / sum * label_sum - y[j]) * scale);
    }
}

void softmax_rows(size_t rows, size_t classes, const float *logits, float *probabilities)
{
    for (size_t r = 0; r < rows; r++) {
        const float *x = logits + r * classes;
        double sum;
        const double max = shifted_exp_sum(classes, x, &sum);
        for (size_t j = 0; j < classes; j++)
            probabilities[r * classes + j] = (float)(exp((double)x[j] - max) / sum);
    }
}
