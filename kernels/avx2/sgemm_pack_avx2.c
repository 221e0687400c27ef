/* AVX2 panel transpose for the sgemm driver's packing (see
 * panel_transpose_fn in sgemm_blocked.h): blocks of 8 rows x 8 columns are
 * loaded as 8 vectors, transposed in registers and stored as 8 vectors,
 * instead of 64 scalar moves. The AVX-512 table uses it too: its 8-row A
 * panels are exactly one block high. */
#include <immintrin.h>
#include "avx2.h"

/* rows[i] = element i of each input row -> rows[j] = element j of each. */
static inline void transpose_8x8(__m256 rows[8])
{
    __m256 t[8], s[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_ps(rows[2 * i], rows[2 * i + 1]);     /* a0 b0 a1 b1 | a4 b4 a5 b5 */
        t[2 * i + 1] = _mm256_unpackhi_ps(rows[2 * i], rows[2 * i + 1]); /* a2 b2 a3 b3 | a6 b6 a7 b7 */
    }
    for (int i = 0; i < 2; i++) {
        s[4 * i] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));     /* a0 b0 c0 d0 | a4 .. */
        s[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2)); /* a1 b1 c1 d1 | a5 .. */
        s[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        s[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int j = 0; j < 4; j++) {
        rows[j] = _mm256_permute2f128_ps(s[j], s[j + 4], 0x20);     /* low halves: columns 0-3 */
        rows[j + 4] = _mm256_permute2f128_ps(s[j], s[j + 4], 0x31); /* high halves: columns 4-7 */
    }
}

/* Stores the first count (1 to 8) lanes of v. Plain stores of 4, 2 and 1
 * lanes rather than vmaskmovps, which is slow on AMD cores. */
static inline void store_first_lanes(float *dst, __m256 v, size_t count)
{
    if (count == 8) {
        _mm256_storeu_ps(dst, v);
        return;
    }
    __m128 part = _mm256_castps256_ps128(v);
    if (count >= 4) {
        _mm_storeu_ps(dst, part);
        dst += 4;
        count -= 4;
        part = _mm256_extractf128_ps(v, 1);
    }
    if (count >= 2) {
        _mm_storel_pi((__m64 *)dst, part);
        dst += 2;
        count -= 2;
        part = _mm_movehl_ps(part, part);
    }
    if (count == 1)
        _mm_store_ss(dst, part);
}

/* dst[p * width + r] = src[r * ld + p] for r < rows, p < count. A last
 * block of fewer than 8 rows (the AVX2 kernel's 6-row A panels) is
 * transposed with zero rows below it and stored in part, so it never
 * writes past its own rows. */
void sgemm_transpose_panel_avx2(float *restrict dst, size_t width, const float *restrict src,
                                size_t ld, size_t rows, size_t count)
{
    for (size_t r0 = 0; r0 < rows; r0 += 8) {
        const size_t block_rows = rows - r0 < 8 ? rows - r0 : 8;
        const float *block = src + r0 * ld;
        size_t p = 0;
        for (; p + 8 <= count; p += 8) {
            __m256 v[8];
            for (size_t i = 0; i < 8; i++)
                v[i] = i < block_rows ? _mm256_loadu_ps(block + i * ld + p) : _mm256_setzero_ps();
            transpose_8x8(v);
            for (size_t j = 0; j < 8; j++)
                store_first_lanes(dst + (p + j) * width + r0, v[j], block_rows);
        }
        for (; p < count; p++)
            for (size_t i = 0; i < block_rows; i++)
                dst[p * width + r0 + i] = block[i * ld + p];
    }
}
