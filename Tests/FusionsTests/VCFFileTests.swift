import Foundation
import Support
import TestSupport
import XCTest

@testable import Fusions

/// VCF and BCF through htslib: whole-file reading, region queries on bgzip VCF (.tbi) and BCF
/// (.csi) giving the same records, each once, and the annotated copy `--vcf-out` writes.
final class VCFFileTests: XCTestCase {
    private let header = """
        ##fileformat=VCFv4.2
        ##contig=<ID=1,length=100000>
        ##contig=<ID=2,length=100000>
        #CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO

        """

    /// Records chosen against the regions of ``testRegionQueriesGiveEachOverlappingRecordOnce``.
    private let records = [
        "1\t150\ta\tA\tC\t.\t.\t.",
        "1\t250\tb\tG\tT,GA\t.\t.\t.",
        "1\t450\tc\t" + String(repeating: "A", count: 60) + "\tA\t.\t.\t.",  // REF 450-509: reaches 500-600
        "1\t700\td\tC\t<DEL>\t.\t.\t.",
        "1\t795\te\t" + String(repeating: "C", count: 20) + "\tC\t.\t.\t.",  // REF 795-814: two regions
        "1\t5000\tf\tT\tA\t.\t.\t.",
        "2\t150\tg\tA\tG\t.\t.\t.",
    ]

    private func write(_ folder: String, _ name: String, _ lines: [String]) throws -> String {
        let path = folder + "/" + name
        try OutputFile.write(header + lines.joined(separator: "\n") + "\n", to: path)  // .gz: bgzip
        return path
    }

    private func ids(_ file: VCFFile, _ regions: [GenomeRegion]? = nil) throws -> [String] {
        var found: [String] = []
        let note = { (r: VCFRecord) in
            found.append("\(r.chromosome):\(r.position):\(r.alternates.joined(separator: ","))")
        }
        if let regions { try file.forEachRecord(overlapping: regions, note) } else { try file.forEachRecord(note) }
        return found
    }

    func testWholeFileReadsEveryRecordWithItsAlleles() throws {
        let folder = try TestData.temporaryDirectory()
        for name in ["v.vcf", "v.vcf.gz"] {
            let file = try VCFFile(path: try write(folder, name, records))
            XCTAssertEqual(file.kind, name.hasSuffix(".gz") ? .bgzipVCF : .vcf)
            XCTAssertFalse(file.isIndexed)
            XCTAssertEqual(
                try ids(file),
                ["1:150:C", "1:250:T,GA", "1:450:A", "1:700:<DEL>", "1:795:C", "1:5000:A", "2:150:G"])
        }
    }

    func testRegionQueriesGiveEachOverlappingRecordOnce() throws {
        let folder = try TestData.temporaryDirectory()
        let vcf = try write(folder, "v.vcf.gz", records)
        try VCFFile.buildIndex(path: vcf)
        XCTAssertTrue(FileManager.default.fileExists(atPath: vcf + ".tbi"))
        let bcf = folder + "/v.bcf"
        XCTAssertEqual(
            try VCFFile.writeAnnotated(vcf, to: bcf, field: .init(id: "X", description: "x"), values: [:]), 0)
        try VCFFile.buildIndex(path: bcf)
        XCTAssertTrue(FileManager.default.fileExists(atPath: bcf + ".csi"))
        // Chromosomes by alias (chr1 for the file's 1); 100-200 and 201-300 touch and merge into one
        // query; the deletion at 795 reaches both 790-800 and 810-900 but comes once.
        let regions = [
            GenomeRegion(chromosome: "chr1", span: 201...300), GenomeRegion(chromosome: "chr1", span: 100...200),
            GenomeRegion(chromosome: "chr1", span: 500...600), GenomeRegion(chromosome: "chr1", span: 790...800),
            GenomeRegion(chromosome: "chr1", span: 810...900), GenomeRegion(chromosome: "chr2", span: 1...100),
            GenomeRegion(chromosome: "chrX", span: 1...100),
        ]
        for path in [vcf, bcf] {
            let file = try VCFFile(path: path)
            XCTAssertTrue(file.isIndexed, path)
            XCTAssertEqual(try ids(file, regions), ["1:150:C", "1:250:T,GA", "1:450:A", "1:795:C"], path)
            // 100-300, 500-600, 790-800, 810-900 and chr2's 1-100 (nothing there); chrX is not in the index.
            XCTAssertEqual(file.queries, 5)
        }

        // One chromosome named both ways in one file: a query takes the records of each name, as
        // reading the file whole does (the index gave only the exact name's).
        let mixed = folder + "/mixed.vcf.gz"
        try OutputFile.write(
            "##fileformat=VCFv4.2\n##contig=<ID=1,length=100000>\n##contig=<ID=chr1,length=100000>\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t150\ta\tA\tC\t.\t.\t.\n"
                + "chr1\t160\tb\tG\tT\t.\t.\t.\n",
            to: mixed)
        XCTAssertEqual(try ids(try VCFFile(path: mixed, useIndex: false)), ["1:150:C", "chr1:160:T"])
        try VCFFile.buildIndex(path: mixed)
        for name in ["1", "chr1"] {
            XCTAssertEqual(
                try ids(try VCFFile(path: mixed), [GenomeRegion(chromosome: name, span: 100...200)]),
                ["1:150:C", "chr1:160:T"], name)
        }
    }

