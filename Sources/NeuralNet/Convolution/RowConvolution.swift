/// A 1-D convolution along a sequence, the shape every FusionAI-family layer reduces to:
/// input rows `x[t]` of `inputWidth` values (channels-last `[length, inputWidth]`), kernel
/// `[taps, inputWidth, outputs]` (Keras order, cross-correlation as Keras computes it):
///
///     y[t, o] = sum_k sum_c x[t * stride + k * dilation, c] * kernel[k, c, o]
///
/// Engines differ only in how they compute this sum. Engines that write each output once can also
/// add the bias and apply ReLU as they write (``RowEpilogue``), saving two passes over the output.
protocol RowConvolutionEngine: Sendable {
    /// - Parameters:
    ///   - x: `[length, inputWidth]` for one sample, already padded.
    ///   - y: `[outputLength, outputs]`, overwritten.
    ///   - epilogue: bias and ReLU to apply while writing, for engines with ``fusesEpilogue``.
    func forward(
        _ x: UnsafePointer<Float>, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int,
        epilogue: RowEpilogue?)
    /// Whether ``forward`` applies an epilogue.
    var fusesEpilogue: Bool { get }
}

/// An engine that runs backward too: what a layer trains and takes gradients with.
protocol DifferentiableRowEngine: RowConvolutionEngine {
    /// Starts the backward pass of a batch whose samples have `length` input rows and
    /// `outputLength` output rows; with `kernelGradient`, the pass also sums `dL/dW` over the samples.
    func backward(length: Int, outputLength: Int, kernelGradient: Bool) -> any RowConvolutionBackward
}

/// One backward pass of an engine over a batch, fed one sample at a time (scratch space and the
/// running sum of `dL/dW` live here, so the engine itself stays shareable across threads).
protocol RowConvolutionBackward {
    /// `dx [length, inputWidth]` of one sample from its `dz [outputLength, outputs]`; `dx` holds
    /// zeros on entry.
    mutating func inputGradient(_ dz: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>)
    /// Adds one sample's `dL/dW`, from its input `x [length, inputWidth]` and `dz`.
    mutating func addKernelGradient(_ x: UnsafePointer<Float>, dz: UnsafePointer<Float>)
    /// `dW [taps, inputWidth, outputs]`, summed over the samples added.
    func kernelGradient() -> [Float]
}

extension RowConvolutionEngine {
    var fusesEpilogue: Bool { false }

    func forward(_ x: UnsafePointer<Float>, length: Int, into y: UnsafeMutablePointer<Float>, outputLength: Int) {
        forward(x, length: length, into: y, outputLength: outputLength, epilogue: nil)
    }
}

/// What a layer does to each output row after the convolution: `row = max(row + bias, 0)` or `row + bias`.
struct RowEpilogue: Sendable {
    let bias: [Float]
    let relu: Bool

    /// Applies the epilogue to one output row of `bias.count` values.
    func apply(_ row: UnsafeMutablePointer<Float>) {
        bias.withUnsafeBufferPointer { b in
            if relu {
                for o in 0..<b.count { row[o] = max(row[o] + b[o], 0) }
            } else {
                for o in 0..<b.count { row[o] += b[o] }
            }
        }
    }
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

/// `target[0..<count] += values[0..<count]`, eight at a time (each value summed in the order of
/// the calls, as a plain loop would).
@inline(__always)
func accumulate(_ values: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        let a = UnsafeRawPointer(target + i).loadUnaligned(as: SIMD8<Float>.self)
        let b = UnsafeRawPointer(values + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(target + i).storeBytes(of: a + b, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        target[i] += values[i]
        i += 1
    }
}
