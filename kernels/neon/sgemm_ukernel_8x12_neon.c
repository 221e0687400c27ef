/* NEON sgemm microkernel: one 8 x 12 tile of C held in 24 q registers.
 *
 * Register budget (AArch64 has 32 128-bit v registers):
 *   C tile  8 rows x 3 vectors of 4 columns   24
 *   B row   12 floats = 3 vectors               3
 *   A column 8 floats = 2 vectors               2
 * leaving 3 spare. Each step of k loads 5 vectors and issues 24 FMAs,
 * vfmaq_laneq_f32(c, b, a, lane) = c + b * a[lane], which broadcasts the row's
 * A element straight from its lane instead of spending a register on it. The
 * 24 accumulators are independent chains, more than the 8-16 needed to hide
 * the FMA latency on current cores.
 */
#include "neon.h"

/* Row i of the tile: its three accumulators += B row (b0 b1 b2) * A[i]. */
#define UPDATE_ROW(c0, c1, c2, a, lane)      \
    do {                                     \
        c0 = vfmaq_laneq_f32(c0, b0, a, lane); \
        c1 = vfmaq_laneq_f32(c1, b1, a, lane); \
        c2 = vfmaq_laneq_f32(c2, b2, a, lane); \
    } while (0)

/* C row (12 floats at row) = (accumulate ? C row : 0) + (v0 v1 v2). */
static inline void store_row(float *row, int accumulate,
                             float32x4_t v0, float32x4_t v1, float32x4_t v2)
{
    if (accumulate) {
        v0 = vaddq_f32(v0, vld1q_f32(row));
        v1 = vaddq_f32(v1, vld1q_f32(row + 4));
        v2 = vaddq_f32(v2, vld1q_f32(row + 8));
    }
    vst1q_f32(row, v0);
    vst1q_f32(row + 4, v1);
    vst1q_f32(row + 8, v2);
}

/* a: k x 8 packed A panel, b: k x 12 packed B panel (see sgemm_blocked.h). */
void sgemm_ukernel_8x12_neon(size_t k, const float *a, const float *b,
                             float *c, size_t ldc, int accumulate)
{
    /* cRJ: row R, columns 4J .. 4J + 3. */
    float32x4_t c00 = vdupq_n_f32(0.0f), c01 = c00, c02 = c00;
    float32x4_t c10 = c00, c11 = c00, c12 = c00;
    float32x4_t c20 = c00, c21 = c00, c22 = c00;
    float32x4_t c30 = c00, c31 = c00, c32 = c00;
    float32x4_t c40 = c00, c41 = c00, c42 = c00;
    float32x4_t c50 = c00, c51 = c00, c52 = c00;
    float32x4_t c60 = c00, c61 = c00, c62 = c00;
    float32x4_t c70 = c00, c71 = c00, c72 = c00;

    for (size_t p = 0; p < k; p++, a += 8, b += 12) {
        float32x4_t a_lo = vld1q_f32(a), a_hi = vld1q_f32(a + 4); /* rows 0-3, 4-7 */
        float32x4_t b0 = vld1q_f32(b), b1 = vld1q_f32(b + 4), b2 = vld1q_f32(b + 8);
        UPDATE_ROW(c00, c01, c02, a_lo, 0);
        UPDATE_ROW(c10, c11, c12, a_lo, 1);
        UPDATE_ROW(c20, c21, c22, a_lo, 2);
        UPDATE_ROW(c30, c31, c32, a_lo, 3);
        UPDATE_ROW(c40, c41, c42, a_hi, 0);
        UPDATE_ROW(c50, c51, c52, a_hi, 1);
        UPDATE_ROW(c60, c61, c62, a_hi, 2);
        UPDATE_ROW(c70, c71, c72, a_hi, 3);
    }

    /* The sum over k is formed first and added to C once, as the ref adds
     * its dot product to C (up to rounding: the ref accumulates in double). */
    store_row(c + 0 * ldc, accumulate, c00, c01, c02);
    store_row(c + 1 * ldc, accumulate, c10, c11, c12);
    store_row(c + 2 * ldc, accumulate, c20, c21, c22);
    store_row(c + 3 * ldc, accumulate, c30, c31, c32);
    store_row(c + 4 * ldc, accumulate, c40, c41, c42);
    store_row(c + 5 * ldc, accumulate, c50, c51, c52);
    store_row(c + 6 * ldc, accumulate, c60, c61, c62);
    store_row(c + 7 * ldc, accumulate, c70, c71, c72);
}
