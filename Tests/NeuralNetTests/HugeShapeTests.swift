import CHDF5
import Foundation
import TestSupport
import XCTest

@testable import NeuralNet

/// Models that declare enormous shapes are refused (tooLarge, or corrupt where the file does not
/// hold what it declares) before anything is allocated for them: never an out-of-memory kill.
final class HugeShapeTests: XCTestCase {
    private func temporary(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString)-\(name)")
            .path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private static let small = ModelSpec(
        name: "m", inputShape: [4], layers: [LayerSpec(name: "dense", kind: .dense, units: 2)])

    /// A provider that fails the test if it is asked for more than `limit` values.
    private func provider(limit: Int = 1 << 20) -> WeightProvider {
        { layer, weight, shape in
            let count = ModelLimits.count(shape) ?? Int.max
            XCTAssertLessThanOrEqual(count, limit, "\(layer)/\(weight) \(shape) was asked for")
            return Tensor(zeros: count <= limit ? shape : [0])
        }
    }

    private func assertTooLarge(_ spec: ModelSpec, naming name: String, line: UInt = #line) {
        let error = assertThrows(
            try Model(spec: spec, weights: provider()), ModelError.self, code: .tooLarge, line: line)
        XCTAssertTrue(error?.message.contains(name) ?? false, "\(error?.message ?? "") should name \(name)", line: line)
    }

    func testHugeSpecsAreRefusedBeforeAnyWeightIsAskedFor() {
        // Dense units 1e12, Conv1D filters 2^31: settings over 2^24.
        assertTooLarge(
            ModelSpec(
                name: "m", inputShape: [4], layers: [LayerSpec(name: "d", kind: .dense, units: 1_000_000_000_000)]),
            naming: "layer d")
        assertTooLarge(
            ModelSpec(
                name: "m", inputShape: [100, 4],
                layers: [LayerSpec(name: "c", kind: .conv1d, units: 1 << 31, size: [3])]),
            naming: "layer c")
        // An input of 1e15 values, and one whose size overflows Int.
        assertTooLarge(ModelSpec(name: "m", inputShape: [1_000_000_000_000_000, 4], layers: []), naming: "input shape")
        assertTooLarge(
            ModelSpec(name: "m", inputShape: [1 << 40, 1 << 30], layers: [LayerSpec(name: "f", kind: .flatten)]),
            naming: "input shape")
        // Each setting within limits, the kernel 2^24 x 2^24 values.
        assertTooLarge(
            ModelSpec(
                name: "m", inputShape: [1 << 24], layers: [LayerSpec(name: "d", kind: .dense, units: 1 << 24)]),
            naming: "weight 'kernel'")
        // Activations: 2^20 positions x 2^7 filters, twice, with the input pass 2^28.
        assertTooLarge(
            ModelSpec(
                name: "m", inputShape: [1 << 20, 1],
                layers: [
                    LayerSpec(name: "c1", kind: .conv1d, units: 1 << 7, size: [1], padding: "same"),
                    LayerSpec(name: "c2", kind: .conv1d, units: 1 << 7, size: [1], padding: "same"),
                ]),
            naming: "layer c2")
        // A dilated kernel whose 'same' padding would need 2^48 positions of scratch.
        assertTooLarge(
            ModelSpec(
                name: "m", inputShape: [1000, 1],
                layers: [
                    LayerSpec(name: "c", kind: .conv1d, units: 1, size: [1 << 20], dilation: [1 << 24], padding: "same")
                ]),
            naming: "c")
    }

    func testHugeKerasConfigSettingsAreTooLarge() {
        func config(_ layer: String, input: String = "[null, 100, 4]") -> String {
            #"{"class_name": "Sequential", "config": {"name": "m", "layers": ["#
                + #"{"class_name": "InputLayer", "config": {"batch_input_shape": \#(input)}}, \#(layer)]}}"#
        }
        let conv = #"{"class_name": "Conv1D", "config": {"name": "c", "filters": 2147483648, "kernel_size": [3]}}"#
        let dense = #"{"class_name": "Dense", "config": {"name": "d", "units": 100000000000}}"#
        let flatten = #"{"class_name": "Flatten", "config": {"name": "f"}}"#
        for text in [config(conv), config(dense), config(flatten, input: "[null, 100000000000000, 4]")] {
            assertThrows(try KerasModelConfig.spec(fromJSON: text, path: "m.h5"), ModelError.self, code: .tooLarge)
        }
    }

