/* FID, KID, recognisability and class coverage of generated digits (see
 * sample_metrics.h). The feature dimension is small (the classifier's 128),
 * so the matrix work is plain double loops; the symmetric
 * eigendecompositions are LAPACK's dsyevd through LAPACKE. */
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/base/finite.h"
#include "runtime/base/mnist.h"
#include "runtime/scoring/sample_metrics.h"

/* -1 with a line in err when any of the n values at x is not finite:
 * "<what> hold N non-finite values (the first, NaN, at element i): not
 * scored". A NaN feature would make FID and KID NaN or, through the
 * eigendecomposition, any number; so it is refused, not scored. */
static int refuse_non_finite(const float *x, size_t n, const char *what, char *err, size_t errlen)
{
    const struct non_finite bad = find_non_finite(x, n);
    if (!bad.count)
        return 0;
    snprintf(err, errlen, "%s hold %zu non-finite value%s (the first, %s, at element %zu): not scored", what,
             bad.count, bad.count == 1 ? "" : "s", non_finite_name(bad.first_value), bad.first);
    return -1;
}

/* Mean [dims] and unbiased covariance [dims, dims] of rows [count, dims]. */
static void mean_and_covariance(const double *rows, long count, int dims, double *mean, double *covariance)
{
    const size_t d = (size_t)dims;
    memset(mean, 0, d * sizeof *mean);
    memset(covariance, 0, d * d * sizeof *covariance);
    for (long i = 0; i < count; i++)
        for (size_t a = 0; a < d; a++)
            mean[a] += rows[(size_t)i * d + a];
    for (size_t a = 0; a < d; a++)
        mean[a] /= (double)count;
    /* Upper triangle, rows in a parallel loop over a: each element is one
     * thread's sum in row order, so the result does not depend on threads. */
#pragma omp parallel for schedule(dynamic, 4)
    for (size_t a = 0; a < d; a++)
        for (size_t b = a; b < d; b++) {
            double sum = 0;
            for (long i = 0; i < count; i++)
                sum += (rows[(size_t)i * d + a] - mean[a]) * (rows[(size_t)i * d + b] - mean[b]);
            covariance[a * d + b] = covariance[b * d + a] = sum / (double)(count - 1);
        }
}

/* The cubic polynomial kernel of KID: (x.y / dims + 1)^3. */
static double polynomial_kernel(const double *x, const double *y, int dims)
{
    double dot = 0;
#pragma omp simd reduction(+ : dot)
    for (int a = 0; a < dims; a++)
        dot += x[a] * y[a];
    const double base = dot / dims + 1;
    return base * base * base;
}

/* Sum of k(x_i, y_j) over all i, j, or over i < j when x == y (the caller
 * doubles it); row sums first, added in order. */
static double kernel_sum(const double *x, long x_count, const double *y, long y_count, int dims, double *row_sums)
{
    const int same = x == y;
#pragma omp parallel for schedule(dynamic, 16)
    for (long i = 0; i < x_count; i++) {
        double sum = 0;
        for (long j = same ? i + 1 : 0; j < y_count; j++)
            sum += polynomial_kernel(x + (size_t)i * (size_t)dims, y + (size_t)j * (size_t)dims, dims);
        row_sums[i] = sum;
    }
    double total = 0;
    for (long i = 0; i < x_count; i++)
        total += row_sums[i];
    return total;
}

static double *to_double(const float *values, size_t count)
{
    double *out = malloc(count * sizeof *out);
    for (size_t i = 0; out && i < count; i++)
        out[i] = values[i];
    return out;
}

int metric_reference_create(struct metric_reference *r, const float *features, long count, int dims, char *err,
                            size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (count < 2) {
        snprintf(err, errlen, "the metrics' reference needs at least 2 images, got %ld", count);
        return -1;
    }
    if (refuse_non_finite(features, (size_t)count * (size_t)dims, "the classifier's features of the reference "
                          "images", err, errlen))
        return -1;
    const size_t values = (size_t)count * (size_t)dims;
    r->count = count;
    r->dims = dims;
    r->features = malloc(values * sizeof *r->features);
    r->mean = malloc((size_t)dims * sizeof *r->mean);
    r->covariance = malloc((size_t)dims * (size_t)dims * sizeof *r->covariance);
    double *rows = to_double(features, values), *row_sums = malloc((size_t)count * sizeof *row_sums);
    int status = -1;
    if (!r->features || !r->mean || !r->covariance || !rows || !row_sums) {
        snprintf(err, errlen, "out of memory for the metrics' reference (%ld images)", count);
        goto done;
    }
    memcpy(r->features, features, values * sizeof *r->features);
    mean_and_covariance(rows, count, dims, r->mean, r->covariance);
    r->kernel_within = 2 * kernel_sum(rows, count, rows, count, dims, row_sums) / ((double)count * (double)(count - 1));
    status = 0;
done:
    free(rows);
    free(row_sums);
    if (status)
        metric_reference_free(r);
    return status;
}

