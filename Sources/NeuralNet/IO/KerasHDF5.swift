/// Keras HDF5 model files (`model.save("m.h5")`), Keras 2 and Keras 3 writings.
///
/// The architecture is the root attribute `model_config`; weights are found the way Keras itself
/// finds them, never by guessed paths: the weights group (`model_weights`, or the root in
/// weights-only layouts) lists its layers in the attribute `layer_names`, and each layer group
/// lists its datasets in `weight_names` (`conv2d/kernel:0` in Keras 2, `sequential/conv2d/kernel`
/// in Keras 3), relative to the layer group.
enum KerasHDF5 {
    /// A root attribute fusionai writes on models with random weights (``Model/isUntrained``).
    static let untrainedAttribute = "fusionai_untrained"

    static func load(_ path: String) throws -> Model {
        let file = try HDF5File(path: path)
        guard let config = try file.string(attribute: "model_config") else {
            throw ModelError(
                .unsupportedFormat, path: path,
                "holds no model_config (a weights-only file?); save the whole model with model.save()")
        }
        let spec = try KerasModelConfig.spec(fromJSON: config, path: path)
        let weightsRoot = file.exists("/model_weights") ? "/model_weights" : "/"
        let layerNames = try file.chunkedStrings(attribute: "layer_names", of: weightsRoot) ?? []
        var datasets: [String: [String: String]] = [:]  // layer -> role -> dataset path
        for layer in layerNames {
            let group = (weightsRoot == "/" ? "" : weightsRoot) + "/" + layer
            let names = try file.chunkedStrings(attribute: "weight_names", of: group) ?? []
            var roles: [String: String] = [:]
            for name in names {
                roles[role(of: name)] = group + "/" + name
            }
            datasets[layer] = roles
        }
        let untrained = try file.string(attribute: untrainedAttribute) == "true"
        return try Model(spec: spec, isUntrained: untrained) { layer, weight, shape in
            guard let roles = datasets[layer] else {
                throw ModelError(
                    .missingWeight, path: path,
                    "has no weights for layer '\(layer)' (layer_names lists: \(layerNames.joined(separator: ", ")))")
            }
            guard let dataset = roles[weight] else {
                throw ModelError(
                    .missingWeight, path: path,
                    "layer '\(layer)' has no weight '\(weight)' "
                        + "(weight_names: \(roles.keys.sorted().joined(separator: ", ")))")
            }
            return try file.floats(dataset, expected: shape)
        }
    }

    /// `conv2d/kernel:0` -> `kernel`; `sequential/batch_normalization/moving_mean` -> `moving_mean`.
    static func role(of weightName: String) -> String {
        var last = weightName.split(separator: "/").last.map(String.init) ?? weightName
        if let colon = last.lastIndex(of: ":"), last[last.index(after: colon)...].allSatisfy(\.isNumber) {
            last = String(last[..<colon])
        }
        return last
    }
}
