import Foundation
import Fusions
import Genome
import NeuralNet
import SeededRandom
import TestSupport
import XCTest

@testable import FusionAI

final class AttributionTests: XCTestCase {
    /// P = sigmoid(sum_t v[t] * k[base_t] + b) on 8 positions (4 per window): a model whose
    /// gradients are known in closed form, dP/dx[t, c] = P(1-P) v[t] k[c].
    let k: [Float] = [0.5, -1, 2, 0.25]
    let v: [Float] = [1, -2, 0.5, 3, -1, 0.75, 2, -0.5]
    let b: Float = 0.1

    /// - Parameter activation: the dense layer's, `sigmoid` or `linear`.
    func tinyModel(activation: String = "sigmoid") throws -> FusionScorer {
        let spec = ModelSpec(
            name: "tiny", inputShape: [8, 4, 1],
            layers: [
                LayerSpec(
                    name: "c", kind: .conv2d, units: 1, size: [1, 4], padding: "valid", activation: "linear",
                    useBias: false),
                LayerSpec(name: "f", kind: .flatten),
                LayerSpec(name: "d", kind: .dense, units: 1, activation: activation),
            ])
        let model = try Model(
            spec: spec,
            weights: [
                "c/kernel": Tensor(shape: [1, 4, 1, 1], data: k),
                "d/kernel": Tensor(shape: [8, 1], data: v), "d/bias": Tensor(shape: [1], data: [b]),
            ])
        return try FusionScorer(model: model)
    }

    /// 10-kb windows whose central 4 bases (the model's view) are `head` and `tail`.
    func windows(_ head: String, _ tail: String) -> (head: [UInt8], tail: [UInt8]) {
        let flank = [UInt8](repeating: UInt8(ascii: "A"), count: 4_998)
        return (flank + Array(head.utf8) + flank, flank + Array(tail.utf8) + flank)
    }

    let channel: [Character: Int] = ["A": 0, "C": 1, "G": 2, "T": 3]

    func testGradientMethodsEqualTheClosedForm() throws {
        let scorer = try tinyModel()
        XCTAssertEqual(scorer.windowLength, 4)
        XCTAssertEqual(scorer.cropStart, 4_998)
        let sequence = Array("ACGTTNGA")
        let w = windows(String(sequence[0..<4]), String(sequence[4..<8]))
        let z = zip(sequence, v).reduce(b) { $0 + (channel[$1.0].map { k[$0] } ?? 0) * $1.1 }
        let p = 1 / (1 + exp(-z))
        XCTAssertEqual(scorer.probabilities(scorer.encode([w]), threads: 1)[0], p, accuracy: 1e-6)

        let explainer = Explainer(scorer: scorer)
        let gradInput = try explainer.explain(head: w.head, tail: w.tail, method: .gradInput)
        let saliency = try explainer.explain(head: w.head, tail: w.tail, method: .saliency)
        for t in 0..<8 {
            let expected = channel[sequence[t]].map { p * (1 - p) * v[t] * k[$0] } ?? 0
            XCTAssertEqual(gradInput[t], expected, accuracy: 1e-6, "grad-input at \(t)")
            XCTAssertEqual(saliency[t], p * (1 - p) * abs(v[t]) * 2, accuracy: 1e-6, "saliency at \(t): max |k| = 2")
        }
    }

    func testIntegratedGradientsAreCompleteAndOcclusionIsTheDrop() throws {
        let scorer = try tinyModel()
        let w = windows("GGTA", "CATG")
        let x = scorer.encode([w])
        let p = scorer.probabilities(x, threads: 1)[0]
        let p0 = scorer.probabilities(Tensor(zeros: x.shape), threads: 1)[0]
        var explainer = Explainer(scorer: scorer)
        explainer.steps = 64
        let ig = try explainer.explain(head: w.head, tail: w.tail, method: .integratedGradients)
        XCTAssertEqual(ig.reduce(0, +), p - p0, accuracy: 1e-4, "completeness: attributions sum to P(x) - P(baseline)")

        explainer.occlusionWindow = 1
        explainer.occlusionStride = 1
        let occlusion = try explainer.explain(head: w.head, tail: w.tail, method: .occlusion)
        for t in 0..<8 {
            var occluded = x
            for c in 0..<4 { occluded.data[t * 4 + c] = 0 }
            XCTAssertEqual(occlusion[t], p - scorer.probabilities(occluded, threads: 1)[0], accuracy: 1e-6)
        }
    }

