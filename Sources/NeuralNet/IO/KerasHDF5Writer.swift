import CHDF5
import Foundation
import Support

/// Writes a model as a Keras 2 HDF5 file (`tf_keras.models.load_model` reads it): the
/// `model_config` of a Sequential model, and `model_weights/<layer>/<layer>/kernel:0` etc. listed
/// by `layer_names` and `weight_names` (fixed-length strings, as h5py 2 wrote them).
public enum KerasHDF5Writer {
    public static func write(_ model: Model, to path: String) throws {
        let target = try OutputTarget.regularFile(path)
        let temporary = OutputFile.temporaryPath(for: target)
        H5Eset_auto2(fusionai_H5E_DEFAULT(), nil, nil)
        let file = H5Fcreate(temporary, fusionai_H5F_ACC_TRUNC(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        guard file >= 0 else {
            throw ModelError(.unwritable, path: path, "cannot be written (missing folder or permissions)")
        }
        let modelConfig = try config(model)
        var ok = attribute(file, "model_config", [modelConfig], scalar: true)
        ok = ok && attribute(file, "keras_version", ["2.21.0"], scalar: true)
        ok = ok && attribute(file, "backend", ["tensorflow"], scalar: true)
        // Keras ignores an attribute it does not know; predict's "scores mean nothing" warning needs it.
        if model.isUntrained { ok = ok && attribute(file, KerasHDF5.untrainedAttribute, ["true"], scalar: true) }
        let weights = H5Gcreate2(
            file, "model_weights", fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        ok = ok && weights >= 0 && attribute(weights, "layer_names", model.spec.layers.map(\.name))
        ok =
            ok && attribute(weights, "keras_version", ["2.21.0"], scalar: true)
            && attribute(weights, "backend", ["tensorflow"], scalar: true)
        let lcpl = H5Pcreate(fusionai_H5P_LINK_CREATE())
        H5Pset_create_intermediate_group(lcpl, 1)
        for layer in model.spec.layers where ok {
            let group = H5Gcreate2(
                weights, layer.name, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
            let names = layer.weightNames.map { "\(layer.name)/\($0):0" }
            ok = group >= 0 && attribute(group, "weight_names", names)
            for (name, key) in zip(names, layer.weightNames) where ok {
                guard let t = model.weights["\(layer.name)/\(key)"] else {
                    ok = false
                    break
                }
                var dims = t.shape.map { hsize_t($0) }
                let space = H5Screate_simple(Int32(dims.count), &dims, nil)
                let set = H5Dcreate2(
                    group, name, fusionai_H5T_IEEE_F32LE(), space, lcpl, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
                ok =
                    set >= 0
                    && H5Dwrite(
                        set, fusionai_H5T_NATIVE_FLOAT(), fusionai_H5S_ALL(), fusionai_H5S_ALL(),
                        fusionai_H5P_DEFAULT(), t.data) >= 0
                H5Dclose(set)
                H5Sclose(space)
            }
            H5Gclose(group)
        }
        H5Pclose(lcpl)
        H5Gclose(weights)
        ok = H5Fclose(file) >= 0 && ok
        guard ok, rename(temporary, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ModelError(.unwritable, path: path, "could not be written as Keras HDF5")
        }
    }

    /// A fixed-length string attribute (scalar or 1-D); an empty list is written as h5py writes
    /// one, a float64 array of shape (0,).
    private static func attribute(_ object: hid_t, _ name: String, _ values: [String], scalar: Bool = false) -> Bool {
        if values.isEmpty {
            var dims: [hsize_t] = [0]
            let space = H5Screate_simple(1, &dims, nil)
            defer { H5Sclose(space) }
            let a = H5Acreate2(
                object, name, fusionai_H5T_NATIVE_DOUBLE(), space, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
            defer { H5Aclose(a) }
            return a >= 0
        }
        let width = max(1, values.map(\.utf8.count).max() ?? 1)
        let type = H5Tcopy(fusionai_H5T_C_S1())
        H5Tset_size(type, width)
        H5Tset_strpad(type, H5T_STR_NULLPAD)
        defer { H5Tclose(type) }
        var dims = [hsize_t(values.count)]
        let space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        var bytes = [UInt8](repeating: 0, count: width * values.count)
        for (i, v) in values.enumerated() { for (j, b) in v.utf8.enumerated() { bytes[i * width + j] = b } }
        let a = H5Acreate2(object, name, type, space, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        defer { H5Aclose(a) }
        return a >= 0 && H5Awrite(a, type, bytes) >= 0
    }

    /// Keras 2's `model_config` for a Sequential model of `model.spec`.
    static func config(_ model: Model) throws -> String {
        let spec = model.spec
        var layers: [[String: Any]] = [
            [
                "class_name": "InputLayer",
                "config": [
                    "batch_input_shape": [NSNull()] + spec.inputShape, "dtype": "float32", "sparse": false,
                    "ragged": false, "name": "input_1",
                ],
            ]
        ]
        let initializers: [String: Any] = [
            "kernel_initializer": ["class_name": "GlorotUniform", "config": ["seed": NSNull()]],
            "bias_initializer": ["class_name": "Zeros", "config": [String: Any]()],
            "kernel_regularizer": NSNull(), "bias_regularizer": NSNull(), "activity_regularizer": NSNull(),
            "kernel_constraint": NSNull(), "bias_constraint": NSNull(),
        ]
        for layer in spec.layers {
            var c: [String: Any] = ["name": layer.name, "trainable": true, "dtype": "float32"]
            let className: String
            switch layer.kind {
            case .conv1d, .conv2d:
                className = layer.kind == .conv1d ? "Conv1D" : "Conv2D"
                let dims = layer.kind == .conv1d ? 1 : 2
                c.merge([
                    "filters": layer.units ?? 1, "kernel_size": layer.size ?? [],
                    "strides": layer.strides ?? Array(repeating: 1, count: dims),
                    "padding": layer.padding ?? "valid", "data_format": "channels_last",
                    "dilation_rate": layer.dilation ?? Array(repeating: 1, count: dims), "groups": 1,
                    "activation": layer.activation ?? "linear", "use_bias": layer.useBias ?? true,
                ]) { $1 }
                c.merge(initializers) { $1 }
            case .dense:
                className = "Dense"
                c.merge([
                    "units": layer.units ?? 1, "activation": layer.activation ?? "linear",
                    "use_bias": layer.useBias ?? true,
                ]) { $1 }
                c.merge(initializers) { $1 }
            case .maxPool1d, .maxPool2d, .averagePool1d, .averagePool2d:
                className =
                    [
                        LayerSpec.Kind.maxPool1d: "MaxPooling1D", .maxPool2d: "MaxPooling2D",
                        .averagePool1d: "AveragePooling1D", .averagePool2d: "AveragePooling2D",
                    ][layer.kind] ?? "MaxPooling2D"
                c.merge([
                    "pool_size": layer.size ?? [], "strides": layer.strides ?? layer.size ?? [],
                    "padding": layer.padding ?? "valid", "data_format": "channels_last",
                ]) { $1 }
            case .globalMaxPool, .globalAveragePool:
                let rank = model.spec.inputShape.count
                className =
                    (layer.kind == .globalMaxPool ? "GlobalMaxPooling" : "GlobalAveragePooling")
                    + (rank == 2 ? "1D" : "2D")
                c.merge(["data_format": "channels_last", "keepdims": false]) { $1 }
            case .flatten:
                className = "Flatten"
                c["data_format"] = "channels_last"
            case .dropout:
                className = "Dropout"
                c.merge(["rate": Double(layer.rate ?? 0), "noise_shape": NSNull(), "seed": NSNull()]) { $1 }
            case .activation:
                className = "Activation"
                c["activation"] = layer.activation ?? "linear"
            case .batchNormalization:
                className = "BatchNormalization"
                c.merge([
                    "axis": -1, "momentum": 0.99, "epsilon": Double(layer.epsilon ?? 1e-3), "center": true,
                    "scale": true,
                ]) { $1 }
            }
            layers.append(["class_name": className, "config": c])
        }
        let root: [String: Any] = ["class_name": "Sequential", "config": ["name": spec.name, "layers": layers]]
        return String(decoding: try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }
}
