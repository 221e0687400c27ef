/* AVX-512 sgemm: the shared blocked driver around the 8 x 48 or the 12 x 32
 * microkernel, whichever computes fewer padding rows and columns on the
 * call's m x n (8 x 48 on a tie).
 * Blocking for Zen 5 (48 KiB L1d, 1 MiB L2 per core): a 128 x 48 B panel
 * is 24 KiB, half of L1; a 512 x 128 A block is 256 KiB, a quarter of L2;
 * the 12 x 32 tile keeps the same footprints (16 KiB, 252 KiB). */
#include "avx512.h"

const struct sgemm_microkernel sgemm_8x48_avx512 = {
    .mr = 8, .nr = 48,
    .kc = 128, .mc = 512,
    .run = sgemm_ukernel_8x48_avx512,
    .epilogue = bias_activation_avx512,
    .transpose = sgemm_transpose_panel_avx2,
    .dot = sgemm_dot_4x4_avx512, .dot_mr = 4, .dot_nr = 4,
};

const struct sgemm_microkernel sgemm_12x32_avx512 = {
    .mr = 12, .nr = 32,
    .kc = 128, .mc = 504,
    .run = sgemm_ukernel_12x32_avx512,
    .epilogue = bias_activation_avx512,
    .transpose = sgemm_transpose_panel_avx2,
    .dot = sgemm_dot_4x4_avx512, .dot_mr = 4, .dot_nr = 4,
};

void sgemm_avx512(enum gemm_layout layout, int m, int n, int k,
                  const float *a, int lda, const float *b, int ldb,
                  float *c, int ldc, int accumulate,
                  const float *bias, enum activation act)
{
    /* The tiles' padded area: the multiply-adds each tile shape does. */
    const double work_8x48 = (double)((m + 7) / 8 * 8) * ((n + 47) / 48 * 48);
    const double work_12x32 = (double)((m + 11) / 12 * 12) * ((n + 31) / 32 * 32);
    sgemm_blocked(work_12x32 < work_8x48 ? &sgemm_12x32_avx512 : &sgemm_8x48_avx512, layout, m, n, k,
                  a, lda, b, ldb, c, ldc, accumulate, bias, act);
}
