/* The indirect GEMM driver (see igemm.h), plain C.
 *
 * The weights are packed once per call into column panels of nr, each
 * taps * k x nr, zero past n: for the layers here that is at most a few
 * hundred KiB, next to the B * H * W times as many multiply-adds it feeds.
 * Then each tile of mr rows gets its taps * mr row pointers, built once and
 * used for every panel; its output rows are written once, after the whole
 * sum over taps and channels, and the bias + activation epilogue runs on
 * them while they are in L1.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "igemm.h"

size_t igemm_packed_floats(int taps, int k, int n)
{
    /* n rounded up to any nr <= IGEMM_MAX_NR is below n + IGEMM_MAX_NR. */
    return (size_t)taps * k * ((size_t)n + IGEMM_MAX_NR) + 16;
}

/* packed[panel][t][p][j] = B_t[p][panel * nr + j], zero for columns past n. */
static void pack_weights(const struct conv_gemm *g, size_t nr, float *packed)
{
    const size_t k = (size_t)g->src_c, n = (size_t)g->dst_c;
    for (size_t j0 = 0; j0 < n; j0 += nr)
        for (int t = 0; t < g->taps; t++) {
            const float *tap = g->w + (size_t)g->tap_weight[t] * g->tap_floats;
            for (size_t p = 0; p < k; p++, packed += nr)
                for (size_t j = 0; j < nr; j++)
                    packed[j] = j0 + j < n ? tap[p * g->stride_k + (j0 + j) * g->stride_n] : 0.0f;
        }
}

/* Pixel (b, h, w) of an NHWC tensor [., height, width, channels]. */
static size_t pixel(size_t b, int h, int w, int height, int width, int channels)
{
    return ((b * height + h) * (size_t)width + w) * channels;
}

/* A row of the GEMM as its pixel (b, i, j) of the rows grid: found by
 * division once, then stepped along, so that the pointer setup of a tile
 * costs a few additions per row and tap. */
struct row_cursor {
    size_t b;
    int i, j;
};

static struct row_cursor cursor_at(const struct conv_gemm *g, size_t r)
{
    const size_t per_image = (size_t)g->rows_h * g->rows_w;
    return (struct row_cursor){ r / per_image, (int)(r % per_image / g->rows_w), (int)(r % g->rows_w) };
}

static void cursor_next(const struct conv_gemm *g, struct row_cursor *at)
{
    if (++at->j < g->rows_w)
        return;
    at->j = 0;
    if (++at->i < g->rows_h)
        return;
    at->i = 0;
    at->b++;
}

/* Where the taps of a row read, relative to the row's own pixel, and the
 * box of rows whose taps all fall inside src (the interior, where a row's
 * pointers are its pixel plus these offsets, no bounds checked). */
struct tap_table {
    ptrdiff_t offset[IGEMM_MAX_TAPS]; /* floats */
    int min_dh, max_dh, min_dw, max_dw;
};

static struct tap_table tap_table_of(const struct conv_gemm *g)
{
    struct tap_table taps = { .min_dh = g->tap_dh[0], .max_dh = g->tap_dh[0],
                              .min_dw = g->tap_dw[0], .max_dw = g->tap_dw[0] };
    for (int t = 0; t < g->taps; t++) {
        taps.offset[t] = ((ptrdiff_t)g->tap_dh[t] * g->src_w + g->tap_dw[t]) * g->src_c;
        taps.min_dh = g->tap_dh[t] < taps.min_dh ? g->tap_dh[t] : taps.min_dh;
        taps.max_dh = g->tap_dh[t] > taps.max_dh ? g->tap_dh[t] : taps.max_dh;
        taps.min_dw = g->tap_dw[t] < taps.min_dw ? g->tap_dw[t] : taps.min_dw;
        taps.max_dw = g->tap_dw[t] > taps.max_dw ? g->tap_dw[t] : taps.max_dw;
    }
    return taps;
}

static int row_is_interior(const struct conv_gemm *g, const struct tap_table *taps,
                           const struct row_cursor *at)
{
    const int h0 = at->i * g->src_stride, w0 = at->j * g->src_stride;
    return h0 + taps->min_dh >= 0 && h0 + taps->max_dh < g->src_h && w0 + taps->min_dw >= 0 &&
           w0 + taps->max_dw < g->src_w;
}

