import Foundation
import FusionAI
import Fusions
import NeuralNet
import TestSupport
import XCTest

final class FusionScorerTests: XCTestCase {
    private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keras").path

    private struct Reference: Decodable {
        let sequences: [String]
        let outputs: [[Double]]
    }

    /// A 600-nt model sees the central 300 nt of each 10-kb window: windows built around the
    /// fixture's sequences score as TensorFlow scored the sequences.
    func testShortModelsSeeTheCentreOfEachWindow() throws {
        let model = try ModelFile.load(fixtures + "/fusionai_small.keras2.h5")
        let scorer = try FusionScorer(model: model)
        XCTAssertEqual(scorer.windowLength, 300)
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: URL(fileURLWithPath: fixtures + "/fusionai_small.outputs.json")))
        let flank = Array(repeating: UInt8(ascii: "G"), count: 4_850)
        let pairs = reference.sequences.map { s -> (head: [UInt8], tail: [UInt8]) in
            let bytes = Array(s.utf8)
            return (flank + bytes[0..<300] + flank, flank + bytes[300..<600] + flank)
        }
        XCTAssertEqual(pairs[0].head.count, WindowRule.length)
        for threads in [1, 2] {
            let scores = scorer.score(pairs, threads: threads)
            for (score, expected) in zip(scores, reference.outputs) {
                XCTAssertEqual(Double(score.negative), expected[0], accuracy: 1e-5)
                XCTAssertEqual(Double(score.positive), expected[1], accuracy: 1e-5)
            }
        }
    }

    func testModelsThatDoNotTakeFusionAIInputAreRefused() throws {
        // 101 rows cannot be split into a head and a tail window.
        let odd = try ModelFile.load(fixtures + "/conv2d_stride_same.keras")
        XCTAssertThrowsError(try FusionScorer(model: odd)) { error in
            XCTAssertTrue("\(error)".contains("not a FusionAI-style input"), "\(error)")
        }
        // A one-output sigmoid model on 300 nt is accepted: 150 nt per window, P(positive) = y.
        let zoo = try FusionScorer(model: try ModelFile.load(fixtures + "/conv1d_zoo_gmax.keras"))
        XCTAssertEqual(zoo.windowLength, 150)
    }
}
