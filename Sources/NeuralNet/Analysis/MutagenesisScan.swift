import COpenBLAS
import Dispatch

/// In-silico mutagenesis of one-hot sequence input: one model output for every single-base
/// substitution, computed exactly but without a full forward pass per substitution.
///
/// A substitution at position p changes the first convolution's output only over its receptive
/// field, that change spreads a kernel's width further through each later local layer, and after
/// `Flatten` it enters the first dense layer as a sum over the rows it touched. So each layer
/// recomputes only the rows that changed, from the stored pre-activations of one ordinary forward
/// pass (fastISM and yuzu's idea). For FusionAI (20 + 200 taps) that is 219 rows of the second
/// layer instead of 19,782, done for the three alternatives of a position as one GEMM.
///
/// Models must be sequential: row convolutions, activations, batch normalisation, dropout and
/// width-1 pooling, then `Flatten`, then dense layers (or activations and dropout).
public struct MutagenesisScan: Sendable {
    public let model: Model
    /// Which output the scan reports (FusionAI: 1, P(positive)).
    public let outputIndex: Int
    private let localCount: Int
    /// Per convolution layer: the kernel rearranged `[width][taps * filters]`, for one GEMM per row block.
    private let transposedKernels: [Int: [Float]]

    /// - Throws: ``ModelError`` when the model's structure has no receptive-field shortcut (use ``naive``).
    public init(model: Model, outputIndex: Int) throws {
        guard outputIndex >= 0, outputIndex < model.outputShape.reduce(1, *) else {
            throw ModelError(
                .invalidArgument, "output \(outputIndex) is not one of the model's \(model.outputShape.reduce(1, *))")
        }
        var shape = model.inputShape
        var local = 0
        var kernels: [Int: [Float]] = [:]
        var flattened = false
        var seenDense = false
        for (i, layer) in model.layers.enumerated() {
            switch layer {
            case let conv as Convolution where !flattened:
                guard let g = conv.rowGeometry else {
                    throw ModelError(
                        .unsupportedModel,
                        "\(conv.name): only convolutions spanning the whole width can be scanned fast")
                }
                let f = conv.filters
                var t = [Float](repeating: 0, count: g.width * g.taps * f)
                for k in 0..<g.taps {
                    for c in 0..<g.width {
                        for o in 0..<f { t[c * g.taps * f + k * f + o] = conv.kernel.data[(k * g.width + c) * f + o] }
                    }
                }
                kernels[i] = t
            case let pool as Pooling where !flattened:
                guard pool.rowGeometry(inputShape: shape) != nil else {
                    throw ModelError(.unsupportedModel, "\(pool.name): only width-1 pooling can be scanned fast")
                }
            case is Dropout:
                break
            case is Activation where !flattened || seenDense:
                break
            case is BatchNormalization where !flattened:
                break
            case is Flatten where !flattened:
                flattened = true
                local = i
            case is Dense where flattened:
                seenDense = true
            default:
                throw ModelError(.unsupportedModel, "layer \(layer.name) has no receptive-field shortcut")
            }
            shape = try layer.outputShape(for: shape)
        }
        guard flattened, shape.count == 1 else {
            throw ModelError(.unsupportedModel, "the model has no Flatten before its dense layers")
        }
        self.model = model
        self.outputIndex = outputIndex
        localCount = local
        transposedKernels = kernels
    }

    /// The stored forward pass of one sample: every layer's input and, for convolution and dense
    /// layers, its pre-activation.
    private struct BasePass {
        var inputs: [Tensor]
        var preActivations: [Int: Tensor]
        var output: Float
    }

    private func basePass(_ x: Tensor) -> BasePass {
        var inputs: [Tensor] = []
        var pre: [Int: Tensor] = [:]
        var a = x
        for (i, layer) in model.layers.enumerated() {
            inputs.append(a)
            if let conv = layer as? Convolution { pre[i] = conv.preActivation(a) }
            if let dense = layer as? Dense {
                pre[i] = (try? Dense(name: dense.name, kernel: dense.kernel, bias: dense.bias, activation: .linear))?
                    .forward(a)
            }
            a = layer.forward(a)
        }
        return BasePass(inputs: inputs, preActivations: pre, output: a.data[outputIndex])
    }

