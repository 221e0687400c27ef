/* NEON elementwise ops, activations, the sgemm epilogue and reductions.
 *
 * The elementwise loops take four floats (one q register) per step and finish
 * the last n % 4 through load_tail/store_tail. Each step loads all its inputs
 * before it stores, so out == x (or == y) is safe. add, mul, scale, relu and
 * the relu and sigmoid backwards do the same IEEE operations in the same
 * order as the ref, so they match it bit for bit; sigmoid, swish and swish's
 * backward differ from it only by SLEEF's vector expf against its scalar one
 * (both within 1 ulp).
 */
#include <sleef.h>
#include "neon.h"

/* x > 0 ? x : +0 per lane, as the ref's relu: the compare is false for NaN
 * and -0, which therefore give +0 (vmaxq_f32 would keep NaN and -0). */
static inline float32x4_t relu_f32x4(float32x4_t x)
{
    uint32x4_t positive = vcgtq_f32(x, vdupq_n_f32(0.0f));
    return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(x), positive));
}

/* 1 / (1 + e^-x) with SLEEF's 1-ulp expf. For x < -88.7, e^-x overflows to
 * inf and the quotient is exactly 0, as in the ref. */
static inline float32x4_t sigmoid_f32x4(float32x4_t x)
{
    float32x4_t one = vdupq_n_f32(1.0f);
    return vdivq_f32(one, vaddq_f32(one, Sleef_expf4_u10advsimd(vnegq_f32(x))));
}

static inline float32x4_t activation_f32x4(enum activation act, float32x4_t x)
{
    switch (act) {
    case ACTIVATION_RELU:    return relu_f32x4(x);
    case ACTIVATION_SIGMOID: return sigmoid_f32x4(x);
    case ACTIVATION_SWISH:   return vmulq_f32(x, sigmoid_f32x4(x));
    case ACTIVATION_NONE:    break;
    }
    return x;
}

void add_neon(size_t n, const float *x, const float *y, float *out)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vaddq_f32(vld1q_f32(x + i), vld1q_f32(y + i)));
    if (i < n)
        store_tail(n - i, vaddq_f32(load_tail(n - i, x + i), load_tail(n - i, y + i)), out + i);
}

void mul_neon(size_t n, const float *x, const float *y, float *out)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vmulq_f32(vld1q_f32(x + i), vld1q_f32(y + i)));
    if (i < n)
        store_tail(n - i, vmulq_f32(load_tail(n - i, x + i), load_tail(n - i, y + i)), out + i);
}

void scale_neon(size_t n, float alpha, const float *x, float *out)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vmulq_n_f32(vld1q_f32(x + i), alpha));
    if (i < n)
        store_tail(n - i, vmulq_n_f32(load_tail(n - i, x + i), alpha), out + i);
}

void relu_neon(size_t n, const float *x, float *y)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(y + i, relu_f32x4(vld1q_f32(x + i)));
    if (i < n)
        store_tail(n - i, relu_f32x4(load_tail(n - i, x + i)), y + i);
}

void sigmoid_neon(size_t n, const float *x, float *y)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(y + i, sigmoid_f32x4(vld1q_f32(x + i)));
    if (i < n)
        store_tail(n - i, sigmoid_f32x4(load_tail(n - i, x + i)), y + i);
}

void swish_neon(size_t n, const float *x, float *y)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t v = vld1q_f32(x + i);
        vst1q_f32(y + i, vmulq_f32(v, sigmoid_f32x4(v)));
    }
    if (i < n) {
        float32x4_t v = load_tail(n - i, x + i);
        store_tail(n - i, vmulq_f32(v, sigmoid_f32x4(v)), y + i);
    }
}

/* dx = dy where x > 0, else +0: the relu mask applied to dy. */
static inline float32x4_t relu_backward_f32x4(float32x4_t x, float32x4_t dy)
{
    uint32x4_t positive = vcgtq_f32(x, vdupq_n_f32(0.0f));
    return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(dy), positive));
}

