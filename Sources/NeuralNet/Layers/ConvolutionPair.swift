import CKernels
import COpenBLAS

/// FusionAI's two convolutions run as one step: a one-hot row convolution (`first`, a (20, 4)
/// kernel on DNA) and the FFT row convolution over its rows (`second`, 200 taps), on one-hot input.
/// `first`'s output `a₁` (20 MB a sample: 20,000 rows x 256 channels) is never stored.
///
/// - Forward: each FFT block's input rows are summed from `first`'s table straight into the
///   transform's channel-major scratch; no transpose.
/// - Input gradient: the FFT engine of `second`'s transposed kernel hands each block of `dL/da₁`
///   over channel-major; the block is masked with ReLU's derivative (`a₁` recomputed from the
///   table for those rows) and correlated with `first`'s kernel to the four bases
///   (`fusionai_narrow_correlation_add`), so `dL/dx` needs neither `a₁`, `dL/da₁` nor a transpose.
///
/// Values are those of the layers one by one: bit for bit forward, to float rounding backward.
struct ConvolutionPair {
    let first: Convolution
    let second: Convolution
    private let oneHot: OneHotRowConvolution
    private let fft: FFTRowConvolution
    private let firstEpilogue: RowEpilogue
    private let epilogue: RowEpilogue

    /// Nil when the pair has another shape or a sample of `x` (`first`'s input) is not one-hot:
    /// the caller then runs the layers one by one.
    init?(first: Convolution, second: Convolution, input x: Tensor) {
        let (g, g1) = (second.geometry, first.geometry)
        guard let oneHot = first.oneHot, let fft = second.engine as? FFTRowConvolution, second.rowGeometry != nil,
            first.rowGeometry != nil, !g.needsPadding, !g1.needsPadding,
            [.relu, .linear].contains(second.activation), [.relu, .linear].contains(first.activation),
            (try? first.outputShape(for: x.sampleShape)) == second.inputShape
        else { return nil }
        guard OneHotRowConvolution.isOneHot(x, rows: g1.h) else { return nil }
        self.first = first
        self.second = second
        self.oneHot = oneHot
        self.fft = fft
        firstEpilogue = RowEpilogue(
            bias: first.bias ?? [Float](repeating: 0, count: first.filters), relu: first.activation == .relu)
        epilogue = RowEpilogue(
            bias: second.bias ?? [Float](repeating: 0, count: second.filters), relu: second.activation == .relu)
    }

    /// Whether ``inputGradient(input:output:outputGradient:)`` runs fused: `first` has stride and
    /// dilation 1 (the correlation kernel's shape).
    var fusesInputGradient: Bool {
        first.rowGeometry.map { $0.stride == 1 && $0.dilation == 1 } ?? false
    }

