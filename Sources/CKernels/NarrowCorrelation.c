#include "CKernels.h"
#include <immintrin.h>

void fusionai_narrow_correlation_add_portable(
    const float *x, long xPitch, long channels, long positions, const float *w, long taps, float *y, long yPitch) {
    for (long q = 0; q < positions; q++) {
        float sum[4] = {0, 0, 0, 0};
        for (long c = 0; c < channels; c++) {
            const float *row = x + c * xPitch + q;
            const float *wc = w + c * taps * 4;
            for (long j = 0; j < taps; j++) {
                for (int o = 0; o < 4; o++) sum[o] += row[j] * wc[j * 4 + o];
            }
        }
        for (int o = 0; o < 4; o++) y[o * yPitch + q] += sum[o];
    }
}

#if defined(__x86_64__)
// VECS vectors of 8 positions x 4 outputs summed in registers over every channel and tap: each load
// of x feeds four FMAs. Two vectors (11 registers) ran at 81 GFLOP/s on Zen 3; three spilled (38).
#define NARROW_TILE(VECS)                                                                                  \
    static inline __attribute__((target("avx2,fma"), always_inline)) void narrow_##VECS(                  \
        const float *x, long xPitch, long channels, long q, const float *w, long taps, float *y, long yPitch) { \
        __m256 acc[VECS][4];                                                                               \
        for (int v = 0; v < VECS; v++)                                                                     \
            for (int o = 0; o < 4; o++) acc[v][o] = _mm256_setzero_ps();                                   \
        for (long c = 0; c < channels; c++) {                                                              \
            const float *row = x + c * xPitch + q;                                                         \
            const float *wc = w + c * taps * 4;                                                            \
            for (long j = 0; j < taps; j++) {                                                              \
                __m256 in[VECS];                                                                           \
                for (int v = 0; v < VECS; v++) in[v] = _mm256_loadu_ps(row + j + 8 * v);                   \
                for (int o = 0; o < 4; o++) {                                                              \
                    __m256 k = _mm256_broadcast_ss(wc + j * 4 + o);                                        \
                    for (int v = 0; v < VECS; v++) acc[v][o] = _mm256_fmadd_ps(in[v], k, acc[v][o]);       \
                }                                                                                          \
            }                                                                                              \
        }                                                                                                  \
        for (int o = 0; o < 4; o++)                                                                        \
            for (int v = 0; v < VECS; v++) {                                                               \
                float *out = y + o * yPitch + q + 8 * v;                                                   \
                _mm256_storeu_ps(out, _mm256_add_ps(_mm256_loadu_ps(out), acc[v][o]));                     \
            }                                                                                              \
    }
NARROW_TILE(2)
NARROW_TILE(1)

__attribute__((target("avx2,fma"))) void fusionai_narrow_correlation_add(
    const float *x, long xPitch, long channels, long positions, const float *w, long taps, float *y, long yPitch) {
    long q = 0;
    for (; q + 16 <= positions; q += 16) narrow_2(x, xPitch, channels, q, w, taps, y, yPitch);
    for (; q + 8 <= positions; q += 8) narrow_1(x, xPitch, channels, q, w, taps, y, yPitch);
    if (q < positions) {
        fusionai_narrow_correlation_add_portable(x + q, xPitch, channels, positions - q, w, taps, y + q, yPitch);
    }
}
#else
void fusionai_narrow_correlation_add(
    const float *x, long xPitch, long channels, long positions, const float *w, long taps, float *y, long yPitch) {
    fusionai_narrow_correlation_add_portable(x, xPitch, channels, positions, w, taps, y, yPitch);
}
#endif
