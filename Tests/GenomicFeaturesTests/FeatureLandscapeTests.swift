import Foundation
import Fusions
import Genome
import TestSupport
import XCTest

@testable import GenomicFeatures

final class FeatureLandscapeTests: XCTestCase {
    /// One feature, 1-based chr1:100,001-101,000; a positive fusion whose head (`+`, bp 100,000) and
    /// tail (`-`, bp 101,000) windows both hold it at window indices 5,000-5,999, and a negative
    /// fusion on chr2 that holds none of it.
    private func landscape() throws -> FeatureLandscape {
        let folder = try TestData.temporaryDirectory()
        try "chr1\t100000\t101000\n".write(toFile: folder + "/feature.bed", atomically: false, encoding: .utf8)
        try "name\tcategory\tpath\nPeak\ttest\t\(folder)/feature.bed\n".write(
            toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)
        return FeatureLandscape(manifest: try FeatureManifest(path: folder + "/features.tsv"))
    }

    private let records: [(row: Int, record: FusionRecord)] = [
        (
            1,
            FusionRecord(
                head: Breakpoint(gene: "A", chromosome: "chr1", position: 100_000, strand: .plus),
                tail: Breakpoint(gene: "B", chromosome: "chr1", position: 101_000, strand: .minus),
                line: 2, sourceFields: [], label: 1)
        ),
        (
            2,
            FusionRecord(
                head: Breakpoint(gene: "C", chromosome: "chr2", position: 100_000, strand: .plus),
                tail: Breakpoint(gene: "D", chromosome: "chr2", position: 200_000, strand: .minus),
                line: 3, sourceFields: [], label: 0)
        ),
    ]

    func testCoverageAndLandscapeFollowTheWindowOrientation() throws {
        let result = try landscape().run(records) { _, _ in nil }
        XCTAssertEqual(result.coverage.map(\.head), [1000, 0])
        XCTAssertEqual(result.coverage.map(\.tail), [1000, 0])
        // 200-nt bins: indices 5,000-5,999 are head bins 25-29 and tail bins 75-79, each fully
        // covered in one fusion of two.
        let expected = (0..<100).map { (25...29).contains($0 % 50) ? 0.5 : 0 }
        XCTAssertEqual(result.landscape, [expected])
        XCTAssertTrue(result.top.isEmpty, "no FIS regions, no top-region test")
    }

    func testEnrichmentCountsAndFisherTest() throws {
        let result = try landscape().run(records) { row, record in
            row == 1 ? [(0, "chr1", 100_501...100_600)] : [(0, record.head.chromosome, 100_001...100_100)]
        }
        XCTAssertEqual(result.coverage.compactMap(\.top?.covered), [100, 0])
        let top = try XCTUnwrap(result.top.first)
        XCTAssertEqual([top.covered, top.total, top.restCovered, top.restTotal], [100, 200, 1_900, 39_800])
        // 100/200 against 1,900/39,800: odds ratio (100 x 37,900) / (100 x 1,900).
        XCTAssertEqual(top.oddsRatio, 37_900.0 / 1_900.0, accuracy: 1e-9)
        // Two-sided p from the hypergeometric sum (Python, log-space): 10^-74.28503.
        XCTAssertEqual(log10(top.pValue), -74.28503, accuracy: 1e-4)
        XCTAssertEqual(top.qValue, top.pValue, "one test: q = p")
        // Woolf: exp(ln OR -+ 1.959964 sqrt(1/100 + 1/100 + 1/1900 + 1/37900)), computed in Python.
        XCTAssertEqual(top.confidenceInterval.low, 15.061060035795261, accuracy: 1e-9)
        XCTAssertEqual(top.confidenceInterval.high, 26.418957628449395, accuracy: 1e-9)
        // No covered top position: the odds ratio is 0 and the interval reaches it (the corrected
        // interval alone, 0.117 to 39.6, lay above its own estimate).
        let none = FeatureLandscape.Enrichment(
            feature: "f", category: "c", covered: 0, total: 6, restCovered: 20, restTotal: 594, oddsRatio: 0,
            pValue: 1)
        XCTAssertEqual(none.confidenceInterval.low, 0)
        XCTAssertEqual(none.confidenceInterval.high, 39.57138734641188, accuracy: 1e-9)
        let all = FeatureLandscape.Enrichment(
            feature: "f", category: "c", covered: 6, total: 6, restCovered: 20, restTotal: 594, oddsRatio: .infinity,
            pValue: 1)
        XCTAssertEqual(all.confidenceInterval.high, .infinity)
        XCTAssertLessThan(all.confidenceInterval.low, 1_000)
        // Top positions by bin (200 nt): fusion 1's head (+, window from chr1:95,001) holds indices
        // 5,500-5,599 (bin 27), all in the feature; fusion 2's head holds 5,000-5,099 (bin 25), none.
        XCTAssertEqual(
            result.topPositions.enumerated().filter { $0.element > 0 }.map { [$0.offset, $0.element] },
            [[25, 100], [27, 100]])
        XCTAssertEqual(
            result.topCovered[0].enumerated().filter { $0.element > 0 }.map { [$0.offset, $0.element] }, [[27, 100]])
        let labels = try XCTUnwrap(result.labels.first)
        XCTAssertEqual(
            [labels.covered, labels.total, labels.restCovered, labels.restTotal], [2_000, 20_000, 0, 20_000])
    }

