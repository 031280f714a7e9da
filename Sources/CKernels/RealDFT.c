#include "CKernels.h"
#include <immintrin.h>

// DFT of short real signals for the mutagenesis FFT step: a GEMM with K = rows (about 20) whose
// output, written for a few bins at a time, stays in cache for the complex product that reads it.

void fusionai_real_dft_portable(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long bins, float *planes,
    long planePitch) {
    for (long f = 0; f < bins; f++) {
        const float *c = twiddles + 2 * f * rows, *s = c + rows;
        float *re = planes + 2 * f * planePitch, *im = re + planePitch;
        for (long j = 0; j < columns; j++) re[j] = im[j] = 0;
        for (long r = 0; r < rows; r++) {
            const float *x = d + r * pitch;
            for (long j = 0; j < columns; j++) {
                re[j] += x[j] * c[r];
                im[j] += x[j] * s[r];
            }
        }
    }
}

#if defined(__x86_64__)
// BINS bins (1 or 2) x VECS vectors of 8 columns (1 or 2): per row, VECS loads of the signal feed
// 2 x BINS x VECS FMAs.
#define FUSIONAI_DFT_BLOCK(BINS, VECS)                                                                 \
    static inline __attribute__((target("avx2,fma"), always_inline)) void dft_##BINS##_##VECS(         \
        const float *d, long pitch, long rows, const float *twiddles, float *planes, long planePitch) { \
        __m256 re[BINS][VECS], im[BINS][VECS];                                                         \
        for (int b = 0; b < BINS; b++)                                                                 \
            for (int v = 0; v < VECS; v++) re[b][v] = im[b][v] = _mm256_setzero_ps();                  \
        for (long r = 0; r < rows; r++) {                                                              \
            __m256 x[VECS];                                                                            \
            for (int v = 0; v < VECS; v++) x[v] = _mm256_loadu_ps(d + r * pitch + 8 * v);              \
            for (int b = 0; b < BINS; b++) {                                                           \
                __m256 c = _mm256_broadcast_ss(twiddles + 2 * b * rows + r);                           \
                __m256 s = _mm256_broadcast_ss(twiddles + (2 * b + 1) * rows + r);                     \
                for (int v = 0; v < VECS; v++) {                                                       \
                    re[b][v] = _mm256_fmadd_ps(x[v], c, re[b][v]);                                     \
                    im[b][v] = _mm256_fmadd_ps(x[v], s, im[b][v]);                                     \
                }                                                                                      \
            }                                                                                          \
        }                                                                                              \
        for (int b = 0; b < BINS; b++)                                                                 \
            for (int v = 0; v < VECS; v++) {                                                           \
                _mm256_storeu_ps(planes + 2 * b * planePitch + 8 * v, re[b][v]);                       \
                _mm256_storeu_ps(planes + (2 * b + 1) * planePitch + 8 * v, im[b][v]);                 \
            }                                                                                          \
    }

FUSIONAI_DFT_BLOCK(2, 2)
FUSIONAI_DFT_BLOCK(2, 1)
FUSIONAI_DFT_BLOCK(1, 2)
FUSIONAI_DFT_BLOCK(1, 1)

__attribute__((target("avx2,fma"))) void fusionai_real_dft(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long bins, float *planes,
    long planePitch) {
    long whole = columns / 8 * 8;
    for (long f = 0; f < bins;) {
        long take = bins - f >= 2 ? 2 : 1;
        const float *t = twiddles + 2 * f * rows;
        float *p = planes + 2 * f * planePitch;
        long j = 0;
        for (; j + 16 <= whole; j += 16) {
            if (take == 2) dft_2_2(d + j, pitch, rows, t, p + j, planePitch);
            else dft_1_2(d + j, pitch, rows, t, p + j, planePitch);
        }
        for (; j < whole; j += 8) {
            if (take == 2) dft_2_1(d + j, pitch, rows, t, p + j, planePitch);
            else dft_1_1(d + j, pitch, rows, t, p + j, planePitch);
        }
        if (j < columns) {
            fusionai_real_dft_portable(d + j, pitch, rows, columns - j, t, take, p + j, planePitch);
        }
        f += take;
    }
}
#else
void fusionai_real_dft(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long bins, float *planes,
    long planePitch) {
    fusionai_real_dft_portable(d, pitch, rows, columns, twiddles, bins, planes, planePitch);
}
#endif
