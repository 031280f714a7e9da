import Foundation
import Fusions
import Genome
import GenomicFeatures
import Support
import TestSupport
import XCTest

@testable import Genome

/// Feature tracks read by region through a tabix index give what the whole file gives.
final class TabixTrackTests: XCTestCase {
    /// A bgzip-compressed, sorted copy of `BED` lines, with its index.
    private func indexedCopy(of lines: [String], in folder: String, name: String = "track.bed.gz") throws -> String {
        let path = folder + "/" + name
        let sorted = lines.map { line -> (String, Int, String) in
            let fields = line.split(separator: "\t")
            return (String(fields[0]), Int(fields[1]) ?? 0, line)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        try OutputFile.write(sorted.map { $0.2 + "\n" }.joined(), to: path)
        try TabixFile.buildIndex(bedPath: path)
        return path
    }

    private func lines(of path: String) throws -> [String] {
        let reader = try TextLines(path: path, kind: "BED file")
        var lines: [String] = []
        while let bytes = try reader.next() {
            lines.append(String(decoding: UnsafeRawBufferPointer(bytes), as: UTF8.self))
        }
        return lines
    }

    private func manifest(_ path: String, in folder: String, regions: IntervalSet?) throws -> FeatureManifest {
        try "name\tcategory\tpath\nexon\tgene\t\(path)\n".write(
            toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)
        return try FeatureManifest(path: folder + "/features.tsv", overlapping: regions)
    }

    /// The real RefSeq exons (254,741 lines, all chromosomes): the two real fusions plus two made-up
    /// ones on chr1 and chrX (written `1` and `X`, so aliases are needed) measure the same from
    /// the tabix-indexed copy, read by region, as from the whole file, while only lines near the
    /// windows are read.
    func testRegionReadsMatchTheWholeFile() throws {
        let folder = try TestData.temporaryDirectory()
        let original = TestData.path("features/RefSeqExon.hg19.bed.gz")
        let indexed = try indexedCopy(of: lines(of: original), in: folder)
        let records = [
            FusionRecord(
                head: Breakpoint(gene: "PLA2R1", chromosome: "chr2", position: 160_832_579, strand: .minus),
                tail: Breakpoint(gene: "RBMS1", chromosome: "chr2", position: 161_159_998, strand: .minus), line: 1,
                sourceFields: []),
            FusionRecord(
                head: Breakpoint(gene: "ITGB6", chromosome: "chr2", position: 160_968_591, strand: .minus),
                tail: Breakpoint(gene: "RBMS1", chromosome: "chr2", position: 161_143_595, strand: .minus), line: 2,
                sourceFields: []),
            FusionRecord(
                head: Breakpoint(gene: "A", chromosome: "1", position: 67_000_000, strand: .plus),
                tail: Breakpoint(gene: "B", chromosome: "X", position: 153_000_000, strand: .minus), line: 3,
                sourceFields: []),
        ]
        let regions = FeatureLandscape.windowSpans(records)
        let whole = FeatureLandscape(manifest: try manifest(original, in: folder, regions: regions))
        XCTAssertFalse(whole.manifest.features[0].byRegion, "plain gzip has no index: read whole")
        XCTAssertEqual(whole.manifest.features[0].intervals.count, 254_741)
        let byRegion = FeatureLandscape(manifest: try manifest(indexed, in: folder, regions: regions))
        XCTAssertTrue(byRegion.manifest.features[0].byRegion)
        let read = byRegion.manifest.features[0].intervals.count
        XCTAssertGreaterThan(read, 10)
        XCTAssertLessThan(read, 1_000, "only lines near the six windows")

        let rows = records.enumerated().map { (row: $0.offset + 1, record: $0.element) }
        let a = whole.run(rows) { _, _ in nil }
        let b = byRegion.run(rows) { _, _ in nil }
        XCTAssertEqual(a.coverage.map { [$0.head, $0.tail] }, b.coverage.map { [$0.head, $0.tail] })
        XCTAssertEqual(a.landscape, b.landscape)
        XCTAssertGreaterThan(a.coverage.map(\.head).reduce(0, +), 0)
        XCTAssertGreaterThan(a.coverage[2].head, 0, "the chr1 window, found through the alias")
        for record in records { XCTAssertEqual(whole.tracks(of: record), byRegion.tracks(of: record)) }
        // Threads split the fusions; the integer sums make the result the same on any number.
        let regionsOf: (Int, FusionRecord) -> [FeatureLandscape.TopRegion]? = { row, record in
            row == 1 ? [(0, "chr2", 160_832_500...160_832_700)] : nil
        }
        let one = whole.run(rows, topRegions: regionsOf)
        let three = whole.run(rows, topRegions: regionsOf, threads: 3)
        XCTAssertEqual(
            one.coverage.map { "\($0.row) \($0.head) \($0.tail) \(String(describing: $0.top))" },
            three.coverage.map { "\($0.row) \($0.head) \($0.tail) \(String(describing: $0.top))" })
        XCTAssertEqual(one.landscape, three.landscape)
        XCTAssertEqual(one.topCovered, three.topCovered)
        XCTAssertEqual(one.top.map(\.pValue), three.top.map(\.pValue))
        XCTAssertEqual(
            one.coverage[0].top?.covered, 122,
            "PLA2R1's breakpoint exon starts at 160,832,579: 122 of the 201 positions")
    }

    /// 800 lines: up to 3 regions are queried (3 x 256 < 800), 4 or more read the file whole; the
    /// answers inside the regions are the same either way.
    func testRegionsAreQueriedOnlyWhileFewerThanTheLinesOver256() throws {
        let folder = try TestData.temporaryDirectory()
        let path = try indexedCopy(of: (0..<800).map { "chr2\t\($0 * 100)\t\($0 * 100 + 50)" }, in: folder)
        let three = IntervalSet([("2", 1...1_000), ("chr2", 5_001...6_000), ("chr2", 10_001...11_000)])
        let four = IntervalSet([
            ("2", 1...1_000), ("chr2", 5_001...6_000), ("chr2", 10_001...11_000), ("chr2", 15_001...16_000),
        ])
        let queried = try IntervalSet(bedPath: path, overlapping: three)
        let whole = try IntervalSet(bedPath: path, overlapping: four)
        XCTAssertTrue(queried.readByRegion)
        XCTAssertEqual(queried.count, 30, "10 lines in each region")
        XCTAssertFalse(whole.readByRegion)
        XCTAssertEqual(whole.count, 800)
        for range in [1...1_000, 5_001...6_000, 10_001...11_000] {
            XCTAssertEqual(queried.covered(chromosome: "chr2", range: range), 500)
            XCTAssertEqual(
                queried.intersection(chromosome: "chr2", range: range),
                whole.intersection(chromosome: "chr2", range: range))
        }
    }

    func testAStaleIndexIsRefusedWithTheFix() throws {
        let folder = try TestData.temporaryDirectory()
        let path = try indexedCopy(of: ["chr1\t100\t200"], in: folder)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: path)
        let stale = assertThrows(
            try manifest(path, in: folder, regions: IntervalSet([("chr1", 1...1_000)])), GenomeError.self,
            code: .indexUnavailable)
        XCTAssertEqual(stale?.path, path + ".tbi")
        // The point of this test: the message gives the command that fixes it.
        XCTAssertTrue(stale?.message.contains("tabix -f -p bed") ?? false, "\(String(describing: stale))")
    }

