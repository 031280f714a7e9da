#include "CKernels.h"
#include <immintrin.h>
#include <string.h>

// fusionai_complex_product with the input in two planes (real, imaginary), as a real GEMM writes a
// DFT: same packed spectrum, same blocking (rows by 2, outputs by 16), interleaved output.

void fusionai_complex_product_planar_portable(
    const float *xr, const float *xi, long xPitch, long rows, long inputs, const float *packed, long outputs,
    float *y, long yPitch) {
    long groups = (outputs + 7) / 8;
    for (long r = 0; r < rows; r++) {
        for (long g = 0; g < groups; g++) {
            float re[8] = {0}, im[8] = {0};
            const float *p = packed + g * inputs * 16;
            for (long k = 0; k < inputs; k++) {
                float a = xr[r * xPitch + k], b = xi[r * xPitch + k];
                for (int j = 0; j < 8; j++) {
                    re[j] += a * p[k * 16 + j] - b * p[k * 16 + 8 + j];
                    im[j] += a * p[k * 16 + 8 + j] + b * p[k * 16 + j];
                }
            }
            for (long j = 0; j < 8 && g * 8 + j < outputs; j++) {
                y[(r * yPitch + g * 8 + j) * 2] = re[j];
                y[(r * yPitch + g * 8 + j) * 2 + 1] = im[j];
            }
        }
    }
}

#if defined(__x86_64__)
#define FUSIONAI_PLANAR_BLOCK(ROWS, GROUPS)                                                            \
    static inline __attribute__((target("avx2,fma"), always_inline)) void planar_##ROWS##_##GROUPS(    \
        const float *xr, const float *xi, long xPitch, long inputs, const float *packed, float *y,     \
        long yPitch, long valid) {                                                                     \
        __m256 re[ROWS][GROUPS], im[ROWS][GROUPS];                                                     \
        for (int r = 0; r < ROWS; r++)                                                                 \
            for (int g = 0; g < GROUPS; g++) re[r][g] = im[r][g] = _mm256_setzero_ps();                \
        const long groupStride = inputs * 16;                                                          \
        for (long k = 0; k < inputs; k++) {                                                            \
            __m256 c[GROUPS], d[GROUPS];                                                               \
            for (int g = 0; g < GROUPS; g++) {                                                         \
                c[g] = _mm256_loadu_ps(packed + g * groupStride + k * 16);                             \
                d[g] = _mm256_loadu_ps(packed + g * groupStride + k * 16 + 8);                         \
            }                                                                                          \
            for (int r = 0; r < ROWS; r++) {                                                           \
                __m256 a = _mm256_broadcast_ss(xr + r * xPitch + k);                                   \
                __m256 b = _mm256_broadcast_ss(xi + r * xPitch + k);                                   \
                for (int g = 0; g < GROUPS; g++) {                                                     \
                    re[r][g] = _mm256_fnmadd_ps(b, d[g], _mm256_fmadd_ps(a, c[g], re[r][g]));          \
                    im[r][g] = _mm256_fmadd_ps(b, c[g], _mm256_fmadd_ps(a, d[g], im[r][g]));           \
                }                                                                                      \
            }                                                                                          \
        }                                                                                              \
        for (int r = 0; r < ROWS; r++) {                                                               \
            float part[GROUPS * 16];                                                                   \
            float *out = valid == GROUPS * 8 ? y + r * yPitch * 2 : part;                              \
            for (int g = 0; g < GROUPS; g++) {                                                         \
                __m256 lo = _mm256_unpacklo_ps(re[r][g], im[r][g]);                                    \
                __m256 hi = _mm256_unpackhi_ps(re[r][g], im[r][g]);                                    \
                _mm256_storeu_ps(out + 16 * g, _mm256_permute2f128_ps(lo, hi, 0x20));                  \
                _mm256_storeu_ps(out + 16 * g + 8, _mm256_permute2f128_ps(lo, hi, 0x31));              \
            }                                                                                          \
            if (out == part) memcpy(y + r * yPitch * 2, part, (size_t)valid * 2 * sizeof(float));      \
        }                                                                                              \
    }

FUSIONAI_PLANAR_BLOCK(2, 2)
FUSIONAI_PLANAR_BLOCK(1, 2)
FUSIONAI_PLANAR_BLOCK(2, 1)
FUSIONAI_PLANAR_BLOCK(1, 1)

__attribute__((target("avx2,fma"))) void fusionai_complex_product_planar(
    const float *xr, const float *xi, long xPitch, long rows, long inputs, const float *packed, long outputs,
    float *y, long yPitch) {
    long groups = (outputs + 7) / 8;
    long groupStride = inputs * 16;
    for (long g = 0; g < groups;) {
        long take = groups - g >= 2 ? 2 : 1;
        long valid = outputs - g * 8 < take * 8 ? outputs - g * 8 : take * 8;
        const float *p = packed + g * groupStride;
        long r = 0;
        for (; r + 2 <= rows; r += 2) {
            const float *ar = xr + r * xPitch, *ai = xi + r * xPitch;
            float *yr = y + (r * yPitch + g * 8) * 2;
            if (take == 2) planar_2_2(ar, ai, xPitch, inputs, p, yr, yPitch, valid);
            else planar_2_1(ar, ai, xPitch, inputs, p, yr, yPitch, valid);
        }
        if (r < rows) {
            const float *ar = xr + r * xPitch, *ai = xi + r * xPitch;
            float *yr = y + (r * yPitch + g * 8) * 2;
            if (take == 2) planar_1_2(ar, ai, xPitch, inputs, p, yr, yPitch, valid);
            else planar_1_1(ar, ai, xPitch, inputs, p, yr, yPitch, valid);
        }
        g += take;
    }
}
#else
void fusionai_complex_product_planar(
    const float *xr, const float *xi, long xPitch, long rows, long inputs, const float *packed, long outputs,
    float *y, long yPitch) {
    fusionai_complex_product_planar_portable(xr, xi, xPitch, rows, inputs, packed, outputs, y, yPitch);
}
#endif