    /// `[batch, H, 4, 1]` one-hot -> `second`'s output, as `second.forward(first.forward(x))`.
    func forward(_ x: Tensor) -> Tensor {
        let (g, g1) = (second.geometry, first.geometry)
        let inSample = g1.h * g1.w * g1.c
        let outSample = g.oh * g.ow * second.filters
        var y = [Float](unsafeUninitializedCapacity: x.batch * outSample) { _, count in count = x.batch * outSample }
        x.data.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                for b in 0..<x.batch {
                    let rows = oneHot.rows(of: xs.baseAddress! + b * inSample, length: g1.h, epilogue: firstEpilogue)
                    fft.forward(
                        rows, length: g.paddedH, into: ys.baseAddress! + b * outSample, outputLength: g.oh,
                        epilogue: epilogue)
                }
            }
        }
        return Tensor(shape: [x.batch] + second.sampleOutputShape, data: y)
    }

    /// `dL/dx` from `x`, the pair's output `y = forward(x)` and `dy = dL/dy`.
    /// - Precondition: ``fusesInputGradient``.
    func inputGradient(input x: Tensor, output y: Tensor, outputGradient dy: Tensor) -> Tensor {
        backward(input: x, output: y, outputGradient: dy, inputGradient: true).input
    }

    /// Both layers' weight gradients (`first`'s then `second`'s, keyed `kernel` and `bias`) from
    /// `x`, `y = forward(x)` and `dy`, without `dL/dx` (training): `second`'s kernel gradient reads
    /// `first`'s output recomputed from its table, `first`'s comes from the blocks of `dL/da₁`.
    /// - Precondition: ``fusesInputGradient``.
    func parameterGradients(input x: Tensor, output y: Tensor, outputGradient dy: Tensor) -> (
        first: [String: Tensor], second: [String: Tensor]
    ) {
        let g = backward(input: x, output: y, outputGradient: dy, inputGradient: false)
        return (g.first, g.second)
    }

    private struct Gradients {
        var input: Tensor
        var first: [String: Tensor] = [:]
        var second: [String: Tensor] = [:]
    }

    /// Per sample: `second`'s kernel gradient (training), then the transposed FFT engine's blocks of
    /// `dL/da₁` into ``OneHotLayerGradient``, for `dL/dx` or for `first`'s weight gradients.
    private func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, inputGradient: Bool)
        -> Gradients
    {
        precondition(fusesInputGradient, "the pair's backward needs stride and dilation 1")
        let (g, g1) = (second.geometry, first.geometry)
        let taps = second.rowGeometry!.taps
        let dz = second.activation.backward(output: y, gradient: dy)
        let transposed = fft.transposedEngine
        let inSample = g1.h * g1.w * g1.c
        let outSample = g.oh * g.ow * second.filters
        let correlation = inputGradient ? first.narrowCorrelationKernel() : nil
        let weights = inputGradient ? nil : FFTWeightGradient(engine: fft)
        // dz between `taps - 1` zero rows at each end: the transposed kernel's full convolution.
        let paddedLength = g.oh + 2 * (taps - 1)
        var padded = [Float](repeating: 0, count: paddedLength * second.filters)
        // Not `[Float](unsafeUninitializedCapacity: 0)`: that writes the count of the one shared empty
        // array, which training threads did at once (a data race ThreadSanitizer reports).
        var dx = inputGradient ? [Float](unsafeUninitializedCapacity: x.count) { _, count in count = x.count } : []
        // One sink for all samples: its parameter gradients sum over them.
        var sink = OneHotLayerGradient(
            shape: oneHot.shape, relu: first.activation == .relu, kernel: correlation,
            parameterGradients: !inputGradient, blockRows: transposed.step, length: g.paddedH)
        var secondBias = [Float](repeating: 0, count: second.filters)
        x.data.withUnsafeBufferPointer { xs in
            dz.data.withUnsafeBufferPointer { dzs in
                for b in 0..<x.batch {
                    let sampleDz = dzs.baseAddress! + b * outSample
                    padded.withUnsafeMutableBufferPointer { p in
                        (p.baseAddress! + (taps - 1) * second.filters).update(from: sampleDz, count: outSample)
                    }
                    let rows = oneHot.rows(of: xs.baseAddress! + b * inSample, length: g1.h, epilogue: firstEpilogue)
                    if let weights {
                        weights.add(rows, length: g.paddedH, dz: sampleDz, outputLength: g.oh)
                        secondBias.withUnsafeMutableBufferPointer { d in
                            for r in 0..<g.oh {
                                accumulate(sampleDz + r * second.filters, into: d.baseAddress!, count: second.filters)
                            }
                        }
                    }
                    sink.start(activations: rows)
                    padded.withUnsafeBufferPointer { p in
                        transposed.forward(
                            ChannelsLastRows(rows: p.baseAddress!, width: second.filters, engine: transposed),
                            length: paddedLength, into: &sink, outputLength: g.paddedH)
                    }
                    if inputGradient {
                        dx.withUnsafeMutableBufferPointer { d in sink.write(into: d.baseAddress! + b * inSample) }
                    }
                }
            }
        }
        var result = Gradients(input: Tensor(shape: inputGradient ? x.shape : [0], data: dx))
        guard let weights else { return result }
        result.first["kernel"] = Tensor(shape: first.kernelGradientShape, data: sink.kernelGradient)
        if first.bias != nil { result.first["bias"] = Tensor(shape: [first.filters], data: sink.biasGradient) }
        result.second["kernel"] = Tensor(shape: second.kernelGradientShape, data: weights.result())
        if second.bias != nil { result.second["bias"] = Tensor(shape: [second.filters], data: secondBias) }
        return result
    }
}

