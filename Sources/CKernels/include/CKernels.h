#ifndef FUSIONAI_CKERNELS_H
#define FUSIONAI_CKERNELS_H

/// Explicit-SIMD kernels for the network engine where the libraries' general routines lose time
/// to packing or to shapes they were not tuned for. Each kernel has an AVX2 + FMA body chosen at
/// run time; callers check fusionai_simd_available() and keep a library path for other CPUs.

/// 1 when this CPU runs the AVX2 + FMA kernels, else 0.
int fusionai_simd_available(void);

/// Floats that fusionai_pack_spectrum writes for one frequency bin of an `inputs x outputs` complex
/// matrix: outputs rounded up to 8, times inputs, times 2 (as many as the matrix, plus padding).
long fusionai_packed_spectrum_floats(long inputs, long outputs);

/// Packs one bin's `W [inputs][outputs]` (complex, interleaved, row-major) for
/// fusionai_complex_product: per group of 8 outputs and per input k, the 8 real parts then the 8
/// imaginary parts; missing outputs are zero.
void fusionai_pack_spectrum(const float *w, long inputs, long outputs, float *packed);

/// `Y [rows][outputs] = X [rows][inputs] · W` for one frequency bin, complex interleaved:
/// `x` has row pitch `xPitch` complex values, `y` row pitch `yPitch`; `packed` is W from
/// fusionai_pack_spectrum. Needs fusionai_simd_available().
void fusionai_complex_product(
    const float *x, long xPitch, long rows, long inputs, const float *packed, long outputs, float *y, long yPitch);

/// fusionai_complex_product with X in two planes: the real parts at `xr`, the imaginary parts at
/// `xi`, each `[rows][inputs]` with row pitch `xPitch` floats (a real GEMM's DFT output). Needs
/// fusionai_simd_available(); fusionai_complex_product_planar_portable runs anywhere.
void fusionai_complex_product_planar(
    const float *xr, const float *xi, long xPitch, long rows, long inputs, const float *packed, long outputs,
    float *y, long yPitch);
void fusionai_complex_product_planar_portable(
    const float *xr, const float *xi, long xPitch, long rows, long inputs, const float *packed, long outputs,
    float *y, long yPitch);

/// For `bins` frequency bins, the DFT of `columns` real signals of `rows` samples: signal j's sample r
/// at `d[r * pitch + j]`; `twiddles [bins][2][rows]` holds each bin's cosines then minus sines;
/// bin f's real parts go to `planes + 2f * planePitch`, its imaginary parts to the plane after.
/// Needs fusionai_simd_available(); fusionai_real_dft_portable runs anywhere.
void fusionai_real_dft(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long bins, float *planes,
    long planePitch);
void fusionai_real_dft_portable(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long bins, float *planes,
    long planePitch);

/// fusionai_real_dft for an even DFT size n = 2 * half, bins `f ..< f + bins` (at most half / 2 + 1)
/// together with their mirrors half - f, at about 0.6 times the work: the even and odd samples'
/// sums repeat every half bins, and a real signal's bin half + f is the conjugate of half - f.
/// Bin f + b goes to planes 2b, 2b + 1, bin half - f - b to planes 2(bins + b), 2(bins + b) + 1.
void fusionai_real_dft_mirrored(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long f, long bins, float *planes,
    long planePitch);
void fusionai_real_dft_mirrored_portable(
    const float *d, long pitch, long rows, long columns, const float *twiddles, long f, long bins, float *planes,
    long planePitch);

/// `sum [inputs][outputs] += X^H D` for one frequency bin, complex interleaved: `X [blocks][inputs]`
/// with row pitch `xPitch`, `D [blocks][outputs]` with row pitch `dPitch`, both in complex values;
/// `scratch` holds `(outputs + 7) / 8 * blocks * 16` floats. The FFT convolution's kernel gradient.
/// Needs fusionai_simd_available().
void fusionai_conjugate_product_add(
    const float *x, long xPitch, long blocks, long inputs, const float *d, long dPitch, long outputs, float *sum,
    float *scratch);

/// Output rows `[lo, hi)` of a convolution over one-hot DNA, written channel-major: channel c's value
/// at position t goes to `target[c * pitch + t - lo]`. Position t sums, for each pair p of taps, the
/// table's values for pair p and bases `(code[a], code[a + dilation])`, `a = t * stride + 2 * p *
/// dilation` (codes 0-3 for A, C, G, T, 4 for N), starting from `bias`, then ReLU when `relu`. The
/// table is laid out `[outputs / 8][pairs][25][8]`: for each group of eight outputs, each pair and
/// each of the 25 base pairs, eight values. Needs fusionai_simd_available(), `outputs` a multiple
/// of 8 and `pairs <= 64`.
void fusionai_onehot_rows(
    const float *table, const int *code, long pairs, long outputs, long stride, long dilation, const float *bias,
    int relu, long lo, long hi, float *target, long pitch);

/// `y [4][positions] += x ⋆ w`, channel-major, for a valid correlation to four outputs: output o at
/// position q gains `Σ_c Σ_j x[c * xPitch + q + j] · w[(c * taps + j) * 4 + o]`, so rows
/// `[0, positions + taps - 1)` of each of the `channels` input rows are read; output o's row is at
/// `y + o * yPitch`. A one-hot layer's input gradient (four bases) from the gradient of its outputs.
/// Needs fusionai_simd_available(); fusionai_narrow_correlation_add_portable runs anywhere.
void fusionai_narrow_correlation_add(
    const float *x, long xPitch, long channels, long positions, const float *w, long taps, float *y, long yPitch);
void fusionai_narrow_correlation_add_portable(
    const float *x, long xPitch, long channels, long positions, const float *w, long taps, float *y, long yPitch);

#endif
