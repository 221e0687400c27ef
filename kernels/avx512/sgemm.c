/* AVX-512 sgemm: the shared blocked driver around the 8 x 48 microkernel.
 * Blocking for Zen 5 (48 KiB L1d, 1 MiB L2 per core): a 128 x 48 B panel
 * is 24 KiB, half of L1; a 512 x 128 A block is 256 KiB, a quarter of L2. */
#include "avx512.h"

static const struct sgemm_microkernel ukernel_8x48 = {
    .mr = 8, .nr = 48,
    .kc = 128, .mc = 512,
    .run = sgemm_ukernel_8x48_avx512,
    .epilogue = bias_activation_avx512,
    .transpose = sgemm_transpose_panel_avx2,
};

void sgemm_avx512(enum gemm_layout layout, int m, int n, int k,
                  const float *a, int lda, const float *b, int ldb,
                  float *c, int ldc, int accumulate,
                  const float *bias, enum activation act)
{
    sgemm_blocked(&ukernel_8x48, layout, m, n, k, a, lda, b, ldb, c, ldc,
                  accumulate, bias, act);
}
