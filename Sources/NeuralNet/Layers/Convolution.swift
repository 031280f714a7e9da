import COpenBLAS

/// Keras `Conv1D` and `Conv2D` (channels-last), with `padding`, `strides`, `dilation_rate`, bias and
/// activation. A `Conv1D` is a `Conv2D` on samples of width 1.
///
/// When the kernel spans the whole (unpadded) width, as in every FusionAI-family layer (a (20, 4)
/// kernel on one-hot rows, then (200, 1) on width 1), the layer is a 1-D convolution along the
/// sequence over rows of `width x channels` values, and one of three engines computes it: a table
/// gather for one-hot input, FFT overlap-save for long kernels, or per-tap GEMMs. Other shapes take
/// the general engine: per tap and output row, a GEMM. The layer pads, picks the engine and adds
/// bias and activation; the engines (Sources/NeuralNet/Convolution) hold the sums, forward and
/// backward.
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
    /// For row convolutions (the kernel spans the whole width): the layer along the sequence; nil
    /// for the general case.
    public let rowGeometry: RowGeometry?

    let geometry: ConvolutionGeometry
    /// FFT overlap-save or per-tap GEMMs along the sequence, or the general 2-D GEMMs.
    let engine: any DifferentiableRowEngine
    /// The table gather, which replaces `engine` forward for samples that are one-hot DNA.
    let oneHot: OneHotRowConvolution?

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

    /// A row convolution along the sequence: taps, values per input row, stride and dilation, zero
    /// rows padded before, and output rows.
    public struct RowGeometry: Sendable, Equatable {
        public let taps: Int
        public let width: Int
        public let stride: Int
        public let dilation: Int
        public let top: Int
        public let outputRows: Int
    }

    /// Whether FFT overlap-save beats per-tap GEMMs, from benchmarks/convolution (one thread,
    /// 20,000 positions): FFT is faster from 16 taps for every channel shape measured (256->32,
    /// 64->64, 16->16), and already from 8 taps once inputs x outputs reach a few thousand
    /// (1.6x at 8 taps for 256->32 and 64->64, 0.97x for 16->16).
    public static func prefersFFT(taps: Int, inputs: Int, outputs: Int) -> Bool {
        taps >= 16 || (taps >= 8 && inputs * outputs >= 2_048)
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
        let g = try ConvolutionGeometry(
            name: name, input: inputShape, oneDimensional: oneDimensional, kernel: k.shape, strides: strides,
            dilation: dilation, padding: padding)
        let (kh, kw, cin, cout) = (k.shape[0], k.shape[1], k.shape[2], k.shape[3])
        if let bias, bias.count != cout {
            throw ModelError(.shapeMismatch, "\(name): bias has \(bias.count) values for \(cout) filters")
        }

        self.name = name
        self.kernel = k
        self.bias = bias
        self.strides = strides
        self.dilation = dilation
        self.padding = padding
        self.activation = activation
        self.oneDimensional = oneDimensional
        self.inputShape = inputShape
        geometry = g

        // A row convolution when the kernel covers the whole width with no padding across it.
        guard g.ow == 1, g.left == 0, kw == g.w, dilation.1 == 1 || kw == 1 else {
            engine = GeneralConvolution(
                geometry: g, kernel: k.data, kh: kh, kw: kw, filters: cout, strides: strides, dilation: dilation)
            oneHot = nil
            rowGeometry = nil
            return
        }
        let shape = RowConvolutionShape(
            taps: kh, inputWidth: kw * cin, outputs: cout, stride: strides.0, dilation: dilation.0)
        let useFFT =
            strides.0 == 1 && dilation.0 == 1
            && FFTRowConvolution.estimatedBytes(shape) <= FFTRowConvolution.largestEngine
            && (algorithm == .fft
                || (algorithm == .automatic && Self.prefersFFT(taps: kh, inputs: kw * cin, outputs: cout)))
        engine =
            useFFT
            ? FFTRowConvolution(shape: shape, kernel: k.data) : DirectRowConvolution(shape: shape, kernel: k.data)
        oneHot = kw * cin == 4 ? OneHotRowConvolution(shape: shape, kernel: k.data) : nil
        rowGeometry = RowGeometry(
            taps: kh, width: kw * cin, stride: strides.0, dilation: dilation.0, top: g.top, outputRows: g.oh)
    }

    public var parameterCount: Int { kernel.count + (bias?.count ?? 0) }
    public var filters: Int { kernel.shape[3] }

    /// Which engine computes the sum along the sequence (profiles name it): the FFT size for FFT
    /// overlap-save, nil for per-tap or general GEMMs; ``takesOneHotGather`` when one-hot input
    /// takes the table gather instead.
    public var fftSize: Int? { (engine as? FFTRowConvolution)?.fftSize }
    public var takesOneHotGather: Bool { oneHot != nil }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input == inputShape else {
            throw ModelError(.shapeMismatch, "\(name): built for input \(inputShape), given \(input)")
        }
        return sampleOutputShape
    }

    /// The shape of `dL/dkernel`: the weight's own shape in the model file.
    var kernelGradientShape: [Int] { oneDimensional ? [kernel.shape[0], geometry.c, filters] : kernel.shape }

    /// The per-sample output shape for ``inputShape``.
    var sampleOutputShape: [Int] { oneDimensional ? [geometry.oh, filters] : [geometry.oh, geometry.ow, filters] }

    /// The kernel of a one-hot layer's input gradient for `fusionai_narrow_correlation_add`:
    /// `[filters][taps][4]`, `kernel[taps - 1 - j, b, o]` at `(o * taps + j) * 4 + b`.
    func narrowCorrelationKernel() -> [Float] {
        let (taps, f) = (kernel.shape[0], filters)
        precondition(kernel.count == taps * 4 * f, "a one-hot layer's kernel has 4 input values per tap")
        var w = [Float](repeating: 0, count: kernel.count)
        for o in 0..<f {
            for j in 0..<taps {
                for b in 0..<4 { w[(o * taps + j) * 4 + b] = kernel.data[((taps - 1 - j) * 4 + b) * f + o] }
            }
        }
        return w
    }

    // MARK: Forward

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
        // Bias and ReLU ride along with engines that write each output once.
        let epilogue =
            activation == .relu || activation == .linear
            ? RowEpilogue(bias: bias ?? [Float](repeating: 0, count: filters), relu: activation == .relu) : nil
        let padded = g.needsPadding ? PaddedSample(g) : nil
        x.data.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                for b in 0..<x.batch {
                    let sample = xs.baseAddress! + b * inSample
                    run(
                        padded?.load(sample) ?? sample, into: ys.baseAddress! + b * outSample, epilogue: epilogue,
                        activation: activation)
                }
            }
        }
        return Tensor(shape: [x.batch] + sampleOutputShape, data: y)
    }

    /// One padded sample `[paddedH, paddedW, C]` through the engine that suits it, then bias and
    /// activation where the engine did not fuse them (`epilogue` nil: activations other than ReLU).
    private func run(
        _ sample: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, epilogue: RowEpilogue?,
        activation: ActivationFunction
    ) {
        let g = geometry
        let chosen: any RowConvolutionEngine =
            if let oneHot, OneHotRowConvolution.isOneHot(sample, rows: g.paddedH) { oneHot } else { engine }
        let fuse = chosen.fusesEpilogue && epilogue != nil
        chosen.forward(sample, length: g.paddedH, into: out, outputLength: g.oh, epilogue: fuse ? epilogue : nil)
        guard !fuse else { return }
        let rows = g.oh * g.ow
        if let epilogue {
            for r in 0..<rows { epilogue.apply(out + r * filters) }
            return
        }
        if let bias {
            for r in 0..<rows { for k in 0..<filters { out[r * filters + k] += bias[k] } }
        }
        activation.apply(out, count: rows * filters, rowLength: filters)
    }

    // MARK: Backward

    /// Per sample, on the padded input `P [paddedH, paddedW, C]`, with `dZ = f'(dy)`:
    ///
    ///     dP[input rows of tap k] += dZ · K_kᵀ        dK_k += P[input rows of tap k]ᵀ · dZ        db = Σ dZ
    ///
    /// The engine computes `dP` and `dK` its own way (see each engine's backward); `dx` is `dP`
    /// without the padding.
    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        backwardThroughSums(
            input: x, preActivationGradient: activation.backward(output: y, gradient: dy),
            parameterGradients: parameterGradients, inputGradient: true)
    }

    /// The weights' gradients alone, for a first layer whose `dL/dx` nobody reads (training):
    /// ``LayerGradients/input`` is empty.
    func parameterGradients(input x: Tensor, output y: Tensor, outputGradient dy: Tensor) -> LayerGradients {
        backwardThroughSums(
            input: x, preActivationGradient: activation.backward(output: y, gradient: dy), parameterGradients: true,
            inputGradient: false)
    }

    /// The backward pass from `dZ`, the gradient before the activation: the convolution's sums alone.
    private func backwardThroughSums(
        input x: Tensor, preActivationGradient dz: Tensor, parameterGradients: Bool, inputGradient: Bool
    ) -> LayerGradients {
        let g = geometry
        let f = filters
        let inSample = g.h * g.w * g.c
        let outSample = g.oh * g.ow * f
        let padded = parameterGradients ? PaddedSample(g) : nil
        // On one-hot samples the kernel gradient is the one-hot table's gather run backwards.
        let oneHotGradient =
            parameterGradients && oneHot != nil && OneHotRowConvolution.isOneHot(x, rows: g.h) ? oneHot : nil
        var pass = engine.backward(
            length: g.paddedH, outputLength: g.oh, kernelGradient: parameterGradients && oneHotGradient == nil)
        let dPadded = inputGradient ? PaddedSample(g) : nil
        var dx = [Float](repeating: 0, count: inputGradient ? x.count : 0)
        var dK = [Float](repeating: 0, count: oneHotGradient == nil ? 0 : kernel.count)
        var db = [Float](repeating: 0, count: f)
        x.data.withUnsafeBufferPointer { xs in
            dz.data.withUnsafeBufferPointer { dzs in
                for b in 0..<x.batch {
                    let dZ = dzs.baseAddress! + b * outSample
                    if let dPadded {
                        dPadded.clear()
                        pass.inputGradient(dZ, into: dPadded.pointer)
                        dPadded.unload(into: &dx, at: b * inSample)
                    }
                    guard let padded else { continue }
                    let sample = padded.load(xs.baseAddress! + b * inSample)
                    if let oneHotGradient {
                        dK.withUnsafeMutableBufferPointer { d in
                            oneHotGradient.addKernelGradient(
                                sample, length: g.paddedH, dz: dZ, outputLength: g.oh, into: d.baseAddress!)
                        }
                    } else {
                        pass.addKernelGradient(sample, dz: dZ)
                    }
                    db.withUnsafeMutableBufferPointer { d in
                        for r in 0..<(g.oh * g.ow) { accumulate(dZ + r * f, into: d.baseAddress!, count: f) }
                    }
                }
            }
        }
        var grads = LayerGradients(input: Tensor(shape: inputGradient ? x.shape : [0], data: dx))
        guard parameterGradients else { return grads }
        let kernelShape = kernelGradientShape
        grads.parameters["kernel"] = Tensor(
            shape: kernelShape, data: oneHotGradient == nil ? pass.kernelGradient() : dK)
        if bias != nil { grads.parameters["bias"] = Tensor(shape: [f], data: db) }
        return grads
    }

    // MARK: DeepLIFT

    /// The convolution is linear in its input, so multipliers pass its sums like gradients; the
    /// activation takes the rescale rule on the pre-activations, recomputed at the input and at the
    /// reference.
    public func deepLiftBackward(_ pass: DeepLiftPass, outputMultiplier m: Tensor) -> Tensor {
        let mz = activation.rescale(m, pass, preActivation: preActivation)
        return backwardThroughSums(
            input: pass.input, preActivationGradient: mz, parameterGradients: false, inputGradient: true
        ).input
    }

    // MARK: Mutagenesis

    /// Before `Flatten`, row convolutions pass a change of input rows on to the output rows whose
    /// window holds them (``ConvolutionStep``).
    public func mutagenesisStep(at stage: MutagenesisStage, inputShape: [Int]) throws -> any MutagenesisStep {
        guard stage == .rows else { throw noShortcut() }
        guard let rowGeometry else {
            throw ModelError(
                .unsupportedModel, "\(name): only convolutions spanning the whole width can be scanned fast")
        }
        return ConvolutionStep(layer: self, geometry: rowGeometry)
    }
}