/* The cursor's row's A pointers, one per tap (a[t * stride]); returns the
 * offset of its C row in dst. */
static size_t row_pointers(const struct conv_gemm *g, const struct tap_table *taps,
                           const struct row_cursor *at, const float *zeros, const float **a,
                           size_t stride)
{
    const float *image = g->src + at->b * g->src_h * g->src_w * g->src_c;
    const int h0 = at->i * g->src_stride, w0 = at->j * g->src_stride;
    if (row_is_interior(g, taps, at)) {
        const float *center = image + ((size_t)h0 * g->src_w + w0) * g->src_c;
        for (int t = 0; t < g->taps; t++)
            a[(size_t)t * stride] = center + taps->offset[t];
    } else {
        for (int t = 0; t < g->taps; t++) {
            int h = h0 + g->tap_dh[t], w = w0 + g->tap_dw[t];
            int inside = h >= 0 && h < g->src_h && w >= 0 && w < g->src_w;
            a[(size_t)t * stride] = inside ? image + ((size_t)h * g->src_w + w) * g->src_c : zeros;
        }
    }
    return pixel(at->b, at->i * g->dst_stride + g->dst_oh, at->j * g->dst_stride + g->dst_ow,
                 g->dst_h, g->dst_w, g->dst_c);
}

/* The A pointers (a[t * stride + i]) and C rows of `count` rows from the
 * cursor, which ends past them (c_rows NULL: A only). A row next to the previous one on a line
 * of the grid, both with every tap inside src, steps from it by a constant:
 * a few additions instead of the bounds of every tap. */
static void rows_pointers(const struct conv_gemm *g, const struct tap_table *taps,
                          struct row_cursor *at, size_t count, const float *zeros,
                          const float **a, size_t stride, float **c_rows)
{
    const size_t src_step = (size_t)g->src_stride * g->src_c, dst_step = (size_t)g->dst_stride * g->dst_c;
    int previous_interior = 0;
    for (size_t i = 0; i < count; i++, cursor_next(g, at)) {
        const int interior = row_is_interior(g, taps, at);
        if (i > 0 && at->j > 0 && interior && previous_interior) {
            for (int t = 0; t < g->taps; t++)
                a[(size_t)t * stride + i] = a[(size_t)t * stride + i - 1] + src_step;
            if (c_rows)
                c_rows[i] = c_rows[i - 1] + dst_step;
        } else {
            size_t c_offset = row_pointers(g, taps, at, zeros, a + i, stride);
            if (c_rows)
                c_rows[i] = g->dst + c_offset;
        }
        previous_interior = interior;
    }
}

/* row[j] = act(row[j] + add[j]) for j < n, add a bias or a residual row:
 * through the ISA's vectorised epilogue, or for the few columns of a
 * narrow layer without an activation inline (there the call would cost
 * more). */
static void add_row(const struct igemm_microkernel *uk, size_t n, const float *restrict add,
                    float *restrict row, enum activation act)
{
    if (n >= 8 || act != ACTIVATION_NONE) {
        uk->epilogue(n, add, row, act);
        return;
    }
    for (size_t j = 0; j < n; j++)
        row[j] += add[j];
}

/* One tile of mr rows from `first` (rows past `rows` are padding: zeros in,
 * output dropped) across every column panel. */
