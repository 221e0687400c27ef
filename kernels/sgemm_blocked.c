/* Cache-blocked, packed sgemm driver (BLIS-style loop nest), plain C.
 *
 * C[m x n] = act((accumulate ? C : 0) + op(A)[m x k] op(B)[k x n] + bias)
 *
 * Loop nest, outermost first (counts in floats, see struct sgemm_microkernel):
 *   ic: mc rows of C
 *     pc: kc of the k sum       pack op(A)[ic.., pc..] (mb x kb) into mr-row
 *                               panels: the A block, kept in L2
 *       jr: nr columns of C     pack op(B)[pc.., jr..] (kb x nr) into one
 *                               panel, kept in L1
 *         ir: mr rows           microkernel on one mr x nr tile of C
 * Packing turns every layout into the same unit-stride panels, so the
 * microkernel never sees NN/NT/TN, and zero-pads them to whole tiles. Each
 * element of op(A) is packed once; each element of op(B) once per mc rows,
 * which is cheap next to the mc multiply-adds it then feeds. There is no jc
 * loop because a B panel is consumed as soon as it is packed, so the only
 * buffers are the two packed blocks, on the stack.
 *
 * The first k block applies the caller's accumulate flag, later ones add to
 * what the earlier ones wrote. The bias + activation epilogue runs after the
 * last k block on each mb x nr column strip just written, while it is in L1.
 */
#include <string.h>
#include "sgemm_blocked.h"

static size_t min_size(size_t x, size_t y)
{
    return x < y ? x : y;
}

static size_t round_up(size_t x, size_t multiple)
{
    return (x + multiple - 1) / multiple * multiple;
}

/* dst[p * width + r] = src[r * ld + p] for r < rows, p < count: rows of a
 * row-major matrix written down the columns of a panel (a transpose). Eight
 * rows at a time keep eight independent sequential read streams in flight,
 * enough to hide the latency of L2/L3 while few enough for the hardware
 * prefetchers to follow; the scattered stores land in a panel that is in L1. */
static void transpose_to_panel(float *restrict dst, size_t width, const float *restrict src,
                               size_t ld, size_t rows, size_t count)
{
    for (size_t r0 = 0; r0 < rows; r0 += 8) {
        const size_t r1 = min_size(rows, r0 + 8);
        /* The rows are short runs far apart, so fetch the next eight's lines
         * ahead of time rather than leave it to the prefetchers. */
        for (size_t r = r1; r < min_size(rows, r1 + 8); r++)
            for (size_t p = 0; p < count; p += 16)
                __builtin_prefetch(src + r * ld + p);
        for (size_t p = 0; p < count; p++)
            for (size_t r = r0; r < r1; r++)
                dst[p * width + r] = src[r * ld + p];
    }
}

/* Packs op(A)[i0 .. i0+mb) x [p0 .. p0+kb) into ceil(mb / mr) panels of
 * kb x mr: dst[panel][p * mr + i] = op(A)[i0 + panel * mr + i][p0 + p],
 * rows past mb zero. */
static void pack_a(panel_transpose_fn *transpose, enum gemm_layout layout, const float *a, size_t lda,
                   size_t i0, size_t p0, size_t mb, size_t kb, size_t mr, float *dst)
{
    for (size_t r = 0; r < mb; r += mr, dst += kb * mr) {
        const size_t rows = min_size(mr, mb - r);
        if (layout == GEMM_TN) {
            /* A is stored k x m: each p is a contiguous run of rows. */
            for (size_t p = 0; p < kb; p++)
                copy_padded(dst + p * mr, a + (p0 + p) * lda + i0 + r, rows, mr);
        } else {
            /* A is stored m x k: a transpose. */
            transpose(dst, mr, a + (i0 + r) * lda + p0, lda, rows, kb);
            for (size_t p = 0; p < kb; p++)
                for (size_t i = rows; i < mr; i++)
                    dst[p * mr + i] = 0.0f;
        }
    }
}

/* Packs the panel op(B)[p0 .. p0+kb) x [j0 .. j0+cols) into kb x nr floats,
 * dst[p * nr + j] = op(B)[p0 + p][j0 + j], columns cols .. nr zero. */