    func testBadFilesAndStaleIndexesAreRefusedWithTheirCodes() throws {
        let folder = try TestData.temporaryDirectory()
        assertThrows(try VCFFile(path: folder + "/missing.vcf"), VariantsError.self, code: .unreadable)
        try ">chr1\nACGT\n".write(toFile: folder + "/g.fa", atomically: false, encoding: .utf8)
        assertThrows(try VCFFile(path: folder + "/g.fa"), VariantsError.self, code: .unsupportedFormat)
        // Read whole, a text VCF's error names the file's line (four header lines, then the records).
        for line in ["1\tone\t.\tA\tC\t.\t.\t.", "1\t0\t.\tA\tC\t.\t.\t."] {
            let bad = try VCFFile(path: try write(folder, "bad.vcf", [records[0], line]))
            let error = assertThrows(try bad.forEachRecord { _ in }, VariantsError.self, code: .corrupt)
            XCTAssertTrue(error?.message.hasPrefix("line 6 cannot be read") ?? false, "\(String(describing: error))")
        }
        // A line cut after REF or ALT (htslib reads it without a fault), read whole and by region.
        for line in ["1\t150\t.\tA", "1\t150\t.\tA\tC"] {
            let whole = try VCFFile(path: try write(folder, "short.vcf", [records[0], line]))
            let error = assertThrows(try whole.forEachRecord { _ in }, VariantsError.self, code: .corrupt)
            XCTAssertTrue(error?.message.hasPrefix("line 6 has") ?? false, "\(String(describing: error))")
            let indexed = try write(folder, "short.vcf.gz", [line])
            let bgzip = assertThrows(
                try VCFFile(path: indexed, useIndex: false).forEachRecord { _ in }, VariantsError.self, code: .corrupt)
            XCTAssertTrue(bgzip?.message.hasPrefix("line 5 has") ?? false, "\(String(describing: bgzip))")
            try VCFFile.buildIndex(path: indexed)
            let byRegion = try VCFFile(path: indexed)
            XCTAssertTrue(byRegion.isIndexed)
            let queried = assertThrows(
                try byRegion.forEachRecord(overlapping: [GenomeRegion(chromosome: "1", span: 100...200)]) { _ in },
                VariantsError.self, code: .corrupt)
            XCTAssertTrue(
                queried?.message.hasPrefix("record 1 of the query 1:100-200 has") ?? false,
                "\(String(describing: queried))")
            // Counted within its own query, not across the queries before it.
            let second = try write(folder, "second.vcf.gz", [records[0], records[1], "2" + line.dropFirst()])
            try VCFFile.buildIndex(path: second)
            let regions = [
                GenomeRegion(chromosome: "1", span: 100...300), GenomeRegion(chromosome: "2", span: 100...200),
            ]
            let inSecond = assertThrows(
                try VCFFile(path: second).forEachRecord(overlapping: regions) { _ in }, VariantsError.self,
                code: .corrupt)
            XCTAssertTrue(
                inSecond?.message.hasPrefix("record 1 of the query 2:100-200 has") ?? false,
                "\(String(describing: inSecond))")
        }
        assertThrows(try VCFFile.buildIndex(path: folder + "/bad.vcf"), VariantsError.self, code: .unsupportedFormat)
        // An index older than its file may miss records: refused with the re-index command.
        let vcf = try write(folder, "v.vcf.gz", records)
        try VCFFile.buildIndex(path: vcf)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: vcf)
        let stale = assertThrows(try VCFFile(path: vcf), VariantsError.self, code: .indexUnavailable)
        XCTAssertTrue(stale?.message.contains("re-index") ?? false)
        // A bgzip VCF without its end-of-file block (cut at a block boundary: every record before the
        // cut reads cleanly) is refused, not read short.
        let whole = try XCTUnwrap(FileManager.default.contents(atPath: vcf))
        let cut = folder + "/cut.vcf.gz"
        try whole.prefix(whole.count - 28).write(to: URL(fileURLWithPath: cut))
        let short = assertThrows(try VCFFile(path: cut), VariantsError.self, code: .corrupt)
        XCTAssertTrue(short?.message.contains("no BGZF end-of-file marker") ?? false)
    }

    func testAnnotatedCopyCarriesTheFieldOnTheRecordsGivenAndIsAtomic() throws {
        let folder = try TestData.temporaryDirectory()
        let vcf = try write(folder, "v.vcf", records)
        var keys: [String: Float] = [:]
        try VCFFile(path: vcf).forEachRecord { r in if r.position == 250 { keys[r.key] = -0.25 } }
        let field = VCFFile.InfoField(id: "FUSIONAI_MAX_DELTA", description: "test")
        for name in ["out.vcf", "out.vcf.gz", "out.bcf"] {
            XCTAssertEqual(try VCFFile.writeAnnotated(vcf, to: folder + "/" + name, field: field, values: keys), 1)
            var copied: [String] = []
            try VCFFile(path: folder + "/" + name).forEachRecord { copied.append($0.key) }
            var original: [String] = []
            try VCFFile(path: vcf).forEachRecord { original.append($0.key) }
            XCTAssertEqual(copied, original, name)
        }
        let text = try String(contentsOfFile: folder + "/out.vcf", encoding: .utf8)
        XCTAssertTrue(text.contains("##INFO=<ID=FUSIONAI_MAX_DELTA,Number=1,Type=Float,Description=\"test\">"))
        let annotated = text.split(separator: "\n").filter { $0.contains("FUSIONAI_MAX_DELTA=") }
        XCTAssertEqual(annotated.map { String($0.split(separator: "\t")[7]) }, ["FUSIONAI_MAX_DELTA=-0.25"])
        XCTAssertTrue(annotated[0].hasPrefix("1\t250\tb\tG\tT,GA\t"))
        // A folder that does not exist: an error, and nothing left behind.
        assertThrows(
            try VCFFile.writeAnnotated(vcf, to: folder + "/none/out.vcf", field: field, values: keys),
            VariantsError.self, code: .writeFailed)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".tmp-") }
        XCTAssertEqual(left, [])
    }
}