void metric_reference_free(struct metric_reference *r)
{
    free(r->features);
    free(r->mean);
    free(r->covariance);
    memset(r, 0, sizeof *r);
}

/* Eigenvalues (ascending) into values and, when vectors, the eigenvectors
 * as the columns of matrix [dims, dims] (overwritten). */
static int symmetric_eigen(double *matrix, int dims, double *values, int vectors, char *err, size_t errlen)
{
    lapack_int info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, vectors ? 'V' : 'N', 'U', dims, matrix, dims, values);
    if (info != 0) {
        snprintf(err, errlen, "the eigendecomposition of a %dx%d covariance failed (LAPACKE_dsyevd info %d)", dims,
                 dims, (int)info);
        return -1;
    }
    return 0;
}

/* out = a b for [n, n] matrices. */
static void matrix_multiply(const double *a, const double *b, double *out, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int k = 0; k < n; k++)
                sum += a[i * n + k] * b[k * n + j];
            out[i * n + j] = sum;
        }
}

int frechet_distance(const double *mean1, const double *covariance1, const double *mean2,
                     const double *covariance2, int dims, double *distance, char *err, size_t errlen)
{
    const size_t d = (size_t)dims, n2 = d * d;
    double *root = calloc(n2, sizeof *root), *vectors = malloc(n2 * sizeof *vectors);
    double *product = malloc(n2 * sizeof *product), *middle = malloc(n2 * sizeof *middle);
    double *values = malloc(d * sizeof *values);
    int status = -1;
    if (!root || !vectors || !product || !middle || !values) {
        snprintf(err, errlen, "out of memory for the Frechet distance");
        goto done;
    }
    /* C1^1/2 = V diag(sqrt(l)) V^T from C1 = V diag(l) V^T (negative
     * eigenvalues are rounding: clamped to 0). */
    memcpy(vectors, covariance1, n2 * sizeof *vectors);
    if (symmetric_eigen(vectors, dims, values, 1, err, errlen))
        goto done;
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++) {
            double sum = 0;
            for (size_t k = 0; k < d; k++)
                sum += vectors[i * d + k] * sqrt(fmax(values[k], 0.0)) * vectors[j * d + k];
            root[i * d + j] = sum;
        }
    /* tr((C1^1/2 C2 C1^1/2)^1/2): the middle matrix is symmetric PSD, so
     * the trace of its root is the sum of its eigenvalues' roots. */
    matrix_multiply(root, covariance2, product, dims);
    matrix_multiply(product, root, middle, dims);
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++)
            middle[i * d + j] = middle[j * d + i] = 0.5 * (middle[i * d + j] + middle[j * d + i]);
    if (symmetric_eigen(middle, dims, values, 0, err, errlen))
        goto done;
    double trace_root = 0, trace = 0, mean_distance = 0;
    for (size_t k = 0; k < d; k++) {
        trace_root += sqrt(fmax(values[k], 0.0));
        trace += covariance1[k * d + k] + covariance2[k * d + k];
        mean_distance += (mean1[k] - mean2[k]) * (mean1[k] - mean2[k]);
    }
    *distance = mean_distance + trace - 2 * trace_root;
    status = 0;
done:
    free(root);
    free(vectors);
    free(product);
    free(middle);
    free(values);
    return status;
}