    func testMutagenesisIsTheChangeInProbabilityForEveryAlternative() throws {
        let scorer = try tinyModel()
        let sequence = Array("ACGTTNGA")
        let w = windows(String(sequence[0..<4]), String(sequence[4..<8]))
        func probability(_ s: [Character]) -> Float {
            let z = zip(s, v).reduce(b) { $0 + (channel[$1.0].map { k[$0] } ?? 0) * $1.1 }
            return 1 / (1 + exp(-z))
        }
        let p = probability(sequence)
        let ism = try Explainer(scorer: scorer).mutagenesis(head: w.head, tail: w.tail)
        for t in 0..<8 {
            var changes: [Float] = []
            for (c, letter) in "ACGT".enumerated() {
                var mutated = sequence
                mutated[t] = letter
                let delta = letter == sequence[t] ? 0 : probability(mutated) - p
                XCTAssertEqual(ism.matrix[t * 4 + c], delta, accuracy: 1e-6, "position \(t) base \(letter)")
                if letter != sequence[t] { changes.append(abs(delta)) }
            }
            XCTAssertEqual(ism.mean[t], changes.reduce(0, +) / Float(changes.count), accuracy: 1e-6)
            XCTAssertEqual(ism.max[t], changes.max() ?? 0, accuracy: 1e-6)
        }
        XCTAssertEqual(ism.matrix.count, 32)
    }

    func testDinucleotideShuffleKeepsDinucleotideCounts() {
        var random = SeededGenerator(seed: 3)
        let s = (0..<500).map { _ in random.int(in: 0...4) }
        func pairs(_ x: [Int]) -> [Int: Int] {
            var counts: [Int: Int] = [:]
            for i in 0..<(x.count - 1) { counts[x[i] * 5 + x[i + 1], default: 0] += 1 }
            return counts
        }
        for seed in [1, 2, 3] as [UInt64] {
            let shuffled = DinucleotideShuffle.shuffle(s, seed: seed)
            XCTAssertEqual(shuffled.count, s.count)
            XCTAssertEqual(pairs(shuffled), pairs(s))
            XCTAssertEqual(shuffled.first, s.first)
            XCTAssertNotEqual(shuffled, s)
        }
    }

    func testWindowIndicesMapToGenomePositionsOnBothStrands() {
        let plus = WindowCoordinates(chromosome: "chr1", breakpoint: 10_000, strand: .plus, chromosomeLength: 12_000)
        XCTAssertEqual(
            [0, 4_999, 5_000, 9_999].map(plus.position(ofIndex:)), [5_001, 10_000, 10_001, nil], "past the end: padding"
        )
        let minus = WindowCoordinates(chromosome: "chr1", breakpoint: 10_000, strand: .minus, chromosomeLength: 20_000)
        XCTAssertEqual([0, 4_999, 5_000, 9_999].map(minus.position(ofIndex:)), [15_000, 10_001, 10_000, 5_001])
        let nearStart = WindowCoordinates(chromosome: "chrM", breakpoint: 100, strand: .plus, chromosomeLength: nil)
        XCTAssertNil(nearStart.position(ofIndex: 0))
        XCTAssertEqual(nearStart.position(ofIndex: 4_900), 1)
    }

    func testBedGraphsAreInAscendingGenomeOrderWithStrandAwareValues() throws {
        let folder = try TestData.temporaryDirectory()
        let record = FusionRecord(
            head: Breakpoint(gene: "H", chromosome: "chr2", position: 20_000, strand: .minus),
            tail: Breakpoint(gene: "T", chromosome: "chr3", position: 30_000, strand: .plus), line: 1, sourceFields: [])
        // Scores = window index, head then tail, for the full 10-kb windows.
        let scores = (0..<20_000).map { Float($0 % 10_000) }
        let bases = (head: [UInt8](repeating: 65, count: 10_000), tail: [UInt8](repeating: 67, count: 10_000))
        _ = try ExplainOutputs(folder: folder).write(
            id: "x", record: record,
            head: WindowCoordinates(chromosome: "chr2", breakpoint: 20_000, strand: .minus, chromosomeLength: nil),
            tail: WindowCoordinates(chromosome: "chr3", breakpoint: 30_000, strand: .plus, chromosomeLength: nil),
            bases: bases, cropStart: 0, scores: scores, probability: 0.5, method: .gradInput)
        let head = try String(contentsOfFile: folder + "/x.head.bedGraph", encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(head[0].hasPrefix("track type=bedGraph"))
        // `-` strand: genome position 15,001 (bp - 4999) is window index 9999; 25,000 is index 0.
        XCTAssertEqual(head[1], "chr2\t15000\t15001\t9999.0")
        XCTAssertEqual(head[10_000], "chr2\t24999\t25000\t0.0")
        let breakpointLine = head.first { $0.hasPrefix("chr2\t19999\t20000\t") }
        XCTAssertEqual(breakpointLine, "chr2\t19999\t20000\t5000.0")
        let tail = try String(contentsOfFile: folder + "/x.tail.bedGraph", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(tail[1], "chr3\t25000\t25001\t0.0")
        XCTAssertEqual(tail[5_000], "chr3\t29999\t30000\t4999.0")
        // Top 1%: the 200 highest scores are indices 9,900-9,999 of both windows, one region each.
        let regions = try String(contentsOfFile: folder + "/x.top_regions.tsv", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t") }
        let top1 = regions.filter { $0.first == "top1%" }
        XCTAssertEqual(
            top1.map { Array($0[1...4]).joined(separator: " ") }, ["head chr2 15000 15100", "tail chr3 34900 35000"])
        XCTAssertEqual(top1.map { $0[8] }, ["4900", "4901"], "head: 20,000 - 15,100; tail: 34,901 - 30,000")
    }
}