/// A row convolution's update for changed input rows `[lo, hi)`: output row `t` reads input rows
/// `t * stride - top + k * dilation`, so only outputs `[tlo, thi)` change, each by
///
///     Δz[t] = Σ_k Δx[t * stride - top + k * dilation] · K_k
///
/// added to the stored pre-activation, then the activation. The products of every changed row with
/// every tap, for all alternatives at once, are one GEMM against the kernel laid out
/// `[width][taps * filters]`.
struct ConvolutionStep: MutagenesisStep {
    let layer: Convolution
    let geometry: Convolution.RowGeometry
    /// `[width][taps * filters]`: tap `k`'s weights for input value `c` at `c * taps * filters + k * filters`.
    let transposedKernel: [Float]

    init(layer: Convolution, geometry g: Convolution.RowGeometry) {
        self.layer = layer
        self.geometry = g
        let f = layer.filters
        var t = [Float](repeating: 0, count: g.width * g.taps * f)
        for k in 0..<g.taps {
            for c in 0..<g.width {
                for o in 0..<f { t[c * g.taps * f + k * f + o] = layer.kernel.data[(k * g.width + c) * f + o] }
            }
        }
        transposedKernel = t
    }

    var next: MutagenesisStage { .rows }

    func record(input x: Tensor) -> Tensor { layer.preActivation(x) }

