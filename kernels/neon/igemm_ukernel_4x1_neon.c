/* NEON indirect GEMM microkernel for a single output column, 4 x 1 (see
 * kernels/igemm.h and the AVX-512 8 x 1): one dot product per row over taps
 * and channels, four channels per vector with a scalar tail, summed
 * across the lanes at the end. */
#include "neon.h"

#define MR 4

void igemm_ukernel_4x1_neon(size_t taps, size_t k, const float *const *a, const float *w,
                            float *const *c)
{
    float32x4_t acc[MR];
    float tail[MR] = { 0.0f, 0.0f, 0.0f, 0.0f };
    for (int i = 0; i < MR; i++)
        acc[i] = vdupq_n_f32(0.0f);
    for (size_t t = 0; t < taps; t++, a += MR, w += k) {
        size_t p = 0;
        for (; p + 4 <= k; p += 4) {
            const float32x4_t wv = vld1q_f32(w + p);
            for (int i = 0; i < MR; i++)
                acc[i] = vfmaq_f32(acc[i], vld1q_f32(a[i] + p), wv);
        }
        for (; p < k; p++)
            for (int i = 0; i < MR; i++)
                tail[i] += a[i][p] * w[p];
    }
    for (int i = 0; i < MR; i++)
        c[i][0] = vaddvq_f32(acc[i]) + tail[i];
}