void relu_backward_neon(size_t n, const float *x, const float *dy, float *dx)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(dx + i, relu_backward_f32x4(vld1q_f32(x + i), vld1q_f32(dy + i)));
    if (i < n)
        store_tail(n - i, relu_backward_f32x4(load_tail(n - i, x + i), load_tail(n - i, dy + i)),
                   dx + i);
}

/* dx = (dy y) (1 - y), multiplied in the ref's order. */
static inline float32x4_t sigmoid_backward_f32x4(float32x4_t y, float32x4_t dy)
{
    return vmulq_f32(vmulq_f32(dy, y), vsubq_f32(vdupq_n_f32(1.0f), y));
}

void sigmoid_backward_neon(size_t n, const float *y, const float *dy, float *dx)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(dx + i, sigmoid_backward_f32x4(vld1q_f32(y + i), vld1q_f32(dy + i)));
    if (i < n)
        store_tail(n - i, sigmoid_backward_f32x4(load_tail(n - i, y + i), load_tail(n - i, dy + i)),
                   dx + i);
}

/* dx = (dy s) (1 + x (1 - s)) with s = sigmoid(x), in the ref's order and
 * without fusing, so only s can differ from the ref. */
static inline float32x4_t swish_backward_f32x4(float32x4_t x, float32x4_t dy)
{
    float32x4_t one = vdupq_n_f32(1.0f);
    float32x4_t s = sigmoid_f32x4(x);
    float32x4_t slope = vaddq_f32(one, vmulq_f32(x, vsubq_f32(one, s)));
    return vmulq_f32(vmulq_f32(dy, s), slope);
}

void swish_backward_neon(size_t n, const float *x, const float *dy, float *dx)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(dx + i, swish_backward_f32x4(vld1q_f32(x + i), vld1q_f32(dy + i)));
    if (i < n)
        store_tail(n - i, swish_backward_f32x4(load_tail(n - i, x + i), load_tail(n - i, dy + i)),
                   dx + i);
}

/* The sgemm epilogue over one row of C (n floats): add the bias, if any,
 * then apply the activation. */
void bias_activation_neon(size_t n, const float *bias, float *row, enum activation act)
{
    if (!bias && act == ACTIVATION_NONE)
        return;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t x = vld1q_f32(row + i);
        if (bias)
            x = vaddq_f32(x, vld1q_f32(bias + i));
        vst1q_f32(row + i, activation_f32x4(act, x));
    }
    if (i < n) {
        float32x4_t x = load_tail(n - i, row + i);
        if (bias)
            x = vaddq_f32(x, load_tail(n - i, bias + i));
        store_tail(n - i, activation_f32x4(act, x), row + i);
    }
}

/* Sum of n <= REDUCE_BLOCK floats as 4 float lanes. Four accumulators give
 * enough independent adds to hide the add latency: lane l of accumulator j
 * sums elements 16 i + 4 j + l; the 4-float steps after the last full 16 go to
 * acc0 and the zero-padded tail to acc1. Everything is combined in a fixed
 * order, so the result depends only on n and x. */
static float32x4_t sum_block(size_t n, const float *x)
{
    float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = vaddq_f32(acc0, vld1q_f32(x + i));
        acc1 = vaddq_f32(acc1, vld1q_f32(x + i + 4));
        acc2 = vaddq_f32(acc2, vld1q_f32(x + i + 8));
        acc3 = vaddq_f32(acc3, vld1q_f32(x + i + 12));
    }
    for (; i + 4 <= n; i += 4)
        acc0 = vaddq_f32(acc0, vld1q_f32(x + i));
    if (i < n)
        acc1 = vaddq_f32(acc1, load_tail(n - i, x + i));
    return vaddq_f32(vaddq_f32(acc0, acc1), vaddq_f32(acc2, acc3));
}

float sum_neon(size_t n, const float *x)
{
    float64x2_t total = vdupq_n_f64(0.0);
    for (size_t i = 0; i < n; i += REDUCE_BLOCK)
        total = add_widened(total, sum_block(n - i < REDUCE_BLOCK ? n - i : REDUCE_BLOCK, x + i));
    return (float)vaddvq_f64(total);
}

float mean_neon(size_t n, const float *x)
{
    return n ? (float)((double)sum_neon(n, x) / (double)n) : 0.0f;
}
