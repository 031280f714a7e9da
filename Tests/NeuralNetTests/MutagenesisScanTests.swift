import Foundation
import TestSupport
import XCTest

@testable import NeuralNet

/// The receptive-field scan equals brute force: a full forward pass per substitution.
final class MutagenesisScanTests: XCTestCase {
    private func compare(
        _ model: Model, output: Int, sequence: String, tolerance: Float = 1e-5, file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let x = Fixtures.oneHot([sequence], inputShape: model.inputShape)
        let scan = try MutagenesisScan(model: model, outputIndex: output)
        let positions = Array(0..<model.inputShape[0])
        let fast = scan.scan(x, threads: 2)
        let naive = MutagenesisScan.naive(model: model, x, outputIndex: output, positions: positions, threads: 2)
        XCTAssertEqual(fast.values.count, naive.count, file: file, line: line)
        let worst = zip(fast.values, naive).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, tolerance, "largest |fast - naive| \(worst)", file: file, line: line)
        XCTAssertGreaterThan(
            Set(naive.map { ($0 * 1e6).rounded() }).count, positions.count, "substitutions do change the output",
            file: file, line: line)
    }

    func testFusionAIShapedFixtureAtEveryPosition() throws {
        let reference = try Fixtures.reference("fusionai_small")
        let model = try ModelFile.load(Fixtures.path("fusionai_small.keras2.h5"))
        // Sequence 1 has N positions: there every base is a substitution.
        try compare(model, output: 1, sequence: reference.sequences[1])
    }

    func testStridesDilationSamePaddingBatchNormAndAveragePooling() throws {
        func layer(
            _ name: String, _ kind: LayerSpec.Kind, units: Int? = nil, size: [Int]? = nil, strides: [Int]? = nil,
            dilation: [Int]? = nil,
            padding: String? = nil, activation: String? = nil
        ) -> LayerSpec {
            LayerSpec(
                name: name, kind: kind, units: units, size: size, strides: strides, dilation: dilation,
                padding: padding, activation: activation)
        }
        let spec = ModelSpec(
            name: "m", inputShape: [120, 4],
            layers: [
                layer("c1", .conv1d, units: 8, size: [9], padding: "same", activation: "relu"),
                layer("bn", .batchNormalization),
                layer(
                    "c2", .conv1d, units: 6, size: [5], strides: [2], dilation: [1], padding: "valid",
                    activation: "tanh"),
                layer("p", .averagePool1d, size: [3], strides: [2], padding: "same"),
                layer("c3", .conv1d, units: 5, size: [3], dilation: [2], padding: "valid", activation: "relu"),
                layer("f", .flatten),
                layer("drop", .dropout),
                layer("d1", .dense, units: 7, activation: "relu"),
                layer("d2", .dense, units: 1, activation: "sigmoid"),
            ])
        var n: UInt64 = 0
        let model = try Model(spec: spec) { _, weight, shape in
            n += 1
            let values = Fixtures.random(shape.reduce(1, *), seed: 100 + n, scale: 0.7)
            return Tensor(shape: shape, data: weight == "moving_variance" ? values.map { $0 + 1.2 } : values)
        }
        var state: UInt64 = 9
        let sequence = String(
            (0..<120).map { _ -> Character in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Array("ACGTN")[Int(state >> 61) % 5]
            })
        try compare(model, output: 0, sequence: sequence)
    }

    func testModelsWithoutAShortcutAreRefused() throws {
        let model = try ModelFile.load(Fixtures.path("conv1d_zoo_gmax.keras"))
        assertThrows(try MutagenesisScan(model: model, outputIndex: 0), ModelError.self, code: .unsupportedModel)
        assertThrows(try MutagenesisScan(model: model, outputIndex: 7), ModelError.self, code: .invalidArgument)
    }
}
