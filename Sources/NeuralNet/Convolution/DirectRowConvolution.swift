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

extension DirectRowConvolution: DifferentiableRowEngine {
    func backward(length: Int, outputLength: Int, kernelGradient: Bool) -> any RowConvolutionBackward {
        DirectRowBackward(
            engine: self, outputLength: outputLength,
            kernelSum: [Float](repeating: 0, count: kernelGradient ? kernel.count : 0))
    }
}

/// Backward by the same per-tap GEMMs, strided rows again read and written in place:
///
///     dX_k += dZ · W_kᵀ        dW_k += X_kᵀ · dZ
///
/// where `X_k` (and `dX_k`) start at row `k * dilation`.
struct DirectRowBackward: RowConvolutionBackward {
    let engine: DirectRowConvolution
    let outputLength: Int
    /// `dW [taps, inputWidth, outputs]` so far.
    var kernelSum: [Float]

    func inputGradient(_ dz: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let s = engine.shape
        engine.kernel.withUnsafeBufferPointer { w in
            for k in 0..<s.taps {
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(outputLength), Int32(s.inputWidth), Int32(s.outputs), 1,
                    dz, Int32(s.outputs), w.baseAddress! + k * s.inputWidth * s.outputs, Int32(s.outputs),
                    1, dx + k * s.dilation * s.inputWidth, Int32(s.stride * s.inputWidth))
            }
        }
    }

    mutating func addKernelGradient(_ x: UnsafePointer<Float>, dz: UnsafePointer<Float>) {
        let s = engine.shape
        let rows = outputLength
        kernelSum.withUnsafeMutableBufferPointer { dw in
            for k in 0..<s.taps {
                cblas_sgemm(
                    CblasRowMajor, CblasTrans, CblasNoTrans, Int32(s.inputWidth), Int32(s.outputs), Int32(rows), 1,
                    x + k * s.dilation * s.inputWidth, Int32(s.stride * s.inputWidth), dz, Int32(s.outputs),
                    1, dw.baseAddress! + k * s.inputWidth * s.outputs, Int32(s.outputs))
            }
        }
    }

    func kernelGradient() -> [Float] { kernelSum }
}
