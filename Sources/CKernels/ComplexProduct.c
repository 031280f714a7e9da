#include "CKernels.h"
#include <immintrin.h>
#include <string.h>

int fusionai_simd_available(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

long fusionai_packed_spectrum_floats(long inputs, long outputs) { return (outputs + 7) / 8 * inputs * 16; }

void fusionai_pack_spectrum(const float *w, long inputs, long outputs, float *packed) {
    long groups = (outputs + 7) / 8;
    for (long g = 0; g < groups; g++) {
        for (long k = 0; k < inputs; k++) {
            float *p = packed + (g * inputs + k) * 16;
            for (long j = 0; j < 8; j++) {
                long o = g * 8 + j;
                p[j] = o < outputs ? w[(k * outputs + o) * 2] : 0;
                p[8 + j] = o < outputs ? w[(k * outputs + o) * 2 + 1] : 0;
            }
        }
    }
}

#if defined(__x86_64__)
// One block of ROWS rows (1 or 2) x GROUPS groups of 8 outputs (1 or 2). For input k, with
// x = a + bi broadcast and w = c + di from the packed planes: re += a*c - b*d, im += a*d + b*c.
// The two planes are interleaved back into complex values on the way out; `valid` outputs of the
// block are stored.
#define FUSIONAI_BLOCK(ROWS, GROUPS)                                                                   \
    static inline __attribute__((target("avx2,fma"), always_inline)) void block_##ROWS##_##GROUPS(     \
        const float *x, long xPitch, long inputs, const float *packed, float *y, long yPitch,          \
        long valid) {                                                                                  \
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
                __m256 a = _mm256_broadcast_ss(x + r * xPitch * 2 + 2 * k);                            \
                __m256 b = _mm256_broadcast_ss(x + r * xPitch * 2 + 2 * k + 1);                        \
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

FUSIONAI_BLOCK(2, 2)
FUSIONAI_BLOCK(1, 2)
FUSIONAI_BLOCK(2, 1)
FUSIONAI_BLOCK(1, 1)

__attribute__((target("avx2,fma"))) void fusionai_complex_product(
    const float *x, long xPitch, long rows, long inputs, const float *packed, long outputs, float *y, long yPitch) {
    long groups = (outputs + 7) / 8;
    long groupStride = inputs * 16;
    // Outputs 16 at a time (two groups), then 8; rows two at a time. Eight sums of two FMAs per
    // input keep both FMA pipes busy (about 90% of this Zen 3's peak with the operands in cache).
    for (long g = 0; g < groups;) {
        long take = groups - g >= 2 ? 2 : 1;
        long valid = outputs - g * 8 < take * 8 ? outputs - g * 8 : take * 8;
        const float *p = packed + g * groupStride;
        long r = 0;
        for (; r + 2 <= rows; r += 2) {
            const float *xr = x + r * xPitch * 2;
            float *yr = y + (r * yPitch + g * 8) * 2;
            if (take == 2) block_2_2(xr, xPitch, inputs, p, yr, yPitch, valid);
            else block_2_1(xr, xPitch, inputs, p, yr, yPitch, valid);
        }
        if (r < rows) {
            const float *xr = x + r * xPitch * 2;
            float *yr = y + (r * yPitch + g * 8) * 2;
            if (take == 2) block_1_2(xr, xPitch, inputs, p, yr, yPitch, valid);
            else block_1_1(xr, xPitch, inputs, p, yr, yPitch, valid);
        }
        g += take;
    }
}
#else
void fusionai_complex_product(
    const float *x, long xPitch, long rows, long inputs, const float *packed, long outputs, float *y, long yPitch) {
    (void)x; (void)xPitch; (void)rows; (void)inputs; (void)packed; (void)outputs; (void)y; (void)yPitch;
}
#endif
