import COpenBLAS

/// Keras `Conv1D` and `Conv2D` (channels-last), with `padding`, `strides`, `dilation_rate`, bias and
/// activation. A `Conv1D` is a `Conv2D` on samples of width 1.
///
/// When the kernel spans the whole (unpadded) width, as in every FusionAI-family layer (a (20, 4)
/// kernel on one-hot rows, then (200, 1) on width 1), the layer is a 1-D convolution along the
/// sequence over rows of `width x channels` values, and one of three engines computes it: a table
/// gather for one-hot input, FFT overlap-save for long kernels, or per-tap GEMMs. Other shapes take
/// the general path: per tap and output row, a GEMM.
public struct Convolution: Layer {
    public let name: String
    /// `[kh, kw, inputChannels, filters]`, Keras's order (`Conv1D` kernels get `kw = 1`).
    public let kernel: Tensor
    public let bias: [Float]?
    public let strides: (Int, Int)
    public let dilation: (Int, Int)
    public let padding: Padding
    public let activation: ActivationFunction
    public let oneDimensional: Bool
    /// The sample shape this layer was built for: `[H, C]` or `[H, W, C]`.
    public let inputShape: [Int]

    private let geometry: Geometry
    private let row: RowEngines?

    /// How the sum along the sequence is computed.
    public enum Algorithm: String, Sendable, CaseIterable {
        /// FFT overlap-save where ``prefersFFT(taps:inputs:outputs:)`` says so (stride and dilation 1),
        /// else per-tap GEMMs; the one-hot gather whenever the input is one-hot DNA.
        case automatic
        /// Per-tap GEMMs (the one-hot gather still applies to one-hot input).
        case direct
        /// FFT overlap-save where stride and dilation are 1, else per-tap GEMMs.
        case fft
    }

    /// Whether FFT overlap-save beats per-tap GEMMs, from benchmarks/convolution (one thread,
    /// 20,000 positions): FFT is faster from 16 taps for every channel shape measured (256->32,
    /// 64->64, 16->16), and already from 8 taps once inputs x outputs reach a few thousand
    /// (1.6x at 8 taps for 256->32 and 64->64, 0.97x for 16->16).
    public static func prefersFFT(taps: Int, inputs: Int, outputs: Int) -> Bool {
        taps >= 16 || (taps >= 8 && inputs * outputs >= 2_048)
    }

    private struct Geometry: Sendable {
        let h: Int, w: Int, c: Int
        let oh: Int, ow: Int
        let top: Int, left: Int
        let paddedH: Int, paddedW: Int
    }

    private struct RowEngines: Sendable {
        let main: any RowConvolutionEngine
        let oneHot: OneHotRowConvolution?
    }

    /// - Parameters:
    ///   - kernel: `[kh, kw, in, filters]` (or `[k, in, filters]` with `oneDimensional`).
    ///   - inputShape: the per-sample input shape, which settles padding and the engine.
    ///   - algorithm: the engine for the sequence sum (results agree to float rounding).
    /// - Throws: ``ModelError`` when shapes disagree.
    public init(
        name: String, kernel: Tensor, bias: [Float]?, strides: (Int, Int), dilation: (Int, Int),
        padding: Padding, activation: ActivationFunction, oneDimensional: Bool, inputShape: [Int],
        algorithm: Algorithm = .automatic
    ) throws {
        _ = BLASThreads.configured
        let k = oneDimensional && kernel.shape.count == 3
            ? kernel.reshaped([kernel.shape[0], 1, kernel.shape[1], kernel.shape[2]]) : kernel
        guard k.shape.count == 4 else { throw ModelError("\(name): convolution kernel must be 4-D, got \(kernel.shape)") }
        let (kh, kw, cin, cout) = (k.shape[0], k.shape[1], k.shape[2], k.shape[3])
        if let bias, bias.count != cout { throw ModelError("\(name): bias has \(bias.count) values for \(cout) filters") }
        guard strides.0 >= 1, strides.1 >= 1, dilation.0 >= 1, dilation.1 >= 1 else {
            throw ModelError("\(name): strides and dilation must be positive")
        }
        let sample: (h: Int, w: Int, c: Int)
        switch (oneDimensional, inputShape.count) {
        case (true, 2): sample = (inputShape[0], 1, inputShape[1])
        case (false, 3): sample = (inputShape[0], inputShape[1], inputShape[2])
        default: throw ModelError("\(name): \(oneDimensional ? "Conv1D expects [length, channels]" : "Conv2D expects [height, width, channels]") samples, got \(inputShape)")
        }
        guard sample.c == cin else {
            throw ModelError("\(name): kernel expects \(cin) input channels, input has \(sample.c)")
        }
        guard let gh = padding.geometry(length: sample.h, window: kh, stride: strides.0, dilation: dilation.0),
              let gw = padding.geometry(length: sample.w, window: kw, stride: strides.1, dilation: dilation.1)
        else { throw ModelError("\(name): kernel \(kh)x\(kw) does not fit the input \(sample.h)x\(sample.w)") }
        let span = { (k: Int, d: Int) in (k - 1) * d + 1 }
        let paddedH = max(sample.h + gh.before, (gh.output - 1) * strides.0 + span(kh, dilation.0))
        let paddedW = max(sample.w + gw.before, (gw.output - 1) * strides.1 + span(kw, dilation.1))

        self.name = name
        self.kernel = k
        self.bias = bias
        self.strides = strides
        self.dilation = dilation
        self.padding = padding
        self.activation = activation
        self.oneDimensional = oneDimensional
        self.inputShape = inputShape
        geometry = Geometry(h: sample.h, w: sample.w, c: cin, oh: gh.output, ow: gw.output,
                            top: gh.before, left: gw.before, paddedH: paddedH, paddedW: paddedW)

        // A row convolution when the kernel covers the whole width with no padding across it.
        if gw.output == 1, gw.before == 0, kw == sample.w, dilation.1 == 1 || kw == 1 {
            let shape = RowConvolutionShape(taps: kh, inputWidth: kw * cin, outputs: cout, stride: strides.0, dilation: dilation.0)
            let fftPossible = strides.0 == 1 && dilation.0 == 1
            let useFFT = fftPossible && (algorithm == .fft
                || (algorithm == .automatic && Self.prefersFFT(taps: kh, inputs: kw * cin, outputs: cout)))
            let main: any RowConvolutionEngine = useFFT
                ? FFTRowConvolution(shape: shape, kernel: k.data)
                : DirectRowConvolution(shape: shape, kernel: k.data)
            row = RowEngines(main: main, oneHot: kw * cin == 4 ? OneHotRowConvolution(shape: shape, kernel: k.data) : nil)
        } else {
            row = nil
        }
    }

