/* NEON indirect GEMM microkernel, 8 x 12 tile (see kernels/igemm.h): the
 * 8 x 3 accumulators use 24 of the 32 q registers, 3 more hold the row of
 * packed weights. The 8 rows are 8 pixels with a row pointer each per tap,
 * so their elements come one at a time (vld1q_dup) rather than as the lanes
 * of one packed vector as in the sgemm microkernel. */
#include "neon.h"

#define MR 8
#define NR 12

void igemm_ukernel_8x12_neon(size_t taps, size_t k, const float *const *a, const float *w,
                             float *const *c)
{
    float32x4_t acc[MR][3];
    for (int i = 0; i < MR; i++)
        acc[i][0] = acc[i][1] = acc[i][2] = vdupq_n_f32(0.0f);
    for (size_t t = 0; t < taps; t++, a += MR) {
        const float *row[MR];
        for (int i = 0; i < MR; i++)
            row[i] = a[i];
        for (size_t p = 0; p < k; p++, w += NR) {
            const float32x4_t w0 = vld1q_f32(w), w1 = vld1q_f32(w + 4), w2 = vld1q_f32(w + 8);
            for (int i = 0; i < MR; i++) {
                const float32x4_t ai = vld1q_dup_f32(row[i] + p);
                acc[i][0] = vfmaq_f32(acc[i][0], ai, w0);
                acc[i][1] = vfmaq_f32(acc[i][1], ai, w1);
                acc[i][2] = vfmaq_f32(acc[i][2], ai, w2);
            }
        }
    }
    for (int i = 0; i < MR; i++) {
        vst1q_f32(c[i], acc[i][0]);
        vst1q_f32(c[i] + 4, acc[i][1]);
        vst1q_f32(c[i] + 8, acc[i][2]);
    }
}
