/* conv.h: the ISA-independent convolutions (conv2d and the transposed
 * convolution, see kernels.h) over an ISA's microkernels. Plain C in
 * kernels/conv.c; each ISA's conv.c defines its kernels-table entries
 * (conv2d_<isa>, conv_transpose2d_<isa> and their backward functions) as
 * one-line calls of these with its struct conv_isa. Arguments as the
 * typedefs in kernels.h. */
#ifndef DDIM_CONV_H
#define DDIM_CONV_H

#include "kernels.h"
#include "igemm.h"

/* What a convolution needs of an ISA: the indirect GEMM microkernels for the
 * forward and backward-data passes (igemm_narrow, of one column, for
 * outputs of fewer than 4 channels), the weight-gradient one for dw. */
struct conv_isa {
    const struct igemm_microkernel *igemm, *igemm_narrow;
    const struct wgemm_microkernel *wgemm;
};

void conv2d_igemm(const struct conv_isa *isa, const struct conv2d_shape *s, const float *x,
                  const float *w, const float *bias, enum activation act, const float *residual,
                  float *y, float *workspace);
void conv2d_backward_data_igemm(const struct conv_isa *isa, const struct conv2d_shape *s,
                                const float *dy, const float *w, float *dx, float *workspace);
void conv2d_backward_weights_gemm(const struct conv_isa *isa, const struct conv2d_shape *s,
                                  const float *x, const float *dy, float *dw, int accumulate,
                                  float *workspace);

void conv_transpose2d_igemm(const struct conv_isa *isa, const struct conv_transpose2d_shape *s,
                            const float *x, const float *w, const float *bias, float *y,
                            float *workspace);
void conv_transpose2d_backward_data_igemm(const struct conv_isa *isa,
                                          const struct conv_transpose2d_shape *s, const float *dy,
                                          const float *w, float *dx, float *workspace);
void conv_transpose2d_backward_weights_gemm(const struct conv_isa *isa,
                                            const struct conv_transpose2d_shape *s, const float *x,
                                            const float *dy, float *dw, int accumulate,
                                            float *workspace);

#endif
