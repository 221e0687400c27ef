/* sgemm_blocked.h: the ISA-independent, cache-blocked sgemm driver (BLIS
 * style) and the microkernel family it drives. Only the microkernel and the
 * bias + activation epilogue are ISA-specific; packing and blocking are
 * plain C in kernels/sgemm_blocked.c.
 */
#ifndef DDIM_SGEMM_BLOCKED_H
#define DDIM_SGEMM_BLOCKED_H

#include <stddef.h>
#include "kernels.h"

/* Microkernel: one mr x nr tile of C (row stride ldc), full tiles only:
 *   C[i][j] = (accumulate ? C[i][j] : 0) + sum_p a[p * mr + i] * b[p * nr + j]
 * a: k x mr packed A panel, b: k x nr packed B panel, both 64-byte aligned.
 * Named sgemm_ukernel_<mr>x<nr>_<isa>. */
typedef void sgemm_microkernel_fn(size_t k, const float *a, const float *b,
                                  float *c, size_t ldc, int accumulate);

/* Epilogue over one row of C: row[j] = act(row[j] + (bias ? bias[j] : 0)). */
typedef void bias_activation_fn(size_t n, const float *bias, float *row, enum activation act);

/* Largest mr * nr of any microkernel: the driver's edge tile holds one. */
#define SGEMM_MAX_TILE 1024

/* A microkernel and the cache blocking that feeds it (counts in floats):
 * the driver packs an mc x kc block of op(A), which stays in L2 while it
 * sweeps op(B) one kc x nr panel at a time; each B panel stays in L1 while
 * the mr x kc A panels stream past it. mc is a multiple of mr; when k < kc
 * the A block keeps its mc * kc floats by taking more rows. The packed
 * blocks live on the driver's stack: at most (mc + nr) * kc floats. */
/* Packing's transpose: dst[p * width + r] = src[r * ld + p] for r < rows,
 * p < count (rows of a row-major matrix written down the columns of a
 * panel). Named sgemm_transpose_panel_<isa>. */
typedef void panel_transpose_fn(float *restrict dst, size_t width, const float *restrict src,
                                size_t ld, size_t rows, size_t count);

/* Dot-product microkernel for GEMM_NT, where B is stored n x k and so each
 * element of C is the dot product of two contiguous rows, and nothing needs
 * packing: out[i * dot_nr + j] = sum over p < k of a[i][p] b[j][p] for
 * dot_mr row pointers a and dot_nr row pointers b. Named
 * sgemm_dot_<mr>x<nr>_<isa>. */
typedef void sgemm_dot_fn(size_t k, const float *const *a, const float *const *b, float *out);

/* Largest dot_mr, dot_nr and dot_mr * dot_nr of any dot microkernel. */
#define SGEMM_DOT_MAX_TILE 16

struct sgemm_microkernel {
    int mr, nr;                  /* tile shape, mr * nr <= SGEMM_MAX_TILE */
    int kc, mc;                  /* cache blocking */
    sgemm_microkernel_fn *run;
    bias_activation_fn *epilogue;
    panel_transpose_fn *transpose; /* NULL: the driver's plain C transpose */
    sgemm_dot_fn *dot;           /* NULL: GEMM_NT packs like the other layouts */
    int dot_mr, dot_nr;
};

/* dst[0 .. count) = src[0 .. count), dst[count .. width) = 0: a row of a
 * packed panel (sgemm_blocked.c, igemm.c). Written in
 * groups of four, which gcc turns into 16-byte moves even at the baseline
 * ISA; a memcpy call costs more than these short copies themselves. */
static inline void copy_padded(float *restrict dst, const float *restrict src, size_t count, size_t width)
{
    size_t j = 0;
    for (; j + 4 <= count; j += 4) {
        dst[j] = src[j];
        dst[j + 1] = src[j + 1];
        dst[j + 2] = src[j + 2];
        dst[j + 3] = src[j + 3];
    }
    for (; j < count; j++)
        dst[j] = src[j];
    for (; j < width; j++)
        dst[j] = 0.0f;
}

/* sgemm (see sgemm_fn in kernels.h) through the given microkernel. */
void sgemm_blocked(const struct sgemm_microkernel *uk,
                   enum gemm_layout layout, int m, int n, int k,
                   const float *a, int lda, const float *b, int ldb,
                   float *c, int ldc, int accumulate,
                   const float *bias, enum activation act);

#endif