    /// A Keras HDF5 file of a Dense layer whose kernel and bias datasets declare `[inputs, units]`
    /// and `[units]` but store nothing (libhdf5 allocates contiguous storage when data is written).
    private func declaredOnlyDense(inputs: Int, units: Int) throws -> String {
        let model = try Model(spec: Self.small, weights: provider())
        let path = temporary("declared.h5")
        try KerasHDF5Writer.write(model, to: path)
        let config = try KerasHDF5Writer.config(model).replacingOccurrences(of: "[null,4]", with: "[null,\(inputs)]")
            .replacingOccurrences(of: "\"units\":2", with: "\"units\":\(units)")
        XCTAssertTrue(config.contains("\(units)"))
        let file = H5Fopen(path, fusionai_H5F_ACC_RDWR(), fusionai_H5P_DEFAULT())
        XCTAssertGreaterThanOrEqual(file, 0)
        defer { H5Fclose(file) }
        XCTAssertGreaterThanOrEqual(H5Adelete(file, "model_config"), 0)
        let type = H5Tcopy(fusionai_H5T_C_S1())
        H5Tset_size(type, config.utf8.count)
        let scalar = H5Screate(H5S_SCALAR)
        let attribute = H5Acreate2(file, "model_config", type, scalar, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        XCTAssertGreaterThanOrEqual(H5Awrite(attribute, type, Array(config.utf8)), 0)
        H5Aclose(attribute)
        H5Sclose(scalar)
        H5Tclose(type)
        for (name, shape) in [("kernel:0", [inputs, units]), ("bias:0", [units])] {
            let dataset = "/model_weights/dense/dense/\(name)"
            XCTAssertGreaterThanOrEqual(H5Ldelete(file, dataset, fusionai_H5P_DEFAULT()), 0)
            var dims = shape.map { hsize_t($0) }
            let space = H5Screate_simple(Int32(dims.count), &dims, nil)
            let set = H5Dcreate2(
                file, dataset, fusionai_H5T_IEEE_F32LE(), space, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT(),
                fusionai_H5P_DEFAULT())
            XCTAssertGreaterThanOrEqual(set, 0, "\(dataset) \(shape)")
            H5Dclose(set)
            H5Sclose(space)
        }
        return path
    }

    func testKerasHDF5WeightsDeclaredButNotStoredAreRefused() throws {
        // 2^48 values declared: over the parameter limit, refused before the dataset is opened.
        let huge = try declaredOnlyDense(inputs: 1 << 24, units: 1 << 24)
        let error = assertThrows(try ModelFile.load(huge), ModelError.self, code: .tooLarge)
        XCTAssertTrue(error?.message.contains("2147483648 parameters") ?? false, error?.message ?? "")
        // 2^30 values (4 GiB) declared in a file of a few kilobytes: within the limit, not in the file.
        let unstored = try declaredOnlyDense(inputs: 1 << 15, units: 1 << 15)
        let refusal = assertThrows(try ModelFile.load(unstored), ModelError.self, code: .corrupt)
        XCTAssertTrue(refusal?.description.contains(unstored) ?? false, refusal?.description ?? "")
        XCTAssertTrue(refusal?.message.contains("not stored in full") ?? false, refusal?.message ?? "")
    }

    func testSafetensorsWhoseByteCountOverflowsAreCorrupt() throws {
        // 2^49 x 2^12 float64 values: 2^64 bytes, which wraps to the empty byte range [0, 0].
        let header = #"{"a": {"dtype": "F64", "shape": [562949953421312, 4096], "data_offsets": [0, 0]}}"#
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        let path = temporary("m.safetensors")
        try data.write(to: URL(fileURLWithPath: path))
        assertThrows(try Safetensors.read(path), ModelError.self, code: .corrupt)
    }

    func testNativeModelWithAHugeInputIsTooLarge() throws {
        let spec = ModelSpec(
            name: "m", inputShape: [1_000_000_000_000_000, 4],
            layers: [LayerSpec(name: "c", kind: .conv1d, units: 2, size: [3])])
        let architecture = String(decoding: try ModelFile.stableJSON(spec), as: UTF8.self)
        let data = try Safetensors.encode(
            ["c/kernel": Tensor(zeros: [3, 4, 2]), "c/bias": Tensor(zeros: [2])],
            metadata: [ModelFile.architectureKey: architecture])
        let path = temporary("m.safetensors")
        try data.write(to: URL(fileURLWithPath: path))
        assertThrows(try ModelFile.load(path), ModelError.self, code: .tooLarge)
    }
}
