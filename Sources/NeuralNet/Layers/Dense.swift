import COpenBLAS

/// Keras `Dense`: `y = activation(x · W + b)` over the last dimension.
public struct Dense: Layer {
    public let name: String
    /// `[inputs, units]`, Keras's order.
    public let kernel: Tensor
    /// `[units]`, or nil without bias.
    public let bias: [Float]?
    public let activation: ActivationFunction

    public init(name: String, kernel: Tensor, bias: [Float]?, activation: ActivationFunction) throws {
        _ = BLASThreads.configured
        guard kernel.shape.count == 2 else { throw ModelError("\(name): Dense kernel must be 2-D, got \(kernel.shape)") }
        if let bias, bias.count != kernel.shape[1] {
            throw ModelError("\(name): Dense bias has \(bias.count) values for \(kernel.shape[1]) units")
        }
        self.name = name
        self.kernel = kernel
        self.bias = bias
        self.activation = activation
    }

    public var inputs: Int { kernel.shape[0] }
    public var units: Int { kernel.shape[1] }
    public var parameterCount: Int { kernel.count + (bias?.count ?? 0) }

    public func outputShape(for input: [Int]) throws -> [Int] {
        guard input.last == inputs else {
            throw ModelError("\(name): Dense expects \(inputs) inputs in the last dimension, got shape \(input)")
        }
        return input.dropLast() + [units]
    }

    /// x: `[rows, inputs]` (leading dimensions folded into rows) -> y: `[rows, units]`.
    public func forward(_ x: Tensor) -> Tensor {
        let rows = x.count / inputs
        var y = [Float](repeating: 0, count: rows * units)
        if let bias {
            for r in 0..<rows { y.replaceSubrange((r * units)..<((r + 1) * units), with: bias) }
        }
        if rows > 0 {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(units), Int32(inputs),
                        1, x.data, Int32(inputs), kernel.data, Int32(units), bias == nil ? 0 : 1, &y, Int32(units))
        }
        var out = Tensor(shape: Array(x.shape.dropLast()) + [units], data: y)
        activation.apply(&out)
        return out
    }
}
