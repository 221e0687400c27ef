/* NEON weight-gradient microkernel, 8 x 12 tile (see kernels/igemm.h): 8
 * channels of one tap, read in place from the pixel's row as two vectors
 * whose lanes vfmaq_laneq_f32 broadcasts (as in the sgemm microkernel), by
 * 12 output columns; 24 accumulators, 3 registers for the row of B. */
#include "neon.h"

#define MR 8
#define NR 12

/* Row i's three accumulators += the B row times lane `lane` of v. */
#define UPDATE_ROW(i, v, lane)                                  \
    do {                                                        \
        acc[i][0] = vfmaq_laneq_f32(acc[i][0], b0, v, lane);    \
        acc[i][1] = vfmaq_laneq_f32(acc[i][1], b1, v, lane);    \
        acc[i][2] = vfmaq_laneq_f32(acc[i][2], b2, v, lane);    \
    } while (0)

void wgemm_ukernel_8x12_neon(size_t k, const float *const *a, const float *b, float *c,
                             size_t ldc, int accumulate)
{
    float32x4_t acc[MR][3];
    for (int i = 0; i < MR; i++)
        acc[i][0] = acc[i][1] = acc[i][2] = vdupq_n_f32(0.0f);
    for (size_t p = 0; p < k; p++, b += NR) {
        const float32x4_t a_lo = vld1q_f32(a[p]), a_hi = vld1q_f32(a[p] + 4);
        const float32x4_t b0 = vld1q_f32(b), b1 = vld1q_f32(b + 4), b2 = vld1q_f32(b + 8);
        UPDATE_ROW(0, a_lo, 0);
        UPDATE_ROW(1, a_lo, 1);
        UPDATE_ROW(2, a_lo, 2);
        UPDATE_ROW(3, a_lo, 3);
        UPDATE_ROW(4, a_hi, 0);
        UPDATE_ROW(5, a_hi, 1);
        UPDATE_ROW(6, a_hi, 2);
        UPDATE_ROW(7, a_hi, 3);
    }
    for (int i = 0; i < MR; i++) {
        float *ci = c + i * ldc;
        for (int v = 0; v < 3; v++) {
            float32x4_t sum = accumulate ? vaddq_f32(acc[i][v], vld1q_f32(ci + 4 * v)) : acc[i][v];
            vst1q_f32(ci + 4 * v, sum);
        }
    }
}
