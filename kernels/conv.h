/* conv.h: the ISA-independent convolutions (conv2d and the transposed
 * convolution, see kernels.h) over an ISA's microkernels. Plain C in
 * kernels/conv.c; each ISA wraps these as conv2d_<isa>,
 * conv_transpose2d_<isa> and friends. Arguments as the typedefs in
 * kernels.h. */
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

void conv_transpose2d_igemm(const struct conv_isa *isa, const struct conv_shape *s,
                            const float *x, const float *w, const float *bias, float *y,
                            float *workspace);
void conv_transpose2d_backward_data_igemm(const struct conv_isa *isa, const struct conv_shape *s,
                                          const float *dy, const float *w, float *dx,
                                          float *workspace);
void conv_transpose2d_backward_weights_gemm(const struct conv_isa *isa,
                                            const struct conv_shape *s, const float *x,
                                            const float *dy, float *dw, int accumulate,
                                            float *workspace);

/* The six kernels-table entries of an ISA, conv2d_<name> and friends, as
 * calls of the functions above with its struct conv_isa. */
#define DEFINE_CONV_KERNELS(name, isa)                                                          \
    void conv2d_##name(const struct conv2d_shape *s, const float *x, const float *w,            \
                       const float *bias, enum activation act, const float *residual,          \
                       float *y, float *workspace)                                              \
    {                                                                                           \
        conv2d_igemm(isa, s, x, w, bias, act, residual, y, workspace);                          \
    }                                                                                           \
    void conv2d_backward_data_##name(const struct conv2d_shape *s, const float *dy,             \
                                     const float *w, float *dx, float *workspace)               \
    {                                                                                           \
        conv2d_backward_data_igemm(isa, s, dy, w, dx, workspace);                               \
    }                                                                                           \
    void conv2d_backward_weights_##name(const struct conv2d_shape *s, const float *x,           \
                                        const float *dy, float *dw, int accumulate,             \
                                        float *workspace)                                       \
    {                                                                                           \
        conv2d_backward_weights_gemm(isa, s, x, dy, dw, accumulate, workspace);                 \
    }                                                                                           \
    void conv_transpose2d_##name(const struct conv_shape *s, const float *x, const float *w,    \
                                 const float *bias, float *y, float *workspace)                 \
    {                                                                                           \
        conv_transpose2d_igemm(isa, s, x, w, bias, y, workspace);                               \
    }                                                                                           \
    void conv_transpose2d_backward_data_##name(const struct conv_shape *s, const float *dy,     \
                                               const float *w, float *dx, float *workspace)     \
    {                                                                                           \
        conv_transpose2d_backward_data_igemm(isa, s, dy, w, dx, workspace);                     \
    }                                                                                           \
    void conv_transpose2d_backward_weights_##name(const struct conv_shape *s, const float *x,   \
                                                  const float *dy, float *dw, int accumulate,   \
                                                  float *workspace)                             \
    {                                                                                           \
        conv_transpose2d_backward_weights_gemm(isa, s, x, dy, dw, accumulate, workspace);       \
    }

#endif
