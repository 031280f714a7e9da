import Foundation
import Genome
import SeededRandom
import TestSupport
import XCTest

@testable import Fusions

final class WindowRuleTests: XCTestCase {
    /// A 30-kb chromosome of known sequence, so every window can be computed by hand.
    private var chromosome = ""
    private var genome: ReferenceGenome!

    override func setUpWithError() throws {
        var random = SeededGenerator(seed: 42)
        let letters = Array("ACGT")
        chromosome = String((0..<30_000).map { _ in letters[random.int(in: 0...3)] })
        let folder = try TestData.temporaryDirectory()
        try ">chrT\n\(chromosome)\n".write(toFile: folder + "/t.fa", atomically: false, encoding: .utf8)
        genome = try ReferenceGenome(path: folder + "/t.fa")
    }

    private func window(_ position: Int, _ strand: Strand) throws -> (String, Int) {
        let match = try XCTUnwrap(genome.names.resolve("chrT"))
        let w = try WindowRule.window(in: genome.makeReader(), chromosome: match, position: position, strand: strand)
        return (String(decoding: w.bases, as: UTF8.self), w.padded)
    }

    /// 1-based inclusive slice of the test chromosome.
    private func slice(_ from: Int, _ to: Int) -> String {
        let s = chromosome.utf8
        return String(decoding: Array(s)[(from - 1)...(to - 1)], as: UTF8.self)
    }

    private func revcomp(_ s: String) -> String {
        let map: [Character: Character] = ["A": "T", "C": "G", "G": "C", "T": "A", "N": "N"]
        return String(s.reversed().map { map[$0]! })
    }

    func testPlusStrandIsTheIntervalFromBpMinus4999ToBpPlus5000() throws {
        let (bases, padded) = try window(15_000, .plus)
        XCTAssertEqual(bases, slice(10_001, 20_000))
        XCTAssertEqual(padded, 0)
        // The breakpoint base is the window's 5,000th base.
        XCTAssertEqual(Array(bases.utf8)[4_999], Array(chromosome.utf8)[14_999])
    }

    func testMinusStrandIsTheReverseComplementOfTheSameInterval() throws {
        let (bases, padded) = try window(15_000, .minus)
        XCTAssertEqual(bases, revcomp(slice(10_001, 20_000)))
        XCTAssertEqual(padded, 0)
    }

    func testWindowsPastEitherEndArePaddedWithNInGenomeOrder() throws {
        // bp 100: the interval is [-4899, 5100]: 4,900 N, then bases 1-5100.
        let (left, leftPad) = try window(100, .plus)
        XCTAssertEqual(leftPad, 4_900)
        XCTAssertEqual(left, String(repeating: "N", count: 4_900) + slice(1, 5_100))
        let (leftMinus, _) = try window(100, .minus)
        XCTAssertEqual(leftMinus, revcomp(slice(1, 5_100)) + String(repeating: "N", count: 4_900))
        // bp 29,990: the interval is [24,991, 34,990]: bases 24,991-30,000, then 4,990 N.
        let (right, rightPad) = try window(29_990, .plus)
        XCTAssertEqual(rightPad, 4_990)
        XCTAssertEqual(right, slice(24_991, 30_000) + String(repeating: "N", count: 4_990))
        // The very first and last bases are valid breakpoints.
        XCTAssertEqual(try window(1, .plus).1, 4_999)
        XCTAssertEqual(try window(30_000, .minus).1, 5_000)
    }

    func testSpliceSitesAreReadInTranscriptOrientation() throws {
        // Plant GT after, and AG before, position 15,000 on the + strand; the - strand reads the
        // complements on the other side.
        var bases = Array(chromosome.utf8)
        bases[15_000] = UInt8(ascii: "G")
        bases[15_001] = UInt8(ascii: "T")  // 1-based 15,001-15,002
        bases[14_997] = UInt8(ascii: "A")
        bases[14_998] = UInt8(ascii: "G")  // 1-based 14,998-14,999
        let folder = try TestData.temporaryDirectory()
        try ">chrT\n\(String(decoding: bases, as: UTF8.self))\n".write(
            toFile: folder + "/t.fa", atomically: false, encoding: .utf8)
        let planted = try ReferenceGenome(path: folder + "/t.fa")
        let reader = try planted.makeReader()
        let match = try XCTUnwrap(planted.names.resolve("chrT"))
        let head = try WindowRule.window(in: reader, chromosome: match, position: 15_000, strand: .plus).bases
        let tail = try WindowRule.window(in: reader, chromosome: match, position: 15_000, strand: .plus).bases
        let plus = SpliceSites(head: head, headStrand: .plus, tail: tail, tailStrand: .plus)
        XCTAssertEqual(plus.donor, "GT")
        XCTAssertEqual(plus.acceptor, "AG")
        XCTAssertTrue(plus.hasCanonicalDonor && plus.hasCanonicalAcceptor)

        // On `-`, the donor after head bp 15,003 is genome 15,002-15,001 complemented: revcomp("GT") = "AC".
        let minusHead = try WindowRule.window(in: reader, chromosome: match, position: 15_003, strand: .minus).bases
        // ...and the acceptor before tail bp 14,997 is genome 14,999-14,998 complemented: "CT".
        let minusTail = try WindowRule.window(in: reader, chromosome: match, position: 14_997, strand: .minus).bases
        let minus = SpliceSites(head: minusHead, headStrand: .minus, tail: minusTail, tailStrand: .minus)
        XCTAssertEqual(minus.donor, "AC")
        XCTAssertEqual(minus.acceptor, "CT")
    }

    /// Window index <-> genome position, both strands: PLA2R1's head (chr2:160,832,579, -) reads
    /// 160,837,579 down to 160,827,580; a + breakpoint at 100,000 reads 95,001 up to 105,000.
    func testIndexAndGenomePositionAreInverse() {
        XCTAssertEqual(WindowRule.span(around: 160_832_579), 160_827_580...160_837_579)
        XCTAssertEqual(WindowRule.genomePosition(ofIndex: 0, position: 160_832_579, strand: .minus), 160_837_579)
        XCTAssertEqual(WindowRule.genomePosition(ofIndex: 5_000, position: 160_832_579, strand: .minus), 160_832_579)
        XCTAssertEqual(WindowRule.genomePosition(ofIndex: 0, position: 100_000, strand: .plus), 95_001)
        XCTAssertEqual(WindowRule.genomePosition(ofIndex: 4_999, position: 100_000, strand: .plus), 100_000)
        for strand in [Strand.plus, .minus] {
            XCTAssertEqual(
                WindowRule.genomePosition(
                    ofIndex: WindowRule.breakpointIndex(strand: strand), position: 77_777, strand: strand), 77_777)
            for i in [0, 1, 4_999, 5_000, 9_999] {
                XCTAssertEqual(
                    WindowRule.index(
                        ofGenomePosition: WindowRule.genomePosition(ofIndex: i, position: 77_777, strand: strand),
                        position: 77_777, strand: strand), i)
            }
        }
    }
}
