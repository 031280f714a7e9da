import Support

/// A feed-forward network: layers applied in order, each checked against the shape it receives.
public final class Model: Sendable {
    public let spec: ModelSpec
    public let layers: [any Layer]
    /// Per-sample output shape.
    public let outputShape: [Int]
    /// The weights, by `layer/weight` name.
    public let weights: [String: Tensor]
    /// True for random weights that no training has touched (scores mean nothing).
    public let isUntrained: Bool

    public var inputShape: [Int] { spec.inputShape }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Builds the layers of `spec` with `weights` (keys `layerName/kernel`, `layerName/bias`, ...).
    /// - Throws: ``ModelError`` naming the layer: a missing or misshapen weight, an unsupported
    ///   setting, or shapes that do not chain.
    public convenience init(spec: ModelSpec, weights: [String: Tensor]) throws {
        try self.init(spec: spec) { layer, weight, _ in
            guard let t = weights["\(layer)/\(weight)"] else {
                throw ModelError(.missingWeight, "layer \(layer): weight '\(weight)' is missing")
            }
            return t
        }
    }

    /// Builds the layers of `spec`, asking `provider` for each weight with the shape it must have.
    public init(spec: ModelSpec, isUntrained: Bool = false, weights provider: WeightProvider) throws {
        var shape = spec.inputShape
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw ModelError(.invalidArgument, "input shape \(spec.inputShape) must be positive")
        }
        // Every shape is checked against ModelLimits before a weight is asked for or a layer built.
        var activations = 0
        try ModelLimits.add(
            shape, to: &activations, limit: ModelLimits.activations, unit: "values", "input shape \(shape) holds")
        var parameters = 0
        var layers: [any Layer] = []
        var used: [String: Tensor] = [:]
        for layerSpec in spec.layers {
            try ModelLimits.check(layerSpec)
            let layer = try LayerFactory.make(layerSpec, inputShape: shape) { layer, weight, expected in
                try ModelLimits.add(
                    expected, to: &parameters, limit: ModelLimits.parameters, unit: "parameters",
                    "layer \(layer): weight '\(weight)' of shape \(expected) takes the model")
                let t = try provider(layer, weight, expected)
                used["\(layer)/\(weight)"] = t
                return t
            }
            shape = try layer.outputShape(for: shape)
            try ModelLimits.add(
                shape, to: &activations, limit: ModelLimits.activations, unit: "values",
                "layer \(layerSpec.name): output \(shape) takes one sample's activations")
            layers.append(layer)
        }
        self.spec = spec
        self.layers = layers
        self.weights = used
        self.isUntrained = isUntrained
        outputShape = shape
    }

    /// Runs the network on a batch `x` of shape `[batch] + inputShape`.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.sampleShape == inputShape, "input \(x.shape) does not match the model's \(inputShape)")
        var a = x
        var i = 0
        while i < layers.count {
            // A one-hot convolution and the FFT convolution after it run as one (the same values).
            if let pair = pair(at: i, input: a) {
                a = pair.forward(a)
                i += 2
                continue
            }
            a = layers[i].forward(a)
            i += 1
        }
        return a
    }

    /// Layers `i` and `i + 1` as one ``ConvolutionPair`` when they make one for input `x`.
    private func pair(at i: Int, input x: Tensor) -> ConvolutionPair? {
        guard i + 1 < layers.count, let first = layers[i] as? Convolution, let second = layers[i + 1] as? Convolution
        else { return nil }
        return ConvolutionPair(first: first, second: second, input: x)
    }

    /// The output for `x` and the gradients of a loss through the whole network: `loss` receives
    /// the output and returns `dL/doutput`; the result holds `dL/dx` and, with
    /// `parameterGradients`, `dL/dw` keyed `layer/weight` like ``weights``.
    /// - Parameters:
    ///   - dropoutSeeds: one seed per sample to train with active dropout (nil: inference, dropout is
    ///     the identity).
    ///   - inputGradient: false when only `dL/dw` is wanted (training): a first convolution then
    ///     skips `dL/dx`, and ``ModelGradients/input`` may be empty.
    public func gradients(
        _ x: Tensor, parameterGradients: Bool = false, dropoutSeeds: [UInt64]? = nil, inputGradient: Bool = true,
        loss: (Tensor) -> Tensor
    ) -> ModelGradients {
        precondition(x.sampleShape == inputShape, "input \(x.shape) does not match the model's \(inputShape)")
        let mode = dropoutSeeds.map { PassMode.training(seeds: $0) } ?? .inference
        // Layer i's input; nil for the output of a pair's first layer, which the pair never stores.
        var activations: [Tensor?] = [x]
        // Where a pair starts: it runs fused both ways for the input gradient alone (explain) and,
        // at the model's input, for the weight gradients without dL/dx (training).
        var pairs: [Int: ConvolutionPair] = [:]
        var i = 0
        while i < layers.count {
            let fuses = parameterGradients ? !inputGradient && i == 0 : mode == .inference
            if fuses, let input = activations[i], let pair = pair(at: i, input: input), pair.fusesInputGradient {
                pairs[i] = pair
                activations += [nil, pair.forward(input)]
                i += 2
                continue
            }
            activations.append(layers[i].forward(activations[i]!, mode: mode.layer(i)))
            i += 1
        }
        let output = activations[layers.count]!
        var gradient = loss(output)
        var parameters: [String: Tensor] = [:]
        i = layers.count - 1
        while i >= 0 {
            if i > 0, let pair = pairs[i - 1] {
                let (input, output) = (activations[i - 1]!, activations[i + 1]!)
                if parameterGradients {
                    let g = pair.parameterGradients(input: input, output: output, outputGradient: gradient)
                    for (name, t) in g.first { parameters["\(pair.first.name)/\(name)"] = t }
                    for (name, t) in g.second { parameters["\(pair.second.name)/\(name)"] = t }
                    gradient = Tensor(shape: [0], data: [])
                } else {
                    gradient = pair.inputGradient(input: input, output: output, outputGradient: gradient)
                }
                i -= 2
                continue
            }
            let layer = layers[i]
            let g =
                if i == 0, !inputGradient, parameterGradients, let convolution = layer as? Convolution {
                    convolution.parameterGradients(
                        input: activations[i]!, output: activations[i + 1]!, outputGradient: gradient)
                } else {
                    layer.backward(
                        input: activations[i]!, output: activations[i + 1]!, outputGradient: gradient,
                        parameterGradients: parameterGradients, mode: mode.layer(i))
                }
            for (name, t) in g.parameters { parameters["\(layer.name)/\(name)"] = t }
            gradient = g.input
            i -= 1
        }
        return ModelGradients(output: output, input: gradient, parameters: parameters)
    }

    /// DeepLIFT multipliers of the whole network, sample by sample for inputs `x` and references
    /// `reference` of the same shape: each layer's ``Layer/deepLiftBackward(_:outputMultiplier:)`` in
    /// turn from `outputMultiplier(output)`, the output's own multipliers (which output is
    /// explained). Contributions are `multipliers * (x - reference)`; they sum, per sample, to
    /// `Σ outputMultiplier * (output - referenceOutput)`.
    public func deepLift(_ x: Tensor, reference: Tensor, outputMultiplier: (Tensor) -> Tensor) -> DeepLiftMultipliers {
        precondition(x.sampleShape == inputShape, "input \(x.shape) does not match the model's \(inputShape)")
        precondition(reference.shape == x.shape, "reference \(reference.shape) does not match the input \(x.shape)")
        var inputs = [x]
        var references = [reference]
        for (i, layer) in layers.enumerated() {
            inputs.append(layer.forward(inputs[i]))
            references.append(layer.forward(references[i]))
        }
        var m = outputMultiplier(inputs[layers.count])
        for (i, layer) in layers.enumerated().reversed() {
            let pass = DeepLiftPass(
                input: inputs[i], output: inputs[i + 1], referenceInput: references[i],
                referenceOutput: references[i + 1])
            m = layer.deepLiftBackward(pass, outputMultiplier: m)
        }
        return DeepLiftMultipliers(output: inputs[layers.count], referenceOutput: references[layers.count], input: m)
    }

    /// Runs the network with the batch split across `threads` threads, each taking
    /// `samplesPerStep` samples at a time so activations stay small (FusionAI's first layer alone
    /// is 20 MB a sample). Samples are independent, so results do not depend on either number.
    public func predict(_ x: Tensor, threads: Int, samplesPerStep: Int = 1) -> Tensor {
        let n = x.batch
        let per = x.sampleSize
        let outPer = outputShape.reduce(1, *)
        let step = max(1, samplesPerStep)
        let steps = (n + step - 1) / step
        let results = parallelMap(count: steps, threads: threads) { s in
            let range = (s * step)..<min(n, (s + 1) * step)
            let part = Tensor(
                shape: [range.count] + inputShape,
                data: Array(x.data[(range.lowerBound * per)..<(range.upperBound * per)]))
            return forward(part).data
        }
        var data: [Float] = []
        data.reserveCapacity(n * outPer)
        for part in results { data += part }
        return Tensor(shape: [n] + outputShape, data: data)
    }
}

/// What ``Model/gradients(_:parameterGradients:dropoutSeeds:inputGradient:loss:)`` returns.
public struct ModelGradients: Sendable {
    /// The network's output for the input.
    public let output: Tensor
    /// `dL/dx`, shaped like the input; empty when asked for `dL/dw` alone (`inputGradient: false`).
    public let input: Tensor
    /// `dL/dw` keyed `layer/weight` like ``Model/weights``; empty unless asked for.
    public let parameters: [String: Tensor]
}

/// What ``Model/deepLift(_:reference:outputMultiplier:)`` returns.
public struct DeepLiftMultipliers: Sendable {
    /// The network's output at the input and at the reference.
    public let output: Tensor
    public let referenceOutput: Tensor
    /// `dC/dΔx`, shaped like the input.
    public let input: Tensor
}
