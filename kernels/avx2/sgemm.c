/* AVX2 sgemm: the shared blocked driver around the 6 x 16 microkernel.
 * Blocking for Zen 5 (48 KiB L1d, 1 MiB L2 per core): a 256 x 16 B panel
 * is 16 KiB, a third of L1; a 240 x 256 A block is 240 KiB, a quarter of L2. */
#include "avx2.h"

const struct sgemm_microkernel sgemm_6x16_avx2 = {
    .mr = 6, .nr = 16,
    .kc = 256, .mc = 504,
    .run = sgemm_ukernel_6x16_avx2,
    .epilogue = bias_activation_avx2,
    .transpose = sgemm_transpose_panel_avx2,
    .dot = sgemm_dot_2x4_avx2, .dot_mr = 2, .dot_nr = 4,
};

void sgemm_avx2(enum gemm_layout layout, int m, int n, int k,
                const float *a, int lda, const float *b, int ldb,
                float *c, int ldc, int accumulate,
                const float *bias, enum activation act)
{
    sgemm_blocked(&sgemm_6x16_avx2, layout, m, n, k, a, lda, b, ldb, c, ldc,
                  accumulate, bias, act);
}
