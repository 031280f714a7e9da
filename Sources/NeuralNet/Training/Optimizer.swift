import Foundation

/// Updates weights from their gradients, keeping whatever state the method needs per weight.
/// Each optimizer follows Keras's update rule exactly, so a model trained here matches one
/// trained there step for step (up to float rounding).
public protocol Optimizer: Sendable {
    /// Applies one update: `weights[key] -= ...` for every key with a gradient.
    mutating func step(_ weights: inout [String: Tensor], gradients: [String: Tensor])
    /// The per-weight state, for checkpoints (`name/slot` -> values).
    var state: [String: Tensor] { get set }
    /// Updates applied so far.
    var iterations: Int { get set }
}

/// Keras `SGD`: `v = momentum * v - lr * g; w += v` (plain gradient descent with momentum 0).
public struct SGD: Optimizer {
    public var learningRate: Float
    public var momentum: Float
    public var state: [String: Tensor] = [:]
    public var iterations = 0

    public init(learningRate: Float = 0.01, momentum: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public mutating func step(_ weights: inout [String: Tensor], gradients: [String: Tensor]) {
        iterations += 1
        for (key, g) in gradients {
            guard var w = weights[key] else { continue }
            var v = state["\(key)/velocity"] ?? Tensor(zeros: g.shape)
            for i in w.data.indices {
                v.data[i] = momentum * v.data[i] - learningRate * g.data[i]
                w.data[i] += v.data[i]
            }
            if momentum != 0 { state["\(key)/velocity"] = v }
            weights[key] = w
        }
    }
}

/// Keras `Adam`: `m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)`.
public struct Adam: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var state: [String: Tensor] = [:]
    public var iterations = 0

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public mutating func step(_ weights: inout [String: Tensor], gradients: [String: Tensor]) {
        iterations += 1
        let t = Float(iterations)
        let rate = learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t))
        for (key, g) in gradients {
            guard var w = weights[key] else { continue }
            var m = state["\(key)/m"] ?? Tensor(zeros: g.shape)
            var v = state["\(key)/v"] ?? Tensor(zeros: g.shape)
            for i in w.data.indices {
                m.data[i] = beta1 * m.data[i] + (1 - beta1) * g.data[i]
                v.data[i] = beta2 * v.data[i] + (1 - beta2) * g.data[i] * g.data[i]
                w.data[i] -= rate * m.data[i] / (v.data[i].squareRoot() + epsilon)
            }
            (state["\(key)/m"], state["\(key)/v"], weights[key]) = (m, v, w)
        }
    }
}

/// Keras `Adadelta` (FusionAI's optimizer: lr 1.0, rho 0.95, eps 1e-7):
/// `a = rho a + (1 - rho) g^2; d = -sqrt(b + eps) / sqrt(a + eps) * g; b = rho b + (1 - rho) d^2; w += lr d`.
public struct Adadelta: Optimizer {
    public var learningRate: Float
    public var rho: Float
    public var epsilon: Float
    public var state: [String: Tensor] = [:]
    public var iterations = 0

    public init(learningRate: Float = 1.0, rho: Float = 0.95, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
    }

    public mutating func step(_ weights: inout [String: Tensor], gradients: [String: Tensor]) {
        iterations += 1
        for (key, g) in gradients {
            guard var w = weights[key] else { continue }
            var a = state["\(key)/accumulated_grad"] ?? Tensor(zeros: g.shape)
            var b = state["\(key)/accumulated_delta"] ?? Tensor(zeros: g.shape)
            for i in w.data.indices {
                a.data[i] = rho * a.data[i] + (1 - rho) * g.data[i] * g.data[i]
                let d = -(b.data[i] + epsilon).squareRoot() / (a.data[i] + epsilon).squareRoot() * g.data[i]
                b.data[i] = rho * b.data[i] + (1 - rho) * d * d
                w.data[i] += learningRate * d
            }
            (state["\(key)/accumulated_grad"], state["\(key)/accumulated_delta"], weights[key]) = (a, b, w)
        }
    }
}
