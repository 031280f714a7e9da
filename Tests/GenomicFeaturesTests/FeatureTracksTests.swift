import Foundation
import Fusions
import Genome
import GenomicFeatures
import TestSupport
import XCTest

/// Feature intervals mapped into one fusion's model input, on both strands.
final class FeatureTracksTests: XCTestCase {
    private func landscape(_ bed: String) throws -> FeatureLandscape {
        let folder = try TestData.temporaryDirectory()
        try bed.write(toFile: folder + "/feature.bed", atomically: false, encoding: .utf8)
        try "name\tcategory\tpath\nPeak\ttest\tfeature.bed\n".write(
            toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)
        return FeatureLandscape(manifest: try FeatureManifest(path: folder + "/features.tsv"))
    }

    /// Head `+` at chr1:100,000: window chr1:95,001-105,000, index i = genome 95,001 + i.
    /// Tail `-` at chr1:200,000: window chr1:195,001-205,000 read backwards, index i = 205,000 - i.
    /// BED [95000,95010) is 1-based 95,001-95,010: indices 0..<10. BED [104990,105100) is clipped to
    /// 104,991-105,000: indices 9,990..<10,000. BED [199000,199500) is 199,001-199,500: tail
    /// indices 5,500..<6,000, plus the 10,000 offset. [204999,205000) is 205,000: tail index 0.
    func testSegmentsFollowEachWindowsOrientationAndClipAtItsEdges() throws {
        let features = try landscape(
            "chr1\t95000\t95010\nchr1\t104990\t105100\nchr1\t199000\t199500\n"
                + "chr1\t204999\t205000\nchr1\t300000\t300100\n"
        )
        let record = FusionRecord(
            head: Breakpoint(gene: "A", chromosome: "1", position: 100_000, strand: .plus),
            tail: Breakpoint(gene: "B", chromosome: "chr1", position: 200_000, strand: .minus),
            line: 1, sourceFields: [])
        let segments = try XCTUnwrap(features.tracks(of: record).first)
        XCTAssertEqual(segments.map(\.input), [0..<10, 9_990..<10_000, 10_000..<10_001, 15_500..<16_000])
        XCTAssertEqual(
            segments.map(\.genome), [95_001...95_010, 104_991...105_000, 205_000...205_000, 199_001...199_500])
        XCTAssertEqual(segments.map(\.part), [0, 0, 1, 1])
        // The head breakpoint base is index 4,999 on +; the tail's is 5,000 on -.
        XCTAssertEqual(WindowRule.breakpointIndex(strand: .plus), 4_999)
        XCTAssertEqual(WindowRule.breakpointIndex(strand: .minus), 5_000)
    }

    /// Both real fusions on the hg19 segment (all four partners on `-`) join exon boundaries: in
    /// transcript orientation the head exon must end at the head breakpoint (index 5,000) and the
    /// tail exon must start at the tail breakpoint (index 15,000). Exon BED lines (RefSeqExon.hg19):
    /// PLA2R1 [160832578,160832736), RBMS1 [161159840,161159998), ITGB6 [160968590,160968710),
    /// RBMS1 [161143479,161143595) and [161143488,161143595) (merged).
    func testTheRealJunctionBreakpointsSitOnExonEdges() throws {
        let folder = try TestData.temporaryDirectory()
        try "name\tcategory\tpath\nexon\tgene\t\(TestData.path("features"))/RefSeqExon.hg19.bed.gz\n"
            .write(toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)
        let landscape = FeatureLandscape(manifest: try FeatureManifest(path: folder + "/features.tsv"))
        let reader = try FusionReader(path: TestData.path("fusions/minichr2_real_fusions.tsv"), format: nil)
        var records: [FusionRecord] = []
        while let row = try reader.next() { if case .record(let record) = row { records.append(record) } }
        XCTAssertEqual(records.map(\.name), ["PLA2R1--RBMS1", "ITGB6--RBMS1"])
        let expected: [(head: Range<Int>, tail: Range<Int>)] = [
            (4_843..<5_001, 15_000..<15_158), (4_881..<5_001, 15_000..<15_116),
        ]
        for (record, want) in zip(records, expected) {
            let exons = try XCTUnwrap(landscape.tracks(of: record).first)
            XCTAssertEqual(exons.first { $0.input.contains(5_000) }?.input, want.head, record.name)
            XCTAssertEqual(exons.first { $0.input.contains(15_000) }?.input, want.tail, record.name)
            // The bases across each junction are intronic.
            XCTAssertFalse(exons.contains { $0.input.contains(5_001) || $0.input.contains(14_999) }, record.name)
        }
    }
}
