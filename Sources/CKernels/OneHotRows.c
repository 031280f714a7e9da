#include "CKernels.h"
#include <immintrin.h>

#if defined(__x86_64__)
// r[i] holds 8 channels of position i; afterwards r[j] holds 8 positions of channel j.
static inline __attribute__((target("avx2"), always_inline)) void transpose8(__m256 r[8]) {
    __m256 t[8], s[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        s[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        s[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        s[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        s[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm256_permute2f128_ps(s[i], s[i + 4], 0x20);
        r[i + 4] = _mm256_permute2f128_ps(s[i], s[i + 4], 0x31);
    }
}

__attribute__((target("avx2"))) void fusionai_onehot_rows(
    const float *table, const int *code, long pairs, long outputs, long stride, long dilation, const float *bias,
    int relu, long lo, long hi, float *target, long pitch) {
    // Positions in chunks of 128 (16 tiles), their table offsets on the stack (at most 32 kB); a
    // short last tile repeats its first position.
    int offset[128 * 64];
    const __m256 zero = _mm256_setzero_ps();
    for (long chunk = lo; chunk < hi; chunk += 128) {
        long end = hi - chunk < 128 ? hi : chunk + 128;
        long tiles = (end - chunk + 7) / 8;
        for (long i = 0; i < tiles * 8; i++) {
            long t = chunk + i < end ? chunk + i : chunk + i / 8 * 8;
            for (long p = 0; p < pairs; p++) {
                long a = t * stride + 2 * p * dilation;
                offset[i * pairs + p] = (int)((p * 25 + code[a] * 5 + code[a + dilation]) * 8);
            }
        }
        // Eight channels at a time over the chunk, so the table slice in use (pairs x 25 rows x 8
        // floats, contiguous: rows a power of two apart thrashed a few L1 sets) stays in L1; eight
        // positions are summed in registers, turned channel-major and stored.
        for (long c = 0; c < outputs; c += 8) {
            const float *column = table + c * pairs * 25;
            __m256 b = _mm256_loadu_ps(bias + c);
            for (long tile = 0; tile < tiles; tile++) {
                __m256 r[8];
                const int *o = offset + tile * 8 * pairs;
                // Pairs outer, positions inner: eight independent sums in flight (each in pair order).
                for (int i = 0; i < 8; i++) r[i] = b;
                for (long p = 0; p < pairs; p++) {
                    for (int i = 0; i < 8; i++) r[i] = _mm256_add_ps(r[i], _mm256_loadu_ps(column + o[i * pairs + p]));
                }
                if (relu) {
                    for (int i = 0; i < 8; i++) r[i] = _mm256_max_ps(zero, r[i]);  // NaN stays NaN, as in Swift
                }
                transpose8(r);
                long t0 = chunk + tile * 8;
                long count = end - t0 < 8 ? end - t0 : 8;
                float *out = target + c * pitch + (t0 - lo);
                if (count == 8) {
                    for (int j = 0; j < 8; j++) _mm256_storeu_ps(out + j * pitch, r[j]);
                } else {
                    for (int j = 0; j < 8; j++) {
                        float lane[8];
                        _mm256_storeu_ps(lane, r[j]);
                        for (long i = 0; i < count; i++) out[j * pitch + i] = lane[i];
                    }
                }
            }
        }
    }
}
#else
void fusionai_onehot_rows(
    const float *table, const int *code, long pairs, long outputs, long stride, long dilation, const float *bias,
    int relu, long lo, long hi, float *target, long pitch) {
    (void)table; (void)code; (void)pairs; (void)outputs; (void)stride; (void)dilation; (void)bias; (void)relu;
    (void)lo; (void)hi; (void)target; (void)pitch;
}
#endif
