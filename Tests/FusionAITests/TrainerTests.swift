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

    /// A checkpoint continues only the run that wrote it: other settings or data are refused with
    /// what differs, another thread count is accepted with a warning.
    func testAResumeWithOtherSettingsOrDataIsRefused() throws {
        let model = try Initializers.randomWeights(for: spec(dropout: 0), seed: 4)
        let (training, validation) = (data(32, seed: 2), data(16, seed: 3))
        var configuration = Trainer.Configuration()
        configuration.epochs = 1
        configuration.batchSize = 8
        configuration.dataDigests = ["DATA": "digest-a"]
        let checkpoint = try TestData.temporaryDirectory() + "/run.ckpt"
        _ = try Trainer(configuration: configuration).train(
            model, optimizer: Adadelta(), training: training, validation: validation, checkpoint: checkpoint)

        var longer = configuration
        longer.epochs = 2
        func resume(
            _ configuration: Trainer.Configuration, optimizer: some Optimizer = Adadelta(),
            training: InMemoryData? = nil
        ) throws -> Trainer.Trained {
            try Trainer(configuration: configuration).train(
                model, optimizer: optimizer, training: training ?? self.data(32, seed: 2), validation: validation,
                checkpoint: checkpoint, resume: true)
        }
        var seed = longer
        seed.seed = 2
        var batch = longer
        batch.batchSize = 4
        var digest = longer
        digest.dataDigests = ["DATA": "digest-b"]
        var extra = longer
        extra.dataDigests["--labels"] = "digest-c"
        let refusals: [(String, () throws -> Trainer.Trained)] = [
            ("--seed: 1 there, 2 now", { try resume(seed) }),
            ("--batch-size: 8 there, 4 now", { try resume(batch) }),
            ("DATA has other contents", { try resume(digest) }),
            ("--labels is new", { try resume(extra) }),
            ("the optimizer or its settings: adadelta", { try resume(longer, optimizer: Adadelta(learningRate: 0.5)) }),
            ("training sequences: 32 there, 30 now", { try resume(longer, training: self.data(30, seed: 2)) }),
        ]
        for (difference, attempt) in refusals {
            XCTAssertThrowsError(try attempt(), difference) { error in
                XCTAssertEqual((error as? ModelError)?.code, .checkpointMismatch, "\(error)")
                XCTAssertTrue("\(error)".contains(difference), "\(difference) in: \(error)")
            }
        }
        var threads = longer
        threads.threads = 2
        let resumed = try resume(threads)
        XCTAssertEqual(resumed.resumedAfter, 1)
        XCTAssertEqual(resumed.history.count, 2)
        XCTAssertEqual(resumed.warnings.count, 1)
        XCTAssertTrue(resumed.warnings.first?.contains("--threads 1, resumed with 2") == true, "\(resumed.warnings)")
    }

    /// Patience 0 would stop before the first epoch and return the starting weights as trained.
    func testPatienceZeroStillTrainsAnEpoch() throws {
        let model = try Initializers.randomWeights(for: spec(dropout: 0), seed: 4)
        var configuration = Trainer.Configuration()
        configuration.epochs = 3
        configuration.batchSize = 8
        configuration.patience = 0
        let trained = try Trainer(configuration: configuration).train(
            model, optimizer: Adam(learningRate: 0.02), training: data(32, seed: 2), validation: data(16, seed: 3))
        XCTAssertGreaterThanOrEqual(trained.history.count, 1)
        XCTAssertNotEqual(trained.model.weights, model.weights)
        XCTAssertNil(trained.resumedAfter)
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
