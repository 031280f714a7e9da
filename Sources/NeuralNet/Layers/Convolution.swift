import COpenBLAS
import Foundation

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
        /// For long kernels: the FFT engine of the flipped, transposed kernel, which turns dL/dz
        /// into dL/dx (built on the first backward pass).
        let transposedFFT: LazyEngine?
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
        let k =
            oneDimensional && kernel.shape.count == 3
            ? kernel.reshaped([kernel.shape[0], 1, kernel.shape[1], kernel.shape[2]]) : kernel
        guard k.shape.count == 4 else {
            throw ModelError(.shapeMismatch, "\(name): convolution kernel must be 4-D, got \(kernel.shape)")
        }
        let (kh, kw, cin, cout) = (k.shape[0], k.shape[1], k.shape[2], k.shape[3])
        if let bias, bias.count != cout {
            throw ModelError(.shapeMismatch, "\(name): bias has \(bias.count) values for \(cout) filters")
        }
        guard strides.0 >= 1, strides.1 >= 1, dilation.0 >= 1, dilation.1 >= 1 else {
            throw ModelError(.invalidArgument, "\(name): strides and dilation must be positive")
        }
        let sample: (h: Int, w: Int, c: Int)
        switch (oneDimensional, inputShape.count) {
        case (true, 2): sample = (inputShape[0], 1, inputShape[1])
        case (false, 3): sample = (inputShape[0], inputShape[1], inputShape[2])
        default:
            throw ModelError(
                .shapeMismatch,
                "\(name): \(oneDimensional ? "Conv1D expects [length, channels]" : "Conv2D expects [height, width, channels]") samples, got \(inputShape)"
            )
        }
        guard sample.c == cin else {
            throw ModelError(.shapeMismatch, "\(name): kernel expects \(cin) input channels, input has \(sample.c)")
        }
        guard let gh = padding.geometry(length: sample.h, window: kh, stride: strides.0, dilation: dilation.0),
            let gw = padding.geometry(length: sample.w, window: kw, stride: strides.1, dilation: dilation.1)
        else {
            throw ModelError(
                .shapeMismatch, "\(name): kernel \(kh)x\(kw) does not fit the input \(sample.h)x\(sample.w)")
        }
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
        geometry = Geometry(
            h: sample.h, w: sample.w, c: cin, oh: gh.output, ow: gw.output,
            top: gh.before, left: gw.before, paddedH: paddedH, paddedW: paddedW)

        // A row convolution when the kernel covers the whole width with no padding across it.
        if gw.output == 1, gw.before == 0, kw == sample.w, dilation.1 == 1 || kw == 1 {
            let shape = RowConvolutionShape(
                taps: kh, inputWidth: kw * cin, outputs: cout, stride: strides.0, dilation: dilation.0)
            let fftPossible = strides.0 == 1 && dilation.0 == 1
            let useFFT =
                fftPossible
                && (algorithm == .fft
                    || (algorithm == .automatic && Self.prefersFFT(taps: kh, inputs: kw * cin, outputs: cout)))
            let main: any RowConvolutionEngine =
                useFFT
                ? FFTRowConvolution(shape: shape, kernel: k.data)
                : DirectRowConvolution(shape: shape, kernel: k.data)
            let transposed: LazyEngine? =
                useFFT
                ? LazyEngine {
                    // W'[t, o, c] = W[kh - 1 - t, c, o]: inputs and outputs swap, taps run backwards.
                    let width = kw * cin
                    var flipped = [Float](repeating: 0, count: k.count)
                    for t in 0..<kh {
                        for c in 0..<width {
                            for o in 0..<cout {
                                flipped[(t * cout + o) * width + c] = k.data[((kh - 1 - t) * width + c) * cout + o]
                            }
                        }
                    }
                    return FFTRowConvolution(
                        shape: RowConvolutionShape(taps: kh, inputWidth: cout, outputs: width, stride: 1, dilation: 1),
                        kernel: flipped)
                } : nil
            row = RowEngines(
                main: main, oneHot: kw * cin == 4 ? OneHotRowConvolution(shape: shape, kernel: k.data) : nil,
                transposedFFT: transposed)
        } else {
            row = nil
        }
    }

    public var parameterCount: Int { kernel.count + (bias?.count ?? 0) }
    public var filters: Int { kernel.shape[3] }

    /// For row convolutions (the kernel spans the whole width): taps, values per input row,
    /// stride and dilation along the sequence, zero rows padded before, and output rows.
    public var rowGeometry: (taps: Int, width: Int, stride: Int, dilation: Int, top: Int, outputRows: Int)? {
        guard row != nil else { return nil }
        return (kernel.shape[0], kernel.shape[1] * geometry.c, strides.0, dilation.0, geometry.top, geometry.oh)
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input == inputShape else {
            throw ModelError(.shapeMismatch, "\(name): built for input \(inputShape), given \(input)")
        }
        return oneDimensional ? [geometry.oh, filters] : [geometry.oh, geometry.ow, filters]
    }

    /// x: `[batch, H, W, C]` -> y: `[batch, OH, OW, filters]`.
    public func forward(_ x: Tensor) -> Tensor {
        forward(x, activation: activation)
    }

    /// The output before the activation (bias included), for analyses that update it.
    func preActivation(_ x: Tensor) -> Tensor {
        forward(x, activation: .linear)
    }

    private func forward(_ x: Tensor, activation: ActivationFunction) -> Tensor {
        let g = geometry
        let inSample = g.h * g.w * g.c
        let outSample = g.oh * g.ow * filters
        // Every engine writes every output value, so the array is left unfilled (20 MB a sample
        // for FusionAI's first layer).
        var y = [Float](unsafeUninitializedCapacity: x.batch * outSample) { _, count in count = x.batch * outSample }
        let needsPadding = g.paddedH != g.h || g.paddedW != g.w
        // Bias and ReLU ride along with engines that write each output once.
        let epilogue =
            activation == .relu || activation == .linear
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
                            let engine: any RowConvolutionEngine =
                                if let oneHot = row.oneHot, OneHotRowConvolution.isOneHot(sample, rows: g.paddedH) {
                                    oneHot
                                } else {
                                    row.main
                                }
                            let fuse = engine.fusesEpilogue && epilogue != nil
                            engine.forward(
                                sample, length: g.paddedH, into: out, outputLength: g.oh,
                                epilogue: fuse ? epilogue : nil)
                            if !fuse { finish(out, epilogue: epilogue, activation: activation) }
                        } else {
                            general(sample, into: out)
                            finish(out, epilogue: epilogue, activation: activation)
                        }
                    }
                }
            }
        }
        return Tensor(shape: [x.batch] + (oneDimensional ? [g.oh, filters] : [g.oh, g.ow, filters]), data: y)
    }

    /// Per sample, on the padded input `P [paddedH, paddedW, C]`, with `dZ = f'(dy)`:
    ///
    ///     dP[input rows of tap k] += dZ · K_kᵀ        dK_k += P[input rows of tap k]ᵀ · dZ        db = Σ dZ
    ///
    /// Row convolutions take all output rows in one GEMM per tap (strided rows again); long kernels
    /// get dP by FFT instead, as the convolution of dZ (zero-padded by taps - 1 at both ends) with
    /// the flipped, transposed kernel. The general 2-D path runs one GEMM per tap and output row.
    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        let g = geometry
        let (kh, kw, f) = (kernel.shape[0], kernel.shape[1], filters)
        let dz = activation.backward(output: y, gradient: dy)
        let inSample = g.h * g.w * g.c
        let outSample = g.oh * g.ow * f
        let padSample = g.paddedH * g.paddedW * g.c
        var dx = [Float](repeating: 0, count: x.count)
        var dK = [Float](repeating: 0, count: parameterGradients ? kernel.count : 0)
        var db = [Float](repeating: 0, count: f)
        var padded = [Float](repeating: 0, count: padSample)
        var dPadded = [Float](repeating: 0, count: padSample)
        // Long kernels: the weight gradient by FFT too, summed over the batch, transformed back once.
        let fftWeights = parameterGradients ? (row?.main as? FFTRowConvolution).map(FFTWeightGradient.init) : nil
        let width = kw * g.c  // a row's values, for row convolutions
        let rowValues = g.w * g.c
        // Input rows into the padded layout (and gradient rows back out), a whole row at a time.
        func paddedRow(_ h: Int) -> Int { ((h + g.top) * g.paddedW + g.left) * g.c }
        // dZ between kh - 1 zero rows at each end, for the long-kernel input gradient: the ends
        // stay zero, only the middle is rewritten per sample.
        var dzPadded = row?.transposedFFT == nil ? [] : [Float](repeating: 0, count: (g.oh + 2 * (kh - 1)) * f)
        for b in 0..<x.batch {
            x.data.withUnsafeBufferPointer { xp in
                padded.withUnsafeMutableBufferPointer { pp in
                    for h in 0..<g.h {
                        (pp.baseAddress! + paddedRow(h)).update(
                            from: xp.baseAddress! + b * inSample + h * rowValues, count: rowValues)
                    }
                }
            }
            dPadded.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            dz.data.withUnsafeBufferPointer { dzAll in
                let dZ = dzAll.baseAddress! + b * outSample
                kernel.data.withUnsafeBufferPointer { kp in
                    padded.withUnsafeBufferPointer { pp in
                        dPadded.withUnsafeMutableBufferPointer { dp in
                            let K = kp.baseAddress!
                            let P = pp.baseAddress!
                            let dP = dp.baseAddress!
                            if let row, let transposed = row.transposedFFT?.engine {
                                dzPadded.withUnsafeMutableBufferPointer { zp in
                                    (zp.baseAddress! + (kh - 1) * f).update(from: dZ, count: g.oh * f)
                                    transposed.forward(
                                        zp.baseAddress!, length: g.oh + 2 * (kh - 1), into: dP, outputLength: g.paddedH)
                                }
                            } else if row != nil {
                                for t in 0..<kh {
                                    cblas_sgemm(
                                        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(g.oh), Int32(width), Int32(f), 1,
                                        dZ, Int32(f), K + t * width * f, Int32(f), 1,
                                        dP + t * dilation.0 * width, Int32(strides.0 * width))
                                }
                            } else {
                                for i in 0..<kh {
                                    for j in 0..<kw {
                                        for oh in 0..<g.oh {
                                            cblas_sgemm(
                                                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(g.ow), Int32(g.c),
                                                Int32(f), 1,
                                                dZ + oh * g.ow * f, Int32(f), K + (i * kw + j) * g.c * f, Int32(f), 1,
                                                dP + ((oh * strides.0 + i * dilation.0) * g.paddedW + j * dilation.1)
                                                    * g.c,
                                                Int32(strides.1 * g.c))
                                        }
                                    }
                                }
                            }
                            guard parameterGradients else { return }
                            if let fftWeights {
                                fftWeights.add(P, length: g.paddedH, dz: dZ, outputLength: g.oh)
                            } else {
                                dK.withUnsafeMutableBufferPointer { kernelGradient(P, dZ, into: $0.baseAddress!) }
                            }
                            for r in 0..<(g.oh * g.ow) { for o in 0..<f { db[o] += dZ[r * f + o] } }
                        }
                    }
                }
            }
            dPadded.withUnsafeBufferPointer { dp in
                dx.withUnsafeMutableBufferPointer { xp in
                    for h in 0..<g.h {
                        (xp.baseAddress! + b * inSample + h * rowValues).update(
                            from: dp.baseAddress! + paddedRow(h), count: rowValues)
                    }
                }
            }
        }
        if let fftWeights { dK = fftWeights.result() }
        var grads = LayerGradients(input: Tensor(shape: x.shape, data: dx))
        if parameterGradients {
            grads.parameters["kernel"] = Tensor(shape: oneDimensional ? [kh, g.c, f] : kernel.shape, data: dK)
            if bias != nil { grads.parameters["bias"] = Tensor(shape: [f], data: db) }
        }
        return grads
    }

    /// Adds one sample's `dK_k += P[input rows of tap k]ᵀ · dZ` for every tap, by GEMMs.
    private func kernelGradient(
        _ P: UnsafePointer<Float>, _ dZ: UnsafePointer<Float>, into dK: UnsafeMutablePointer<Float>
    ) {
        let g = geometry
        let (kh, kw, f) = (kernel.shape[0], kernel.shape[1], filters)
        if row != nil {
            let width = kw * g.c
            for t in 0..<kh {
                cblas_sgemm(
                    CblasRowMajor, CblasTrans, CblasNoTrans, Int32(width), Int32(f), Int32(g.oh), 1,
                    P + t * dilation.0 * width, Int32(strides.0 * width), dZ, Int32(f), 1, dK + t * width * f, Int32(f))
            }
        } else {
            for i in 0..<kh {
                for j in 0..<kw {
                    for oh in 0..<g.oh {
                        cblas_sgemm(
                            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(g.c), Int32(f), Int32(g.ow), 1,
                            P + ((oh * strides.0 + i * dilation.0) * g.paddedW + j * dilation.1) * g.c,
                            Int32(strides.1 * g.c),
                            dZ + oh * g.ow * f, Int32(f), 1, dK + (i * kw + j) * g.c * f, Int32(f))
                    }
                }
            }
        }
    }

    /// Bias and activation for one sample's output `[OH * OW, filters]`, when the engine did not fuse them.
    private func finish(_ out: UnsafeMutablePointer<Float>, epilogue: RowEpilogue?, activation: ActivationFunction) {
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
                        cblas_sgemm(
                            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(g.ow), Int32(f), Int32(g.c), 1,
                            input, Int32(strides.1 * g.c), weights, Int32(f), 1, y + oh * g.ow * f, Int32(f))
                    }
                }
            }
        }
    }
}

/// An FFT engine built the first time it is needed (the transposed kernel of a layer that may
/// never run backward), once, whichever thread asks first.
final class LazyEngine: @unchecked Sendable {
    private let lock = NSLock()
    private let make: @Sendable () -> FFTRowConvolution
    private var built: FFTRowConvolution?

    init(_ make: @escaping @Sendable () -> FFTRowConvolution) {
        self.make = make
    }

    var engine: FFTRowConvolution {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let engine = make()
        built = engine
        return engine
    }
}
