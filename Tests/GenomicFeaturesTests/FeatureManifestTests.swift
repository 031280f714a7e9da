import Foundation
import Genome
import GenomicFeatures
import TestSupport
import XCTest

final class FeatureManifestTests: XCTestCase {
    private func manifest(_ rows: [String]) throws -> String {
        let folder = try TestData.temporaryDirectory()
        let path = folder + "/features.tsv"
        try (rows.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// Windows line ends (`\r\n`, one Character in Swift) end rows as `\n` does.
    func testWindowsLineEndsEndRows() throws {
        let features = TestData.path("features")
        let path = try manifest([
            "name\tcategory\tpath\r", "CpGIsland\tregulatory\t\(features)/CpGIsland.hg19.bed.gz\r",
            "Blacklist\tartefact\t\(features)/ENCODE_blacklist_v2.hg19.bed.gz\r",
        ])
        let set = try FeatureManifest(path: path)
        XCTAssertEqual(set.features.map(\.name), ["CpGIsland", "Blacklist"])
        XCTAssertEqual(set.features.map(\.category), ["regulatory", "artefact"])
    }

    func testTheRealExonJunctionBreakpointsOverlapRefSeqExons() throws {
        let features = TestData.path("features")
        let path = try manifest([
            "name\tcategory\tpath",
            "RefSeqExon\tgene\t\(features)/RefSeqExon.hg19.bed.gz",
            "CpGIsland\tregulatory\t\(features)/CpGIsland.hg19.bed.gz",
            "Blacklist\tartefact\t\(features)/ENCODE_blacklist_v2.hg19.bed.gz",
        ])
        let set = try FeatureManifest(path: path)
        XCTAssertEqual(set.features.map(\.name), ["RefSeqExon", "CpGIsland", "Blacklist"])
        let exons = set.features[0].intervals
        // PLA2R1--RBMS1 (HCC1395) and ITGB6--RBMS1 (UACC-893), both `-`: the head breakpoint is the
        // last base of an exon in transcript order, the tail breakpoint the first.
        for (chromosome, position) in [
            ("chr2", 160_832_579), ("chr2", 161_159_998), ("2", 160_968_591), ("chr2", 161_143_595),
        ] {
            XCTAssertTrue(
                exons.contains(chromosome: chromosome, position: position), "\(chromosome):\(position) is in an exon")
        }
        // One base into the intron on the transcript's side of each junction is not (`-` strand: the
        // head's next base is bp - 1, the tail's previous base is bp + 1).
        XCTAssertFalse(exons.contains(chromosome: "chr2", position: 160_832_578))
        XCTAssertFalse(exons.contains(chromosome: "chr2", position: 161_159_999))
        // BED chr2 160832578 160832736 covers 1-based 160,832,579-160,832,736: 158 bases, 3 of them in
        // 160,832,734-160,832,740.
        XCTAssertEqual(exons.covered(chromosome: "chr2", range: 160_832_734...160_832_740), 3)
        XCTAssertGreaterThan(set.features[1].intervals.count, 28_000, "the CpG-island track holds 28,691 intervals")
    }

    func testManifestErrorsNameTheLine() throws {
        let broken = try manifest(["name\tcategory\tpath", "OnlyName"])
        XCTAssertThrowsError(try FeatureManifest(path: broken)) {
            XCTAssertTrue(
                "\($0)".hasSuffix("features.tsv:2: expected tab-separated name, category and path (BED or BED.gz)"),
                "\($0)")
        }
        let missing = try manifest(["A\tcat\tnope.bed"])
        XCTAssertThrowsError(try FeatureManifest(path: missing)) {
            XCTAssertTrue(
                "\($0)".hasSuffix(
                    "features.tsv:1: track 'A': \((missing as NSString).deletingLastPathComponent)/nope.bed does "
                        + "not exist (a relative path is read from the manifest's folder)"
                ), "\($0)")
        }
    }
}
