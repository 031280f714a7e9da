import FusionAI
import NeuralNet
import XCTest

final class MotifTests: XCTestCase {
    /// A filter scoring +1 per matching base of ACGT and -1 per mismatch: activation 4 only on
    /// exact ACGT, so at threshold 0.5 the aligned sites are exactly the planted copies.
    private func model(length: Int) throws -> Model {
        var kernel = [Float](repeating: -1, count: 4 * 4)
        for (j, c) in [0, 1, 2, 3].enumerated() { kernel[j * 4 + c] = 1 }
        let spec = ModelSpec(
            name: "m", inputShape: [length, 4],
            layers: [
                LayerSpec(
                    name: "motif", kind: .conv1d, units: 1, size: [4], padding: "valid", activation: "relu",
                    useBias: false),
                LayerSpec(name: "f", kind: .flatten),
                LayerSpec(name: "d", kind: .dense, units: 1, activation: "sigmoid"),
            ])
        return try Model(
            spec: spec,
            weights: [
                "motif/kernel": Tensor(shape: [4, 4, 1], data: kernel),
                "d/kernel": Tensor(shape: [length - 3, 1], data: [Float](repeating: 0.01, count: length - 3)),
                "d/bias": Tensor(shape: [1], data: [0]),
            ])
    }

    private func encode(_ sequences: [String], length: Int) -> Tensor {
        var data = [Float](repeating: 0, count: sequences.count * length * 4)
        for (s, text) in sequences.enumerated() {
            for (i, b) in text.enumerated() {
                if let c = "ACGT".firstIndex(of: b) {
                    data[(s * length + i) * 4 + "ACGT".distance(from: "ACGT".startIndex, to: c)] = 1
                }
            }
        }
        return Tensor(shape: [sequences.count, length, 4], data: data)
    }

    func testPlantedSitesGiveThePlantedMotif() throws {
        let sequences = ["TTACGTTTGGAC", "GACGTAACGTCC", "CCCCGGGGTTTA"]
        let motifs = try FilterMotifs(model: model(length: 12)).motifs([encode(sequences, length: 12)], threshold: 0.5)
        XCTAssertEqual(motifs.count, 1)
        XCTAssertEqual(motifs[0].sites, 3, "ACGT occurs three times")
        XCTAssertEqual(motifs[0].consensus, "ACGT")
        XCTAssertEqual(motifs[0].probabilities, [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
        XCTAssertEqual(motifs[0].informationContent.reduce(0, +), 8, accuracy: 1e-9)
        XCTAssertEqual(motifs[0].maxActivation, 4)
    }

    func testWeightMotifsAreASoftmaxPerPosition() throws {
        let motifs = try FilterMotifs(model: model(length: 12)).weightMotifs()
        let e = exp(1.0)
        let f = exp(-1.0)
        XCTAssertEqual(motifs[0].probabilities[0][0], e / (e + 3 * f), accuracy: 1e-9)
        XCTAssertEqual(motifs[0].consensus, "ACGT")
    }
}
