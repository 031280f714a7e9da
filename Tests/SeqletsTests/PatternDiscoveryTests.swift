import SeededRandom
import XCTest

@testable import Seqlets

final class PatternDiscoveryTests: XCTestCase {
    private let letters = Array("ACGT".utf8)

    /// A window of `discovery.windowLength` positions: random bases; with `motif`, its bases at
    /// `at` with hypothetical contributions 1 for the present base and -0.3 for the others, and
    /// quiet noise elsewhere; without, loud noise everywhere. Reverse-complemented when `reverse`.
    private func window(
        _ rng: inout SeededGenerator, length: Int, motif: [UInt8]?, at: Int, reverse: Bool
    ) -> SeqletWindow {
        var bases = (0..<length).map { _ in letters[rng.int(in: 0...3)] }
        let loudness: Float = motif == nil ? 1 : 0.05
        var hyp = (0..<(length * 4)).map { _ in Float(rng.int(in: -1_000...1_000)) / 1_000 * loudness }
        for (i, b) in (motif ?? []).enumerated() {
            bases[at + i] = b
            for c in 0..<4 { hyp[(at + i) * 4 + c] = letters[c] == b ? 1 : -0.3 }
        }
        guard reverse else { return SeqletWindow(hypothetical: hyp, bases: bases) }
        let complement: [UInt8: UInt8] = [65: 84, 67: 71, 71: 67, 84: 65]
        return SeqletWindow(
            hypothetical: (0..<length).reversed().flatMap { q in (0..<4).map { hyp[q * 4 + 3 - $0] } },
            bases: bases.reversed().map { complement[$0] ?? $0 })
    }

    /// 60 seqlets carry GATCCA at shifted places, half on the other strand, among 40 of loud noise:
    /// one pattern of exactly those 60, trimmed to the six motif positions, each covered by all 60.
    func testOnePlantedMotifOnBothStrandsIsOnePatternTrimmedToIt() throws {
        var discovery = PatternDiscovery(seqletLength: 12)
        discovery.padding = 4
        discovery.minSeqlets = 10
        let motif = Array("GATCCA".utf8)
        var rng = SeededGenerator(seed: 8)
        var windows: [SeqletWindow] = []
        for n in 0..<100 {
            let planted = n < 60
            windows.append(
                window(
                    &rng, length: discovery.windowLength, motif: planted ? motif : nil,
                    at: discovery.padding + 3 + rng.int(in: -2...2), reverse: planted && n % 2 == 1))
        }
        let patterns = discovery.discover(windows, sign: .positive)
        XCTAssertEqual(patterns.count, 1)
        let pattern = try XCTUnwrap(patterns.first)
        XCTAssertEqual(pattern.name, "pos_pattern_1")
        XCTAssertEqual(pattern.seqlets, 60)
        XCTAssertTrue(["GATCCA", "TGGATC"].contains(pattern.consensus), pattern.consensus)
        XCTAssertEqual(pattern.support, [Int](repeating: 60, count: 6))
        for (cwm, pwm) in zip(pattern.cwm, pattern.pwm) {
            // Each position: one base in every seqlet, contributing 1.
            XCTAssertEqual(pwm.max(), 1)
            XCTAssertEqual(cwm.max() ?? 0, 1, accuracy: 1e-6)
            XCTAssertEqual(cwm.reduce(0, +), 1, accuracy: 1e-6)
        }
    }

    /// Noise alone makes no pattern.
    func testNoiseGivesNoPattern() {
        var discovery = PatternDiscovery(seqletLength: 12)
        discovery.padding = 4
        discovery.minSeqlets = 10
        var rng = SeededGenerator(seed: 9)
        let windows = (0..<100).map { _ in
            window(&rng, length: discovery.windowLength, motif: nil, at: 0, reverse: false)
        }
        XCTAssertTrue(discovery.discover(windows, sign: .negative).isEmpty)
    }

    /// The reservoir keeps everything up to its capacity, in order, then exactly its capacity of
    /// distinct offered items.
    func testReservoirKeepsAtMostItsCapacity() {
        var reservoir = Reservoir<Int>(capacity: 5, seed: 1)
        for item in 0..<5 { reservoir.offer(item) }
        XCTAssertEqual(reservoir.items, [0, 1, 2, 3, 4])
        for item in 5..<50 { reservoir.offer(item) }
        XCTAssertEqual(reservoir.items.count, 5)
        XCTAssertEqual(Set(reservoir.items).count, 5)
        XCTAssertNotEqual(reservoir.items, [0, 1, 2, 3, 4], "later items replace earlier ones")
    }
}

extension PatternDiscoveryTests {
    /// Two motifs, each alone in 40 seqlets and side by side in 15 more: each motif is a pattern of
    /// its own 40 seqlets and the pair a third, not one merged pattern, since a seqlet carrying one
    /// motif correlates only about 0.71 with a template of both.
    func testTwoMotifsThatSometimesSitSideBySideAreNotMerged() throws {
        var discovery = PatternDiscovery(seqletLength: 20)
        discovery.padding = 4
        discovery.minSeqlets = 10
        let a = Array("GATCCA".utf8)
        let b = Array("CTTAGG".utf8)
        var rng = SeededGenerator(seed: 21)
        var windows: [SeqletWindow] = []
        for n in 0..<95 {
            let at = discovery.padding + 4 + rng.int(in: -1...1)
            let motif = n < 40 ? a : n < 80 ? b : a + [UInt8(ascii: "T")] + b
            windows.append(window(&rng, length: discovery.windowLength, motif: motif, at: at, reverse: n % 2 == 1))
        }
        let patterns = discovery.discover(windows, sign: .positive)
        let found = Dictionary(patterns.map { ($0.consensus, $0.seqlets) }, uniquingKeysWith: +)
        XCTAssertEqual(patterns.count, 3, "\(found)")
        XCTAssertEqual(found["GATCCA"] ?? found["TGGATC"], 40, "\(found)")
        XCTAssertEqual(found["CTTAGG"] ?? found["CCTAAG"], 40, "\(found)")
        XCTAssertEqual(found["GATCCATCTTAGG"] ?? found["CCTAAGATGGATC"], 15, "\(found)")
    }
}
