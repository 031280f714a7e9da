import Foundation
import SeededRandom
import XCTest

@testable import Seqlets

final class SeqletCallerTests: XCTestCase {
    private func caller(window: Int, flank: Int) -> SeqletCaller {
        var c = SeqletCaller()
        c.window = window
        c.flank = flank
        return c
    }

    /// One positive block in the head, one negative block in the tail: one seqlet each, at the first
    /// of the tied best windows, widened by the flanks, with the sums over it.
    func testABlockOfEachSignGivesOneSeqletWithItsFlanks() {
        var values = [Float](repeating: 0, count: 200)
        for i in 50..<60 { values[i] = 1 }
        for i in 120..<130 { values[i] = -1 }
        let called = caller(window: 5, flank: 5).call(values, partLengths: [100, 100], key: "f")
        XCTAssertEqual(
            called.seqlets,
            [
                Seqlet(part: 0, start: 45, end: 60, sign: .positive, windowSum: 5, attributionSum: 10),
                Seqlet(part: 1, start: 15, end: 30, sign: .negative, windowSum: -5, attributionSum: -10),
            ])
        // The permutation spreads the ten values: no null window reaches the block's sum of 5.
        XCTAssertNotNil(called.thresholds.positive)
        XCTAssertLessThanOrEqual(called.thresholds.positive ?? 99, 5)
        XCTAssertLessThanOrEqual(called.thresholds.negative ?? 99, 5)
    }

    /// A block across the junction: each part has its own seqlet, neither crossing.
    func testSeqletsDoNotCrossTheHeadTailJunction() {
        var values = [Float](repeating: 0, count: 200)
        for i in 95..<105 { values[i] = 1 }
        let called = caller(window: 10, flank: 0).call(values, partLengths: [100, 100], key: "f")
        XCTAssertEqual(
            called.seqlets,
            [
                Seqlet(part: 0, start: 90, end: 100, sign: .positive, windowSum: 5, attributionSum: 5),
                Seqlet(part: 1, start: 0, end: 10, sign: .positive, windowSum: 5, attributionSum: 5),
            ])
    }

    /// Seqlets never overlap: two blocks closer than a seqlet's length give one seqlet, the larger.
    func testSeqletsDoNotOverlap() {
        var values = [Float](repeating: 0, count: 300)
        for i in 100..<105 { values[i] = 2 }
        for i in 112..<117 { values[i] = 1 }
        let called = caller(window: 5, flank: 5).call(values, partLengths: [150, 150], key: "f")
        XCTAssertEqual(called.seqlets.map(\.start), [95])
    }

    /// FDR(t) = #null >= t / #real >= t (equal counts), made monotone from below; hand-computed:
    /// at 5, 4, 3, 2, 1 the FDRs are 0, 1/2, 1/3, 2/4, 2/5, so the q-values are 0, 1/3, 1/3, 2/5, 2/5.
    func testThresholdIsTheLowestValueWhoseQValuePasses() {
        let real: [Float] = [1, 5, 3, -1, 4, 2]
        let null: [Float] = [4.5, -2, 2.5, 0.5, -0.5, -1]
        XCTAssertEqual(SeqletCaller.threshold(real: real, null: null, targetFDR: 0.2), 5)
        XCTAssertEqual(SeqletCaller.threshold(real: real, null: null, targetFDR: 0.35), 3)
        XCTAssertEqual(SeqletCaller.threshold(real: real, null: null, targetFDR: 0.4), 1)
        XCTAssertNil(SeqletCaller.threshold(real: [-1, -2], null: null, targetFDR: 0.4))
    }

    func testWindowSums() {
        XCTAssertEqual(SeqletCaller.windowSums([1, 2, 3, 4], window: 2), [3, 5, 7])
        XCTAssertEqual(SeqletCaller.windowSums([1, 2], window: 3), [])
    }
}

extension SeqletCallerTests {
    /// Tracks of noise alone: a track's top stretch of windows beats a one-permutation null about
    /// half the time; pooling ten permutations refines the null's tail, so fewer signal-free tracks
    /// give seqlets (measured: 35 and 19 of 50; the FDR is per fusion, so some still do).
    func testPooledPermutationsMakeChanceSeqletsRarer() {
        var rng = SeededGenerator(seed: 12)
        // Laplace noise, by inverse CDF.
        let tracks = (0..<50).map { _ in
            (0..<2_000).map { _ -> Float in
                let u = Float(rng.int(in: 1...999_999)) / 1_000_000 - 0.5
                return (u < 0 ? 1 : -1) * log(1 - 2 * abs(u))
            }
        }
        var counts: [Int] = []
        for permutations in [1, 10] {
            var caller = SeqletCaller()
            caller.permutations = permutations
            counts.append(
                tracks.indices.filter {
                    !caller.call(tracks[$0], partLengths: [1_000, 1_000], key: "noise\($0)").seqlets.isEmpty
                }.count)
        }
        XCTAssertLessThan(counts[1], counts[0], "tracks with chance seqlets, 1 and 10 permutations: \(counts)")
    }
}
