import Foundation

/// The element-wise activations Keras names in `activation=`.
public enum ActivationFunction: String, Sendable, CaseIterable {
    case linear, relu, sigmoid, tanh, softmax

    /// The names a model file may give, for messages.
    static var supportedNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

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

    /// Turns `dL/dy` into `dL/dz` in place, from the activation's output `y` (`y = f(z)`):
    /// relu `dy * [y > 0]`, sigmoid `dy * y * (1 - y)`, tanh `dy * (1 - y^2)`, softmax per row
    /// `y_i * (dy_i - sum_j y_j dy_j)`.
    func backward(output y: UnsafePointer<Float>, gradient g: UnsafeMutablePointer<Float>, count: Int, rowLength: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            // Eight at a time: the compiler does not vectorise the select through two raw pointers.
            let yr = UnsafeRawPointer(y)
            let gr = UnsafeMutableRawPointer(g)
            var i = 0
            while i + 8 <= count {
                let yv = yr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                let gv = gr.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                gr.storeBytes(of: gv.replacing(with: 0, where: yv .<= 0), toByteOffset: i * 4, as: SIMD8<Float>.self)
                i += 8
            }
            while i < count {
                g[i] = y[i] > 0 ? g[i] : 0
                i += 1
            }
        case .sigmoid:
            for i in 0..<count { g[i] *= y[i] * (1 - y[i]) }
        case .tanh:
            for i in 0..<count { g[i] *= 1 - y[i] * y[i] }
        case .softmax:
            var row = 0
            while row < count {
                var dot: Float = 0
                for i in row..<(row + rowLength) { dot += y[i] * g[i] }
                for i in row..<(row + rowLength) { g[i] = y[i] * (g[i] - dot) }
                row += rowLength
            }
        }
    }

    /// `dL/dz` for a whole tensor.
    func backward(output y: Tensor, gradient dy: Tensor) -> Tensor {
        var g = dy
        let rowLength = y.shape.last ?? 1
        y.data.withUnsafeBufferPointer { yp in
            g.data.withUnsafeMutableBufferPointer { gp in
                guard let ybase = yp.baseAddress, let gbase = gp.baseAddress else { return }
                backward(output: ybase, gradient: gbase, count: gp.count, rowLength: rowLength)
            }
        }
        return g
    }

    /// DeepLIFT's rescale rule, `m_z` from `m_y` with `y = f(z)` at the input and `y0 = f(z0)` at
    /// the reference. Element-wise functions: `m_z = m_y Δy/Δz`, the gradient `m_y f'(z)` where
    /// |Δz| < ``DeepLiftPass/minimumDifference``. Softmax (not element-wise): per row the gradient
    /// `g = Jᵀ m_y` at the input scaled by `Σ m_y Δy / Σ g Δz`, so the row's contributions sum to
    /// `Σ m_y Δy` (the gradient where every |Δz| of the row is that small); for two classes this is
    /// exactly the rescale rule on the sigmoid of the logit difference.
    func rescale(_ m: Tensor, input z: Tensor, output y: Tensor, referenceInput z0: Tensor, referenceOutput y0: Tensor)
        -> Tensor
    {
        let gradient = backward(output: y, gradient: m)
        switch self {
        case .linear:
            return m
        case .relu, .sigmoid, .tanh:
            var out = gradient
            for i in out.data.indices {
                let dz = z.data[i] - z0.data[i]
                if abs(dz) >= DeepLiftPass.minimumDifference { out.data[i] = m.data[i] * (y.data[i] - y0.data[i]) / dz }
            }
            return out
        case .softmax:
            var out = gradient
            let rowLength = y.shape.last ?? 1
            for row in stride(from: 0, to: out.count, by: rowLength) {
                var change: Float = 0
                var linear: Float = 0
                var largest: Float = 0
                for i in row..<(row + rowLength) {
                    change += m.data[i] * (y.data[i] - y0.data[i])
                    linear += gradient.data[i] * (z.data[i] - z0.data[i])
                    largest = max(largest, abs(z.data[i] - z0.data[i]))
                }
                guard largest >= DeepLiftPass.minimumDifference, linear != 0 else { continue }
                for i in row..<(row + rowLength) { out.data[i] *= change / linear }
            }
            return out
        }
    }

    /// The rescale rule for a layer `y = f(preActivation(x))`, from its pass at the input and at the
    /// reference; the pre-activations are computed again only where `f` is not linear.
    func rescale(_ m: Tensor, _ pass: DeepLiftPass, preActivation: (Tensor) -> Tensor) -> Tensor {
        guard self != .linear else { return m }
        return rescale(
            m, input: preActivation(pass.input), output: pass.output,
            referenceInput: preActivation(pass.referenceInput), referenceOutput: pass.referenceOutput)
    }

    func apply(_ values: inout [Float], rowLength: Int) {
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            apply(base, count: buffer.count, rowLength: rowLength)
        }
    }

    func apply(_ t: inout Tensor) {
        apply(&t.data, rowLength: t.shape.last ?? 1)
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

    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        LayerGradients(input: function.backward(output: y, gradient: dy))
    }

    /// The rescale rule of ``ActivationFunction/rescale(_:input:output:referenceInput:referenceOutput:)``.
    public func deepLiftBackward(_ pass: DeepLiftPass, outputMultiplier m: Tensor) -> Tensor {
        function.rescale(m, pass) { $0 }
    }

    /// Row by row on the changed rows before `Flatten` (softmax works within a row's channels), on
    /// whole vectors after a dense layer.
    public func mutagenesisStep(at stage: MutagenesisStage, inputShape: [Int]) throws -> any MutagenesisStep {
        switch stage {
        case .rows: return RowWiseStep(layer: self, next: .rows)
        case .vectors: return VectorStep(layer: self)
        case .flattened: throw noShortcut()
        }
    }
}
