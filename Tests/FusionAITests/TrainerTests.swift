import Foundation
import FusionAI
import NeuralNet
import SeededRandom
import TestSupport
import XCTest

/// Training: loss falls, a resumed run ends bit-identical, and a planted motif is learned well
/// enough to score held-out sequences with AUROC >= 0.95.
final class TrainerTests: XCTestCase {
    private let motif = Array("GATTACA".utf8)
    private let length = 80

    private func spec(dropout: Float) -> ModelSpec {
        ModelSpec(
            name: "motif-finder", inputShape: [length, 4],
            layers: [
                LayerSpec(name: "conv", kind: .conv1d, units: 4, size: [7], padding: "valid", activation: "relu"),
                LayerSpec(name: "pool", kind: .maxPool1d, size: [74], strides: [74], padding: "valid"),
                LayerSpec(name: "drop", kind: .dropout, rate: dropout),
                LayerSpec(name: "flatten", kind: .flatten),
                LayerSpec(name: "out", kind: .dense, units: 2, activation: "softmax"),
            ])
    }

    /// `count` sequences, half with the motif planted at a random place; labels 1 for those.
    private func data(_ count: Int, seed: UInt64) -> InMemoryData {
        var random = SeededGenerator(seed: seed)
        func next(_ n: Int) -> Int { random.int(in: 0...(n - 1)) }
        var x = [Float](repeating: 0, count: count * length * 4)
        var labels: [Int] = []
        for s in 0..<count {
            var bases = (0..<length).map { _ in next(4) }
            if s % 2 == 0 {
                let start = next(length - motif.count)
                for (i, b) in motif.enumerated() { bases[start + i] = Array("ACGT".utf8).firstIndex(of: b) ?? 0 }
            }
            for (i, c) in bases.enumerated() { x[(s * length + i) * 4 + c] = 1 }
            labels.append(s % 2 == 0 ? 1 : 0)
        }
        return InMemoryData(inputs: Tensor(shape: [count, length, 4], data: x), labels: labels)
    }

    func testLossFallsOnAFixedBatch() throws {
        let model = try Initializers.randomWeights(for: spec(dropout: 0), seed: 3)
        let batch = data(16, seed: 1)
        var configuration = Trainer.Configuration()
        configuration.epochs = 30
        configuration.batchSize = 16
        var losses: [Double] = []
        _ = try Trainer(configuration: configuration).train(
            model, optimizer: Adam(learningRate: 0.02), training: batch, validation: Optional<InMemoryData>.none
        ) { losses.append($0.trainingLoss) }
        XCTAssertEqual(losses.count, 30)
        XCTAssertLessThan(losses.last!, losses.first! * 0.5, "loss \(losses.first!) -> \(losses.last!)")
    }

    func testAResumedRunEndsWithBitIdenticalWeights() throws {
        let model = try Initializers.randomWeights(for: spec(dropout: 0.25), seed: 4)
        let (training, validation) = (data(96, seed: 2), data(32, seed: 3))
        var configuration = Trainer.Configuration()
        configuration.epochs = 4
        configuration.batchSize = 16
        configuration.threads = 2
        let folder = try TestData.temporaryDirectory()
        let whole = try Trainer(configuration: configuration).train(
            model, optimizer: Adadelta(), training: training, validation: validation, checkpoint: folder + "/whole.ckpt"
        )

        // "Killed" after epoch 2 (its checkpoint written), then resumed to epoch 4.
        var first = configuration
        first.epochs = 2
        _ = try Trainer(configuration: first).train(
            model, optimizer: Adadelta(), training: training, validation: validation, checkpoint: folder + "/part.ckpt")
        let resumed = try Trainer(configuration: configuration).train(
            model, optimizer: Adadelta(), training: training, validation: validation, checkpoint: folder + "/part.ckpt",
            resume: true)
        XCTAssertEqual(resumed.history, whole.history)
        XCTAssertEqual(resumed.model.weights, whole.model.weights, "bit-identical final weights")
        XCTAssertNotEqual(whole.model.weights, model.weights, "training changed the weights")
    }

    func testAPlantedMotifIsLearnedToHeldOutAUROC095() throws {
        let model = try Initializers.randomWeights(for: spec(dropout: 0.25), seed: 5)
        var configuration = Trainer.Configuration()
        configuration.epochs = 12
        configuration.batchSize = 32
        configuration.patience = 3
        configuration.threads = 2
        let trained = try Trainer(configuration: configuration).train(
            model, optimizer: Adam(learningRate: 0.02), training: data(512, seed: 10), validation: data(128, seed: 11))
        let test = data(200, seed: 12)
        let y = trained.model.predict(test.inputs, threads: 2)
        let scores = (0..<test.count).map { Double(y.data[2 * $0 + 1]) }
        let metrics = BinaryMetrics(scores: scores, labels: test.labels.map { $0 == 1 })
        XCTAssertGreaterThanOrEqual(metrics.auroc, 0.95, "held-out AUROC \(metrics.auroc)")
    }
}
