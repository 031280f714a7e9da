import Foundation

/// The element-wise activations Keras names in `activation=`.
public enum ActivationFunction: String, Sendable, CaseIterable {
    case linear, relu, sigmoid, tanh, softmax

    /// Applies the activation in place to `count` values made of rows of `rowLength` (softmax works
    /// per row, over the last dimension, as Keras's does).
    func apply(_ v: UnsafeMutablePointer<Float>, count: Int, rowLength: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            for i in 0..<count { v[i] = max(v[i], 0) }
        case .sigmoid:
            for i in 0..<count { v[i] = 1 / (1 + exp(-v[i])) }
        case .tanh:
            for i in 0..<count { v[i] = Foundation.tanh(v[i]) }
        case .softmax:
            var row = 0
            while row < count {
                // Shift by the row's maximum so exp never overflows.
                var m = -Float.infinity
                for i in row..<(row + rowLength) { m = max(m, v[i]) }
                var sum: Float = 0
                for i in row..<(row + rowLength) {
                    v[i] = exp(v[i] - m)
                    sum += v[i]
                }
                for i in row..<(row + rowLength) { v[i] /= sum }
                row += rowLength
            }
        }
    }

    func apply(_ t: inout Tensor) {
        let rowLength = t.shape.last ?? 1
        t.data.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            apply(base, count: buffer.count, rowLength: rowLength)
        }
    }
}

/// Keras's `Activation` layer.
public struct Activation: Layer {
    public let name: String
    public let function: ActivationFunction

    public init(name: String, function: ActivationFunction) {
        self.name = name
        self.function = function
    }

    public func outputShape(for input: [Int]) throws -> [Int] { input }

    public func forward(_ x: Tensor) -> Tensor {
        var y = x
        function.apply(&y)
        return y
    }
}
