/// A 1-D convolution along a sequence, the shape every FusionAI-family layer reduces to:
/// input rows `x[t]` of `inputWidth` values (channels-last `[length, inputWidth]`), kernel
/// `[taps, inputWidth, outputs]` (Keras order, cross-correlation as Keras computes it):
///
///     y[t, o] = sum_k sum_c x[t * stride + k * dilation, c] * kernel[k, c, o]
///
/// Engines differ only in how they compute this sum; bias and activation are added by the layer.
protocol RowConvolutionEngine: Sendable {
    /// - Parameters:
    ///   - x: `[length, inputWidth]` for one sample, already padded.
    ///   - y: `[outputLength, outputs]`, overwritten.
    func forward(_ x: UnsafePointer<Float>, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int)
}

/// The convolution's fixed description, shared by the engines.
struct RowConvolutionShape: Sendable {
    let taps: Int
    let inputWidth: Int
    let outputs: Int
    let stride: Int
    let dilation: Int

    /// Output positions for an (already padded) input of `length` rows.
    func outputLength(for length: Int) -> Int {
        let span = (taps - 1) * dilation + 1
        return length < span ? 0 : (length - span) / stride + 1
    }
}
