/* NEON FMA peak: 16 independent vfmaq_f32 chains. A core with P FMA pipes
 * of latency L cycles needs P * L chains in flight to issue an FMA on every
 * pipe every cycle: 2 x 4 on Cortex-A76/Neoverse N1, 4 x 4 on Neoverse V1/V2,
 * so 16 covers both. The accumulators are named variables rather than an
 * array so that they certainly live in registers (16 + 2 constants of the 32
 * v registers) and the loop is nothing but FMAs. */
#include "neon.h"

#define CHAINS 16

double fma_peak_neon(long iterations, float *sink)
{
    float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = vdupq_n_f32(1.0f), acc2 = vdupq_n_f32(2.0f),
                acc3 = vdupq_n_f32(3.0f), acc4 = vdupq_n_f32(4.0f), acc5 = vdupq_n_f32(5.0f),
                acc6 = vdupq_n_f32(6.0f), acc7 = vdupq_n_f32(7.0f), acc8 = vdupq_n_f32(8.0f),
                acc9 = vdupq_n_f32(9.0f), acc10 = vdupq_n_f32(10.0f), acc11 = vdupq_n_f32(11.0f),
                acc12 = vdupq_n_f32(12.0f), acc13 = vdupq_n_f32(13.0f), acc14 = vdupq_n_f32(14.0f),
                acc15 = vdupq_n_f32(15.0f);
    /* acc += a b: the accumulator is the addend, which FMLA overwrites, so
     * there is no register copy per FMA. The values grow by 1e-6 per
     * iteration, staying finite and normal however long the run. */
    const float32x4_t a = vdupq_n_f32(1e-3f), b = vdupq_n_f32(1e-3f);
    for (long it = 0; it < iterations; it++) {
        acc0 = vfmaq_f32(acc0, a, b);
        acc1 = vfmaq_f32(acc1, a, b);
        acc2 = vfmaq_f32(acc2, a, b);
        acc3 = vfmaq_f32(acc3, a, b);
        acc4 = vfmaq_f32(acc4, a, b);
        acc5 = vfmaq_f32(acc5, a, b);
        acc6 = vfmaq_f32(acc6, a, b);
        acc7 = vfmaq_f32(acc7, a, b);
        acc8 = vfmaq_f32(acc8, a, b);
        acc9 = vfmaq_f32(acc9, a, b);
        acc10 = vfmaq_f32(acc10, a, b);
        acc11 = vfmaq_f32(acc11, a, b);
        acc12 = vfmaq_f32(acc12, a, b);
        acc13 = vfmaq_f32(acc13, a, b);
        acc14 = vfmaq_f32(acc14, a, b);
        acc15 = vfmaq_f32(acc15, a, b);
    }
    float32x4_t total = vaddq_f32(vaddq_f32(vaddq_f32(acc0, acc1), vaddq_f32(acc2, acc3)),
                                  vaddq_f32(vaddq_f32(acc4, acc5), vaddq_f32(acc6, acc7)));
    total = vaddq_f32(total, vaddq_f32(vaddq_f32(vaddq_f32(acc8, acc9), vaddq_f32(acc10, acc11)),
                                       vaddq_f32(vaddq_f32(acc12, acc13), vaddq_f32(acc14, acc15))));
    *sink = vaddvq_f32(total);
    /* 2 FLOPs (multiply, add) per lane per FMA. */
    return 2.0 * 4 * CHAINS * (double)iterations;
}