/// One sample's gradients through a one-hot convolution with ReLU, fed `dL/da` block by block
/// (channel-major, in order) by the FFT engine of the next layer's transposed kernel:
///
///     dL/dz[t, o] = dL/da[t, o] · [a[t, o] > 0]
///     dL/dx[p, b] = Σ_k Σ_o dL/dz[p - k, o] · K[k, b, o]        (explain)
///     dL/dK[k, b, o] += Σ_t [x[t + k] = b] · dL/dz[t, o]        dL/db[o] += Σ_t dL/dz[t, o]   (training)
///
/// `a` is recomputed for the block's rows from the layer's table. Each block's `dL/dz` sits in
/// `z` after the last `taps - 1` rows of the block before (zeros before the first), so output
/// rows `p` of the block read only `z`; after the last block `taps - 1` zero rows let the last
/// outputs be computed too. The kernel gradient of a block is one GEMM: the block's one-hot rows
/// at every lag, `[taps·4, rows]`, times its `dL/dz` transposed.
///
/// One sink serves a batch: ``start(activations:)`` before each sample; the parameter gradients
/// sum over the samples.
final class OneHotLayerGradient: ChannelRowSink {
    /// The sample's `a` (``start(activations:)``).
    private var activations: OneHotRows?
    private let relu: Bool
    /// `[channels][taps][4]`: the layer's kernel flipped, `K[taps - 1 - j, b, c]`
    /// (``Convolution/narrowCorrelationKernel()``); nil when `dL/dx` is not wanted.
    private let kernel: [Float]?
    private let taps: Int, channels: Int, length: Int
    private let zPitch: Int, dxPitch: Int
    /// `[channels][zPitch]`: `taps - 1` carried rows, then the block's rows (then zeros after the last).
    private let z: UnsafeMutablePointer<Float>
    /// `[4][dxPitch]`: `dL/dx` channel-major, summed block by block.
    private let dx: UnsafeMutablePointer<Float>?
    /// `[taps·4][zPitch]` one-hot rows of a block at every lag, `[taps, 4, channels]` and
    /// `[channels]` sums: the parameter gradients, when wanted.
    private let lagged: UnsafeMutablePointer<Float>?
    private(set) var kernelGradient: [Float]
    private(set) var biasGradient: [Float]

    /// - Parameters:
    ///   - kernel: for `dL/dx`, from ``Convolution/narrowCorrelationKernel()``; nil: none.
    ///   - parameterGradients: whether to sum `dL/dK` and `dL/db`.
    ///   - shape: the one-hot convolution's.
    ///   - blockRows: the most rows a block holds.
    ///   - length: the layer's output rows (`dL/da` rows); `dL/dx` has `length + taps - 1`.
    init(
        shape: RowConvolutionShape, relu: Bool, kernel: [Float]?, parameterGradients: Bool, blockRows: Int, length: Int
    ) {
        self.relu = relu
        self.kernel = kernel
        taps = shape.taps
        channels = shape.outputs
        self.length = length
        zPitch = (blockRows + 2 * (taps - 1) + 7) / 8 * 8
        dxPitch = length + taps - 1
        z = .allocate(capacity: channels * zPitch)
        z.initialize(repeating: 0, count: channels * zPitch)
        if kernel != nil {
            let dx = UnsafeMutablePointer<Float>.allocate(capacity: 4 * dxPitch)
            dx.initialize(repeating: 0, count: 4 * dxPitch)
            self.dx = dx
        } else {
            dx = nil
        }
        lagged = parameterGradients ? .allocate(capacity: taps * 4 * zPitch) : nil
        kernelGradient = [Float](repeating: 0, count: parameterGradients ? taps * 4 * channels : 0)
        biasGradient = [Float](repeating: 0, count: parameterGradients ? channels : 0)
    }

