/* Elementwise kernels over OpenMP's threads, in fixed chunks (see parallel.h). */
#include "parallel.h"

/* 64 KiB of each operand per chunk: long enough to amortise the call, and
 * a multiple of every vector width. Below two chunks a call runs on the
 * calling thread alone. */
#define CHUNK ((size_t)16384)

/* The chunks' loop over OpenMP's threads; a plain loop in a build without
 * OpenMP (the NEON build that runs under qemu). */
#ifdef _OPENMP
#define OMP_PARALLEL_FOR_CHUNKS _Pragma("omp parallel for schedule(static) if (chunks_ > 1)")
#else
#define OMP_PARALLEL_FOR_CHUNKS
#endif

#define FOR_EACH_CHUNK(n, body)                                                  \
    do {                                                                         \
        const long chunks_ = (long)(((n) + CHUNK - 1) / CHUNK);                  \
        OMP_PARALLEL_FOR_CHUNKS                                                  \
        for (long chunk_ = 0; chunk_ < chunks_; chunk_++) {                      \
            const size_t at = (size_t)chunk_ * CHUNK;                            \
            const size_t len = (n) - at < CHUNK ? (n) - at : CHUNK;              \
            body;                                                                \
        }                                                                        \
    } while (0)

void parallel_unary(unary_fn *f, size_t n, const float *x, float *y)
{
    FOR_EACH_CHUNK(n, f(len, x + at, y + at));
}

void parallel_binary(binary_fn *f, size_t n, const float *x, const float *y, float *out)
{
    FOR_EACH_CHUNK(n, f(len, x + at, y + at, out + at));
}

void parallel_unary_backward(unary_backward_fn *f, size_t n, const float *saved, const float *dy,
                             float *dx)
{
    FOR_EACH_CHUNK(n, f(len, saved + at, dy + at, dx + at));
}

/* SUM_SEGMENTS row segments, fixed by the size alone, summed apart and then
 * added in order. */
#define SUM_SEGMENTS 8
#define SEGMENTED_ROWS 4096

void parallel_sum_rows(sum_rows_fn *f, size_t rows, size_t cols, const float *x, float *out)
{
    if (rows < SEGMENTED_ROWS) {
        f(rows, cols, x, out);
        return;
    }
    float partial[SUM_SEGMENTS][cols];
    const size_t per_segment = rows / SUM_SEGMENTS;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (int s = 0; s < SUM_SEGMENTS; s++) {
        const size_t begin = per_segment * s, end = s + 1 == SUM_SEGMENTS ? rows : begin + per_segment;
        f(end - begin, cols, x + begin * cols, partial[s]);
    }
    for (size_t j = 0; j < cols; j++) {
        float sum = partial[0][j];
        for (int s = 1; s < SUM_SEGMENTS; s++)
            sum += partial[s][j];
        out[j] = sum;
    }
}

void parallel_adamw(adamw_fn *f, size_t n, float *param, const float *grad, float *m, float *v,
                    float lr, float beta1, float beta2, float epsilon, float weight_decay, long step)
{
    FOR_EACH_CHUNK(n, f(len, param + at, grad + at, m + at, v + at, lr, beta1, beta2, epsilon,
                        weight_decay, step));
}

void parallel_ema(ema_fn *f, size_t n, float decay, const float *param, float *ema)
{
    FOR_EACH_CHUNK(n, f(len, decay, param + at, ema + at));
}
