import FusionAI
import NeuralNet
import SeededRandom
import XCTest

final class KmerBaselineTests: XCTestCase {
    func testSpectraAreKmerFrequenciesPerWindowWithoutN() {
        let features = KmerFeatures(k: 2)
        XCTAssertEqual(features.count, 32)
        var out = [Float](repeating: 0, count: 32)
        features.encode(head: Array("ACGTN".utf8), tail: Array("aaaa".utf8), into: &out)
        // Head: AC, CG, GT (N ends the run) -> 1/3 each; codes A=0 C=1 G=2 T=3, index = 4 * first + second.
        XCTAssertEqual(out[0 * 4 + 1], 1.0 / 3, accuracy: 1e-7)
        XCTAssertEqual(out[1 * 4 + 2], 1.0 / 3, accuracy: 1e-7)
        XCTAssertEqual(out[2 * 4 + 3], 1.0 / 3, accuracy: 1e-7)
        XCTAssertEqual(out[0..<16].reduce(0, +), 1, accuracy: 1e-6)
        // Tail: AA three times (lowercase counts) -> 1.
        XCTAssertEqual(out[16], 1, accuracy: 1e-7)
        XCTAssertEqual(KmerFeatures(encoding: "kmer:5"), KmerFeatures(k: 5))
        XCTAssertNil(KmerFeatures(encoding: "onehot"))
    }

    func testTheBaselineLearnsACompositionSignalAndScoresLikeAnyModel() throws {
        // Positives: GC-rich windows; negatives: AT-rich. A linear model on 4-mer spectra separates them.
        var random = SeededGenerator(seed: 1)
        func window(gcRich: Bool) -> [UInt8] {
            (0..<10_000).map { _ -> UInt8 in
                let r = random.int(in: 0...99)
                let gc = r < (gcRich ? 55 : 45)
                return gc
                    ? (r % 2 == 0 ? UInt8(ascii: "G") : UInt8(ascii: "C"))
                    : (r % 2 == 0 ? UInt8(ascii: "A") : UInt8(ascii: "T"))
            }
        }
        let model = try Initializers.randomWeights(for: KmerBaseline.spec(k: 4), seed: 2)
        let scorer = try FusionScorer(model: model)
        XCTAssertFalse(scorer.readsPositions)
        func data(_ n: Int) -> InMemoryData {
            let pairs = (0..<n).map { i in (head: window(gcRich: i % 2 == 0), tail: window(gcRich: i % 2 == 0)) }
            return InMemoryData(inputs: scorer.encode(pairs), labels: (0..<n).map { $0 % 2 == 0 ? 1 : 0 })
        }
        var configuration = Trainer.Configuration()
        configuration.epochs = 30
        configuration.batchSize = 16
        let trained = try Trainer(configuration: configuration).train(
            model, optimizer: Adam(learningRate: 0.05), training: data(64), validation: Optional<InMemoryData>.none)
        let test = data(40)
        let y = trained.model.predict(test.inputs, threads: 1)
        let auroc = BinaryMetrics(
            scores: (0..<40).map { Double(y.data[2 * $0 + 1]) }, labels: test.labels.map { $0 == 1 }
        ).auroc
        XCTAssertGreaterThanOrEqual(auroc, 0.95, "held-out AUROC \(auroc)")
        // It saves and loads with its encoding.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kmer-\(UUID().uuidString).safetensors"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelFile.saveNative(trained.model, to: path)
        XCTAssertEqual(try ModelFile.load(path).spec.encoding, "kmer:4")
    }
}
