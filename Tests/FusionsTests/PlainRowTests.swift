import Foundation
import Genome
import Support
import XCTest

@testable import Fusions

/// The byte path of `prepare` (``LineBytes``, ``ColumnsRowParser/appendPlainRow``): its helpers, and
/// that every row it writes is written exactly as the String path (parse, then format) writes it.
final class PlainRowTests: XCTestCase {
    private func withLine<T>(_ text: [UInt8], _ body: (LineBytes) -> T) -> T {
        text.withUnsafeBufferPointer { body(LineBytes($0)) }
    }

    private func withLine<T>(_ text: String, _ body: (LineBytes) -> T) -> T { withLine(Array(text.utf8), body) }

    func testFieldsKeepEmptyFieldsAndStopAtTheCountAsked() {
        var ranges: [Range<Int>] = []
        withLine("a\t\tbc\t") { line in
            XCTAssertTrue(line.fields(4, separator: 9, into: &ranges))
            XCTAssertEqual(ranges, [0..<1, 2..<2, 3..<5, 6..<6], "empty fields, and one after a trailing tab")
            XCTAssertFalse(line.fields(5, separator: 9, into: &ranges), "only four fields")
            XCTAssertTrue(line.fields(2, separator: 9, into: &ranges))
            XCTAssertEqual(ranges, [0..<1, 2..<2])
        }
        withLine("") { line in
            XCTAssertTrue(line.fields(1, separator: 9, into: &ranges))
            XCTAssertEqual(ranges, [0..<0], "an empty line is one empty field, as String splitting has it")
        }
        withLine("x,\"y,z\"") { line in
            XCTAssertTrue(line.fields(3, separator: UInt8(ascii: ","), into: &ranges), "bytes know no quotes")
        }
    }

    func testTrimmingASCIIAndSearches() {
        withLine(" \tab c\t ") { line in
            XCTAssertEqual(line.trimmed(0..<line.bytes.count), 2..<6)
            XCTAssertEqual(line.trimmed(0..<2), 2..<2, "blanks only: empty")
            XCTAssertEqual(line.firstIndex(of: UInt8(ascii: "b"), in: 0..<8), 3)
            XCTAssertNil(line.firstIndex(of: UInt8(ascii: "b"), in: 4..<8))
            XCTAssertEqual(line.lastIndex(of: 9, in: 0..<8), 6)
            XCTAssertEqual(line.lastIndex(of: 9, in: 0..<6), 1)
            XCTAssertTrue(line.equals(2..<4, Array("ab".utf8)))
            XCTAssertFalse(line.equals(2..<5, Array("ab".utf8)))
        }
        withLine("GÈNE\u{212A}") { line in
            XCTAssertTrue(line.isASCII(0..<1))
            XCTAssertFalse(line.isASCII(0..<line.bytes.count))
        }
        withLine([0x41, 0xFF, 0x42]) { line in XCTAssertFalse(line.isASCII(0..<3), "invalid UTF-8 is not ASCII") }
    }

    func testDigitsAreWholeNumbersOfDigitsAlone() {
        func digits(_ text: String) -> Int? { withLine(text) { $0.digits(0..<$0.bytes.count) } }
        XCTAssertEqual(digits("1806934"), 1_806_934)
        XCTAssertEqual(digits("007"), 7, "leading zeros, as Int(_:) reads them")
        XCTAssertEqual(digits("0"), 0)
        XCTAssertEqual(digits("999999999999999999"), 999_999_999_999_999_999, "18 digits")
        XCTAssertNil(digits("9999999999999999999"), "19 digits are left to Int(_:)")
        XCTAssertNil(digits("99999999999999999999999"))
        for text in ["", "+5", "-5", " 5", "5 ", "1e3", "1,000", "１２", "0x1F"] {
            XCTAssertNil(digits(text), text)
        }
    }

