import Foundation
import Fusions
import Genome
import NeuralNet
import XCTest

@testable import FusionAI

/// DeepLIFT and DeepLiftShap: known answers on the tiny model of ``AttributionTests``, completeness on
/// Keras fixtures that hold every layer type (convolutions, batch normalization, max pooling, global
/// max and average pooling, dropout, dense, relu, sigmoid and softmax).
extension AttributionTests {
    func testDeepLiftOnTheSigmoidModelEqualsTheClosedForm() throws {
        let scorer = try tinyModel()
        let sequence = Array("ACGTTNGA")
        let w = windows(String(sequence[0..<4]), String(sequence[4..<8]))
        // Zero reference: z0 = b, and each term of z = b + sum_t v[t] k[base_t] carries the sigmoid's
        // secant slope (P - P0) / (z - z0).
        let z = zip(sequence, v).reduce(b) { $0 + (channel[$1.0].map { k[$0] } ?? 0) * $1.1 }
        let p = 1 / (1 + exp(-z))
        let p0 = 1 / (1 + exp(-b))
        let slope = (p - p0) / (z - b)
        let explainer = Explainer(scorer: scorer)
        let a = explainer.deepLift(head: w.head, tail: w.tail, method: .deeplift)
        for t in 0..<8 {
            let expected = channel[sequence[t]].map { v[t] * k[$0] * slope } ?? 0
            XCTAssertEqual(a.scores[t], expected, accuracy: 1e-6, "contribution at \(t)")
            for c in 0..<4 { XCTAssertEqual(a.hypothetical[t * 4 + c], v[t] * k[c] * slope, accuracy: 1e-6) }
        }
        XCTAssertEqual(a.referenceDifference, Double(p - p0), accuracy: 1e-6)
        XCTAssertEqual(a.attributionSum, a.referenceDifference, accuracy: 1e-6)
        XCTAssertEqual(a.probability, p, accuracy: 1e-6)
        XCTAssertEqual(try explainer.explain(head: w.head, tail: w.tail, method: .deeplift), a.scores)
    }

    func testDeepLiftOnALinearModelIsGradientTimesDifference() throws {
        let scorer = try tinyModel(activation: "linear")
        let w = windows("ACGT", "TAGA")
        var explainer = Explainer(scorer: scorer)
        explainer.shuffledBaseline = true
        let x = scorer.encode([w])
        // Eight letters may shuffle back to themselves: the first seed that moves them.
        explainer.seed = (1...20).first { DinucleotideShuffle.shuffled(x.data, positions: 8, seed: $0) != x.data } ?? 1
        let reference = DinucleotideShuffle.shuffled(x.data, positions: 8, seed: explainer.seed)
        XCTAssertNotEqual(reference, x.data)
        let gradient = scorer.model.gradients(x) { Tensor(shape: $0.shape, data: [1]) }.input
        let a = explainer.deepLift(head: w.head, tail: w.tail, method: .deeplift)
        for t in 0..<8 {
            let expected = (0..<4).reduce(Float(0)) {
                $0 + gradient.data[t * 4 + $1] * (x.data[t * 4 + $1] - reference[t * 4 + $1])
            }
            XCTAssertEqual(a.scores[t], expected, accuracy: 1e-6, "position \(t)")
        }
    }

    /// Windows around the fixture's sequences, the first also N-padded over a stretch of the head.
    private func fixturePairs(_ name: String, windowLength: Int) throws -> [(head: [UInt8], tail: [UInt8])] {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras/\(name).outputs.json")
        let sequences = try JSONDecoder().decode(FixtureSequences.self, from: Data(contentsOf: fixtures)).sequences
        let flank = Array(repeating: UInt8(ascii: "G"), count: (WindowRule.length - windowLength) / 2)
        var pairs = sequences.prefix(3).map { s -> (head: [UInt8], tail: [UInt8]) in
            let bytes = Array(s.utf8)
            return (
                flank + bytes[0..<windowLength] + flank, flank + bytes[windowLength..<(2 * windowLength)] + flank
            )
        }
        for i in 0..<(windowLength / 3) { pairs[0].head[flank.count + i] = UInt8(ascii: "N") }
        return pairs
    }

    private struct FixtureSequences: Decodable {
        let sequences: [String]
    }

    func testDeepLiftAndDeepLiftShapAreCompleteOnEveryLayerType() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/keras").path
        for (name, file) in [
            ("fusionai_small", "fusionai_small.keras2.h5"), ("conv1d_zoo_gmax", "conv1d_zoo_gmax.keras"),
            ("conv1d_zoo_gavg", "conv1d_zoo_gavg.keras"),
        ] {
            let scorer = try FusionScorer(model: try ModelFile.load(folder + "/" + file))
            var explainer = Explainer(scorer: scorer)
            explainer.references = 3
            for (i, pair) in try fixturePairs(name, windowLength: scorer.windowLength).enumerated() {
                for (method, shuffled) in [
                    (AttributionMethod.deeplift, false), (.deeplift, true), (.deepliftshap, true),
                ] {
                    explainer.shuffledBaseline = shuffled
                    let a = explainer.deepLift(head: pair.head, tail: pair.tail, method: method)
                    let label = "\(name) pair \(i) \(method) shuffled \(shuffled)"
                    XCTAssertGreaterThan(abs(a.referenceDifference), 1e-4, label)
                    XCTAssertEqual(
                        a.attributionSum, a.referenceDifference, accuracy: 1e-4 * abs(a.referenceDifference), label)
                    // The hypothetical contribution of the base that is there is its contribution.
                    let x = scorer.encode([pair])
                    for t in 0..<a.scores.count {
                        guard let base = (0..<4).first(where: { x.data[t * 4 + $0] == 1 }) else { continue }
                        XCTAssertEqual(
                            a.hypothetical[t * 4 + base], a.scores[t], accuracy: 1e-6 + 1e-4 * abs(a.scores[t]), label)
                    }
                }
            }
        }
    }
}