static void run_tile(const struct igemm_microkernel *uk, const struct conv_gemm *g,
                     const struct tap_table *taps, size_t first, size_t rows, const float *packed,
                     const float *bias, enum activation act, const float *zeros)
{
    const size_t mr = (size_t)uk->mr, nr = (size_t)uk->nr, n = (size_t)g->dst_c;
    const size_t panel_floats = (size_t)g->taps * g->src_c * nr;
    const float *a[IGEMM_MAX_TAPS * IGEMM_MAX_MR];
    float *c_rows[IGEMM_MAX_MR], *c[IGEMM_MAX_MR];
    _Alignas(64) float edge[IGEMM_MAX_MR * IGEMM_MAX_NR];
    const size_t real = rows - first < mr ? rows - first : mr;
    struct row_cursor at = cursor_at(g, first);
    rows_pointers(g, taps, &at, real, zeros, a, mr, c_rows);
    for (size_t i = real; i < mr; i++)
        for (int t = 0; t < g->taps; t++)
            a[t * mr + i] = zeros;
    const int epilogue = bias != NULL || act != ACTIVATION_NONE || g->residual;
    for (size_t j0 = 0; j0 < n; j0 += nr, packed += panel_floats) {
        const size_t cols = n - j0 < nr ? n - j0 : nr;
        const int whole = real == mr && cols == nr;
        for (size_t i = 0; i < mr; i++)
            c[i] = whole ? c_rows[i] + j0 : edge + i * nr;
        uk->run((size_t)g->taps, (size_t)g->src_c, a, packed, c);
        for (size_t i = 0; (epilogue || !whole) && i < real; i++) {
            if (!whole)
                memcpy(c_rows[i] + j0, c[i], cols * sizeof(float));
            if (bias || act != ACTIVATION_NONE)
                add_row(uk, cols, bias ? bias + j0 : NULL, c_rows[i] + j0, act);
            if (g->residual)
                add_row(uk, cols, g->residual + (c_rows[i] - g->dst) + j0, c_rows[i] + j0, ACTIVATION_NONE);
        }
    }
}

void igemm_conv(const struct igemm_microkernel *uk, const struct conv_gemm *g,
                const float *bias, enum activation act, const float *zeros, float *workspace)
{
    const size_t rows = (size_t)g->batch * g->rows_h * g->rows_w, mr = (size_t)uk->mr;
    float *packed = (float *)(((uintptr_t)workspace + 63) & ~(uintptr_t)63);
    pack_weights(g, (size_t)uk->nr, packed);
    const long tiles = (long)((rows + mr - 1) / mr);
    const struct tap_table taps = tap_table_of(g);
    const double flops = 2.0 * rows * g->taps * g->src_c * g->dst_c;
    (void)flops; /* read only by the OpenMP clause */
#ifdef _OPENMP
#pragma omp parallel for schedule(static) if (tiles > 1 && flops > 4e6)
#endif
    for (long tile = 0; tile < tiles; tile++)
        run_tile(uk, g, &taps, (size_t)tile * mr, rows, packed, bias, act, zeros);
}

/* The dw tiles first .. last (tile = mr consecutive rows of the m = taps *
 * channels rows of dw) summed over the rows row_begin .. row_end of g in
 * blocks of IGEMM_WEIGHT_KC. A tile within one tap reads the pixels' channels in
 * place; one that spans taps (fewer than mr channels, or a count that mr
 * does not divide) gets its A panel packed element by element. */
