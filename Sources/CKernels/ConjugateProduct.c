#include "CKernels.h"
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
// ROWS inputs c (1 or 2) x 8 outputs: over the blocks m, with x[m][c] = a + bi and d[m][o] = p + qi
// from the packed planes, conj(x) d = (ap + bq) + (aq - bp)i; added to the interleaved sums.
#define FUSIONAI_CONJ_BLOCK(ROWS)                                                                      \
    static inline __attribute__((target("avx2,fma"), always_inline)) void conj_block_##ROWS(           \
        const float *x, long xPitch, long blocks, const float *packed, float *sum, long outputs,       \
        long valid) {                                                                                  \
        __m256 re[ROWS], im[ROWS];                                                                     \
        for (int r = 0; r < ROWS; r++) re[r] = im[r] = _mm256_setzero_ps();                            \
        for (long m = 0; m < blocks; m++) {                                                            \
            __m256 p = _mm256_loadu_ps(packed + m * 16);                                               \
            __m256 q = _mm256_loadu_ps(packed + m * 16 + 8);                                           \
            for (int r = 0; r < ROWS; r++) {                                                           \
                __m256 a = _mm256_broadcast_ss(x + m * xPitch * 2 + 2 * r);                            \
                __m256 b = _mm256_broadcast_ss(x + m * xPitch * 2 + 2 * r + 1);                        \
                re[r] = _mm256_fmadd_ps(b, q, _mm256_fmadd_ps(a, p, re[r]));                           \
                im[r] = _mm256_fnmadd_ps(b, p, _mm256_fmadd_ps(a, q, im[r]));                          \
            }                                                                                          \
        }                                                                                              \
        for (int r = 0; r < ROWS; r++) {                                                               \
            float out[16];                                                                             \
            __m256 lo = _mm256_unpacklo_ps(re[r], im[r]);                                              \
            __m256 hi = _mm256_unpackhi_ps(re[r], im[r]);                                              \
            _mm256_storeu_ps(out, _mm256_permute2f128_ps(lo, hi, 0x20));                               \
            _mm256_storeu_ps(out + 8, _mm256_permute2f128_ps(lo, hi, 0x31));                           \
            float *s = sum + r * outputs * 2;                                                          \
            for (long i = 0; i < 2 * valid; i++) s[i] += out[i];                                       \
        }                                                                                              \
    }

FUSIONAI_CONJ_BLOCK(4)
FUSIONAI_CONJ_BLOCK(1)

__attribute__((target("avx2,fma"))) void fusionai_conjugate_product_add(
    const float *x, long xPitch, long blocks, long inputs, const float *d, long dPitch, long outputs, float *sum,
    float *scratch) {
    long groups = (outputs + 7) / 8;
    // D's planes per group of 8 outputs, [group][block][8 re, 8 im]: a few kB, packed per call.
    for (long g = 0; g < groups; g++) {
        for (long m = 0; m < blocks; m++) {
            float *p = scratch + (g * blocks + m) * 16;
            for (long j = 0; j < 8; j++) {
                long o = g * 8 + j;
                p[j] = o < outputs ? d[(m * dPitch + o) * 2] : 0;
                p[8 + j] = o < outputs ? d[(m * dPitch + o) * 2 + 1] : 0;
            }
        }
    }
    for (long g = 0; g < groups; g++) {
        long valid = outputs - g * 8 < 8 ? outputs - g * 8 : 8;
        const float *p = scratch + g * blocks * 16;
        long c = 0;
        for (; c + 4 <= inputs; c += 4)
            conj_block_4(x + 2 * c, xPitch, blocks, p, sum + (c * outputs + g * 8) * 2, outputs, valid);
        for (; c < inputs; c++)
            conj_block_1(x + 2 * c, xPitch, blocks, p, sum + (c * outputs + g * 8) * 2, outputs, valid);
    }
}
#else
void fusionai_conjugate_product_add(
    const float *x, long xPitch, long blocks, long inputs, const float *d, long dPitch, long outputs, float *sum,
    float *scratch) {
    (void)x; (void)xPitch; (void)blocks; (void)inputs; (void)d; (void)dPitch; (void)outputs; (void)sum;
    (void)scratch;
}
#endif