    /// The output for every substitution of one sample `x` (`[1] + inputShape`, one-hot rows of 4).
    /// - Parameter positions: the positions to scan (default: all).
    /// - Returns: the unmutated output and `[positions x 4]` values: the output with that base at that
    ///   position (the present base's entry is the unmutated output).
    public func scan(_ x: Tensor, positions: [Int]? = nil, threads: Int = 1) -> (reference: Float, values: [Float]) {
        let base = basePass(x)
        let chosen = positions ?? Array(0..<model.inputShape[0])
        let results = WorkerSlots<[Float]>(count: chosen.count)
        let workers = max(1, min(threads, chosen.count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var i = w
            while i < chosen.count {
                results.set(i, substitute(at: chosen[i], x: x, base: base))
                i += workers
            }
        }
        return (base.output, results.values.flatMap { $0 })
    }

    /// Outputs with each base at position `p`.
    private func substitute(at p: Int, x: Tensor, base: BasePass) -> [Float] {
        let present = (0..<4).first { x.data[p * 4 + $0] == 1 }
        let alternatives = (0..<4).filter { $0 != present }
        var out = [Float](repeating: base.output, count: 4)
        guard !alternatives.isEmpty else { return out }

        // Changed rows [lo, hi) of the current layer's input, one block per alternative.
        var lo = p
        var hi = p + 1
        var rows: [[Float]] = alternatives.map { c in (0..<4).map { $0 == c ? 1 : 0 } }
        var width = 4
        for i in 0..<localCount {
            let layer = model.layers[i]
            let input = base.inputs[i]
            width = input.sampleSize / input.sampleShape[0]
            if let conv = layer as? Convolution, let g = conv.rowGeometry, let kernelT = transposedKernels[i],
                let z = base.preActivations[i]
            {
                let f = conv.filters
                let tlo = max(0, ceilDiv(lo + g.top - (g.taps - 1) * g.dilation, g.stride))
                let thi = min(g.outputRows, (hi - 1 + g.top) / g.stride + 1)
                guard tlo < thi else { return out }
                let r = hi - lo
                // Δ input rows for all alternatives, stacked: [alternatives * r, width].
                var delta = [Float](repeating: 0, count: alternatives.count * r * width)
                for a in 0..<alternatives.count {
                    for k in 0..<(r * width) { delta[a * r * width + k] = rows[a][k] - input.data[lo * width + k] }
                }
                // Contributions of every changed row to every tap: [alternatives * r, taps * f].
                var products = [Float](repeating: 0, count: alternatives.count * r * g.taps * f)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(alternatives.count * r), Int32(g.taps * f),
                    Int32(width),
                    1, delta, Int32(width), kernelT, Int32(g.taps * f), 0, &products, Int32(g.taps * f))
                var next: [[Float]] = []
                for a in 0..<alternatives.count {
                    var zNew = Array(z.data[(tlo * f)..<(thi * f)])
                    for row in 0..<r {
                        let padded = lo + row + g.top
                        for k in 0..<g.taps {
                            let shifted = padded - k * g.dilation
                            guard shifted >= 0, shifted % g.stride == 0 else { continue }
                            let t = shifted / g.stride
                            guard t >= tlo, t < thi else { continue }
                            let source = (a * r + row) * g.taps * f + k * f
                            for o in 0..<f { zNew[(t - tlo) * f + o] += products[source + o] }
                        }
                    }
                    conv.activation.apply(&zNew, rowLength: f)
                    next.append(zNew)
                }
                rows = next
                (lo, hi) = (tlo, thi)
            } else if let pool = layer as? Pooling, let g = pool.rowGeometry(inputShape: input.sampleShape) {
                let h = input.sampleShape[0]
                let olo = max(0, ceilDiv(lo + g.top - g.pool + 1, g.stride))
                let ohi = min(g.outputRows, (hi - 1 + g.top) / g.stride + 1)
                guard olo < ohi else { return out }
                rows = rows.map { changed in
                    var result = [Float](repeating: 0, count: (ohi - olo) * width)
                    for o in olo..<ohi {
                        let r0 = max(0, o * g.stride - g.top)
                        let r1 = min(h, o * g.stride - g.top + g.pool)
                        for c in 0..<width {
                            var acc: Float = pool.kind == .max ? -.infinity : 0
                            for r in r0..<r1 {
                                let v = r >= lo && r < hi ? changed[(r - lo) * width + c] : input.data[r * width + c]
                                acc = pool.kind == .max ? max(acc, v) : acc + v
                            }
                            result[(o - olo) * width + c] = pool.kind == .max ? acc : acc / Float(r1 - r0)
                        }
                    }
                    return result
                }
                (lo, hi) = (olo, ohi)
            } else {
                // Activation, batch normalisation, dropout: row by row on the changed rows.
                rows = rows.map { layer.forward(Tensor(shape: [1, hi - lo, width], data: $0)).data }
            }
        }

        // After Flatten: the first dense layer adds the changed rows' deltas; the rest run whole.
        let flatInput = base.inputs[localCount]
        width = flatInput.sampleSize / flatInput.sampleShape[0]  // the last local layer's output rows
        for (a, c) in alternatives.enumerated() {
            let from = lo * width
            let to = hi * width
            var vector: Tensor?
            for i in (localCount + 1)..<model.layers.count {
                let layer = model.layers[i]
                if vector == nil, let dense = layer as? Dense, let z = base.preActivations[i] {
                    var zNew = z.data
                    let delta = (0..<(to - from)).map { rows[a][$0] - flatInput.data[from + $0] }
                    dense.kernel.data.withUnsafeBufferPointer { w in
                        cblas_sgemv(
                            CblasRowMajor, CblasTrans, Int32(to - from), Int32(dense.units), 1,
                            w.baseAddress! + from * dense.units, Int32(dense.units), delta, 1, 1, &zNew, 1)
                    }
                    var t = Tensor(shape: [1, dense.units], data: zNew)
                    dense.activation.apply(&t)
                    vector = t
                } else if let v = vector {
                    vector = layer.forward(v)
                }
            }
            out[c] = vector?.data[outputIndex] ?? base.output
        }
        return out
    }

    /// The same values by brute force: a full forward pass per substitution (for checks).
    public static func naive(model: Model, _ x: Tensor, outputIndex: Int, positions: [Int], threads: Int = 1) -> [Float]
    {
        let outputs = model.outputShape.reduce(1, *)
        var samples: [Float] = []
        var slots: [(Int, Int)] = []
        var values = [Float](repeating: model.forward(x).data[outputIndex], count: positions.count * 4)
        for (i, p) in positions.enumerated() {
            for c in 0..<4 where x.data[p * 4 + c] != 1 {
                var mutated = x.data
                for k in 0..<4 { mutated[p * 4 + k] = k == c ? 1 : 0 }
                samples += mutated
                slots.append((i, c))
            }
        }
        let y = model.predict(Tensor(shape: [slots.count] + model.inputShape, data: samples), threads: threads)
        for (j, (i, c)) in slots.enumerated() { values[i * 4 + c] = y.data[j * outputs + outputIndex] }
        return values
    }
}

private func ceilDiv(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? (a + b - 1) / b : -((-a) / b)
}