int score_features(const struct metric_reference *r, const float *features, const float *probabilities, long count,
                   struct sample_scores *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (count < 2) {
        snprintf(err, errlen, "the metrics need at least 2 images, got %ld", count);
        return -1;
    }
    if (refuse_non_finite(features, (size_t)count * (size_t)r->dims, "the classifier's features of the samples",
                          err, errlen) ||
        refuse_non_finite(probabilities, (size_t)count * METRIC_CLASSES, "the classifier's probabilities of the "
                          "samples", err, errlen))
        return -1;
    const int dims = r->dims;
    const size_t values = (size_t)count * (size_t)dims;
    double *rows = to_double(features, values), *reference = to_double(r->features, (size_t)r->count * (size_t)dims);
    double *mean = malloc((size_t)dims * sizeof *mean);
    double *covariance = malloc((size_t)dims * (size_t)dims * sizeof *covariance);
    double *row_sums = malloc((size_t)count * sizeof *row_sums);
    int status = -1;
    if (!rows || !reference || !mean || !covariance || !row_sums) {
        snprintf(err, errlen, "out of memory scoring %ld images", count);
        goto done;
    }
    out->count = count;
    mean_and_covariance(rows, count, dims, mean, covariance);
    if (frechet_distance(mean, covariance, r->mean, r->covariance, dims, &out->fid, err, errlen))
        goto done;
    const double within = 2 * kernel_sum(rows, count, rows, count, dims, row_sums) /
                          ((double)count * (double)(count - 1));
    const double across = kernel_sum(rows, count, reference, r->count, dims, row_sums) /
                          ((double)count * (double)r->count);
    out->kid = within + r->kernel_within - 2 * across;

    long counts[METRIC_CLASSES] = { 0 }, recognisable = 0;
    for (long i = 0; i < count; i++) {
        const float *p = probabilities + (size_t)i * METRIC_CLASSES;
        int best = 0;
        for (int c = 1; c < METRIC_CLASSES; c++)
            best = p[c] > p[best] ? c : best;
        counts[best]++;
        recognisable += p[best] >= RECOGNISABLE_PROBABILITY;
    }
    out->recognisable = (double)recognisable / (double)count;
    for (int c = 0; c < METRIC_CLASSES; c++) {
        out->class_share[c] = (double)counts[c] / (double)count;
        if (counts[c])
            out->class_entropy -= out->class_share[c] * log2(out->class_share[c]);
    }
    status = 0;
done:
    free(rows);
    free(reference);
    free(mean);
    free(covariance);
    free(row_sums);
    return status;
}

/* The classifier's outputs for count images of pixel values, clipped to
 * [0, 1]: features [count, c->feature_count], probabilities [count, classes]. */
static int classify(const struct classifier *c, const float *images, long count, float **features,
                    float **probabilities, char *err, size_t errlen)
{
    const size_t pixels = (size_t)count * MNIST_IMAGE_PIXELS;
    float *clipped = malloc(pixels * sizeof *clipped);
    *features = malloc((size_t)count * (size_t)c->feature_count * sizeof **features);
    *probabilities = malloc((size_t)count * (size_t)c->classes * sizeof **probabilities);
    if (!clipped || !*features || !*probabilities) {
        free(clipped);
        free(*features);
        free(*probabilities);
        *features = *probabilities = NULL;
        snprintf(err, errlen, "out of memory classifying %ld images", count);
        return -1;
    }
    for (size_t i = 0; i < pixels; i++)
        clipped[i] = fminf(fmaxf(images[i], 0.0f), 1.0f); /* callers refuse NaN first */
    classifier_run(c, clipped, (size_t)count, *probabilities, *features);
    free(clipped);
    return 0;
}

int score_images(const struct classifier *c, const struct metric_reference *r, const float *images, long count,
                 struct sample_scores *out, char *err, size_t errlen)
{
    if (c->classes != METRIC_CLASSES || c->feature_count != r->dims) {
        snprintf(err, errlen, "the classifier gives %d classes and %d features; the metrics need %d and %d",
                 c->classes, c->feature_count, METRIC_CLASSES, r->dims);
        return -1;
    }
    /* Before clipping, which would make a NaN pixel 0: a diverged model's
     * samples are refused, not scored as blank digits. */
    const struct non_finite bad = find_non_finite(images, (size_t)count * MNIST_IMAGE_PIXELS);
    if (bad.count) {
        snprintf(err, errlen, "the samples hold %zu non-finite value%s (the first, %s, in sample %zu): not scored",
                 bad.count, bad.count == 1 ? "" : "s", non_finite_name(bad.first_value),
                 bad.first / MNIST_IMAGE_PIXELS);
        return -1;
    }
    float *features, *probabilities;
    if (classify(c, images, count, &features, &probabilities, err, errlen))
        return -1;
    int status = score_features(r, features, probabilities, count, out, err, errlen);
    free(features);
    free(probabilities);
    return status;
}

int metric_reference_from_images(struct metric_reference *r, const struct classifier *c, const float *images,
                                 long count, const unsigned char *labels, double *accuracy, char *err, size_t errlen)
{
    float *features, *probabilities;
    memset(r, 0, sizeof *r);
    if (classify(c, images, count, &features, &probabilities, err, errlen))
        return -1;
    if (labels) {
        long correct = 0;
        for (long i = 0; i < count; i++)
            correct += classifier_prediction(c, probabilities + (size_t)i * c->classes) == labels[i];
        *accuracy = (double)correct / (double)count;
    }
    int status = metric_reference_create(r, features, count, c->feature_count, err, errlen);
    free(features);
    free(probabilities);
    return status;
}
