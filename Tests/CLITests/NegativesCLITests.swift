import Foundation
import TestSupport
import XCTest

final class NegativesCLITests: CLITestCase {
    private let gtf = TestData.path("annotation/minichr2.gencode_v19.hg19.gtf")
    private let known = TestData.path("fusions/minichr2_real_fusions.tsv")

    func testNegativesWritesEightColumnsDeterministicallyWithASummary() throws {
        let folder = try TestData.temporaryDirectory()
        let args = ["negatives", "-a", gtf, "--known", known, "-n", "20", "--seed", "5", "--header"]
        let run = try fusionai(args + ["-o", folder + "/neg.tsv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("20 pair(s) made in"), run.stderr)
        XCTAssertTrue(run.stderr.contains("draws rejected as neighbouring genes:"), run.stderr)
        let table = try String(contentsOfFile: folder + "/neg.tsv", encoding: .utf8)
        let lines = table.split(separator: "\n")
        XCTAssertEqual(lines.count, 21)
        XCTAssertEqual(lines[0], "Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand")
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.split(separator: "\t").count == 8 })
        XCTAssertFalse(table.contains("PLA2R1") || table.contains("RBMS1") || table.contains("ITGB6"))
        XCTAssertEqual(try fusionai(args + ["--quiet"]).stdout, table, "same seed, same pairs")
    }

    func testImpossibleRulesFailWithoutOutputAndShortRunsWarn() throws {
        let folder = try TestData.temporaryDirectory()
        let none = try fusionai([
            "negatives", "-a", gtf, "-n", "5", "--min-distance", "5000000", "--max-attempts", "300", "-o",
            folder + "/neg.tsv",
        ])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("error: \(gtf): "), "names the annotation: \(none.stderr)")
        // What stopped the draws is the limit given, and no file was written, so none is named.
        XCTAssertTrue(none.stderr.contains("raise --max-attempts (300 now)"), none.stderr)
        XCTAssertTrue(none.stderr.contains("0 pair(s) made in 300 draws\n"), none.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
        let far = try fusionai([
            "negatives", "-a", gtf, "-n", "5", "--min-distance", "5000000", "-o", folder + "/n.tsv",
        ])
        XCTAssertEqual(far.status, 1)
        XCTAssertTrue(far.stderr.contains("lower --min-distance (5000000 now)"), far.stderr)
        // --gene-type on an annotation without gene types matches nothing, and says why.
        let untyped = folder + "/untyped.gtf"
        try String(contentsOfFile: gtf, encoding: .utf8)
            .replacingOccurrences(of: #" gene_type "[^"]*";"#, with: "", options: .regularExpression)
            .write(toFile: untyped, atomically: false, encoding: .utf8)
        let typed = try fusionai(["negatives", "-a", untyped, "--gene-type", "protein_coding", "-o", folder + "/t.tsv"])
        XCTAssertEqual(typed.status, 1)
        XCTAssertTrue(typed.stderr.contains("gives no gene a gene_type or gene_biotype attribute"), typed.stderr)
        let short = try fusionai([
            "negatives", "-a", gtf, "-n", "100", "--min-distance", "1450000", "--max-attempts", "2000",
        ])
        XCTAssertEqual(short.status, 0, short.stderr)
        XCTAssertTrue(short.stderr.contains("warning: made "), short.stderr)
        XCTAssertEqual(try fusionai(["negatives", "-a", gtf, "-n", "0"]).status, 64)
    }
}