static void pack_b(panel_transpose_fn *transpose, enum gemm_layout layout, const float *b, size_t ldb,
                   size_t p0, size_t j0, size_t kb, size_t cols, size_t nr, float *dst)
{
    if (layout == GEMM_NT) {
        /* B is stored n x k: a transpose. */
        transpose(dst, nr, b + j0 * ldb + p0, ldb, cols, kb);
        for (size_t p = 0; p < kb; p++)
            for (size_t j = cols; j < nr; j++)
                dst[p * nr + j] = 0.0f;
    } else {
        /* B is stored k x n: each p is a contiguous run of columns, a few
         * cache lines from a different row of B. Rows this far apart defeat
         * the hardware prefetchers, so ask for the lines of row p + 8 while
         * copying row p. */
        const size_t distance = 8;
        for (size_t p = 0; p < kb; p++) {
            const float *src = b + (p0 + p) * ldb + j0;
            if (p + distance < kb)
                for (size_t j = 0; j < cols; j += 16)
                    __builtin_prefetch(src + distance * ldb + j);
            copy_padded(dst + p * nr, src, cols, nr);
        }
    }
}

/* C[mb x cols] (+)= packed A block (mb x kb) x one packed B panel
 * (kb x nr, cols <= nr of them real). Full tiles go straight to C; edge
 * tiles go through a whole mr x nr tile on the stack, of which only the
 * rows x cols corner is copied in and out. */
static void multiply_strip(const struct sgemm_microkernel *uk, size_t mb, size_t cols,
                           size_t kb, const float *pa, const float *pb,
                           float *c, size_t ldc, int accumulate)
{
    const size_t mr = (size_t)uk->mr, nr = (size_t)uk->nr;
    _Alignas(64) float tile[SGEMM_MAX_TILE];
    for (size_t ir = 0; ir < mb; ir += mr) {
        const float *a_panel = pa + ir * kb;
        const size_t rows = min_size(mr, mb - ir);
        float *c_tile = c + ir * ldc;
        if (rows == mr && cols == nr) {
            uk->run(kb, a_panel, pb, c_tile, ldc, accumulate);
            continue;
        }
        if (accumulate)
            for (size_t i = 0; i < rows; i++)
                memcpy(tile + i * nr, c_tile + i * ldc, cols * sizeof(float));
        uk->run(kb, a_panel, pb, tile, nr, accumulate);
        for (size_t i = 0; i < rows; i++)
            memcpy(c_tile + i * ldc, tile + i * nr, cols * sizeof(float));
    }
}

/* sgemm NT through the dot-product microkernel: C[i][j] = dot(A row i,
 * B row j), both rows contiguous, nothing packed. For each group of dot_nr
 * columns (dot_nr rows of B) the k sum goes in blocks of DOT_KC, whose
 * dot_nr B segments (32 KiB) stay in L1 while the A segments of DOT_MC rows
 * (512 KiB) come from L2; the blocks' dot products add up in order in a
 * small buffer, then go to C with the epilogue. Threads split the column
 * groups, so every element is summed in the same order for any count. */
#define DOT_KC 2048
#define DOT_MC 64
/* Shorter dot products spend too much of their time in the final
 * horizontal sums; those go through the packed path. */
#define DOT_MIN_K 256
/* With more rows of A than this, transposing B while packing pays for
 * itself (each packed element of B feeds that many multiply-adds) and the
 * packed microkernels are faster; the dot products serve the input
 * gradients of dense layers, whose m is the batch. */
#define DOT_MAX_M 128

static void dot_columns(const struct sgemm_microkernel *uk, size_t m, size_t n, size_t k,
                        const float *a, size_t lda, const float *b, size_t ldb, float *c,
                        size_t ldc, int accumulate, const float *bias, enum activation act,
                        size_t j0)
{
    const size_t dm = (size_t)uk->dot_mr, dn = (size_t)uk->dot_nr, cols = min_size(dn, n - j0);
    const float *ap[SGEMM_DOT_MAX_TILE], *bp[SGEMM_DOT_MAX_TILE];
    float out[SGEMM_DOT_MAX_TILE], sums[DOT_MC * SGEMM_DOT_MAX_TILE];
    for (size_t ic = 0; ic < m; ic += DOT_MC) {
        const size_t mb = min_size(DOT_MC, m - ic);
        memset(sums, 0, mb * dn * sizeof(float));
        for (size_t pc = 0; pc < k; pc += DOT_KC) {
            const size_t kb = min_size(DOT_KC, k - pc);
            /* Rows past the edge repeat the last one; their sums are dropped. */
            for (size_t j = 0; j < dn; j++)
                bp[j] = b + (j0 + min_size(j, cols - 1)) * ldb + pc;
            for (size_t i0 = 0; i0 < mb; i0 += dm) {
                const size_t rows = min_size(dm, mb - i0);
                for (size_t i = 0; i < dm; i++)
                    ap[i] = a + (ic + i0 + min_size(i, rows - 1)) * lda + pc;
                uk->dot(kb, ap, bp, out);
                for (size_t i = 0; i < rows; i++)
                    for (size_t j = 0; j < cols; j++)
                        sums[(i0 + i) * dn + j] += out[i * dn + j];
            }
        }
        for (size_t i = 0; i < mb; i++) {
            float *row = c + (ic + i) * ldc + j0;
            for (size_t j = 0; j < cols; j++)
                row[j] = (accumulate ? row[j] : 0.0f) + sums[i * dn + j];
            if (bias != NULL || act != ACTIVATION_NONE)
                uk->epilogue(cols, bias ? bias + j0 : NULL, row, act);
        }
    }
}

