import SeededRandom
import XCTest

@testable import NeuralNet

/// DeepLIFT's rules layer by layer: max pooling's routing by hand, and completeness (contributions
/// sum to the output's change) through networks that use every layer type and activation.
final class DeepLiftTests: XCTestCase {
    /// One max-pooling window of two values at the input and at the reference.
    private struct PoolCase {
        let input: [Float]
        let reference: [Float]
        let contributions: [Float]
    }

    func testMaxPoolingRoutesTheChangeToTheArgmaxOfWhicheverWins() {
        let pool = Pooling(name: "p", kind: .max, pool: (2, 1), strides: (2, 1), padding: .valid, oneDimensional: true)
        let global = GlobalPooling(name: "g", kind: .max)
        let cases = [
            // The input wins: y - y0 = 3 - 2 goes to the input's argmax.
            PoolCase(input: [3, 1], reference: [0, 2], contributions: [1, 0]),
            // The reference wins: y - y0 = 3 - 4 goes to the reference's argmax.
            PoolCase(input: [1, 3], reference: [4, 0], contributions: [-1, 0]),
            // Equal maxima at different places: no change, nothing to share.
            PoolCase(input: [2, 0], reference: [0, 2], contributions: [0, 0]),
        ]
        for layer in [pool, global] as [any Layer] {
            for c in cases {
                let x = Tensor(shape: [1, 2, 1], data: c.input)
                let r = Tensor(shape: [1, 2, 1], data: c.reference)
                let pass = DeepLiftPass(
                    input: x, output: layer.forward(x), referenceInput: r, referenceOutput: layer.forward(r))
                let m = layer.deepLiftBackward(pass, outputMultiplier: Tensor(shape: pass.output.shape, data: [1]))
                for i in 0..<2 {
                    XCTAssertEqual(m.data[i] * (c.input[i] - c.reference[i]), c.contributions[i], accuracy: 1e-6)
                }
            }
        }
    }

    func testContributionsSumToTheOutputChangeThroughEveryLayerType() throws {
        let specs = [
            ModelSpec(
                name: "one-d", inputShape: [12, 3],
                layers: [
                    LayerSpec(name: "c1", kind: .conv1d, units: 4, size: [3], padding: "same", activation: "tanh"),
                    LayerSpec(name: "bn", kind: .batchNormalization),
                    LayerSpec(name: "ap", kind: .averagePool1d, size: [2]),
                    LayerSpec(name: "c2", kind: .conv1d, units: 5, size: [2], activation: "sigmoid"),
                    LayerSpec(name: "mp", kind: .maxPool1d, size: [2]),
                    LayerSpec(name: "f", kind: .flatten),
                    LayerSpec(name: "d1", kind: .dense, units: 6, activation: "relu"),
                    LayerSpec(name: "do", kind: .dropout, rate: 0.5),
                    LayerSpec(name: "d2", kind: .dense, units: 3, activation: "linear"),
                    LayerSpec(name: "sm", kind: .activation, activation: "softmax"),
                ]),
            ModelSpec(
                name: "two-d", inputShape: [8, 6, 2],
                layers: [
                    LayerSpec(name: "c", kind: .conv2d, units: 3, size: [3, 3], padding: "same", activation: "relu"),
                    LayerSpec(name: "mp", kind: .maxPool2d, size: [2, 2]),
                    LayerSpec(name: "t", kind: .activation, activation: "tanh"),
                    LayerSpec(name: "ga", kind: .globalAveragePool),
                    LayerSpec(name: "d1", kind: .dense, units: 4, activation: "sigmoid"),
                    LayerSpec(name: "d2", kind: .dense, units: 2, activation: "softmax"),
                ]),
            ModelSpec(
                name: "global-max", inputShape: [10, 4],
                layers: [
                    LayerSpec(name: "c", kind: .conv1d, units: 3, size: [3], activation: "relu"),
                    LayerSpec(name: "gm", kind: .globalMaxPool),
                    LayerSpec(name: "d", kind: .dense, units: 2, activation: "tanh"),
                    LayerSpec(name: "s", kind: .activation, activation: "sigmoid"),
                ]),
        ]
        var rng = SeededGenerator(seed: 7)
        for spec in specs {
            let model = try Initializers.randomWeights(for: spec, seed: 3)
            let batch = 4
            let shape = [batch] + spec.inputShape
            let count = shape.reduce(1, *)
            let x = Tensor(shape: shape, data: (0..<count).map { _ in Float(rng.next() >> 40) / Float(1 << 23) - 1 })
            var r = Tensor(shape: shape, data: (0..<count).map { _ in Float(rng.next() >> 40) / Float(1 << 23) - 1 })
            // One sample against itself: no change, no contribution.
            r.data.replaceSubrange(0..<x.sampleSize, with: x.data[0..<x.sampleSize])
            let outputs = model.outputShape.reduce(1, *)
            for k in 0..<outputs {
                let result = model.deepLift(x, reference: r) { y in
                    var seed = Tensor(zeros: y.shape)
                    for b in 0..<y.batch { seed.data[b * outputs + k] = 1 }
                    return seed
                }
                for b in 0..<batch {
                    let range = (b * x.sampleSize)..<((b + 1) * x.sampleSize)
                    let sum = range.reduce(0.0) { $0 + Double(result.input.data[$1] * (x.data[$1] - r.data[$1])) }
                    let index = b * outputs + k
                    let change = Double(result.output.data[index] - result.referenceOutput.data[index])
                    let label = "\(spec.name) output \(k) sample \(b)"
                    XCTAssertEqual(sum, change, accuracy: 1e-4 * abs(change) + 1e-6, label)
                    if b > 0 { XCTAssertGreaterThan(abs(change), 1e-4, label) }
                }
            }
        }
    }
}
