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

    private func spatial(_ input: [Int]) throws -> (h: Int, w: Int, c: Int) {
        if oneDimensional, input.count == 2 { return (input[0], 1, input[1]) }
        if !oneDimensional, input.count == 3 { return (input[0], input[1], input[2]) }
        throw ModelError(
            .shapeMismatch,
            "\(name): pooling expects \(oneDimensional ? "[length, channels]" : "[height, width, channels]") samples, got \(input)"
        )
    }

    private func geometry(_ h: Int, _ w: Int) throws -> (oh: Int, ow: Int, top: Int, left: Int) {
        guard let gh = padding.geometry(length: h, window: pool.0, stride: strides.0),
            let gw = padding.geometry(length: w, window: pool.1, stride: strides.1)
        else { throw ModelError(.shapeMismatch, "\(name): pool \(pool) does not fit the input \(h)x\(w)") }
        return (gh.output, gw.output, gh.before, gw.before)
    }

    /// For samples of width 1 (`[H, 1, C]` or 1-D): pool rows, stride, zero rows padded before,
    /// and output rows.
    func rowGeometry(inputShape: [Int]) -> (pool: Int, stride: Int, top: Int, outputRows: Int)? {
        guard let s = try? spatial(inputShape), s.w == 1, let g = try? geometry(s.h, s.w), g.ow == 1 else { return nil }
        return (pool.0, strides.0, g.top, g.oh)
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        let s = try spatial(input)
        let g = try geometry(s.h, s.w)
        return oneDimensional ? [g.oh, s.c] : [g.oh, g.ow, s.c]
    }

    /// x: `[batch, H, W, C]` -> y: `[batch, OH, OW, C]`; padded positions never win a max and are
    /// left out of an average, as in Keras.
    public func forward(_ x: Tensor) -> Tensor {
        let (y, _) = run(x, dy: nil)
        return y
    }

    /// Max: dy goes to the first input position holding the window's maximum; average: dy / count
    /// to every position of the window.
    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        LayerGradients(input: run(x, dy: dy).dx ?? Tensor(zeros: x.shape))
    }

    /// The forward pass, and with `dy` the backward pass too: one walk over the windows serves both.
    private func run(_ x: Tensor, dy: Tensor?) -> (y: Tensor, dx: Tensor?) {
        guard let s = try? spatial(x.sampleShape), let g = try? geometry(s.h, s.w) else {
            preconditionFailure("\(name): input shape \(x.shape) was not checked")
        }
        let outSample = g.oh * g.ow * s.c
        let inSample = s.h * s.w * s.c
        var y = [Float](repeating: 0, count: x.batch * outSample)
        var dx = [Float](repeating: 0, count: dy == nil ? 0 : x.count)
        for b in 0..<x.batch {
            let xb = b * inSample
            let yb = b * outSample
            for oh in 0..<g.oh {
                let h0 = max(0, oh * strides.0 - g.top)
                let h1 = min(s.h, oh * strides.0 - g.top + pool.0)
                for ow in 0..<g.ow {
                    let w0 = max(0, ow * strides.1 - g.left)
                    let w1 = min(s.w, ow * strides.1 - g.left + pool.1)
                    let count = Float((h1 - h0) * (w1 - w0))
                    for c in 0..<s.c {
                        var acc: Float = kind == .max ? -.infinity : 0
                        var best = -1
                        for h in h0..<h1 {
                            for w in w0..<w1 {
                                let i = xb + (h * s.w + w) * s.c + c
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
                        let o = yb + (oh * g.ow + ow) * s.c + c
                        y[o] = kind == .max ? acc : acc / count
                        guard let dy else { continue }
                        if kind == .max {
                            if best >= 0 { dx[best] += dy.data[o] }
                        } else {
                            for h in h0..<h1 {
                                for w in w0..<w1 { dx[xb + (h * s.w + w) * s.c + c] += dy.data[o] / count }
                            }
                        }
                    }
                }
            }
        }
        let yShape = [x.batch] + (oneDimensional ? [g.oh, s.c] : [g.oh, g.ow, s.c])
        return (Tensor(shape: yShape, data: y), dy == nil ? nil : Tensor(shape: x.shape, data: dx))
    }
}