    func testStrandBytesAndDecimals() {
        for (text, strand) in [("+", UInt8(ascii: "+")), ("-", UInt8(ascii: "-")), (".", UInt8(ascii: "."))] {
            XCTAssertEqual(withLine(text) { $0.strand(0..<1) }, strand)
        }
        for text in ["", "x", "++", "+1", "−"] {
            XCTAssertNil(withLine(text) { $0.strand(0..<$0.bytes.count) }, text)
        }
        for value in [0, 1, 9, 10, 1_806_934, -5, Int.max, Int.min] {
            var out: [UInt8] = Array("x".utf8)
            out.appendDecimal(value)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), "x\(value)")
        }
    }

    /// STAR-Fusion rows: plain ones, and every kind the byte path leaves to the String path.
    private static let starFusionRows: [(row: String, plain: Bool)] = [
        (row("FGFR3^ENSG00000068078", "4:1806934:+", "TACC3^ENSG00000013810", "4:1727977:+"), true),
        (row("^ENSG9", "chr1:10:-", "B", "chr2:20:."), true),
        (row("GENE^", "chr1:10:-", "B^", "chr2:20:."), true),
        (row("^", "chr1:10:-", "B", "chr2:20:+"), true),
        (row("A^B^C", "HLA-A*01:01:01:01:123:+", "B", "chr2:20:+"), true),
        (row(" SPACED ", "  chr1:5:+ ", "B", "chr2:20:+"), true),
        (row("A", "chr1:007:+", "B", "chr2:1099511627776:+"), true),
        // A first column that is not ASCII might equal the header's by canonical equivalence.
        (row("A", "chr1:12:+", "B", "chr2:20:+", name: "NAMÉ"), false),
        (row("A", "chr1:12:+", "B", "chr2:20:+") + "\t", true),
        (row("A", "chr1:+5:+", "B", "chr2:20:+"), false),
        (row("A", "chr1:-5:+", "B", "chr2:20:+"), false),
        (row("A", "chr1:0:+", "B", "chr2:20:+"), false),
        (row("A", "chr1:99999999999999999999:+", "B", "chr2:20:+"), false),
        (row("A", "chr1:1099511627777:+", "B", "chr2:20:+"), false),
        (row("A", "chr1:12:x", "B", "chr2:20:+"), false),
        (row("A", "chr1:12:++", "B", "chr2:20:+"), false),
        (row("A", "chr1:12:", "B", "chr2:20:+"), false),
        (row("A", ":12:+", "B", "chr2:20:+"), false),
        (row("A", "12:+", "B", "chr2:20:+"), false),
        (row("", "chr1:12:+", "B", "chr2:20:+"), false),
        (row("  ", "chr1:12:+", "B", "chr2:20:+"), false),
        (row("GÈNE", "chr1:12:+", "B", "chr2:20:+"), false),
        (row("GE\u{300}NE", "chr1:12:+", "B", "chr2:20:+"), false),
        (row("A", "chrÜ:12:+", "B", "chr2:20:+"), false),
        (row("A", "chr1:１２:+", "B", "chr2:20:+"), false),
        (row("A", "chr1:12:+", "B", "chr2:20:+", name: "FusionName"), false),
        (row("A", "chr1:12:+", "B", "chr2:20:+", name: "\u{212A}"), false),
        ("short\trow", false),
        ("", false),
        ("   \t  ", false),
        ("# a comment", false),
        (header, false),
    ]

    private static let header =
        "FusionName\tJunctionReadCount\tSpanningFragCount\tSpliceType\tLeftGene\tLeftBreakpoint\tRightGene\t"
        + "RightBreakpoint\tJunctionReads"

    private static func row(
        _ left: String, _ leftSite: String, _ right: String, _ rightSite: String, name: String = "A--B"
    ) -> String {
        "\(name)\t1\t2\tONLY_REF_SPLICE\t\(left)\t\(leftSite)\t\(right)\t\(rightSite)\tx"
    }

    /// Whether `line` takes the byte path, checking that what it writes is what the String path writes.
    private func checkSamePaths(_ reader: FusionReader, _ line: [UInt8], file: StaticString = #filePath, row: String)
        -> Bool
    {
        let formatter = PreparedRowFormatter(keepSourceColumns: false)
        var fields: [Range<Int>] = []
        var out: [UInt8] = Array("kept".utf8)
        return line.withUnsafeBufferPointer { bytes in
            let plain = reader.appendPlainRow(bytes, fields: &fields, to: &out)
            let parsed = reader.parse(line: bytes, number: 7)
            guard plain else {
                XCTAssertEqual(out, Array("kept".utf8), "a row left to the String path writes nothing: \(row)")
                return false
            }
            guard case .record(let record) = parsed.result else {
                XCTFail("the byte path wrote a row the String path does not read as a record: \(row)", file: file)
                return true
            }
            XCTAssertEqual(
                String(decoding: out, as: UTF8.self) + "\n",
                "kept" + String(decoding: formatter.row(record, windows: nil), as: UTF8.self), row, file: file)
            return true
        }
    }

    func testStarFusionRowsTakeTheBytePathOnlyWhenItWritesWhatTheStringPathWrites() throws {
        let path = try FusionsTestFiles.write(Self.header + "\n")
        let reader = try FusionReader(path: path)
        XCTAssertEqual(reader.format, .starFusion)
        for (row, plain) in Self.starFusionRows {
            XCTAssertEqual(checkSamePaths(reader, Array(row.utf8), row: row), plain, row)
        }
        // Invalid UTF-8 in a value the byte path reads sends the row to the String path (which repairs
        // it); elsewhere in the row it does not matter.
        let invalid = Array("A--B\t1\t2\tX\tGE".utf8) + [0xFF] + Array("NE\tchr1:12:+\tB\tchr2:20:+\tx".utf8)
        XCTAssertFalse(checkSamePaths(reader, invalid, row: "invalid gene"))
        let elsewhere = Array("A--B\t1\t2\tX\tGENE\tchr1:12:+\tB\tchr2:20:+\tx".utf8) + [0xFE, 0xFF]
        XCTAssertTrue(checkSamePaths(reader, elsewhere, row: "invalid extra column"))
    }

    func testColumnsFormatsWithStrandsAndZeroBasedPositions() throws {
        let header = "g1\tc1\tp1\ts1\tg2\tc2\tp2\ts2\n"
        let path = try FusionsTestFiles.write(header)
        let rows = [
            ("A\tchr1\t5\t+\tB\tchr2\t7\t-", true), ("A\tchr1\t0\t+\tB\tchr2\t7\t-", true),
            ("A\tchr1\t5\t.\tB\tchr2\t 7 \t-", true), ("A\tchr1\t5\tx\tB\tchr2\t7\t-", false),
            ("A\tchr1\t-1\t+\tB\tchr2\t7\t-", false), ("A\tchr1\t5\t+\tB\tchr2\t7", false),
        ]
        for zeroBased in [false, true] {
            let mapping = try ColumnMapping(
                parsing: "Hgene=g1,Hchr=c1,Hbp=p1,Hstrand=s1,Tgene=g2,Tchr=c2,Tbp=p2,Tstrand=s2",
                zeroBased: zeroBased)
            let reader = try FusionReader(path: path, columns: mapping)
            for (row, plain) in rows {
                // Position 0 is a position only when 0-based.
                let expected = plain && (zeroBased || !row.contains("\t0\t"))
                XCTAssertEqual(checkSamePaths(reader, Array(row.utf8), row: row), expected, "\(row) \(zeroBased)")
            }
        }
    }

    func testQuotedRowsAndAnnotationsTakeTheStringPath() throws {
        let csv = try FusionsTestFiles.write("g1,c1,p1,g2,c2,p2\n", name: "calls.csv")
        let mapping = try ColumnMapping(parsing: "Hgene=g1,Hchr=c1,Hbp=p1,Tgene=g2,Tchr=c2,Tbp=p2", separator: ",")
        let reader = try FusionReader(path: csv, columns: mapping)
        XCTAssertTrue(checkSamePaths(reader, Array("A,chr1,5,B,chr2,7".utf8), row: "plain CSV"))
        XCTAssertFalse(checkSamePaths(reader, Array("\"A,Q\",chr1,5,B,chr2,7".utf8), row: "quoted CSV"))
    }

    /// A STAR-Fusion file of plain rows with every other kind mixed in, read whole by `prepare` in
    /// several batch sizes and thread counts: the same table, rejects and counts every time.
    func testPrepareGivesTheSameOutputsWhateverTheBatchesAndThreads() throws {
        var lines = [Self.header]
        for i in 0..<600 {
            let odd = Self.starFusionRows[i % Self.starFusionRows.count].row
            lines.append(i % 3 == 0 ? odd : Self.row("G\(i)^ENSG", "chr1:\(i + 1):+", "H", "chr2:\(2 * i + 1):-"))
        }
        let path = try FusionsTestFiles.write(lines.joined(separator: "\r\n") + "\r\n")
        let reference = try FusionsTestFiles.prepare(path, genome: nil, threads: 1, batchSize: 1)
        XCTAssertEqual(reference.summary.rows, reference.summary.written + reference.summary.totalRejected)
        XCTAssertGreaterThan(reference.summary.written, 400)
        XCTAssertGreaterThan(reference.summary.totalRejected, 50)
        XCTAssertTrue(reference.table.hasPrefix("FGFR3\t4\t1806934\t+\tTACC3\t4\t1727977\t+\n"))
        for (threads, batchSize) in [(1, 512), (2, 7), (2, 512), (3, 100), (4, 8192)] {
            let run = try FusionsTestFiles.prepare(path, genome: nil, threads: threads, batchSize: batchSize)
            XCTAssertEqual(run.table, reference.table, "threads \(threads), batches of \(batchSize)")
            XCTAssertEqual(run.rejects, reference.rejects, "threads \(threads), batches of \(batchSize)")
            XCTAssertEqual(run.summary.rows, reference.summary.rows)
            XCTAssertEqual(run.summary.rejected, reference.summary.rejected)
        }
        let strict = try FusionsTestFiles.prepare(path, genome: nil, header: true, threads: 2)
        XCTAssertTrue(strict.table.hasPrefix("Hgene\t"), "the header comes before rows written from bytes")
        // --strict stops at the first rejected row, named by file and line, whichever worker read it.
        let firstRejected = try XCTUnwrap(reference.rejects.split(separator: "\n").dropFirst().first)
        let line = try XCTUnwrap(firstRejected.split(separator: "\t").first)
        XCTAssertThrowsError(try FusionsTestFiles.prepare(path, genome: nil, strict: true, threads: 2)) { error in
            XCTAssertTrue("\(error)".contains("calls.tsv:\(line):"), "\(error)")
        }
    }
}
