/* igemm.h: the indirect GEMM (XNNPACK's "igemm") that runs a convolution's
 * forward and backward-data passes. A convolution is a GEMM whose A matrix
 * is im2col of its input; here the microkernel reads each tap's row of A in
 * place, through a pointer into the input, so no im2col buffer is ever
 * written. Only the microkernel is ISA-specific; the driver, the weight
 * packing and the pointer setup are plain C in kernels/igemm.c.
 */
#ifndef DDIM_IGEMM_H
#define DDIM_IGEMM_H

#include <stddef.h>
#include "sgemm_blocked.h"

/* Microkernel: one mr x nr tile,
 *   c[i][j] = sum over t < taps, p < k of a[t * mr + i][p] * w[(t * k + p) * nr + j]
 * a: taps * mr pointers to k floats each (a row of zeros where the tap falls
 * in the padding); w: one packed weight panel, taps * k rows of nr floats,
 * 64-byte aligned; c: mr pointers to nr floats each, overwritten.
 * Named igemm_ukernel_<mr>x<nr>_<isa>. */
typedef void igemm_microkernel_fn(size_t taps, size_t k, const float *const *a,
                                  const float *w, float *const *c);

struct igemm_microkernel {
    int mr, nr; /* mr <= IGEMM_MAX_MR, nr <= IGEMM_MAX_NR */
    igemm_microkernel_fn *run;
    bias_activation_fn *epilogue;
};

#define IGEMM_MAX_TAPS 9
#define IGEMM_MAX_MR 16
#define IGEMM_MAX_NR 64

/* The GEMM a convolution pass is: one row per pixel (b, i, j) of a
 * batch x rows_h x rows_w grid.
 *   A, k = src_c: tap t of row (b, i, j) is source pixel
 *     (b, i * src_stride + tap_dh[t], j * src_stride + tap_dw[t]) of src, a
 *     [batch, src_h, src_w, src_c] tensor, or zeros when that is outside it;
 *   B: tap t is the k x n matrix with element (p, col) at
 *     w[tap_weight[t] * tap_floats + p * stride_k + col * stride_n];
 *   C, n = dst_c: row (b, i, j) is destination pixel
 *     (b, i * dst_stride + dst_oh, j * dst_stride + dst_ow) of dst, a
 *     [batch, dst_h, dst_w, dst_c] tensor.
 * Strides and offsets let one description serve conv2d and both passes of
 * the transposed convolution, whose stride-2 forward is four such GEMMs
 * (one per output pixel parity, see kernels/conv.c). */
struct conv_gemm {
    int batch, rows_h, rows_w;
    const float *src;
    int src_h, src_w, src_c, src_stride;
    int taps;
    int tap_dh[IGEMM_MAX_TAPS], tap_dw[IGEMM_MAX_TAPS], tap_weight[IGEMM_MAX_TAPS];
    const float *w;
    size_t tap_floats, stride_k, stride_n;
    float *dst;
    int dst_h, dst_w, dst_c, dst_stride, dst_oh, dst_ow;
    const float *residual;  /* NULL, or a tensor shaped as dst added after the epilogue */
};

/* Floats the packed weights of a GEMM with these sizes take, for any
 * microkernel, plus the slack to align them to 64 bytes. */
size_t igemm_packed_floats(int taps, int k, int n);

/* C = act(A B + bias) + residual (bias: n floats or NULL) through the microkernel.
 * workspace: igemm_packed_floats(taps, src_c, dst_c) floats for the packed
 * weights; zeros: src_c zero floats, the row of the padding. Threads split
 * the rows; every element of C is one microkernel's sum, so the result does
 * not depend on the thread count. */
void igemm_conv(const struct igemm_microkernel *uk, const struct conv_gemm *g,
                const float *bias, enum activation act, const float *zeros, float *workspace);

/* Weight-gradient microkernel: one mr x nr tile of a GEMM whose k runs over
 * pixels and whose A rows are channels,
 *   c[i][j] = (accumulate ? c[i][j] : 0) + sum over p < k of a[p][i] * b[p * nr + j]
 * a: k pointers to mr consecutive floats each (one pixel's channels, in
 * place, or zeros); b: a packed k x nr panel, 64-byte aligned; c: row stride
 * ldc. Named wgemm_ukernel_<mr>x<nr>_<isa>. */
typedef void wgemm_microkernel_fn(size_t k, const float *const *a, const float *b, float *c,
                                  size_t ldc, int accumulate);

struct wgemm_microkernel {
    int mr, nr; /* mr <= IGEMM_MAX_MR, mr * nr <= SGEMM_MAX_TILE */
    wgemm_microkernel_fn *run;
};

/* The weight gradient of the convolution g describes:
 *   dw[t * src_c + c][j] = (accumulate ? dw : 0) + sum over the rows r of A[r][t][c] b[r][j],
 * b: [rows, n] (the gradient at C). A GEMM with k = every pixel of the
 * batch, in blocks of IGEMM_WEIGHT_KC, m = taps * src_c and n, whose A
 * panel is read in place through the row pointers (packed only for a last
 * block of fewer than mr channels) and whose B panels are packed from b once
 * per block of k (or read in place when b is one aligned panel). With at
 * least IGEMM_WEIGHT_SEGMENT_ROWS rows, the rows are summed in two halves,
 * into dw and into partial (m x n floats of scratch), then added: threads
 * split (half, tile) units, and each unit sums its rows in order, so the
 * result does not depend on the thread count. The packed B block lives on
 * the stack: n rounded up to nr times IGEMM_WEIGHT_KC floats. */
#define IGEMM_WEIGHT_KC 256
#define IGEMM_WEIGHT_SEGMENT_ROWS 4096
void igemm_weight_gradient(const struct wgemm_microkernel *uk, const struct conv_gemm *g,
                           const float *b, int n, float *dw, int accumulate, float *partial);

#endif
