import CKernels

/// Whether this CPU runs the explicit AVX2 + FMA kernels of CKernels (checked once); engines fall
/// back to OpenBLAS where it does not.
enum SIMDKernels {
    static let available = fusionai_simd_available() != 0
}
