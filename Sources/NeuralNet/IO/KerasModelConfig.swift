import Foundation

/// Turns a Keras `model_config` (the JSON in an HDF5 file's root attribute or a `.keras` archive's
/// `config.json`) into a ``ModelSpec``. Reads Keras 2 and Keras 3 writings of Sequential models and
/// single-path Functional models; any other layer class is an error that names the layer.
enum KerasModelConfig {
    /// The largest value accepted for a layer's size settings (filters, units, kernel sizes) and
    /// for an input dimension.
    static let sizeLimit = ModelLimits.setting

    static func spec(fromJSON text: String, path: String) throws -> ModelSpec {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw ModelError(.corrupt, path: path, "model_config is not valid JSON")
        }
        guard let className = root["class_name"]?.string, let config = root["config"] else {
            throw ModelError(.corrupt, path: path, "model_config has no class_name/config")
        }
        let name = config["name"]?.string ?? "model"
        guard let layerList = config["layers"]?.array else {
            throw ModelError(.corrupt, path: path, "model_config lists no layers")
        }
        let ordered: [JSONValue]
        switch className {
        case "Sequential": ordered = layerList
        case "Functional", "Model": ordered = try singlePath(layerList, config: config, path: path)
        default:
            throw ModelError(
                .unsupportedModel, path: path,
                "model class '\(className)' is not supported (Sequential or single-path Functional)")
        }