static void weight_gradient_tiles(const struct wgemm_microkernel *uk, const struct conv_gemm *g,
                                  const float *b, size_t n, float *dw, int accumulate,
                                  size_t first, size_t last, size_t row_begin, size_t row_end)
{
    static const float zeros[IGEMM_MAX_MR];
    const struct tap_table taps = tap_table_of(g);
    const size_t kc = IGEMM_WEIGHT_KC;
    const size_t mr = (size_t)uk->mr, nr = (size_t)uk->nr, channels = (size_t)g->src_c;
    const size_t m = (size_t)g->taps * channels, panels = (n + nr - 1) / nr;
    const float *a[IGEMM_MAX_TAPS * IGEMM_WEIGHT_KC], *tile_a[IGEMM_WEIGHT_KC];
    _Alignas(64) float pa[IGEMM_WEIGHT_KC * IGEMM_MAX_MR];
    _Alignas(64) float pb[panels * nr * kc];
    _Alignas(64) float edge[SGEMM_MAX_TILE];
    /* B of exactly nr columns, aligned, already is its one packed panel
     * (every thread would otherwise copy all of it) */
    const int b_in_place = n == nr && ((uintptr_t)b & 63) == 0;
    for (size_t r0 = row_begin; r0 < row_end; r0 += kc) {
        const size_t kb = row_end - r0 < kc ? row_end - r0 : kc;
        const int acc = accumulate || r0 > row_begin;
        struct row_cursor at = cursor_at(g, r0);
        rows_pointers(g, &taps, &at, kb, NULL, a, kc, NULL);
        for (size_t p = 0; !b_in_place && p < kb; p++) {
            for (size_t panel = 0, j0 = 0; panel < panels; panel++, j0 += nr)
                copy_padded(pb + (panel * kc + p) * nr, b + (r0 + p) * n + j0,
                            n - j0 < nr ? n - j0 : nr, nr);
        }
        const float *b_panels = b_in_place ? b + r0 * n : pb;
        for (size_t tile = first; tile < last; tile++) {
            const size_t r = tile * mr, tile_rows = m - r < mr ? m - r : mr;
            const size_t t = r / channels, c0 = r % channels;
            if (tile_rows == mr && c0 + mr <= channels) { /* in place */
                for (size_t p = 0; p < kb; p++)
                    tile_a[p] = a[t * kc + p] ? a[t * kc + p] + c0 : zeros;
            } else { /* packed: row i is channel c_of[i] of tap t_of[i] */
                size_t t_of[IGEMM_MAX_MR], c_of[IGEMM_MAX_MR];
                for (size_t i = 0; i < tile_rows; i++)
                    t_of[i] = (r + i) / channels, c_of[i] = (r + i) % channels;
                for (size_t p = 0; p < kb; p++) {
                    float *dst = pa + p * mr;
                    for (size_t i = 0; i < tile_rows; i++) {
                        const float *src = a[t_of[i] * kc + p];
                        dst[i] = src ? src[c_of[i]] : 0.0f;
                    }
                    for (size_t i = tile_rows; i < mr; i++)
                        dst[i] = 0.0f;
                    tile_a[p] = dst;
                }
            }
            float *c = dw + r * n;
            for (size_t panel = 0; panel < panels; panel++, c += nr) {
                const size_t cols = n - panel * nr < nr ? n - panel * nr : nr;
                if (tile_rows == mr && cols == nr) {
                    uk->run(kb, tile_a, b_panels + panel * nr * kc, c, n, acc);
                    continue;
                }
                for (size_t i = 0; acc && i < tile_rows; i++)
                    memcpy(edge + i * nr, c + i * n, cols * sizeof(float));
                uk->run(kb, tile_a, b_panels + panel * nr * kc, edge, nr, acc);
                for (size_t i = 0; i < tile_rows; i++)
                    memcpy(c + i * n, edge + i * nr, cols * sizeof(float));
            }
        }
    }
}

void igemm_weight_gradient(const struct wgemm_microkernel *uk, const struct conv_gemm *g,
                           const float *b, int n, float *dw, int accumulate, float *partial)
{
    const size_t mr = (size_t)uk->mr, m = (size_t)g->taps * g->src_c;
    const size_t tiles = (m + mr - 1) / mr, rows = (size_t)g->batch * g->rows_h * g->rows_w;
    /* Fixed by the shape alone, never by the thread count: the segments of
     * rows summed apart (into dw and partial) and then added. */
    const size_t segments = rows >= IGEMM_WEIGHT_SEGMENT_ROWS ? 2 : 1;
    const size_t units = segments * tiles; /* unit u: tiles u % tiles over segment u / tiles */
    const double flops = 2.0 * rows * m * n;
    (void)flops; /* read only by the OpenMP clause */
#ifdef _OPENMP
#pragma omp parallel if (units > 1 && flops > 4e6)
#endif
    {
#ifdef _OPENMP
        const size_t thread = (size_t)omp_get_thread_num(), threads = (size_t)omp_get_num_threads();
#else
        const size_t thread = 0, threads = 1;
#endif
        const size_t u0 = units * thread / threads, u1 = units * (thread + 1) / threads;
        for (size_t s = u0 / tiles; s < segments && s * tiles < u1; s++) {
            const size_t first = u0 > s * tiles ? u0 - s * tiles : 0;
            const size_t last = u1 < (s + 1) * tiles ? u1 - s * tiles : tiles;
            const size_t row_begin = rows / segments * s, row_end = s + 1 == segments ? rows : row_begin + rows / segments;
            weight_gradient_tiles(uk, g, b, (size_t)n, s == 0 ? dw : partial, s == 0 && accumulate, first, last,
                                  row_begin, row_end);
        }
    }
    if (segments == 2)
        for (size_t i = 0; i < m * (size_t)n; i++)
            dw[i] += partial[i];
}
