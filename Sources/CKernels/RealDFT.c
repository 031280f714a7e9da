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


// One bin f and its mirror half - f over `columns` columns: even rows into E, odd rows into O (both
// against the even rows' twiddles, as E and O repeat every half bins), then X[f] = E + w^f O and
// X[half - f] = conj(E - w^f O), w^f being row 1's twiddle.
static void mirrored_scalar(
    const float *d, long pitch, long rows, long columns, const float *c, const float *s, float *re, float *im,
    float *mre, float *mim) {
    float wc = rows > 1 ? c[1] : 1, ws = rows > 1 ? s[1] : 0;
    for (long j = 0; j < columns; j++) {
        float er = 0, ei = 0, odr = 0, odi = 0;
        long r = 0;
        for (; r + 1 < rows; r += 2) {
            er += d[r * pitch + j] * c[r];
            ei += d[r * pitch + j] * s[r];
            odr += d[(r + 1) * pitch + j] * c[r];
            odi += d[(r + 1) * pitch + j] * s[r];
        }
        if (r < rows) {
            er += d[r * pitch + j] * c[r];
            ei += d[r * pitch + j] * s[r];
        }
        float pr = wc * odr - ws * odi, pi = wc * odi + ws * odr;
        re[j] = er + pr;
        im[j] = ei + pi;
        mre[j] = er - pr;
        mim[j] = pi - ei;
    }
}

void fusionai_real_dft_mirrored_portable(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long f, long bins, float *planes,
    long planePitch) {
    for (long b = 0; b < bins; b++) {
        const float *c = twiddles + 2 * (f + b) * rows;
        float *re = planes + 2 * b * planePitch, *mre = planes + 2 * (bins + b) * planePitch;
        mirrored_scalar(d, pitch, rows, columns, c, c + rows, re, re + planePitch, mre, mre + planePitch);
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
// mirrored_scalar for VECS vectors of 8 columns.
#define FUSIONAI_MIRRORED_BLOCK(VECS)                                                                  \
    static inline __attribute__((target("avx2,fma"), always_inline)) void mirrored_##VECS(             \
        const float *d, long pitch, long rows, const float *c, const float *s, float *re, float *im,  \
        float *mre, float *mim) {                                                                      \
        __m256 er[VECS], ei[VECS], odr[VECS], odi[VECS];                                               \
        for (int v = 0; v < VECS; v++) er[v] = ei[v] = odr[v] = odi[v] = _mm256_setzero_ps();          \
        long r = 0;                                                                                    \
        for (; r + 1 < rows; r += 2) {                                                                 \
            __m256 tc = _mm256_broadcast_ss(c + r), ts = _mm256_broadcast_ss(s + r);                   \
            for (int v = 0; v < VECS; v++) {                                                           \
                __m256 x = _mm256_loadu_ps(d + r * pitch + 8 * v);                                     \
                __m256 y = _mm256_loadu_ps(d + (r + 1) * pitch + 8 * v);                               \
                er[v] = _mm256_fmadd_ps(x, tc, er[v]);                                                 \
                ei[v] = _mm256_fmadd_ps(x, ts, ei[v]);                                                 \
                odr[v] = _mm256_fmadd_ps(y, tc, odr[v]);                                               \
                odi[v] = _mm256_fmadd_ps(y, ts, odi[v]);                                               \
            }                                                                                          \
        }                                                                                              \
        if (r < rows) {                                                                                \
            __m256 tc = _mm256_broadcast_ss(c + r), ts = _mm256_broadcast_ss(s + r);                   \
            for (int v = 0; v < VECS; v++) {                                                           \
                __m256 x = _mm256_loadu_ps(d + r * pitch + 8 * v);                                     \
                er[v] = _mm256_fmadd_ps(x, tc, er[v]);                                                 \
                ei[v] = _mm256_fmadd_ps(x, ts, ei[v]);                                                 \
            }                                                                                          \
        }                                                                                              \
        __m256 wc = _mm256_set1_ps(rows > 1 ? c[1] : 1), ws = _mm256_set1_ps(rows > 1 ? s[1] : 0);     \
        for (int v = 0; v < VECS; v++) {                                                               \
            __m256 pr = _mm256_fnmadd_ps(ws, odi[v], _mm256_mul_ps(wc, odr[v]));                       \
            __m256 pi = _mm256_fmadd_ps(ws, odr[v], _mm256_mul_ps(wc, odi[v]));                        \
            _mm256_storeu_ps(re + 8 * v, _mm256_add_ps(er[v], pr));                                    \
            _mm256_storeu_ps(im + 8 * v, _mm256_add_ps(ei[v], pi));                                    \
            _mm256_storeu_ps(mre + 8 * v, _mm256_sub_ps(er[v], pr));                                   \
            _mm256_storeu_ps(mim + 8 * v, _mm256_sub_ps(pi, ei[v]));                                   \
        }                                                                                              \
    }

FUSIONAI_MIRRORED_BLOCK(2)
FUSIONAI_MIRRORED_BLOCK(1)

__attribute__((target("avx2,fma"))) void fusionai_real_dft_mirrored(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long f, long bins, float *planes,
    long planePitch) {
    long whole = columns / 8 * 8;
    for (long b = 0; b < bins; b++) {
        const float *c = twiddles + 2 * (f + b) * rows, *s = c + rows;
        float *re = planes + 2 * b * planePitch, *im = re + planePitch;
        float *mre = planes + 2 * (bins + b) * planePitch, *mim = mre + planePitch;
        long j = 0;
        for (; j + 16 <= whole; j += 16) mirrored_2(d + j, pitch, rows, c, s, re + j, im + j, mre + j, mim + j);
        for (; j < whole; j += 8) mirrored_1(d + j, pitch, rows, c, s, re + j, im + j, mre + j, mim + j);
        if (j < columns) mirrored_scalar(d + j, pitch, rows, columns - j, c, s, re + j, im + j, mre + j, mim + j);
    }
}
#else
void fusionai_real_dft(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long bins, float *planes,
    long planePitch) {
    fusionai_real_dft_portable(d, pitch, rows, columns, twiddles, bins, planes, planePitch);
}

void fusionai_real_dft_mirrored(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long f, long bins, float *planes,
    long planePitch) {
    fusionai_real_dft_mirrored_portable(d, pitch, rows, columns, twiddles, f, bins, planes, planePitch);
}
#endif
