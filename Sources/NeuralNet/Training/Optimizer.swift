import Foundation
import Support

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
    /// Threads an update may use (the trainer's `--threads`); the values do not depend on it.
    var threads: Int { get set }
    /// The method and its hyperparameters, as a checkpoint records them (`adam lr=0.001 ...`).
    var settings: String { get }
}

/// The arrays of one weight's update: the weight, its gradient, and one or two state slots.
private struct UpdateArrays {
    let w: UnsafeMutablePointer<Float>
    let g: UnsafePointer<Float>
    let first: UnsafeMutablePointer<Float>
    let second: UnsafeMutablePointer<Float>?
}

/// One weight's update, element-wise over the weight, its gradient and its state slots (taken out
/// of their dictionaries, so updating them in place copies nothing), in chunks of 64 K values on up
/// to `threads` threads: every value is computed as one loop would compute it. `slots` names one or
/// two state slots; with `keep` false the slots start at zero and are not stored.
private func update(
    _ key: String, of weights: inout [String: Tensor], gradient g: Tensor, state: inout [String: Tensor],
    slots: [String], keep: Bool = true, threads: Int, _ body: (Range<Int>, UpdateArrays) -> Void
) {
    guard var w = weights.removeValue(forKey: key) else { return }
    let names = slots.map { "\(key)/\($0)" }
    var first = state.removeValue(forKey: names[0]) ?? Tensor(zeros: g.shape)
    var second =
        names.count > 1 ? state.removeValue(forKey: names[1]) ?? Tensor(zeros: g.shape) : Tensor(shape: [0], data: [])
    let count = w.count
    let chunk = 1 << 16
    w.data.withUnsafeMutableBufferPointer { wp in
        first.data.withUnsafeMutableBufferPointer { p0 in
            second.data.withUnsafeMutableBufferPointer { p1 in
                g.data.withUnsafeBufferPointer { gp in
                    let arrays = UpdateArrays(
                        w: wp.baseAddress!, g: gp.baseAddress!, first: p0.baseAddress!, second: p1.baseAddress)
                    _ = parallelMap(count: (count + chunk - 1) / chunk, threads: threads) { c in
                        body((c * chunk)..<min(count, (c + 1) * chunk), arrays)
                    }
                }
            }
        }
    }
    weights[key] = w
    guard keep else { return }
    state[names[0]] = first
    if names.count > 1 { state[names[1]] = second }
}

/// Keras `SGD`: `v = momentum * v - lr * g; w += v` (plain gradient descent with momentum 0).
public struct SGD: Optimizer {
    public var learningRate: Float
    public var momentum: Float
    public var state: [String: Tensor] = [:]
    public var iterations = 0
    public var threads = 1

    public init(learningRate: Float = 0.01, momentum: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    public var settings: String { "sgd learning_rate=\(learningRate) momentum=\(momentum)" }

    public mutating func step(_ weights: inout [String: Tensor], gradients: [String: Tensor]) {
        iterations += 1
        let (momentum, learningRate) = (momentum, learningRate)
        for (key, g) in gradients {
            update(
                key, of: &weights, gradient: g, state: &state, slots: ["velocity"], keep: momentum != 0,
                threads: threads
            ) { range, p in
                for i in range {
                    p.first[i] = momentum * p.first[i] - learningRate * p.g[i]
                    p.w[i] += p.first[i]
                }
            }
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
    public var threads = 1

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public var settings: String {
        "adam learning_rate=\(learningRate) beta1=\(beta1) beta2=\(beta2) epsilon=\(epsilon)"
    }

    public mutating func step(_ weights: inout [String: Tensor], gradients: [String: Tensor]) {
        iterations += 1
        let t = Float(iterations)
        let rate = learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t))
        let (beta1, beta2, epsilon) = (beta1, beta2, epsilon)
        for (key, g) in gradients {
            update(key, of: &weights, gradient: g, state: &state, slots: ["m", "v"], threads: threads) { range, p in
                guard let v = p.second else { return }
                for i in range {
                    p.first[i] = beta1 * p.first[i] + (1 - beta1) * p.g[i]
                    v[i] = beta2 * v[i] + (1 - beta2) * p.g[i] * p.g[i]
                    p.w[i] -= rate * p.first[i] / (v[i].squareRoot() + epsilon)
                }
            }
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
    public var threads = 1

    public init(learningRate: Float = 1.0, rho: Float = 0.95, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
    }

    public var settings: String { "adadelta learning_rate=\(learningRate) rho=\(rho) epsilon=\(epsilon)" }

    public mutating func step(_ weights: inout [String: Tensor], gradients: [String: Tensor]) {
        iterations += 1
        let (rho, epsilon, learningRate) = (rho, epsilon, learningRate)
        for (key, g) in gradients {
            update(
                key, of: &weights, gradient: g, state: &state, slots: ["accumulated_grad", "accumulated_delta"],
                threads: threads
            ) { range, p in
                guard let b = p.second else { return }
                for i in range {
                    let a = rho * p.first[i] + (1 - rho) * p.g[i] * p.g[i]
                    let d = -(b[i] + epsilon).squareRoot() / (a + epsilon).squareRoot() * p.g[i]
                    p.first[i] = a
                    b[i] = rho * b[i] + (1 - rho) * d * d
                    p.w[i] += learningRate * d
                }
            }
        }
    }
}