    func update(_ change: RowChange, input: Tensor, record z: Tensor) -> RowChange? {
        let g = geometry
        let f = layer.filters
        let (lo, r) = (change.rows.lowerBound, change.rows.count)
        let tlo = max(0, ceilDiv(lo + g.top - (g.taps - 1) * g.dilation, g.stride))
        let thi = min(g.outputRows, (change.rows.upperBound - 1 + g.top) / g.stride + 1)
        guard tlo < thi else { return nil }
        let products = tapProducts(change, input: input)
        let values = change.values.indices.map { a in
            var zNew = Array(z.data[(tlo * f)..<(thi * f)])
            for row in 0..<r {
                for k in 0..<g.taps {
                    // The output row that reads this input row through tap k, if any.
                    let shifted = lo + row + g.top - k * g.dilation
                    guard shifted >= 0, shifted % g.stride == 0, (tlo..<thi).contains(shifted / g.stride) else {
                        continue
                    }
                    let source = (a * r + row) * g.taps * f + k * f
                    for o in 0..<f { zNew[(shifted / g.stride - tlo) * f + o] += products[source + o] }
                }
            }
            layer.activation.apply(&zNew, rowLength: f)
            return zNew
        }
        return RowChange(rows: tlo..<thi, values: values)
    }

    /// `Δx · K_k` for every changed row, every tap and every alternative, as one GEMM:
    /// `[alternatives * rows, width] x [width, taps * filters]`.
    private func tapProducts(_ change: RowChange, input: Tensor) -> [Float] {
        let g = geometry
        let f = layer.filters
        let (lo, r, alternatives) = (change.rows.lowerBound, change.rows.count, change.values.count)
        var delta = [Float](repeating: 0, count: alternatives * r * g.width)
        for (a, rows) in change.values.enumerated() {
            for k in 0..<(r * g.width) { delta[a * r * g.width + k] = rows[k] - input.data[lo * g.width + k] }
        }
        var products = [Float](repeating: 0, count: alternatives * r * g.taps * f)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(alternatives * r), Int32(g.taps * f), Int32(g.width),
            1, delta, Int32(g.width), transposedKernel, Int32(g.taps * f), 0, &products, Int32(g.taps * f))
        return products
    }
}