    public var parameterCount: Int { kernel.count + (bias?.count ?? 0) }
    public var filters: Int { kernel.shape[3] }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input == inputShape else { throw ModelError("\(name): built for input \(inputShape), given \(input)") }
        return oneDimensional ? [geometry.oh, filters] : [geometry.oh, geometry.ow, filters]
    }

    /// x: `[batch, H, W, C]` -> y: `[batch, OH, OW, filters]`.
    public func forward(_ x: Tensor) -> Tensor {
        let g = geometry
        let inSample = g.h * g.w * g.c, outSample = g.oh * g.ow * filters
        // Every engine writes every output value, so the array is left unfilled (20 MB a sample
        // for FusionAI's first layer).
        var y = [Float](unsafeUninitializedCapacity: x.batch * outSample) { _, count in count = x.batch * outSample }
        let needsPadding = g.paddedH != g.h || g.paddedW != g.w
        // Bias and ReLU ride along with engines that write each output once.
        let epilogue = activation == .relu || activation == .linear
            ? RowEpilogue(bias: bias ?? [Float](repeating: 0, count: filters), relu: activation == .relu) : nil
        var padded = [Float](repeating: 0, count: needsPadding ? g.paddedH * g.paddedW * g.c : 0)
        x.data.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                for b in 0..<x.batch {
                    var sample = xp.baseAddress! + b * inSample
                    if needsPadding {
                        padded.withUnsafeMutableBufferPointer { pp in
                            for h in 0..<g.h {
                                let target = pp.baseAddress! + ((h + g.top) * g.paddedW + g.left) * g.c
                                target.update(from: sample + h * g.w * g.c, count: g.w * g.c)
                            }
                        }
                    }
                    padded.withUnsafeBufferPointer { pp in
                        if needsPadding { sample = pp.baseAddress! }
                        let out = yp.baseAddress! + b * outSample
                        if let row {
                            let engine: any RowConvolutionEngine = if let oneHot = row.oneHot, OneHotRowConvolution.isOneHot(sample, rows: g.paddedH) {
                                oneHot
                            } else {
                                row.main
                            }
                            let fuse = engine.fusesEpilogue && epilogue != nil
                            engine.forward(sample, length: g.paddedH, into: out, outputLength: g.oh, epilogue: fuse ? epilogue : nil)
                            if !fuse { finish(out, epilogue: epilogue) }
                        } else {
                            general(sample, into: out)
                            finish(out, epilogue: epilogue)
                        }
                    }
                }
            }
        }
        return Tensor(shape: [x.batch] + (oneDimensional ? [g.oh, filters] : [g.oh, g.ow, filters]), data: y)
    }

    /// Bias and activation for one sample's output `[OH * OW, filters]`, when the engine did not fuse them.
    private func finish(_ out: UnsafeMutablePointer<Float>, epilogue: RowEpilogue?) {
        let rows = geometry.oh * geometry.ow
        if let epilogue {
            for r in 0..<rows { epilogue.apply(out + r * filters) }
            return
        }
        if let bias {
            for r in 0..<rows { for k in 0..<filters { out[r * filters + k] += bias[k] } }
        }
        activation.apply(out, count: rows * filters, rowLength: filters)
    }

    /// The general case on a padded sample `[paddedH, paddedW, C]`: for each tap `(i, j)` and output
    /// row, `Y[row] [OW x filters] += P[rows at stride] [OW x C] * K[i, j] [C x filters]`.
    private func general(_ p: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let g = geometry
        let (kh, kw, f) = (kernel.shape[0], kernel.shape[1], filters)
        y.update(repeating: 0, count: g.oh * g.ow * f)
        kernel.data.withUnsafeBufferPointer { k in
            for i in 0..<kh {
                for j in 0..<kw {
                    let weights = k.baseAddress! + (i * kw + j) * g.c * f
                    for oh in 0..<g.oh {
                        let input = p + ((oh * strides.0 + i * dilation.0) * g.paddedW + j * dilation.1) * g.c
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(g.ow), Int32(f), Int32(g.c), 1,
                                    input, Int32(strides.1 * g.c), weights, Int32(f), 1, y + oh * g.ow * f, Int32(f))
                    }
                }
            }
        }
    }
}
