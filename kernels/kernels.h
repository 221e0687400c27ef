/* kernels.h: the contract between ddim-lab's runtime and its compute kernels.
 *
 * Every kernel is a plain C function over float * with explicit sizes and
 * strides. Each ISA (kernels/ref, kernels/avx2, kernels/avx512, kernels/neon)
 * provides one function per entry of struct kernels, named <op>_<isa>
 * (e.g. sgemm_avx512); the runtime calls them through the table that
 * kernels_select() returns. kernels/ref is the scalar oracle every other ISA
 * is tested against.
 *
 * Beside the table, the ops that have one portable C version for every ISA
 * have their own headers: image_ops.h (the U-Net's pooling, upsampling,
 * channel moves, batch normalization and noise embedding), softmax.h (the
 * classifier's loss and probabilities), tensor_ops.h (the bias add, the
 * per-sample broadcasts, sub and fill), and parallel.h (a table's
 * elementwise kernels split over threads).
 *
 * Conventions: matrices are row-major; "n" of an elementwise op is the number
 * of floats; inputs and outputs of elementwise ops may alias exactly
 * (out == x) but must not partially overlap. Backward functions take the
 * upstream gradient dy (same shape as the forward output) and write dx.
 */
#ifndef DDIM_KERNELS_H
#define DDIM_KERNELS_H

#include <stddef.h>

/* Activation applied by the sgemm epilogue after the bias. */
enum activation {
    ACTIVATION_NONE,
    ACTIVATION_RELU,
    ACTIVATION_SIGMOID,
    ACTIVATION_SWISH, /* x * sigmoid(x), a.k.a. SiLU */
};

/* Storage of the sgemm operands. op(A) is m x k and op(B) is k x n:
 *   GEMM_NN: A stored m x k (lda >= k), B stored k x n (ldb >= n)
 *   GEMM_NT: A stored m x k (lda >= k), B stored n x k (ldb >= k)  -> A B^T
 *   GEMM_TN: A stored k x m (lda >= m), B stored k x n (ldb >= n)  -> A^T B
 * (A dense layer's forward is NN, its input gradient NT, its weight gradient TN.) */
enum gemm_layout { GEMM_NN, GEMM_NT, GEMM_TN };

/* C[m x n] (row stride ldc) = act((accumulate ? C : 0) + op(A) op(B) + bias)
 * bias: n floats added to every row, or NULL. m, n, k >= 0; k == 0 gives
 * act(C or 0 + bias). */
typedef void sgemm_fn(enum gemm_layout layout, int m, int n, int k,
                      const float *a, int lda, const float *b, int ldb,
                      float *c, int ldc, int accumulate,
                      const float *bias, enum activation act);

/* out[i] = x[i] (op) y[i] */
typedef void binary_fn(size_t n, const float *x, const float *y, float *out);
/* out[i] = alpha * x[i] */
typedef void scale_fn(size_t n, float alpha, const float *x, float *out);
/* y[i] = f(x[i]) */
typedef void unary_fn(size_t n, const float *x, float *y);
/* dx[i] = dy[i] * f'(.) where (.) is the saved forward tensor: the input x
 * for relu and swish, the output y for sigmoid (y * (1 - y)). */
typedef void unary_backward_fn(size_t n, const float *saved, const float *dy, float *dx);
/* Sum or mean of x[0..n); 0 for n == 0. */
typedef float reduce_fn(size_t n, const float *x);
/* Mean loss over n elements: MAE = mean|pred - target|, MSE = mean (pred - target)^2. */
typedef float loss_fn(size_t n, const float *pred, const float *target);
/* dpred[i] = dloss * d(loss)/d(pred[i]): sign(pred - target) / n for MAE
 * (0 where they are equal, as TensorFlow's sign), 2 (pred - target) / n for MSE. */
typedef void loss_backward_fn(size_t n, const float *pred, const float *target,
                              float dloss, float *dpred);
/* One AdamW step as Keras applies it, step = 1, 2, ... (the count after this update):
 *   param -= lr * weight_decay * param                     (decoupled decay)
 *   m = beta1 m + (1 - beta1) grad;  v = beta2 v + (1 - beta2) grad^2
 *   param -= lr * sqrt(1 - beta2^step) / (1 - beta1^step) * m / (sqrt(v) + epsilon) */
typedef void adamw_fn(size_t n, float *param, const float *grad, float *m, float *v,
                      float lr, float beta1, float beta2, float epsilon,
                      float weight_decay, long step);
/* ema = decay * ema + (1 - decay) * param */
typedef void ema_fn(size_t n, float decay, const float *param, float *ema);
/* Runs `iterations` rounds of independent FMA chains that keep every FMA
 * unit busy; returns the number of FLOPs done (2 per lane per FMA). Used by
 * the benchmark to measure the ISA's peak; sink keeps the result live. */
typedef double fma_peak_fn(long iterations, float *sink);
/* out[j] = sum over i < rows of x[i * cols + j], for j < cols (overwrites
 * out): the bias gradient of a dense layer (rows = batch) or of a conv layer
 * on NHWC data (rows = batch * height * width, cols = channels). */
typedef void sum_rows_fn(size_t rows, size_t cols, const float *x, float *out);

/* A 3x3 transposed convolution (Keras Conv2DTranspose, padding 'same') on
 * NHWC tensors; every field is >= 1 and stride is 1 or 2:
 *   x: [batch, in_h, in_w, in_c]
 *   w: [3, 3, out_c, in_c]  (kh, kw, out channel, in channel: Keras' kernel)
 *   y: [batch, in_h * stride, in_w * stride, out_c]
 *   y[b, oh, ow, co] = bias[co] + sum of x[b, ih, iw, ci] w[kh, kw, co, ci]
 *     over oh = ih * stride + kh - pad, ow = iw * stride + kw - pad inside y,
 * pad = 1 for stride 1 and 0 for stride 2 (TensorFlow's 'same': a total of
 * max(3 - stride, 0), the smaller half before; see kernels/ref). */