    /// An index of another file, made after this one, passes the date check; htslib then ends each
    /// query silently at a line of another sequence, so the track read as empty there.
    func testAnIndexOfAnotherFileIsRefused() throws {
        let folder = try TestData.temporaryDirectory()
        let path = try indexedCopy(
            of: (0..<2_000).map { "chr\($0 % 3 + 1)\t\($0 * 100)\t\($0 * 100 + 50)" }, in: folder)
        let other = try indexedCopy(
            of: (0..<2_000).map { "chr\($0 % 2 + 1)\t\($0 * 70)\t\($0 * 70 + 20)" }, in: folder, name: "other.bed.gz")
        try FileManager.default.removeItem(atPath: path + ".tbi")
        try FileManager.default.copyItem(atPath: other + ".tbi", toPath: path + ".tbi")
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: path + ".tbi")
        let wrong = assertThrows(
            try manifest(path, in: folder, regions: IntervalSet([("chr1", 1...1_000)])), GenomeError.self,
            code: .indexUnavailable)
        XCTAssertEqual(wrong?.path, path + ".tbi")
        XCTAssertTrue(wrong?.message.contains("does not match \(path)") ?? false, "\(String(describing: wrong))")
        // Its own index, rebuilt, reads.
        try TabixFile.buildIndex(bedPath: path)
        XCTAssertNoThrow(try manifest(path, in: folder, regions: IntervalSet([("chr1", 1...1_000)])))
    }

    func testATruncatedIndexIsRefused() throws {
        let folder = try TestData.temporaryDirectory()
        let path = try indexedCopy(of: (0..<500).map { "chr\($0 % 3 + 1)\t\($0 * 100)\t\($0 * 100 + 50)" }, in: folder)
        let index = try Data(contentsOf: URL(fileURLWithPath: path + ".tbi"))
        try index.prefix(index.count / 2).write(to: URL(fileURLWithPath: path + ".tbi"))
        let truncated = assertThrows(
            try manifest(path, in: folder, regions: IntervalSet([("chr1", 1...1_000)])), GenomeError.self,
            code: .indexUnavailable)
        XCTAssertEqual(truncated?.path, path + ".tbi")
    }

    func testABadLineInsideARegionNamesTheRegion() throws {
        let folder = try TestData.temporaryDirectory()
        // Enough other lines that one region is cheaper to query than the file to read.
        let path = try indexedCopy(
            of: ["chr1\t100\t200", "chr1\t300\t400x"] + (0..<300).map { "chr2\t\($0 * 100)\t\($0 * 100 + 50)" },
            in: folder)
        let bad = assertThrows(
            try manifest(path, in: folder, regions: IntervalSet([("1", 1...1_000)])), GenomeError.self, code: .corrupt)
        XCTAssertEqual(bad?.path, path)
        // The point of this test: a line read by region is named by its region.
        XCTAssertTrue(bad?.message.hasPrefix("in region 1:1-1000: ") ?? false, "\(String(describing: bad))")
    }

    func testIndexingRefusesUncompressedAndUnsortedFiles() throws {
        let folder = try TestData.temporaryDirectory()
        try "chr1\t100\t200\n".write(toFile: folder + "/plain.bed", atomically: false, encoding: .utf8)
        assertThrows(
            try TabixFile.buildIndex(bedPath: folder + "/plain.bed"), GenomeError.self, code: .unsupportedFormat)
        try OutputFile.write("chr1\t500\t600\nchr1\t100\t200\n", to: folder + "/unsorted.bed.gz")
        let unsorted = assertThrows(
            try TabixFile.buildIndex(bedPath: folder + "/unsorted.bed.gz"), GenomeError.self, code: .corrupt)
        XCTAssertTrue(unsorted?.message.contains("sort -k1,1 -k2,2n") ?? false, "gives the command that fixes it")
    }
}
