import Foundation
import Genome
import TestSupport
import XCTest

/// BED files read into interval sets, byte by byte.
final class IntervalSetTests: XCTestCase {
    private func write(_ text: String, name: String = "track.bed") throws -> String {
        let path = try TestData.temporaryDirectory("fusionai-bed") + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func testLinesAcrossChromosomesAliasesAndSkippedLines() throws {
        let path = try write(
            """
            track name=test
            browser position chr1:1-100
            # comment
               \t
            chr1\t10\t20\tname\t0\t+
            chr2\t0\t5
            1\t20\t30\r
            chr1\t50\t50
            chrM\t0\t3
            chr2\t100\t200

            """)
        let set = try IntervalSet(bedPaths: [path])
        XCTAssertEqual(set.count, 6, "six interval lines, the empty one (50-50) among them")
        // chr1 11-20 and 1's 21-30 join (the same sequence, adjacent); chr2 1-5 and 101-200; MT 1-3.
        XCTAssertEqual(set.intersection(chromosome: "chr1", range: 1...1_000), [11...30])
        XCTAssertEqual(set.intersection(chromosome: "2", range: 1...1_000), [1...5, 101...200])
        XCTAssertEqual(set.covered(chromosome: "MT", range: 1...10), 3)
        XCTAssertEqual(set.mergedCount, 4)
        XCTAssertFalse(set.contains(chromosome: "chr1", position: 50), "an empty interval holds nothing")
    }

    func testMalformedLinesNameTheLine() throws {
        for (text, line) in [
            ("chr1\t10\n", 1), ("chr1\t1\t2\nchr1\t20\t10\n", 2), ("chr1\t+5\t10\n", 1), ("\t5\t10\n", 1),
            ("chr1\t5\t10x\n", 1), ("chr1\t0\t1099511627777\n", 1), ("chr1\t0\t99999999999999999999\n", 1),
        ] {
            let path = try write(text)
            let error = assertThrows(try IntervalSet(bedPaths: [path]), GenomeError.self, code: .corrupt)
            XCTAssertEqual(error?.path, path, text)
            XCTAssertEqual(error?.line, line, text)
        }
        // 2^40 itself is a position.
        XCTAssertEqual(
            try IntervalSet(bedPaths: [try write("chr1\t1099511627775\t1099511627776\n")]).covered(
                chromosome: "chr1", range: (1 << 40)...(1 << 40)), 1)
    }

    /// Lines out of order and chromosomes that come back merge into what was read before them.
    func testIntervalsOutOfOrderAndChromosomesThatComeBackMergeWithEarlierOnes() throws {
        let path = try write("chr1\t100\t200\nchr1\t0\t10\nchr2\t0\t5\nchr1\t5\t20\nchr1\t300\t400\nchr1\t150\t300\n")
        let set = try IntervalSet(bedPaths: [path])
        XCTAssertEqual(set.intersection(chromosome: "chr1", range: 1...1_000), [1...20, 101...400])
        XCTAssertEqual(set.intersection(chromosome: "chr2", range: 1...1_000), [1...5])
        XCTAssertEqual(set.count, 6)
    }

    /// More separate intervals than the bound is an error naming the file and the line it was
    /// passed at (memory stays bounded); many lines that merge into few are not.
    func testMoreSeparateIntervalsThanTheBoundIsAClearError() throws {
        let separate = (0..<10).map { "chr1\t\($0 * 10)\t\($0 * 10 + 5)\n" }.joined() + "chr2\t0\t5\n"
        let path = try write(separate)
        XCTAssertEqual(try IntervalSet(bedPaths: [path], maximumIntervals: 11).mergedCount, 11)
        let error = assertThrows(
            try IntervalSet(bedPaths: [path], maximumIntervals: 9), GenomeError.self, code: .tooLarge)
        XCTAssertEqual(error?.path, path)
        XCTAssertEqual(error?.line, 11, "merged at the end of the file: its last line")
        XCTAssertTrue(error?.message.contains("tabix -p bed") ?? false, error?.message ?? "")
        let overlapping = (0..<1_000).map { "chr1\t\($0)\t\($0 + 50)\n" }.joined()
        let merged = try IntervalSet(bedPaths: [try write(overlapping)], maximumIntervals: 2)
        XCTAssertEqual(merged.intersection(chromosome: "chr1", range: 1...2_000), [1...1_049])
    }

    /// An unsorted file that changes chromosome on every line, longer than the 2^20 intervals held
    /// unmerged: what a merge finds already kept is merged again with the next part.
    func testAnUnsortedFileChangingChromosomeEveryLineMergesAcrossItsParts() throws {
        let pairs = 530_000
        var text = ""
        text.reserveCapacity(pairs * 40)
        for i in stride(from: pairs - 1, through: 0, by: -1) {
            text += "chr1\t\(10 * i)\t\(10 * i + 5)\nchr2\t\(10 * i)\t\(10 * i + 10)\n"
        }
        let set = try IntervalSet(bedPaths: [try write(text)])
        XCTAssertEqual(set.count, 2 * pairs)
        XCTAssertEqual(set.intersection(chromosome: "chr2", range: 1...(1 << 30)), [1...(10 * pairs)])
        XCTAssertEqual(set.mergedCount, pairs + 1)
        XCTAssertEqual(set.intersection(chromosome: "chr1", range: 1...20), [1...5, 11...15])
        XCTAssertEqual(set.covered(chromosome: "chr1", range: 1...(10 * pairs)), 5 * pairs)
    }
}