struct conv_transpose2d_shape { int batch, in_h, in_w, in_c, out_c, stride; };

/* The padding before the first row and column: max(3 - stride, 0) / 2. */
static inline int conv_transpose2d_pad(int stride)
{
    return (3 - stride) / 2;
}

/* Scratch (floats) that a call of any conv_transpose2d function with this
 * shape may use; the caller allocates it once, the kernels allocate nothing. */
size_t conv_transpose2d_workspace_floats(const struct conv_transpose2d_shape *s);

/* y = conv_transpose2d(x, w) + bias (bias: out_c floats, or NULL for none). */
typedef void conv_transpose2d_fn(const struct conv_transpose2d_shape *s, const float *x,
                                 const float *w, const float *bias, float *y, float *workspace);
/* dx = J_x^T dy, the adjoint in x: <dx, u> = <dy, conv_transpose2d(u, w)> for all u. */
typedef void conv_transpose2d_backward_data_fn(const struct conv_transpose2d_shape *s,
                                               const float *dy, const float *w, float *dx,
                                               float *workspace);
/* dw = (accumulate ? dw : 0) + J_w^T dy given x: <J_w^T dy, v> = <dy, conv_transpose2d(x, v)>. */
typedef void conv_transpose2d_backward_weights_fn(const struct conv_transpose2d_shape *s,
                                                  const float *x, const float *dy, float *dw,
                                                  int accumulate, float *workspace);

/* A convolution (Keras Conv2D, stride 1, padding 'same') with a square
 * window of `kernel` = 1 or 3 on NHWC tensors; every field is >= 1:
 *   x: [batch, height, width, in_c]
 *   w: [kernel, kernel, in_c, out_c]  (kh, kw, in channel, out channel: Keras' kernel)
 *   y: [batch, height, width, out_c]
 *   y[b, i, j, co] = act(bias[co] + sum of x[b, i + kh - p, j + kw - p, ci] w[kh, kw, ci, co]
 *     over the pixels inside x), p = kernel / 2 ('same': zeros outside). */
struct conv2d_shape { int batch, height, width, in_c, out_c, kernel; };

/* Scratch (floats) that a call of any conv2d function with this shape may use. */
size_t conv2d_workspace_floats(const struct conv2d_shape *s);

/* y = act(conv(x, w) + bias) + residual (bias: out_c floats or NULL;
 * residual: a tensor shaped as y, not y itself, or NULL), the residual
 * block's add done in the same pass. */
typedef void conv2d_fn(const struct conv2d_shape *s, const float *x, const float *w,
                       const float *bias, enum activation act, const float *residual,
                       float *y, float *workspace);
/* dx = J_x^T dy of the convolution without its activation (dy is the
 * gradient at conv(x, w) + bias). */
typedef void conv2d_backward_data_fn(const struct conv2d_shape *s, const float *dy,
                                     const float *w, float *dx, float *workspace);
/* dw = (accumulate ? dw : 0) + J_w^T dy given x. */
typedef void conv2d_backward_weights_fn(const struct conv2d_shape *s, const float *x,
                                        const float *dy, float *dw, int accumulate,
                                        float *workspace);

/* Threads: the kernels split their work over OpenMP's threads so that every
 * output element is summed in one fixed order: results are bit-identical for
 * any thread count. */

struct kernels {
    const char *isa;            /* "ref", "avx2", "avx512", "neon" */
    sgemm_fn *sgemm;
    binary_fn *add, *mul;
    scale_fn *scale;
    unary_fn *relu, *sigmoid, *swish;
    unary_backward_fn *relu_backward, *sigmoid_backward, *swish_backward;
    reduce_fn *sum, *mean;
    loss_fn *mae_loss, *mse_loss;
    loss_backward_fn *mae_loss_backward, *mse_loss_backward;
    adamw_fn *adamw_step;
    ema_fn *ema_update;
    fma_peak_fn *fma_peak;
    sum_rows_fn *sum_rows;
    conv_transpose2d_fn *conv_transpose2d;
    conv_transpose2d_backward_data_fn *conv_transpose2d_backward_data;
    conv_transpose2d_backward_weights_fn *conv_transpose2d_backward_weights;
    conv2d_fn *conv2d;
    conv2d_backward_data_fn *conv2d_backward_data;
    conv2d_backward_weights_fn *conv2d_backward_weights;
};

/* Keras defaults for AdamW. */
#define ADAMW_BETA1 0.9f
#define ADAMW_BETA2 0.999f
#define ADAMW_EPSILON 1e-7f

/* The tables compiled into this build for this architecture, best first,
 * ending with ref; *count receives their number. Only ISAs the CPU can run
 * are listed. */
const struct kernels *const *kernels_available(int *count);

/* The table for an ISA by name, or NULL if it is unknown, not compiled in,
 * or not supported by this CPU. */
const struct kernels *kernels_by_name(const char *isa);

/* The best table for this CPU, or the one DDIM_ISA names. On a DDIM_ISA that
 * cannot be used, returns NULL and points *error at a one-line reason. */
const struct kernels *kernels_select(const char **error);

/* CPU features relevant to kernel choice, as a space-separated string in buf. */
void kernels_cpu_features(char *buf, size_t size);

#endif