    /// Readies the sink for a sample whose one-hot layer output is `activations`: no carried rows,
    /// `dL/dx` zero.
    func start(activations: OneHotRows) {
        self.activations = activations
        z.update(repeating: 0, count: channels * zPitch)
        dx?.update(repeating: 0, count: 4 * dxPitch)
    }

    deinit {
        z.deallocate()
        dx?.deallocate()
        lagged?.deallocate()
    }

    func take(rows range: Range<Int>, from block: UnsafeMutablePointer<Float>, pitch: Int) {
        guard let activations else { preconditionFailure("start(activations:) comes before the blocks") }
        let (h, v) = (taps - 1, range.count)
        if relu {
            activations.write(rows: range, into: z + h, pitch: zPitch)
            for c in 0..<channels { Self.mask(z + c * zPitch + h, by: block + c * pitch, count: v) }
        } else {
            for c in 0..<channels { (z + c * zPitch + h).update(from: block + c * pitch, count: v) }
        }
        if lagged != nil { addParameterGradients(rows: range, of: activations) }
        if let kernel, let dx {
            var outputs = v
            if range.upperBound == length {
                for c in 0..<channels { (z + c * zPitch + h + v).update(repeating: 0, count: h) }
                outputs += h
            }
            kernel.withUnsafeBufferPointer { k in
                let y = dx + range.lowerBound
                if SIMDKernels.available {
                    fusionai_narrow_correlation_add(z, zPitch, channels, outputs, k.baseAddress, taps, y, dxPitch)
                } else {
                    fusionai_narrow_correlation_add_portable(
                        z, zPitch, channels, outputs, k.baseAddress, taps, y, dxPitch)
                }
            }
            // The block's last `taps - 1` rows are the next block's carry (the correlation's alone).
            for c in 0..<channels { (z + c * zPitch).update(from: z + c * zPitch + v, count: h) }
        }
    }

    /// `dL/dK += lagged · dL/dzᵀ` and `dL/db += Σ_t dL/dz` for the block now in `z`.
    private func addParameterGradients(rows range: Range<Int>, of activations: OneHotRows) {
        guard let lagged else { return }
        let (h, v) = (taps - 1, range.count)
        lagged.update(repeating: 0, count: taps * 4 * zPitch)
        activations.code.withUnsafeBufferPointer { code in
            for k in 0..<taps {
                for t in 0..<v {
                    let b = Int(code[range.lowerBound + t + k])
                    if b < 4 { lagged[(k * 4 + b) * zPitch + t] = 1 }
                }
            }
        }
        kernelGradient.withUnsafeMutableBufferPointer { dK in
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(taps * 4), Int32(channels), Int32(v), 1, lagged,
                Int32(zPitch), z + h, Int32(zPitch), 1, dK.baseAddress, Int32(channels))
        }
        biasGradient.withUnsafeMutableBufferPointer { db in
            for c in 0..<channels {
                let row = z + c * zPitch + h
                var sum: Float = 0
                for t in 0..<v { sum += row[t] }
                db[c] += sum
            }
        }
    }

    /// `row[m] = gradient[m]` where `row[m] > 0` (ReLU's output), else 0, eight at a time.
    private static func mask(_ row: UnsafeMutablePointer<Float>, by gradient: UnsafePointer<Float>, count: Int) {
        let zero = SIMD8<Float>(repeating: 0)
        var m = 0
        while m + 8 <= count {
            let a = UnsafeRawPointer(row + m).loadUnaligned(as: SIMD8<Float>.self)
            let g = UnsafeRawPointer(gradient + m).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(row + m).storeBytes(
                of: zero.replacing(with: g, where: a .> zero), as: SIMD8<Float>.self)
            m += 8
        }
        for i in m..<count { row[i] = row[i] > 0 ? gradient[i] : 0 }
    }

    /// `dL/dx` channels-last, `[length + taps - 1][4]`.
    /// - Precondition: made with a kernel.
    func write(into target: UnsafeMutablePointer<Float>) {
        guard let dx else { preconditionFailure("no dL/dx was asked for") }
        for p in 0..<dxPitch {
            for b in 0..<4 { target[p * 4 + b] = dx[b * dxPitch + p] }
        }
    }
}
