/* Scalar reference sgemm: the oracle for every ISA. Straight triple loop,
 * accumulating in double so it is more accurate than anything it checks. */
#include "ref.h"

static float element_a(enum gemm_layout layout, const float *a, int lda, int i, int p)
{
    return layout == GEMM_TN ? a[(size_t)p * lda + i] : a[(size_t)i * lda + p];
}

static float element_b(enum gemm_layout layout, const float *b, int ldb, int p, int j)
{
    return layout == GEMM_NT ? b[(size_t)j * ldb + p] : b[(size_t)p * ldb + j];
}

void sgemm_ref(enum gemm_layout layout, int m, int n, int k,
               const float *a, int lda, const float *b, int ldb,
               float *c, int ldc, int accumulate,
               const float *bias, enum activation act)
{
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            double acc = accumulate ? c[(size_t)i * ldc + j] : 0.0;
            for (int p = 0; p < k; p++)
                acc += (double)element_a(layout, a, lda, i, p) * element_b(layout, b, ldb, p, j);
            if (bias)
                acc += bias[j];
            c[(size_t)i * ldc + j] = activation_ref(act, (float)acc);
        }
    }
}
