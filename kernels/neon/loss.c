/* NEON losses and their gradients. The losses reduce like sum_neon: blocks
 * of REDUCE_BLOCK floats in four float accumulators (enough independent adds
 * to hide their latency), blocks added in double, everything in a fixed
 * order; the mean over n is taken in double, as the ref does. The gradients
 * do the ref's operations in the ref's order, so they match it bit for bit. */
#include "neon.h"

/* sum |p - t| over n <= REDUCE_BLOCK elements, as 4 float lanes. vabdq_f32
 * is |p - t| with one rounding, as fabsf(p - t). */
static float32x4_t abs_error_block(size_t n, const float *pred, const float *target)
{
    float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = vaddq_f32(acc0, vabdq_f32(vld1q_f32(pred + i), vld1q_f32(target + i)));
        acc1 = vaddq_f32(acc1, vabdq_f32(vld1q_f32(pred + i + 4), vld1q_f32(target + i + 4)));
        acc2 = vaddq_f32(acc2, vabdq_f32(vld1q_f32(pred + i + 8), vld1q_f32(target + i + 8)));
        acc3 = vaddq_f32(acc3, vabdq_f32(vld1q_f32(pred + i + 12), vld1q_f32(target + i + 12)));
    }
    for (; i + 4 <= n; i += 4)
        acc0 = vaddq_f32(acc0, vabdq_f32(vld1q_f32(pred + i), vld1q_f32(target + i)));
    if (i < n)
        acc1 = vaddq_f32(acc1, vabdq_f32(load_tail(n - i, pred + i), load_tail(n - i, target + i)));
    return vaddq_f32(vaddq_f32(acc0, acc1), vaddq_f32(acc2, acc3));
}

/* sum (p - t)^2 over n <= REDUCE_BLOCK elements, as 4 float lanes; acc += d d
 * is fused: one rounding per element instead of two. */
static float32x4_t squared_error_block(size_t n, const float *pred, const float *target)
{
    float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        float32x4_t d0 = vsubq_f32(vld1q_f32(pred + i), vld1q_f32(target + i));
        float32x4_t d1 = vsubq_f32(vld1q_f32(pred + i + 4), vld1q_f32(target + i + 4));
        float32x4_t d2 = vsubq_f32(vld1q_f32(pred + i + 8), vld1q_f32(target + i + 8));
        float32x4_t d3 = vsubq_f32(vld1q_f32(pred + i + 12), vld1q_f32(target + i + 12));
        acc0 = vfmaq_f32(acc0, d0, d0);
        acc1 = vfmaq_f32(acc1, d1, d1);
        acc2 = vfmaq_f32(acc2, d2, d2);
        acc3 = vfmaq_f32(acc3, d3, d3);
    }
    for (; i + 4 <= n; i += 4) {
        float32x4_t d = vsubq_f32(vld1q_f32(pred + i), vld1q_f32(target + i));
        acc0 = vfmaq_f32(acc0, d, d);
    }
    if (i < n) {
        float32x4_t d = vsubq_f32(load_tail(n - i, pred + i), load_tail(n - i, target + i));
        acc1 = vfmaq_f32(acc1, d, d);
    }
    return vaddq_f32(vaddq_f32(acc0, acc1), vaddq_f32(acc2, acc3));
}

float mae_loss_neon(size_t n, const float *pred, const float *target)
{
    float64x2_t total = vdupq_n_f64(0.0);
    for (size_t i = 0; i < n; i += REDUCE_BLOCK) {
        size_t block = n - i < REDUCE_BLOCK ? n - i : REDUCE_BLOCK;
        total = add_widened(total, abs_error_block(block, pred + i, target + i));
    }
    return n ? (float)(vaddvq_f64(total) / (double)n) : 0.0f;
}

float mse_loss_neon(size_t n, const float *pred, const float *target)
{
    float64x2_t total = vdupq_n_f64(0.0);
    for (size_t i = 0; i < n; i += REDUCE_BLOCK) {
        size_t block = n - i < REDUCE_BLOCK ? n - i : REDUCE_BLOCK;
        total = add_widened(total, squared_error_block(block, pred + i, target + i));
    }
    return n ? (float)(vaddvq_f64(total) / (double)n) : 0.0f;
}

/* g where p > t, -g where p < t, +0 where neither (equal or NaN): the two
 * compare masks select g and -g, and they are never both set. */
static inline float32x4_t mae_gradient_f32x4(float32x4_t p, float32x4_t t, float g)
{
    uint32x4_t above = vandq_u32(vcgtq_f32(p, t), vreinterpretq_u32_f32(vdupq_n_f32(g)));
    uint32x4_t below = vandq_u32(vcltq_f32(p, t), vreinterpretq_u32_f32(vdupq_n_f32(-g)));
    return vreinterpretq_f32_u32(vorrq_u32(above, below));
}

void mae_loss_backward_neon(size_t n, const float *pred, const float *target,
                            float dloss, float *dpred)
{
    float g = dloss / (float)n;
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(dpred + i, mae_gradient_f32x4(vld1q_f32(pred + i), vld1q_f32(target + i), g));
    if (i < n)
        store_tail(n - i, mae_gradient_f32x4(load_tail(n - i, pred + i), load_tail(n - i, target + i), g),
                   dpred + i);
}

/* dpred = g (p - t) with g = 2 dloss / n */
void mse_loss_backward_neon(size_t n, const float *pred, const float *target,
                            float dloss, float *dpred)
{
    float g = 2.0f * dloss / (float)n;
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(dpred + i, vmulq_n_f32(vsubq_f32(vld1q_f32(pred + i), vld1q_f32(target + i)), g));
    if (i < n)
        store_tail(n - i, vmulq_n_f32(vsubq_f32(load_tail(n - i, pred + i), load_tail(n - i, target + i)), g),
                   dpred + i);
}
