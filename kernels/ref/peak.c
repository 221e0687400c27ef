/* Scalar multiply-add peak: independent chains so latency is hidden. This
 * directory is compiled without auto-vectorization, so it stays scalar. */
#include "ref.h"

#define CHAINS 12

double fma_peak_ref(long iterations, float *sink)
{
    float acc[CHAINS];
    for (int c = 0; c < CHAINS; c++)
        acc[c] = (float)c;
    const float a = 0.999999f, b = 1e-7f;
    for (long it = 0; it < iterations; it++)
        for (int c = 0; c < CHAINS; c++)
            acc[c] = acc[c] * a + b;
    float total = 0.0f;
    for (int c = 0; c < CHAINS; c++)
        total += acc[c];
    *sink = total;
    return 2.0 * CHAINS * (double)iterations;
}
