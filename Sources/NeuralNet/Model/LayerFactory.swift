/// Supplies a layer's weight: `(layer name, weight name, the shape the layer needs)`. File readers
/// check the stored shape against the needed one before reading, so no file-given size is trusted.
public typealias WeightProvider = (_ layer: String, _ weight: String, _ shape: [Int]) throws -> Tensor

/// Builds a ``Layer`` from its ``LayerSpec``, its weights and the shape it will receive.
enum LayerFactory {
    static func make(_ spec: LayerSpec, inputShape: [Int], weights provider: WeightProvider) throws -> any Layer {
        let name = spec.name
        func weight(_ key: String, shape expected: [Int]) throws -> Tensor {
            let t = try provider(name, key, expected)
            guard t.shape == expected else {
                throw ModelError(
                    .shapeMismatch, "layer \(name): weight '\(key)' has shape \(t.shape), expected \(expected)")
            }
            return t
        }
        func activation() throws -> ActivationFunction {
            let text = spec.activation ?? "linear"
            guard let f = ActivationFunction(rawValue: text) else {
                throw ModelError(
                    .unsupportedLayer,
                    "layer \(name): activation '\(text)' is not supported "
                        + "(supported: \(ActivationFunction.supportedNames))")
            }
            return f
        }
        func padding() throws -> Padding {
            let text = spec.padding ?? "valid"
            guard let p = Padding(rawValue: text) else {
                throw ModelError(.unsupportedLayer, "layer \(name): padding '\(text)' is not supported (valid, same)")
            }
            return p
        }
        func pair(_ values: [Int]?, default d: Int, oneDimensional: Bool) throws -> (Int, Int) {
            guard let values else { return (d, oneDimensional ? 1 : d) }
            switch (oneDimensional, values.count) {
            case (true, 1): return (values[0], 1)
            case (false, 2): return (values[0], values[1])
            default:
                throw ModelError(
                    .invalidArgument, "layer \(name): expected \(oneDimensional ? 1 : 2) value(s), got \(values)")
            }
        }

        switch spec.kind {
        case .conv1d, .conv2d:
            let oneD = spec.kind == .conv1d
            guard let filters = spec.units, filters > 0, let size = spec.size else {
                throw ModelError(.invalidArgument, "layer \(name): convolution needs filters and kernel_size")
            }
            let (kh, kw) = try pair(size, default: 1, oneDimensional: oneD)
            guard let channels = inputShape.last else {
                throw ModelError(.shapeMismatch, "layer \(name): no input channels")
            }
            let kernelShape = oneD ? [kh, channels, filters] : [kh, kw, channels, filters]
            let kernel = try weight("kernel", shape: kernelShape)
            let bias = (spec.useBias ?? true) ? try weight("bias", shape: [filters]).data : nil
            return try Convolution(
                name: name, kernel: kernel, bias: bias,
                strides: try pair(spec.strides, default: 1, oneDimensional: oneD),
                dilation: try pair(spec.dilation, default: 1, oneDimensional: oneD), padding: try padding(),
                activation: try activation(), oneDimensional: oneD, inputShape: inputShape)
        case .dense:
            guard let units = spec.units, units > 0, let inputs = inputShape.last else {
                throw ModelError(.invalidArgument, "layer \(name): Dense needs units")
            }
            let kernel = try weight("kernel", shape: [inputs, units])
            let bias = (spec.useBias ?? true) ? try weight("bias", shape: [units]).data : nil
            return try Dense(name: name, kernel: kernel, bias: bias, activation: try activation())
        case .maxPool1d, .maxPool2d, .averagePool1d, .averagePool2d:
            let oneD = spec.kind == .maxPool1d || spec.kind == .averagePool1d
            let pool = try pair(spec.size, default: 2, oneDimensional: oneD)
            let strides = spec.strides == nil ? pool : try pair(spec.strides, default: 1, oneDimensional: oneD)
            let kind: Pooling.Kind = spec.kind == .maxPool1d || spec.kind == .maxPool2d ? .max : .average
            return Pooling(
                name: name, kind: kind, pool: pool, strides: strides, padding: try padding(), oneDimensional: oneD)
        case .globalMaxPool:
            return GlobalPooling(name: name, kind: .max)
        case .globalAveragePool:
            return GlobalPooling(name: name, kind: .average)
        case .flatten:
            return Flatten(name: name)
        case .dropout:
            return Dropout(name: name, rate: spec.rate ?? 0)
        case .activation:
            return Activation(name: name, function: try activation())
        case .batchNormalization:
            guard let c = inputShape.last else { throw ModelError(.shapeMismatch, "layer \(name): no input channels") }
            return try BatchNormalization(
                name: name, gamma: try weight("gamma", shape: [c]).data, beta: try weight("beta", shape: [c]).data,
                movingMean: try weight("moving_mean", shape: [c]).data,
                movingVariance: try weight("moving_variance", shape: [c]).data,
                epsilon: spec.epsilon ?? 1e-3)
        }
    }
}
