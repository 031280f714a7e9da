import COpenBLAS

/// Direct convolution: one GEMM per tap, reading the input's rows in place through the leading
/// dimension (`stride * inputWidth`), so no im2col copy is made:
///
///     Y[outputLength x outputs] += X_k[outputLength x inputWidth] * W_k[inputWidth x outputs]
///
/// where `X_k` starts at row `k * dilation`. Cost: taps x outputLength x inputWidth x outputs
/// multiply-adds; the right engine for short kernels.
struct DirectRowConvolution: RowConvolutionEngine {
    let shape: RowConvolutionShape
    /// `[taps, inputWidth, outputs]`.
    let kernel: [Float]

    func forward(
        _ x: UnsafePointer<Float>, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int,
        epilogue: RowEpilogue?
    ) {
        let s = shape
        y.update(repeating: 0, count: outputLength * s.outputs)
        guard outputLength > 0 else { return }
        kernel.withUnsafeBufferPointer { w in
            for k in 0..<s.taps {
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans,
                    Int32(outputLength), Int32(s.outputs), Int32(s.inputWidth), 1,
                    x + k * s.dilation * s.inputWidth, Int32(s.stride * s.inputWidth),
                    w.baseAddress! + k * s.inputWidth * s.outputs, Int32(s.outputs),
                    1, y, Int32(s.outputs))
            }
        }
    }
}