    /// A region scored in the tail window is binned in the tail's orientation, even where the two
    /// windows overlap in the genome: fusion 1's tail (-, bp 101,000) reads chr1:106,000 down to
    /// 96,001, so chr1:100,501-100,600 are tail indices 5,400-5,499: bin 50 + 27.
    func testTopRegionsAreBinnedInTheirOwnWindow() throws {
        let result = try landscape().run(Array(records.prefix(1))) { _, _ in
            [(1, "1", 100_501...100_600), (1, "chr2", 100_501...100_600)]
        }
        XCTAssertEqual(
            result.topPositions.enumerated().filter { $0.element > 0 }.map { [$0.offset, $0.element] }, [[77, 100]],
            "the chr2 region is not in the tail window's chromosome and is ignored")
        XCTAssertEqual(result.topCovered[0][77], 100)
    }

    /// PLA2R1--RBMS1 (HCC1395), head chr2:160,832,579 on `-`: the window reads chr2:160,837,579 down to
    /// 160,827,580, so index i is 160,837,579 - i and the breakpoint base is index 5,000. The four
    /// RefSeq exons inside are BED [160832578,160832736), [160833195,160833231), [160833794,160833927)
    /// and [160836340,160836425): 158 + 36 + 133 + 85 = 412 bases. The breakpoint exon spans indices
    /// 4,843-5,000: 157 of them in bin 24 (4,800-4,999) and the breakpoint base in bin 25.
    func testTheRealBreakpointExonSitsJustBeforeTheHeadBreakpoint() throws {
        let folder = try TestData.temporaryDirectory()
        try "name\tcategory\tpath\nRefSeqExon\tgene\t\(TestData.path("features"))/RefSeqExon.hg19.bed.gz\n"
            .write(toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)
        let landscape = FeatureLandscape(manifest: try FeatureManifest(path: folder + "/features.tsv"))
        let fusion = FusionRecord(
            head: Breakpoint(gene: "PLA2R1", chromosome: "chr2", position: 160_832_579, strand: .minus),
            tail: Breakpoint(gene: "RBMS1", chromosome: "chr2", position: 161_159_998, strand: .minus),
            line: 1, sourceFields: [])
        let result = landscape.run([(1, fusion)]) { _, _ in nil }
        XCTAssertEqual(result.coverage[0].head, 412)
        XCTAssertEqual(result.landscape[0][24], 157.0 / 200, accuracy: 1e-12)
        XCTAssertEqual(result.landscape[0][25], 1.0 / 200, accuracy: 1e-12)
        // The tail breakpoint is the first base of its exon: nothing of it before the tail's index 5,000.
        XCTAssertEqual(result.landscape[0][50 + 24], 0)
        XCTAssertGreaterThan(result.landscape[0][50 + 25], 0.5)
    }
}
