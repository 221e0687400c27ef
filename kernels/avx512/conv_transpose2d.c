/* AVX-512 transposed convolution: the shared sgemm formulation of
 * kernels/conv_transpose2d.c around sgemm_avx512. And the row sum (the bias
 * gradient) with intrinsics. */
#include "avx512.h"
#include "vector_math.h"
#include "../conv_transpose2d.h"

void conv_transpose2d_avx512(const struct conv_shape *s, const float *x, const float *w,
                             const float *bias, float *y, float *workspace)
{
    conv_transpose2d_gemm(sgemm_avx512, s, x, w, bias, y, workspace);
}

void conv_transpose2d_backward_data_avx512(const struct conv_shape *s, const float *dy,
                                           const float *w, float *dx, float *workspace)
{
    conv_transpose2d_backward_data_gemm(sgemm_avx512, s, dy, w, dx, workspace);
}

void conv_transpose2d_backward_weights_avx512(const struct conv_shape *s, const float *x,
                                              const float *dy, float *dw, int accumulate,
                                              float *workspace)
{
    conv_transpose2d_backward_weights_gemm(sgemm_avx512, s, x, dy, dw, accumulate, workspace);
}

/* Column sums of x [rows, cols], 16 columns per vector. Panels of 64 columns
 * keep four accumulators in registers while the rows stream past, so each
 * row's 256 bytes are read once; the last cols % 64 go 16 at a time, the
 * very last through masked loads. Each lane adds its column in row order,
 * in float (the reference adds in double). */
void sum_rows_avx512(size_t rows, size_t cols, const float *x, float *out)
{
    size_t j = 0;
    for (; j + 64 <= cols; j += 64) {
        __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (size_t i = 0; i < rows; i++) {
            const float *row = x + i * cols + j;
            acc0 = _mm512_add_ps(acc0, _mm512_loadu_ps(row));
            acc1 = _mm512_add_ps(acc1, _mm512_loadu_ps(row + 16));
            acc2 = _mm512_add_ps(acc2, _mm512_loadu_ps(row + 32));
            acc3 = _mm512_add_ps(acc3, _mm512_loadu_ps(row + 48));
        }
        _mm512_storeu_ps(out + j, acc0);
        _mm512_storeu_ps(out + j + 16, acc1);
        _mm512_storeu_ps(out + j + 32, acc2);
        _mm512_storeu_ps(out + j + 48, acc3);
    }
    for (; j < cols; j += 16) {
        __mmask16 m = tail_mask16(cols - j < 16 ? cols - j : 16);
        __m512 acc = _mm512_setzero_ps();
        for (size_t i = 0; i < rows; i++)
            acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(m, x + i * cols + j));
        _mm512_mask_storeu_ps(out + j, m, acc);
    }
}
