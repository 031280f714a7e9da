/// Keras `GlobalMaxPooling1D/2D` and `GlobalAveragePooling1D/2D`: `[batch, ..., C]` -> `[batch, C]`.
public struct GlobalPooling: Layer {
    public let name: String
    public let kind: Pooling.Kind

    public init(name: String, kind: Pooling.Kind) {
        self.name = name
        self.kind = kind
    }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input.count >= 2, let c = input.last else {
            throw ModelError(.shapeMismatch, "\(name): global pooling needs a spatial dimension, got \(input)")
        }
        return [c]
    }

    public func forward(_ x: Tensor) -> Tensor {
        let c = x.shape.last ?? 1
        let positions = x.sampleSize / c
        var y = [Float](repeating: kind == .max ? -.infinity : 0, count: x.batch * c)
        for b in 0..<x.batch {
            for p in 0..<positions {
                let base = (b * positions + p) * c
                for k in 0..<c {
                    let v = x.data[base + k]
                    y[b * c + k] = kind == .max ? max(y[b * c + k], v) : y[b * c + k] + v
                }
            }
        }
        if kind == .average { for i in y.indices { y[i] /= Float(positions) } }
        return Tensor(shape: [x.batch, c], data: y)
    }

    /// Max: dy goes to the first position holding the maximum; average: dy / positions everywhere.
    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        let c = x.shape.last ?? 1
        let positions = x.sampleSize / c
        var dx = [Float](repeating: 0, count: x.count)
        for b in 0..<x.batch {
            for k in 0..<c {
                let g = dy.data[b * c + k]
                if kind == .average {
                    for p in 0..<positions { dx[(b * positions + p) * c + k] = g / Float(positions) }
                } else if let p = (0..<positions).first(where: {
                    x.data[(b * positions + $0) * c + k] == y.data[b * c + k]
                }) {
                    dx[(b * positions + p) * c + k] = g
                }
            }
        }
        return LayerGradients(input: Tensor(shape: x.shape, data: dx))
    }

    /// Average: linear, multipliers pass like gradients; max: ``Pooling/maxDeepLift(_:outputMultiplier:route:)``
    /// with this layer's gradient routing.
    public func deepLiftBackward(_ pass: DeepLiftPass, outputMultiplier m: Tensor) -> Tensor {
        let route: (Tensor, Tensor, Tensor) -> Tensor = { x, y, dy in
            backward(input: x, output: y, outputGradient: dy, parameterGradients: false).input
        }
        guard kind == .max else { return route(pass.input, pass.output, m) }
        return Pooling.maxDeepLift(pass, outputMultiplier: m, route: route)
    }
}