static void sgemm_dot(const struct sgemm_microkernel *uk, size_t m, size_t n, size_t k,
                      const float *a, size_t lda, const float *b, size_t ldb, float *c, size_t ldc,
                      int accumulate, const float *bias, enum activation act)
{
    const long groups = (long)((n + (size_t)uk->dot_nr - 1) / (size_t)uk->dot_nr);
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (groups > 1 && 2.0 * m * n * k > 4e6)
#endif
    for (long group = 0; group < groups; group++)
        dot_columns(uk, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias, act,
                    (size_t)group * (size_t)uk->dot_nr);
}

void sgemm_blocked(const struct sgemm_microkernel *uk,
                   enum gemm_layout layout, int m, int n, int k,
                   const float *a, int lda, const float *b, int ldb,
                   float *c, int ldc, int accumulate,
                   const float *bias, enum activation act)
{
    if (m <= 0 || n <= 0)
        return;
    const int epilogue = bias != NULL || act != ACTIVATION_NONE;
    if (k <= 0) {
        /* No product: C = act((accumulate ? C : 0) + bias). */
        for (int i = 0; i < m; i++) {
            float *row = c + (size_t)i * ldc;
            if (!accumulate)
                memset(row, 0, (size_t)n * sizeof(float));
            if (epilogue)
                uk->epilogue((size_t)n, bias, row, act);
        }
        return;
    }

    if (layout == GEMM_NT && uk->dot && k >= DOT_MIN_K && m <= DOT_MAX_M) {
        sgemm_dot(uk, (size_t)m, (size_t)n, (size_t)k, a, (size_t)lda, b, (size_t)ldb, c, (size_t)ldc,
                  accumulate, bias, act);
        return;
    }
    const size_t mr = (size_t)uk->mr, nr = (size_t)uk->nr;
    panel_transpose_fn *transpose = uk->transpose ? uk->transpose : transpose_to_panel;
    /* Blocks no bigger than the problem, so small calls use little stack.
     * When k < kc the A block takes proportionally more rows instead, which
     * cuts how often each B panel is repacked (the weight gradients have
     * k = batch = 64 but m in the hundreds). */
    const size_t kc = min_size((size_t)k, (size_t)uk->kc);
    const size_t mc_budget = (size_t)uk->mc * (size_t)uk->kc / kc / mr * mr;
    const size_t mc = min_size(round_up((size_t)m, mr), mc_budget);
    _Alignas(64) float pa[mc * kc];
    const long panels = (long)((n + nr - 1) / nr);

    for (size_t ic = 0; ic < (size_t)m; ic += mc) {
        const size_t mb = min_size(mc, (size_t)m - ic);
        for (size_t pc = 0; pc < (size_t)k; pc += kc) {
            const size_t kb = min_size(kc, (size_t)k - pc);
            const int acc = accumulate || pc > 0;
            const int last_k_block = pc + kb == (size_t)k;
            pack_a(transpose, layout, a, (size_t)lda, ic, pc, mb, kb, mr, pa);
            /* Threads share the A block and split the column panels; every
             * element of C is summed in the same order whatever the thread
             * count, so results are bit-identical for any count. Below a
             * few MFLOP a block is not worth waking the threads for. */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (panels > 1 && 2.0 * mb * kb * (double)n > 4e6)
#endif
            for (long panel = 0; panel < panels; panel++) {
                const size_t jr = (size_t)panel * nr, cols = min_size(nr, (size_t)n - jr);
                float *c_strip = c + ic * (size_t)ldc + jr;
                _Alignas(64) float pb[kb * nr];
                pack_b(transpose, layout, b, (size_t)ldb, pc, jr, kb, cols, nr, pb);
                multiply_strip(uk, mb, cols, kb, pa, pb, c_strip, (size_t)ldc, acc);
                if (last_k_block && epilogue)
                    for (size_t i = 0; i < mb; i++)
                        uk->epilogue(cols, bias ? bias + jr : NULL, c_strip + i * (size_t)ldc, act);
            }
        }
    }
}
