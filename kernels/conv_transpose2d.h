/* conv_transpose2d.h: the ISA-independent 3x3 transposed convolution (see
 * struct conv_shape in kernels.h) expressed through an ISA's sgemm. Plain C
 * in kernels/conv_transpose2d.c; each ISA wraps these with its own sgemm as
 * conv_transpose2d_<isa> and friends. Arguments as the typedefs in kernels.h,
 * workspace: conv_transpose2d_workspace_floats(s) floats. */
#ifndef DDIM_CONV_TRANSPOSE2D_H
#define DDIM_CONV_TRANSPOSE2D_H

#include "kernels.h"

void conv_transpose2d_gemm(sgemm_fn *sgemm, const struct conv_shape *s, const float *x,
                           const float *w, const float *bias, float *y, float *workspace);
void conv_transpose2d_backward_data_gemm(sgemm_fn *sgemm, const struct conv_shape *s,
                                         const float *dy, const float *w, float *dx,
                                         float *workspace);
void conv_transpose2d_backward_weights_gemm(sgemm_fn *sgemm, const struct conv_shape *s,
                                            const float *x, const float *dy, float *dw,
                                            int accumulate, float *workspace);

#endif
