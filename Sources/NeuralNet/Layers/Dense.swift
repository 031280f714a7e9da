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
        guard kernel.shape.count == 2 else {
            throw ModelError(.shapeMismatch, "\(name): Dense kernel must be 2-D, got \(kernel.shape)")
        }
        if let bias, bias.count != kernel.shape[1] {
            throw ModelError(
                .shapeMismatch, "\(name): Dense bias has \(bias.count) values for \(kernel.shape[1]) units")
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
            throw ModelError(
                .shapeMismatch, "\(name): Dense expects \(inputs) inputs in the last dimension, got shape \(input)")
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
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(units), Int32(inputs),
                1, x.data, Int32(inputs), kernel.data, Int32(units), bias == nil ? 0 : 1, &y, Int32(units))
        }
        var out = Tensor(shape: Array(x.shape.dropLast()) + [units], data: y)
        activation.apply(&out)
        return out
    }

    /// dz = f'(dy) `[rows, units]`; dx = dz · Wᵀ `[rows, inputs]`; dW = xᵀ · dz `[inputs, units]`; db = Σ_rows dz.
    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        let rows = x.count / inputs
        let dz = activation.backward(output: y, gradient: dy)
        var dx = [Float](repeating: 0, count: rows * inputs)
        if rows > 0 {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(inputs), Int32(units),
                1, dz.data, Int32(units), kernel.data, Int32(units), 0, &dx, Int32(inputs))
        }
        var grads = LayerGradients(input: Tensor(shape: x.shape, data: dx))
        guard parameterGradients else { return grads }
        var dW = [Float](repeating: 0, count: inputs * units)
        if rows > 0 {
            cblas_sgemm(
                CblasRowMajor, CblasTrans, CblasNoTrans, Int32(inputs), Int32(units), Int32(rows),
                1, x.data, Int32(inputs), dz.data, Int32(units), 0, &dW, Int32(units))
        }
        grads.parameters["kernel"] = Tensor(shape: kernel.shape, data: dW)
        if bias != nil {
            var db = [Float](repeating: 0, count: units)
            for r in 0..<rows { for u in 0..<units { db[u] += dz.data[r * units + u] } }
            grads.parameters["bias"] = Tensor(shape: [units], data: db)
        }
        return grads
    }
}