        var inputShape: [Int]?
        var layers: [LayerSpec] = []
        for layer in ordered {
            guard let cls = layer["class_name"]?.string, let cfg = layer["config"] else {
                throw ModelError(.corrupt, path: path, "a layer of model_config has no class_name/config")
            }
            let layerName = cfg["name"]?.string ?? layer["name"]?.string ?? cls.lowercased()
            if inputShape == nil, let shape = batchShape(cfg) ?? batchShape(layer["build_config"] ?? .null) {
                inputShape = shape
            }
            if cls == "InputLayer" { continue }
            layers.append(try layerSpec(cls, cfg, name: layerName, path: path))
        }
        if let inputShape, inputShape.contains(where: { $0 > sizeLimit }) {
            throw ModelError(
                .tooLarge, path: path,
                "model_config's input shape \(inputShape) is over fusionai's limit of \(sizeLimit)")
        }
        guard let inputShape, !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ModelError(
                .unsupportedModel, path: path,
                "model_config gives no fixed input shape (batch_input_shape / batch_shape)")
        }
        return ModelSpec(name: name, inputShape: inputShape, layers: layers)
    }

    /// `[null, d1, ...]` from `batch_input_shape` (Keras 2), `batch_shape` (Keras 3) or a build config's `input_shape`.
    private static func batchShape(_ cfg: JSONValue) -> [Int]? {
        for key in ["batch_input_shape", "batch_shape", "input_shape"] {
            guard let a = cfg[key]?.array, a.count >= 2 else { continue }
            let dims = a.dropFirst().compactMap(\.int)
            if dims.count == a.count - 1 { return dims }
        }
        return nil
    }

    /// The layers of a Functional model from input to output, which must form one chain.
    private static func singlePath(_ layers: [JSONValue], config: JSONValue, path: String) throws -> [JSONValue] {
        var byName: [String: JSONValue] = [:]
        var inbound: [String: [String]] = [:]
        for layer in layers {
            guard let name = layer["name"]?.string ?? layer["config"]?["name"]?.string else {
                throw ModelError(.corrupt, path: path, "a Functional layer has no name")
            }
            byName[name] = layer
            inbound[name] = inboundNames(layer["inbound_nodes"] ?? .null)
        }
        guard let output = firstName(config["output_layers"]) else {
            throw ModelError(.corrupt, path: path, "Functional model names no output layer")
        }
        var chain: [String] = []
        var current: String? = output
        while let name = current {
            guard byName[name] != nil, !chain.contains(name) else {
                throw ModelError(.corrupt, path: path, "Functional model refers to unknown or cyclic layer '\(name)'")
            }
            chain.append(name)
            let sources = Set(inbound[name] ?? [])
            guard sources.count <= 1 else {
                throw ModelError(
                    .unsupportedModel, path: path,
                    "layer '\(name)' takes \(sources.count) inputs: only single-path models are supported")
            }
            current = sources.first
        }
        guard chain.count == byName.count else {
            let off = byName.keys.filter { !chain.contains($0) }.sorted()
            throw ModelError(
                .unsupportedModel, path: path,
                "layers \(off.joined(separator: ", ")) are off the input-to-output path: "
                    + "only single-path models are supported")
        }
        return chain.reversed().compactMap { byName[$0] }
    }

    private static func firstName(_ value: JSONValue?) -> String? {
        // Keras 2: [["dense", 0, 0]]; Keras 3: [["dense", 0, 0]] or ["dense", 0, 0].
        guard let a = value?.array, let first = a.first else { return nil }
        return first.string ?? first.array?.first?.string
    }

    /// Names of the layers feeding a Functional layer, from Keras 2's nested lists or Keras 3's
    /// `keras_history` records.
    private static func inboundNames(_ nodes: JSONValue) -> [String] {
        var names: [String] = []
        func walk(_ v: JSONValue) {
            switch v {
            case .array(let a):
                if a.count >= 3, let name = a[0].string, a[1].int != nil {
                    names.append(name)
                    return
                }
                a.forEach(walk)
            case .object(let o):
                if let history = o["keras_history"]?.array, let name = history.first?.string {
                    names.append(name)
                    return
                }
                o.values.forEach(walk)
            default: break
            }
        }
        walk(nodes)
        return names
    }

    private static func layerSpec(_ cls: String, _ cfg: JSONValue, name: String, path: String) throws -> LayerSpec {
        func fail(_ code: ModelError.Code, _ why: String) -> ModelError {
            ModelError(code, path: path, "layer '\(name)' (\(cls)): \(why)")
        }
        func sizes(_ key: String, count: Int) throws -> [Int]? {
            guard let v = cfg[key], !v.isNull else { return nil }
            guard var values = v.ints, values.allSatisfy({ $0 >= 1 }) else {
                throw fail(.invalidArgument, "\(key) must be positive whole numbers")
            }
            guard values.allSatisfy({ $0 <= sizeLimit }) else {
                throw fail(.tooLarge, "\(key) \(values) is over fusionai's limit of \(sizeLimit)")
            }
            if values.count == 1, count == 2 { values = [values[0], values[0]] }
            guard values.count == count else {
                throw fail(.invalidArgument, "\(key) needs \(count) value(s), got \(values)")
            }
            return values
        }
        func activation(_ key: String = "activation") throws -> String {
            guard let v = cfg[key], !v.isNull else { return "linear" }
            let text = v.string ?? v["config"]?.string ?? v["class_name"]?.string ?? ""
            guard ActivationFunction(rawValue: text) != nil else {
                throw fail(
                    .unsupportedLayer,
                    "activation '\(text)' is not supported (\(ActivationFunction.supportedNames))")
            }
            return text
        }
        func padding() throws -> String {
            let p = cfg["padding"]?.string ?? "valid"
            guard Padding(rawValue: p) != nil else {
                throw fail(.unsupportedLayer, "padding '\(p)' is not supported (valid, same)")
            }
            return p
        }
        func channelsLast() throws {
            if let f = cfg["data_format"]?.string, f != "channels_last" {
                throw fail(.unsupportedLayer, "data_format '\(f)' is not supported (channels_last)")
            }
        }

        switch cls {
        case "Conv1D", "Conv2D", "Convolution1D", "Convolution2D":
            try channelsLast()
            let dims = cls.contains("1D") ? 1 : 2
            if let groups = cfg["groups"]?.int, groups != 1 {
                throw fail(.unsupportedLayer, "grouped convolution is not supported")
            }
            guard let filters = cfg["filters"]?.int, filters >= 1 else {
                throw fail(.invalidArgument, "filters must be a positive whole number")
            }
            guard filters <= sizeLimit else { throw fail(.tooLarge, "filters \(filters) is over fusionai's limit") }
            return LayerSpec(
                name: name, kind: dims == 1 ? .conv1d : .conv2d, units: filters,
                size: try sizes("kernel_size", count: dims), strides: try sizes("strides", count: dims),
                dilation: try sizes("dilation_rate", count: dims), padding: try padding(), activation: try activation(),
                useBias: cfg["use_bias"]?.bool ?? true)
        case "Dense":
            guard let units = cfg["units"]?.int, units >= 1 else {
                throw fail(.invalidArgument, "units must be a positive whole number")
            }
            guard units <= sizeLimit else { throw fail(.tooLarge, "units \(units) is over fusionai's limit") }
            return LayerSpec(
                name: name, kind: .dense, units: units, activation: try activation(),
                useBias: cfg["use_bias"]?.bool ?? true)
        case "MaxPooling1D", "MaxPool1D", "MaxPooling2D", "MaxPool2D", "AveragePooling1D", "AvgPool1D",
            "AveragePooling2D", "AvgPool2D":
            try channelsLast()
            let dims = cls.contains("1D") ? 1 : 2
            let isMax = cls.hasPrefix("Max")
            let kind: LayerSpec.Kind =
                dims == 1 ? (isMax ? .maxPool1d : .averagePool1d) : (isMax ? .maxPool2d : .averagePool2d)
            return LayerSpec(
                name: name, kind: kind, size: try sizes("pool_size", count: dims),
                strides: try sizes("strides", count: dims), padding: try padding())
        case "GlobalMaxPooling1D", "GlobalMaxPool1D", "GlobalMaxPooling2D", "GlobalMaxPool2D",
            "GlobalAveragePooling1D", "GlobalAvgPool1D", "GlobalAveragePooling2D", "GlobalAvgPool2D":
            try channelsLast()
            if cfg["keepdims"]?.bool == true { throw fail(.unsupportedLayer, "keepdims=True is not supported") }
            return LayerSpec(name: name, kind: cls.hasPrefix("GlobalMax") ? .globalMaxPool : .globalAveragePool)
        case "Flatten":
            try channelsLast()
            return LayerSpec(name: name, kind: .flatten)
        case "Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianDropout", "GaussianNoise":
            return LayerSpec(name: name, kind: .dropout, rate: Float(cfg["rate"]?.double ?? 0))
        case "Activation":
            return LayerSpec(name: name, kind: .activation, activation: try activation())
        case "ReLU":
            let plain =
                (cfg["max_value"]?.isNull ?? true) && (cfg["negative_slope"]?.double ?? 0) == 0
                && (cfg["threshold"]?.double ?? 0) == 0
            guard plain else {
                throw fail(.unsupportedLayer, "only a plain ReLU (no max_value, slope or threshold) is supported")
            }
            return LayerSpec(name: name, kind: .activation, activation: "relu")
        case "Softmax":
            if let axis = cfg["axis"]?.int, axis != -1 {
                throw fail(.unsupportedLayer, "softmax over axis \(axis) is not supported (-1)")
            }
            return LayerSpec(name: name, kind: .activation, activation: "softmax")
        case "BatchNormalization":
            if let axis = cfg["axis"]?.ints, axis != [-1], axis.count != 1 {
                throw fail(.unsupportedLayer, "normalisation over axes \(axis) is not supported")
            }
            if cfg["center"]?.bool == false || cfg["scale"]?.bool == false {
                throw fail(.unsupportedLayer, "center=False or scale=False is not supported")
            }
            return LayerSpec(name: name, kind: .batchNormalization, epsilon: Float(cfg["epsilon"]?.double ?? 1e-3))
        default:
            throw fail(.unsupportedLayer, "layer class '\(cls)' is not supported")
        }
    }
}
