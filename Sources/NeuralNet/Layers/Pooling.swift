/// Keras `MaxPooling1D`/`MaxPooling2D` (and average pooling) over the spatial dimensions of
/// `[batch, H, C]` or `[batch, H, W, C]`; 1-D layers are 2-D ones with `W = 1`.
public struct Pooling: Layer {
    public enum Kind: String, Sendable { case max, average }

    public let name: String
    public let kind: Kind
    /// `(height, width)` pool size and strides.
    public let pool: (Int, Int)
    public let strides: (Int, Int)
    public let padding: Padding
    /// True for the 1-D layers (`[H, C]` samples).
    public let oneDimensional: Bool

    public init(name: String, kind: Kind, pool: (Int, Int), strides: (Int, Int), padding: Padding, oneDimensional: Bool)
    {
        self.name = name
        self.kind = kind
        self.pool = pool
        self.strides = strides
        self.padding = padding
        self.oneDimensional = oneDimensional
    }

    /// The windows over one sample `[h, w, c]`: output `[oh, ow, c]`, zeros padded before `top`
    /// rows and `left` columns.
    private struct Windows {
        let h: Int, w: Int, c: Int
        let oh: Int, ow: Int
        let top: Int, left: Int
    }

    private func windows(for input: [Int]) throws -> Windows {
        let (h, w, c): (Int, Int, Int)
        switch (oneDimensional, input.count) {
        case (true, 2): (h, w, c) = (input[0], 1, input[1])
        case (false, 3): (h, w, c) = (input[0], input[1], input[2])
        default:
            let expected = oneDimensional ? "[length, channels]" : "[height, width, channels]"
            throw ModelError(.shapeMismatch, "\(name): pooling expects \(expected) samples, got \(input)")
        }
        guard let gh = padding.geometry(length: h, window: pool.0, stride: strides.0),
            let gw = padding.geometry(length: w, window: pool.1, stride: strides.1)
        else { throw ModelError(.shapeMismatch, "\(name): pool \(pool) does not fit the input \(h)x\(w)") }
        return Windows(h: h, w: w, c: c, oh: gh.output, ow: gw.output, top: gh.before, left: gw.before)
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        let g = try windows(for: input)
        return oneDimensional ? [g.oh, g.c] : [g.oh, g.ow, g.c]
    }

    /// x: `[batch, H, W, C]` -> y: `[batch, OH, OW, C]`; padded positions never win a max and are
    /// left out of an average, as in Keras.
    public func forward(_ x: Tensor) -> Tensor {
        walk(x, dy: nil).y
    }

