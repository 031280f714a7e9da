import Foundation
import XCTest

@testable import NeuralNet

/// Every fixture model, in every file layout, reproduces TensorFlow's outputs.
final class KerasImportTests: XCTestCase {
    static let models = [
        "fusionai_small", "fusionai_functional", "conv1d_zoo_gmax", "conv1d_zoo_gavg", "conv2d_stride_same",
    ]

    func testEveryLayoutReproducesTensorFlowWithin1e5() throws {
        for name in Self.models {
            let reference = try Fixtures.reference(name)
            var files = ["\(name).keras2.h5", "\(name).keras3.h5", "\(name).keras"]
            if name == "fusionai_small" { files.append("\(name).keras2-h5py2.h5") }
            for file in files {
                let model = try ModelFile.load(Fixtures.path(file))
                XCTAssertEqual(model.inputShape, reference.inputShape, file)
                let x = Fixtures.oneHot(reference.sequences, inputShape: model.inputShape)
                for threads in [1, 2] {
                    let y = model.predict(x, threads: threads)
                    let expected = reference.outputs.flatMap { $0 }
                    XCTAssertEqual(y.count, expected.count, file)
                    let worst = zip(y.data, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
                    XCTAssertLessThanOrEqual(
                        worst, 1e-5, "\(file), \(threads) thread(s): largest |difference| \(worst)")
                }
            }
        }
    }

    func testEveryLayerMatchesTensorFlowOnTheFirstSequence() throws {
        for name in Self.models {
            let reference = try Fixtures.reference(name)
            let model = try ModelFile.load(Fixtures.path("\(name).keras3.h5"))
            var x = Fixtures.oneHot([reference.sequences[0]], inputShape: model.inputShape)
            for layer in model.layers {
                x = layer.forward(x)
                guard let expected = reference.layerOutputs[layer.name] else { continue }
                XCTAssertEqual(
                    reference.layerOutputShapes[layer.name]?.compactMap { $0 }, x.sampleShape,
                    "\(name)/\(layer.name) shape")
                let scale = max(1, expected.map(abs).max() ?? 1)
                let worst = zip(x.data, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
                XCTAssertLessThanOrEqual(worst / scale, 1e-5, "\(name)/\(layer.name): largest |difference| \(worst)")
            }
        }
    }

    func testResultsDoNotDependOnTheThreadCountOrBatching() throws {
        let model = try ModelFile.load(Fixtures.path("fusionai_small.keras3.h5"))
        let reference = try Fixtures.reference("fusionai_small")
        let x = Fixtures.oneHot(reference.sequences, inputShape: model.inputShape)
        let one = model.predict(x, threads: 1)
        XCTAssertEqual(model.predict(x, threads: 2).data, one.data, "bit-identical on 2 threads")
        XCTAssertEqual(model.predict(x, threads: 3).data, one.data, "bit-identical on 3 threads")
        XCTAssertEqual(model.predict(x, threads: 1).data, one.data, "bit-identical when repeated")
    }

    func testArchitectureIsReadFromTheConfig() throws {
        let model = try ModelFile.load(Fixtures.path("fusionai_small.keras2.h5"))
        XCTAssertEqual(
            model.spec.layers.map(\.kind), [.conv2d, .conv2d, .maxPool2d, .dropout, .flatten, .dense, .dropout, .dense])
        XCTAssertEqual(model.spec.layers[0].size, [20, 4])
        XCTAssertEqual(model.spec.layers[1].size, [200, 1])
        XCTAssertEqual(model.outputShape, [2])
        XCTAssertEqual(model.parameterCount, 31_866)
        XCTAssertTrue(model.layers[1] is Convolution)
    }

    func testNativeFormatRoundTripsExactly() throws {
        let model = try ModelFile.load(Fixtures.path("conv1d_zoo_gmax.keras"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "native-\(UUID().uuidString).safetensors"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile.saveNative(model, to: path)
        XCTAssertEqual(try ModelFile.format(of: path), .native)
        let again = try ModelFile.load(path)
        XCTAssertEqual(again.spec, model.spec)
        XCTAssertEqual(again.weights, model.weights)
        let reference = try Fixtures.reference("conv1d_zoo_gmax")
        let x = Fixtures.oneHot(reference.sequences, inputShape: model.inputShape)
        XCTAssertEqual(again.forward(x), model.forward(x))
    }
}

final class KerasExportTests: XCTestCase {
    func testExportedKerasHDF5ReimportsToIdenticalOutputs() throws {
        for name in ["fusionai_small", "conv1d_zoo_gavg", "conv2d_stride_same"] {
            let model = try ModelFile.load(Fixtures.path("\(name).keras"))
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).h5")
                .path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try KerasHDF5Writer.write(model, to: path)
            let again = try ModelFile.load(path)
            XCTAssertEqual(again.spec.layers.map(\.kind), model.spec.layers.map(\.kind), name)
            XCTAssertEqual(again.weights, model.weights, name)
            let reference = try Fixtures.reference(name)
            let x = Fixtures.oneHot(reference.sequences, inputShape: model.inputShape)
            XCTAssertEqual(again.forward(x), model.forward(x), "\(name): identical outputs")
        }
    }
}
