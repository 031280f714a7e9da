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
        var out = preActivation(x)
        activation.apply(&out)
        return out
    }

    /// `x · W + b`, before the activation, for analyses that update it.
    func preActivation(_ x: Tensor) -> Tensor {
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
        return Tensor(shape: Array(x.shape.dropLast()) + [units], data: y)
    }

    /// dz = f'(dy) `[rows, units]`; dx = dz · Wᵀ `[rows, inputs]`; dW = xᵀ · dz `[inputs, units]`;
    /// db = Σ_rows dz.
    public func backward(input x: Tensor, output y: Tensor, outputGradient dy: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        backwardThroughProduct(
            input: x, preActivationGradient: activation.backward(output: y, gradient: dy),
            parameterGradients: parameterGradients)
    }

    /// The backward pass from `dz`, the gradient before the activation: the product `x · W + b` alone.
    private func backwardThroughProduct(input x: Tensor, preActivationGradient dz: Tensor, parameterGradients: Bool)
        -> LayerGradients
    {
        let rows = x.count / inputs
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

    /// `x · W + b` is linear in `x`, so multipliers pass it like gradients; the activation takes the
    /// rescale rule on the pre-activations at the input and at the reference.
    public func deepLiftBackward(_ pass: DeepLiftPass, outputMultiplier m: Tensor) -> Tensor {
        let mz = activation.rescale(m, pass, preActivation: preActivation)
        return backwardThroughProduct(input: pass.input, preActivationGradient: mz, parameterGradients: false).input
    }

    /// The first dense layer after `Flatten` updates its stored pre-activation by the changed
    /// values' share (``DenseStep``); later ones run on the whole new vectors.
    public func mutagenesisStep(at stage: MutagenesisStage, inputShape: [Int]) throws -> any MutagenesisStep {
        switch stage {
        case .flattened: return DenseStep(layer: self)
        case .vectors: return VectorStep(layer: self)
        case .rows: throw noShortcut()
        }
    }
}

/// For changed input values `[from, to)`: `z' = z + Δxᵀ · W[from..<to]` (one GEMV per alternative
/// base) from the stored pre-activation `z`, then the activation. Every output may change.
struct DenseStep: MutagenesisStep {
    let layer: Dense
    var next: MutagenesisStage { .vectors }

    func record(input x: Tensor) -> Tensor { layer.preActivation(x) }

    func update(_ change: RowChange, input: Tensor, record z: Tensor) -> RowChange? {
        let (from, count, units) = (change.rows.lowerBound, change.rows.count, layer.units)
        let values = change.values.map { changed in
            var zNew = z.data
            let delta = (0..<count).map { changed[$0] - input.data[from + $0] }
            layer.kernel.data.withUnsafeBufferPointer { w in
                cblas_sgemv(
                    CblasRowMajor, CblasTrans, Int32(count), Int32(units), 1, w.baseAddress! + from * units,
                    Int32(units), delta, 1, 1, &zNew, 1)
            }
            layer.activation.apply(&zNew, rowLength: units)
            return zNew
        }
        return RowChange(rows: 0..<units, values: values)
    }
}