    /// Max: dy goes to the first input position holding the window's maximum; average: dy / count
    /// to every position of the window.
    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        LayerGradients(input: walk(x, dy: dy).dx ?? Tensor(zeros: x.shape))
    }

    /// What one walk over the windows gives: the output, and the input gradient when asked for.
    private struct Walk {
        var y: Tensor
        var dx: Tensor?
    }

    /// The forward pass, and with `dy` the backward pass too: one walk over the windows serves both.
    private func walk(_ x: Tensor, dy: Tensor?) -> Walk {
        let g: Windows
        do {
            g = try windows(for: x.sampleShape)
        } catch {
            preconditionFailure("\(error) (the model checks shapes before running)")
        }
        let outSample = g.oh * g.ow * g.c
        let inSample = g.h * g.w * g.c
        var y = [Float](repeating: 0, count: x.batch * outSample)
        var dx = [Float](repeating: 0, count: dy == nil ? 0 : x.count)
        for b in 0..<x.batch {
            let xb = b * inSample
            let yb = b * outSample
            for oh in 0..<g.oh {
                let h0 = max(0, oh * strides.0 - g.top)
                let h1 = min(g.h, oh * strides.0 - g.top + pool.0)
                for ow in 0..<g.ow {
                    let w0 = max(0, ow * strides.1 - g.left)
                    let w1 = min(g.w, ow * strides.1 - g.left + pool.1)
                    let count = Float((h1 - h0) * (w1 - w0))
                    for c in 0..<g.c {
                        var acc: Float = kind == .max ? -.infinity : 0
                        var best = -1
                        for h in h0..<h1 {
                            for w in w0..<w1 {
                                let i = xb + (h * g.w + w) * g.c + c
                                if kind == .max {
                                    if x.data[i] > acc {
                                        acc = x.data[i]
                                        best = i
                                    }
                                } else {
                                    acc += x.data[i]
                                }
                            }
                        }
                        let o = yb + (oh * g.ow + ow) * g.c + c
                        y[o] = kind == .max ? acc : acc / count
                        guard let dy else { continue }
                        if kind == .max {
                            if best >= 0 { dx[best] += dy.data[o] }
                        } else {
                            for h in h0..<h1 {
                                for w in w0..<w1 { dx[xb + (h * g.w + w) * g.c + c] += dy.data[o] / count }
                            }
                        }
                    }
                }
            }
        }
        let yShape = [x.batch] + (oneDimensional ? [g.oh, g.c] : [g.oh, g.ow, g.c])
        return Walk(y: Tensor(shape: yShape, data: y), dx: dy == nil ? nil : Tensor(shape: x.shape, data: dx))
    }

    /// Average pooling is linear, so multipliers pass like gradients; max pooling takes the rule of
    /// ``maxDeepLift(_:outputMultiplier:route:)``.
    public func deepLiftBackward(_ pass: DeepLiftPass, outputMultiplier m: Tensor) -> Tensor {
        let route: (Tensor, Tensor, Tensor) -> Tensor = { x, _, dy in walk(x, dy: dy).dx ?? Tensor(zeros: x.shape) }
        guard kind == .max else { return route(pass.input, pass.output, m) }
        return Self.maxDeepLift(pass, outputMultiplier: m, route: route)
    }

    /// DeepLIFT through a max as shap's DeepExplainer and captum compute it: with `c = max(y, y0)`
    /// per output, the change `c - y0` goes back through the input's gradient routing (to the
    /// input's argmax) and `y - c` through the reference's (to the reference's argmax), each times
    /// `m_y`; a position's routed amount over its Δx is its multiplier (the input's gradient routing
    /// where |Δx| < ``DeepLiftPass/minimumDifference``), so contributions sum to `Σ m_y Δy`.
    /// - Parameter route: the max's backward pass for an input, its output and an output gradient.
    static func maxDeepLift(
        _ pass: DeepLiftPass, outputMultiplier m: Tensor, route: (Tensor, Tensor, Tensor) -> Tensor
    ) -> Tensor {
        var up = m
        var down = m
        for i in m.data.indices {
            let c = max(pass.output.data[i], pass.referenceOutput.data[i])
            up.data[i] *= c - pass.referenceOutput.data[i]
            down.data[i] *= pass.output.data[i] - c
        }
        let fromInput = route(pass.input, pass.output, up)
        let fromReference = route(pass.referenceInput, pass.referenceOutput, down)
        var out = route(pass.input, pass.output, m)
        for i in out.data.indices {
            let dx = pass.input.data[i] - pass.referenceInput.data[i]
            if abs(dx) >= DeepLiftPass.minimumDifference {
                out.data[i] = (fromInput.data[i] + fromReference.data[i]) / dx
            }
        }
        return out
    }

    /// Before `Flatten`, pooling over rows alone (samples of width 1) passes a change of input rows
    /// on to the output rows whose windows hold them (``PoolingStep``).
    public func mutagenesisStep(at stage: MutagenesisStage, inputShape: [Int]) throws -> any MutagenesisStep {
        guard stage == .rows else { throw noShortcut() }
        let g = try windows(for: inputShape)
        guard g.w == 1, g.ow == 1 else {
            throw ModelError(.unsupportedModel, "\(name): only width-1 pooling can be scanned fast")
        }
        return PoolingStep(kind: kind, pool: pool.0, stride: strides.0, top: g.top, inputRows: g.h, outputRows: g.oh)
    }
}

/// Width-1 pooling's update for changed input rows `[lo, hi)`: output row `o` pools input rows
/// `o * stride - top ..< o * stride - top + pool`, so only outputs `[olo, ohi)` change; each is
/// pooled again from the changed rows and the stored input.
struct PoolingStep: MutagenesisStep {
    let kind: Pooling.Kind
    let pool: Int
    let stride: Int
    let top: Int
    let inputRows: Int
    let outputRows: Int

    var next: MutagenesisStage { .rows }

    func update(_ change: RowChange, input: Tensor, record: Tensor) -> RowChange? {
        let (lo, hi) = (change.rows.lowerBound, change.rows.upperBound)
        let width = input.sampleSize / inputRows
        let olo = max(0, ceilDiv(lo + top - pool + 1, stride))
        let ohi = min(outputRows, (hi - 1 + top) / stride + 1)
        guard olo < ohi else { return nil }
        let values = change.values.map { changed in
            var result = [Float](repeating: kind == .max ? -.infinity : 0, count: (ohi - olo) * width)
            // Row by row, each row's values in one pass (the same order of sums as per value).
            input.data.withUnsafeBufferPointer { x in
                changed.withUnsafeBufferPointer { v in
                    result.withUnsafeMutableBufferPointer { out in
                        for o in olo..<ohi {
                            let r0 = max(0, o * stride - top)
                            let r1 = min(inputRows, o * stride - top + pool)
                            let acc = out.baseAddress! + (o - olo) * width
                            for r in r0..<r1 {
                                let row =
                                    change.rows.contains(r)
                                    ? v.baseAddress! + (r - lo) * width : x.baseAddress! + r * width
                                if kind == .max {
                                    for c in 0..<width { acc[c] = max(acc[c], row[c]) }
                                } else {
                                    for c in 0..<width { acc[c] += row[c] }
                                }
                            }
                            if kind != .max { for c in 0..<width { acc[c] /= Float(r1 - r0) } }
                        }
                    }
                }
            }
            return result
        }
        return RowChange(rows: olo..<ohi, values: values)
    }
}
