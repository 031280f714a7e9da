import CHDF5
import Foundation
import TestSupport
import XCTest
import ZIPFoundation

@testable import NeuralNet

/// Truncated, corrupt and hostile model files are refused with a ModelError, never a crash.
final class HostileFileTests: XCTestCase {
    private func temporary(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)-\(name)")
            .path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Asserts that loading `path` fails with `code`, and that the message names each of `names`
    /// (a layer, an archive entry) where naming it is the point.
    private func assertRefused(
        _ path: String, _ code: ModelError.Code, naming names: [String] = [], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let error = assertThrows(try ModelFile.load(path), ModelError.self, code: code, file: file, line: line)
        for name in names {
            XCTAssertTrue(
                error?.description.contains(name) ?? false, "'\(error?.description ?? "")' should name '\(name)'",
                file: file, line: line)
        }
    }

    func testTruncatedFilesOfEveryFormat() throws {
        for name in ["fusionai_small.keras2.h5", "fusionai_small.keras3.h5", "fusionai_small.keras"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(name)))
            for fraction in [0.02, 0.5, 0.97] {
                let path = temporary(name)
                try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
                XCTAssertThrowsError(try ModelFile.load(path), "\(name) cut at \(fraction)") {
                    XCTAssertTrue($0 is ModelError, "\($0)")
                }
            }
        }
    }

    func testNotAModelAndEmptyFiles() throws {
        let text = temporary("model.h5")
        try "hello, I am text\n".write(toFile: text, atomically: false, encoding: .utf8)
        assertRefused(text, .unsupportedFormat)
        let empty = temporary("empty.bin")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        assertRefused(empty, .unsupportedFormat)
        assertRefused(temporary("missing.h5"), .unreadable)
    }

    /// A Keras-2-like HDF5 file with the given model_config and float datasets (dims only declared).
    private func kerasFile(config: String, layer: String, datasets: [(String, [hsize_t])]) -> String {
        let path = temporary("crafted.h5")
        let file = H5Fcreate(path, fusionai_H5F_ACC_TRUNC(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        func attribute(_ object: hid_t, _ name: String, _ values: [String]) {
            let type = H5Tcopy(fusionai_H5T_C_S1())
            let width = max(1, values.map(\.utf8.count).max() ?? 1)
            H5Tset_size(type, width)
            var dims = [hsize_t(values.count)]
            let space =
                values.count == 1 && name == "model_config" ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
            var bytes = [UInt8](repeating: 0, count: width * values.count)
            for (i, v) in values.enumerated() { for (j, b) in v.utf8.enumerated() { bytes[i * width + j] = b } }
            let a = H5Acreate2(object, name, type, space, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
            H5Awrite(a, type, bytes)
            H5Aclose(a)
            H5Sclose(space)
            H5Tclose(type)
        }
        attribute(file, "model_config", [config])
        let weights = H5Gcreate2(
            file, "model_weights", fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        attribute(weights, "layer_names", [layer])
        let group = H5Gcreate2(weights, layer, fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT(), fusionai_H5P_DEFAULT())
        attribute(group, "weight_names", datasets.map(\.0))
        for (name, dims) in datasets {
            var d = dims
            // Chunked with late allocation: huge declared sizes cost nothing on disk.
            let plist = H5Pcreate(fusionai_H5P_DATASET_CREATE())
            var chunk = dims.map { min($0, 16) }
            H5Pset_chunk(plist, Int32(d.count), &chunk)
            let space = H5Screate_simple(Int32(d.count), &d, nil)
            let ds = H5Dcreate2(
                group, name, fusionai_H5T_NATIVE_FLOAT(), space, fusionai_H5P_DEFAULT(), plist, fusionai_H5P_DEFAULT())
            H5Dclose(ds)
            H5Sclose(space)
            H5Pclose(plist)
        }
        H5Gclose(group)
        H5Gclose(weights)
        H5Fclose(file)
        return path
    }

    private func denseConfig(units: Int) -> String {
        #"{"class_name": "Sequential", "config": {"name": "m", "layers": ["#
            + #"{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3]}}, "#
            + #"{"class_name": "Dense", "config": {"name": "dense", "units": \#(units), "#
            + #""activation": "linear", "use_bias": true}}]}}"#
    }

    func testWeightsOfTheWrongShapeAreRefusedBeforeReading() throws {
        let path = kerasFile(
            config: denseConfig(units: 2), layer: "dense", datasets: [("kernel:0", [3, 5]), ("bias:0", [2])])
        assertRefused(path, .shapeMismatch)
    }

    func testAbsurdSizesAreRefusedWithoutAllocating() throws {
        // A dataset declaring 2^40 x 2 values: its shape disagrees with the layer, so nothing is read.
        let huge = kerasFile(
            config: denseConfig(units: 2), layer: "dense", datasets: [("kernel:0", [1 << 40, 2]), ("bias:0", [2])])
        assertRefused(huge, .shapeMismatch)
        // A configuration asking for 2^40 units.
        let units = kerasFile(config: denseConfig(units: 1 << 40), layer: "dense", datasets: [])
        assertRefused(units, .invalidArgument)
    }

    func testUnsupportedLayersAreNamed() throws {
        let config =
            #"{"class_name": "Sequential", "config": {"name": "m", "layers": ["#
            + #"{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 10, 4]}}, "#
            + #"{"class_name": "LSTM", "config": {"name": "lstm_7", "units": 8}}]}}"#
        assertRefused(
            kerasFile(config: config, layer: "lstm_7", datasets: []), .unsupportedLayer, naming: ["lstm_7", "LSTM"])
    }

    func testZipEntriesThatEscapeTheFolderAreRefused() throws {
        let path = temporary("evil.keras")
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let config = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("fusionai_small.keras3.h5"))).prefix(0)
        for name in ["config.json", "model.weights.h5", "../../etc/evil.sh"] {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(config.count + 2)) { position, size in
                Data("{}".utf8).subdata(in: Int(position)..<Int(position) + size)
            }
        }
        assertRefused(path, .corrupt, naming: ["../../etc/evil.sh"])
    }

    func testHostileSafetensors() throws {
        func write(_ header: String, body: Int, lengthOverride: UInt64? = nil) throws -> String {
            var data = Data()
            let h = Data(header.utf8)
            withUnsafeBytes(of: (lengthOverride ?? UInt64(h.count)).littleEndian) { data.append(contentsOf: $0) }
            data.append(h)
            data.append(Data(count: body))
            let path = temporary("m.safetensors")
            try data.write(to: URL(fileURLWithPath: path))
            return path
        }
        assertRefused(try write("{}", body: 0, lengthOverride: 1 << 60), .corrupt)
        assertRefused(
            try write(#"{"a": {"dtype": "F32", "shape": [1000000], "data_offsets": [0, 4000000]}}"#, body: 16),
            .corrupt)
        assertRefused(
            try write(
                #"{"a": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 16]}}"#, body: 16),
            .corrupt)
        assertRefused(
            try write(#"{"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}}"#, body: 16),
            .corrupt)
        assertRefused(
            try write(#"{"a": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]}}"#, body: 16),
            .unsupportedFormat)
        assertRefused(
            try write(#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, body: 8),
            .unsupportedFormat)
    }
}
