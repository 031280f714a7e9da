import Foundation

/// Keras `BatchNormalization` at inference, over the last (channel) axis:
/// `y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta`.
public struct BatchNormalization: Layer {
    public let name: String
    public let gamma: [Float]
    public let beta: [Float]
    public let movingMean: [Float]
    public let movingVariance: [Float]
    public let epsilon: Float
    /// Folded per-channel `scale` and `shift`: `y = x * scale + shift`.
    private let scale: [Float]
    private let shift: [Float]

    public init(
        name: String, gamma: [Float], beta: [Float], movingMean: [Float], movingVariance: [Float], epsilon: Float
    ) throws {
        let c = movingMean.count
        guard gamma.count == c, beta.count == c, movingVariance.count == c else {
            throw ModelError(.shapeMismatch, "\(name): BatchNormalization parameters disagree in length")
        }
        self.name = name
        self.gamma = gamma
        self.beta = beta
        self.movingMean = movingMean
        self.movingVariance = movingVariance
        self.epsilon = epsilon
        scale = (0..<c).map { gamma[$0] / sqrt(movingVariance[$0] + epsilon) }
        shift = (0..<c).map { beta[$0] - movingMean[$0] * gamma[$0] / sqrt(movingVariance[$0] + epsilon) }
    }

    public var parameterCount: Int { 4 * gamma.count }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input.last == gamma.count else {
            throw ModelError(
                .shapeMismatch, "\(name): BatchNormalization has \(gamma.count) channels, input shape is \(input)")
        }
        return input
    }

    public func forward(_ x: Tensor) -> Tensor {
        var y = x
        let c = gamma.count
        y.data.withUnsafeMutableBufferPointer { v in
            for i in v.indices { v[i] = v[i] * scale[i % c] + shift[i % c] }
        }
        return y
    }

    /// Inference statistics are constants: dx = dy · scale; dgamma = Σ dy · x̂; dbeta = Σ dy, with
    /// x̂ = (x - mean) / sqrt(var + eps). The moving statistics get zero gradients (not trained).
    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        let c = gamma.count
        var dx = dy
        for i in dx.data.indices { dx.data[i] *= scale[i % c] }
        var grads = LayerGradients(input: dx)
        guard parameterGradients else { return grads }
        var dGamma = [Float](repeating: 0, count: c)
        var dBeta = [Float](repeating: 0, count: c)
        for i in dy.data.indices {
            let k = i % c
            dGamma[k] += dy.data[i] * (x.data[i] - movingMean[k]) / (movingVariance[k] + epsilon).squareRoot()
            dBeta[k] += dy.data[i]
        }
        grads.parameters = [
            "gamma": Tensor(shape: [c], data: dGamma), "beta": Tensor(shape: [c], data: dBeta),
            "moving_mean": Tensor(zeros: [c]), "moving_variance": Tensor(zeros: [c]),
        ]
        return grads
    }

    /// Before `Flatten`, row by row on the changed rows (each row holds all channels).
    public func mutagenesisStep(at stage: MutagenesisStage, inputShape: [Int]) throws -> any MutagenesisStep {
        guard stage == .rows else { throw noShortcut() }
        return RowWiseStep(layer: self, next: .rows)
    }
}
