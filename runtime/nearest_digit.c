/* Nearest neighbours by |s - r|^2 = |s|^2 + |r|^2 - 2 s.r, the dot
 * products from sgemm (NT) over blocks of the reference set. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mnist.h"
#include "nearest_digit.h"

#define PIXELS MNIST_IMAGE_PIXELS
#define BLOCK 1024 /* reference digits per sgemm */

static double squared_norm(const float *x)
{
    double s = 0;
    for (int i = 0; i < PIXELS; i++)
        s += (double)x[i] * x[i];
    return s;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int nearest_digits(const struct kernels *k, const float *samples, int count, const unsigned char *reference,
                   const unsigned char *labels, long reference_count, double threshold,
                   struct digit_likeness *out, double *percentile_95)
{
    float *clipped = malloc((size_t)count * PIXELS * sizeof(float));
    float *dots = malloc((size_t)count * BLOCK * sizeof(float));
    float *ref = malloc((size_t)BLOCK * PIXELS * sizeof(float)); /* one block of the reference, as values */
    double *best = malloc((size_t)count * sizeof(double));
    int *best_label = malloc((size_t)count * sizeof(int));
    if (!clipped || !dots || !ref || !best || !best_label) {
        free(clipped); free(dots); free(ref); free(best); free(best_label);
        return -1;
    }
    for (size_t i = 0; i < (size_t)count * PIXELS; i++)
        clipped[i] = isnan(samples[i]) ? 0.0f : fminf(fmaxf(samples[i], 0.0f), 1.0f);
    for (int s = 0; s < count; s++)
        best[s] = INFINITY;
    for (long r0 = 0; r0 < reference_count; r0 += BLOCK) {
        int block = (int)(reference_count - r0 < BLOCK ? reference_count - r0 : BLOCK);
        for (size_t i = 0; i < (size_t)block * PIXELS; i++)
            ref[i] = reference[(size_t)r0 * PIXELS + i] * MNIST_PIXEL_SCALE;
        k->sgemm(GEMM_NT, count, block, PIXELS, clipped, PIXELS, ref, PIXELS, dots, block, 0, NULL, ACTIVATION_NONE);
        for (int j = 0; j < block; j++) {
            double ref_norm = squared_norm(ref + (size_t)j * PIXELS);
            for (int s = 0; s < count; s++) {
                double d = ref_norm - 2.0 * dots[(size_t)s * block + j];
                if (d < best[s]) {
                    best[s] = d;
                    best_label[s] = labels[r0 + j];
                }
            }
        }
    }
    memset(out, 0, sizeof *out);
    for (int s = 0; s < count; s++) {
        /* best[s] becomes the per-pixel RMS distance. */
        best[s] = sqrt(fmax(best[s] + squared_norm(clipped + (size_t)s * PIXELS), 0.0) / PIXELS);
        out->rms_distance += best[s] / count;
        out->digit_like += (best[s] <= threshold) / (double)count;
        out->label_counts[best_label[s]]++;
    }
    if (percentile_95) {
        qsort(best, (size_t)count, sizeof *best, compare_doubles);
        *percentile_95 = best[(size_t)(0.95 * (count - 1))];
    }
    for (int l = 0; l < 10; l++)
        out->labels_covered += out->label_counts[l] > 0;
    free(clipped); free(dots); free(ref); free(best); free(best_label);
    return 0;
}
