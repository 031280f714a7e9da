import COpenBLAS

/// The general 2-D convolution, for kernels that do not span the whole width. On a padded sample
/// `P [paddedH, paddedW, C]` (its rows are the `paddedH` slices of `paddedW x C` values), for each
/// tap `(i, j)` and output row:
///
///     Y[row] [OW x filters] += P[rows at stride] [OW x C] · K[i, j] [C x filters]
///
/// one GEMM per tap and output row, reading P's strided columns in place. Backward turns the same
/// GEMMs around: `dP[rows] += dY[row] · K[i, j]ᵀ` and `dK[i, j] += P[rows]ᵀ · dY[row]`.
struct GeneralConvolution: DifferentiableRowEngine {
    let geometry: ConvolutionGeometry
    /// `[kh, kw, C, filters]`.
    let kernel: [Float]
    let kh: Int
    let kw: Int
    let filters: Int
    let strides: (Int, Int)
    let dilation: (Int, Int)

    /// Where tap `tap` (`i * kw + j`) reads its first input for output row `row`.
    func inputOffset(tap: Int, row: Int) -> Int {
        let (i, j) = tap.quotientAndRemainder(dividingBy: kw)
        return ((row * strides.0 + i * dilation.0) * geometry.paddedW + j * dilation.1) * geometry.c
    }

    /// `y [outputLength, OW, filters]` from the padded sample `p [length, paddedW, C]`.
    func forward(
        _ p: UnsafePointer<Float>, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int,
        epilogue: RowEpilogue?
    ) {
        let (c, ow, f) = (geometry.c, geometry.ow, filters)
        y.update(repeating: 0, count: outputLength * ow * f)
        kernel.withUnsafeBufferPointer { k in
            for tap in 0..<(kh * kw) {
                for row in 0..<outputLength {
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(ow), Int32(f), Int32(c), 1,
                        p + inputOffset(tap: tap, row: row), Int32(strides.1 * c), k.baseAddress! + tap * c * f,
                        Int32(f), 1, y + row * ow * f, Int32(f))
                }
            }
        }
    }

    func backward(length: Int, outputLength: Int, kernelGradient: Bool) -> any RowConvolutionBackward {
        GeneralBackward(
            engine: self, outputLength: outputLength,
            kernelSum: [Float](repeating: 0, count: kernelGradient ? kernel.count : 0))
    }
}

/// The backward pass of ``GeneralConvolution``: per tap and output row, one GEMM for `dP` and one
/// for `dK`.
struct GeneralBackward: RowConvolutionBackward {
    let engine: GeneralConvolution
    let outputLength: Int
    /// `dK [kh, kw, C, filters]` so far.
    var kernelSum: [Float]

    func inputGradient(_ dz: UnsafePointer<Float>, into dp: UnsafeMutablePointer<Float>) {
        let e = engine
        let (c, ow, f) = (e.geometry.c, e.geometry.ow, e.filters)
        e.kernel.withUnsafeBufferPointer { k in
            for tap in 0..<(e.kh * e.kw) {
                for row in 0..<outputLength {
                    cblas_sgemm(
                        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(ow), Int32(c), Int32(f), 1,
                        dz + row * ow * f, Int32(f), k.baseAddress! + tap * c * f, Int32(f), 1,
                        dp + e.inputOffset(tap: tap, row: row), Int32(e.strides.1 * c))
                }
            }
        }
    }

    mutating func addKernelGradient(_ p: UnsafePointer<Float>, dz: UnsafePointer<Float>) {
        let e = engine
        let (c, ow, f) = (e.geometry.c, e.geometry.ow, e.filters)
        let rows = outputLength
        kernelSum.withUnsafeMutableBufferPointer { dk in
            for tap in 0..<(e.kh * e.kw) {
                for row in 0..<rows {
                    cblas_sgemm(
                        CblasRowMajor, CblasTrans, CblasNoTrans, Int32(c), Int32(f), Int32(ow), 1,
                        p + e.inputOffset(tap: tap, row: row), Int32(e.strides.1 * c), dz + row * ow * f, Int32(f),
                        1, dk.baseAddress! + tap * c * f, Int32(f))
                }
            }
        }
    }

    func kernelGradient() -> [Float] { kernelSum }
}
