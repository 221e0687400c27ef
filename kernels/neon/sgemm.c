/* NEON sgemm: the shared blocked driver (kernels/sgemm_blocked.c) packs and
 * tiles; NEON supplies the 8 x 12 register tile and the bias + activation
 * epilogue. Blocking, sized for 32-64 KB of L1D and 256 KB-1 MB of L2 per
 * core (Cortex-A7x, Neoverse N1/V1):
 *   kc = 256: a packed 256 x 12 B panel (12 KB) stays in L1 while the
 *             256 x 8 A panels (8 KB each) stream past it;
 *   mc = 128: the packed 128 x 256 A block (128 KB) stays in L2. */
#include "neon.h"

const struct sgemm_microkernel sgemm_8x12_neon = {
    .mr = 8, .nr = 12,
    .kc = 256, .mc = 128,
    .run = sgemm_ukernel_8x12_neon,
    .epilogue = bias_activation_neon,
};

void sgemm_neon(enum gemm_layout layout, int m, int n, int k,
                const float *a, int lda, const float *b, int ldb,
                float *c, int ldc, int accumulate,
                const float *bias, enum activation act)
{
    sgemm_blocked(&sgemm_8x12_neon, layout, m, n, k, a, lda, b, ldb, c, ldc,
                  accumulate, bias, act);
}
