import Fusions
import XCTest

/// Rows broken in every column and at every length: each must come back as a record or a rejection
/// (never a trap), and every record must still be usable.
final class RobustnessTests: XCTestCase {
    private let oddValues = [
        "", " ", ":", "::", "chr1::+", "chr1:12:", ":12:+", "-1", "0", "9223372036854775808", "1e9", "NA", ".", "/",
        "+/", "\"",
        "\"a,b\"", "GENE(12),", "A--", "--B", ":B", "\u{00e9}\u{0301}", "4:1806934:+:+",
    ]

    func testBrokenRowsNeverTrap() throws {
        let files = [
            "arriba.tsv", "arriba_v2_bcr_abl1.hg19.tsv", "ctat_lr_fusion.tsv", "dragen.tsv", "ericscript.tsv",
            "fusioncatcher.txt", "jaffa.csv", "pizzly.tsv", "squid.txt", "starfusion.tsv",
        ]
        let annotation = try SampleGenes.annotation()
        for file in files {
            let lines = try callerLines(file)
            let separator: Character = file.hasSuffix(".csv") ? "," : "\t"
            var rows: [String] = []
            for row in lines.dropFirst().prefix(2) {
                let columns = row.split(separator: separator, omittingEmptySubsequences: false).count
                for column in 0..<columns {
                    rows += oddValues.map { replacing(row, column: column, with: $0, separator: separator) }
                    rows.append(truncating(row, to: column, separator: separator))
                }
            }
            for withAnnotation in [false, true] {
                let result = try readAll(
                    writeTemporary([lines[0]] + rows, name: file), annotation: withAnnotation ? annotation : nil)
                XCTAssertEqual(result.records.count + result.rejections.count + result.ignored, rows.count, file)
                XCTAssertGreaterThan(result.rejections.count, 0, file)
                for record in result.records {
                    for side in [record.head, record.tail] {
                        XCTAssertGreaterThan(side.position, 0, "\(file): \(record.summary)")
                        XCTAssertFalse(side.gene.isEmpty, "\(file): \(record.summary)")
                        XCTAssertFalse(side.chromosome.isEmpty, "\(file): \(record.summary)")
                    }
                }
                for rejection in result.rejections {
                    XCTAssertFalse(rejection.detail.isEmpty, file)
                }
            }
        }
    }
}
