import Foundation
import Fusions
import Support
import TestSupport
import XCTest

final class FusionReaderTests: XCTestCase {
    func testEmptyAndBlankFilesAreErrors() throws {
        for text in ["", "\n\n  \n"] {
            let path = try FusionsTestFiles.write(text)
            let error = assertThrows(try FusionReader(path: path), FusionInputError.self, code: .empty)
            XCTAssertEqual(error?.path, path)
        }
    }

    func testBinaryJunkIsAnErrorNamingTheLine() throws {
        let path = try TestData.temporaryDirectory() + "/junk.bin"
        try Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF, 0x10, 0x0A]).write(to: URL(fileURLWithPath: path))
        let error = assertThrows(try FusionReader(path: path), TextFileError.self, code: .binary)
        XCTAssertEqual(error?.path, path)
        XCTAssertEqual(error?.line, 1)
    }

    func testUnknownFormatAsksForFormat() throws {
        let path = try FusionsTestFiles.write("some\tother\ttable\n1\t2\t3\n")
        let error = assertThrows(try FusionReader(path: path), FusionInputError.self, code: .unknownFormat)
        XCTAssertEqual(error?.line, 1)
    }

    func testMissingFileAndFolderAreErrors() throws {
        let folder = try TestData.temporaryDirectory()
        assertThrows(try FusionReader(path: folder + "/none.tsv"), TextFileError.self, code: .notFound)
        assertThrows(try FusionReader(path: folder), TextFileError.self, code: .unreadable)
    }

    func testGzipInputIsReadTransparently() throws {
        let path = try FusionsTestFiles.write("PLA2R1\tchr2\t160832579\t-\tRBMS1\tchr2\t161159998\t-\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", path]
        try process.run()
        process.waitUntilExit()
        let reader = try FusionReader(path: path + ".gz")
        guard case .record(let record)? = try reader.next() else { return XCTFail("a record expected") }
        XCTAssertEqual(record.head.position, 160_832_579)
    }

    func testForcedFormatAppliesToHeaderlessRows() throws {
        let path = try FusionsTestFiles.write("A\tchr1\t10\t+\tB\tchr1\t20\t-\n")
        let reader = try FusionReader(path: path, format: .fusionai)
        XCTAssertNil(reader.header)
        guard case .record(let record)? = try reader.next() else { return XCTFail("a record expected") }
        XCTAssertEqual(record.tail, Breakpoint(gene: "B", chromosome: "chr1", position: 20, strand: .minus))
        XCTAssertEqual(record.line, 1)
    }

    /// Positions past 2^40 (no chromosome is that long) are malformed, so no window arithmetic can
    /// overflow on them; 2^40 itself is read.
    func testPositionsBeyondTwoToTheFortyAreMalformed() throws {
        let path = try FusionsTestFiles.write(
            "A\tchr1\t1099511627776\t+\tB\tchr1\t20\t-\nA\tchr1\t1099511627777\t+\tB\tchr1\t20\t-\n"
                + "A\tchr1\t9223372036854775807\t+\tB\tchr1\t20\t-\n"
        )
        let reader = try FusionReader(path: path, format: .fusionai)
        guard case .record(let record)? = try reader.next() else { return XCTFail("2^40 is a position") }
        XCTAssertEqual(record.head.position, 1 << 40)
        for _ in 0..<2 {
            guard case .rejected(let why)? = try reader.next() else { return XCTFail("past 2^40 is malformed") }
            XCTAssertEqual(why.code, .malformed, "\(why)")
        }
        let star = try FusionsTestFiles.write(
            "#FusionName\tJunctionReadCount\tSpanningFragCount\tSpliceType\tLeftGene\tLeftBreakpoint\tRightGene\t"
                + "RightBreakpoint\nA--B\t1\t1\tONLY_REF_SPLICE\tA^1\tchr1:2000000000000:+\tB^2\tchr1:5:-\n",
            name: "huge.star-fusion.tsv")
        guard case .rejected(let why)? = try FusionReader(path: star, format: nil).next() else {
            return XCTFail("past 2^40 is malformed")
        }
        XCTAssertEqual(why.code, .malformed, "\(why)")
    }

    /// A headed FusionAI file says itself whether its rows carry windows: asking for either FusionAI
    /// format reads it as what it is, so its extra columns are not taken for HeadSeq and TailSeq.
    func testAHeadedFusionAIFileIsReadAsWhatItsHeaderSays() throws {
        let window = String(repeating: "A", count: 10_000)
        let path = try FusionsTestFiles.write(
            "Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand\tHeadSeq\tTailSeq\tlabel\n"
                + "A\tchr1\t10\t+\tB\tchr1\t20\t-\t\(window)\t\(window)\t1\n"
        )
        for requested in [FusionFormat.fusionai, .fusionaiData, nil] {
            let reader = try FusionReader(path: path, format: requested)
            XCTAssertEqual(reader.format, .fusionaiData, "\(String(describing: requested))")
            guard case .record(let record)? = try reader.next() else { return XCTFail("a record expected") }
            XCTAssertEqual(record.label, 1)
            XCTAssertTrue(record.extraFields.isEmpty, "\(record.extraFields.count) extra field(s)")
        }
    }

    /// Labels are read from their text: numbers that are exactly 0 or 1 as tables write them, and
    /// nothing that rounds to one.
    func testLabelTextsThatAreExactly0Or1() {
        let ones = ["1", "+1", "1.", "1.0", "1.000000000000000000e+00", "1E0", "1e-00", "TRUE", "True", "true"]
        let zeros = ["0", "0.0", "0.000000000000000000e+00", "0e5", "0E-3", "FALSE", "False", "+0"]
        let neither = [
            "", "yes", "2", "0.5", "00", "-1", "-0", ".5", "1e1", "1e", "1e+", "0x1", "nan", "inf",
            "0.99999999999999999",
            "1e-400", "1.0.0", "1 ", " 1", "T", "١",
        ]
        for text in ones { XCTAssertEqual(FusionLabel.parse(text), 1, text) }
        for text in zeros { XCTAssertEqual(FusionLabel.parse(text), 0, text) }
        for text in neither { XCTAssertNil(FusionLabel.parse(text), text) }
    }

    /// Labels as R (TRUE/FALSE) and pandas (True/False, 1.0/0.0) write them are read; what is no
    /// label is rejected with its value, not guessed.
    func testLabelsReadAsTablesWriteThemAndOthersAreRejected() throws {
        let window = String(repeating: "A", count: 10_000)
        let values = ["TRUE", "False", "1.0", "0.0", "1", "yes", "2", "0.5", "nan"]
        let path = try FusionsTestFiles.write(
            "Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand\tHeadSeq\tTailSeq\tlabel\n"
                + values.map { "A\tchr1\t10\t+\tB\tchr1\t20\t-\t\(window)\t\(window)\t\($0)\n" }.joined())
        let reader = try FusionReader(path: path, format: nil)
        var labels: [Int] = []
        var rejected: [String] = []
        while let row = try reader.next() {
            switch row {
            case .record(let record): labels.append(record.label ?? -1)
            case .rejected(let why): rejected.append(why.message)
            case .ignored: XCTFail("no comment or header between the rows")
            }
        }
        XCTAssertEqual(labels, [1, 0, 1, 0, 1])
        XCTAssertEqual(
            rejected, ["yes", "2", "0.5", "nan"].map { "label '\($0)' is not 0 or 1 (also 0.0/1.0 or TRUE/FALSE)" })
    }

    /// Windows must be DNA letters (IUPAC codes, either case): other bytes were scored as N, and
    /// non-ASCII text was rejected as a window of the wrong length.
    func testWindowsOfOtherThanDNALettersAreRejectedNamingThePosition() throws {
        let window = String(repeating: "ACGTN", count: 2_000)
        let soft = String(repeating: "acgtnRYKM", count: 1_111) + "A"
        var junk = Array(window)
        junk[41] = "@"
        var accented = Array(window.dropLast(2))
        accented[9] = "é"
        let header = "Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand\tHeadSeq\tTailSeq\n"
        let row = { (head: String, tail: String) in "A\tchr1\t10\t+\tB\tchr1\t20\t-\t\(head)\t\(tail)\n" }
        let path = try FusionsTestFiles.write(
            header + row(window, soft) + row(window, String(junk)) + row(String(accented) + "A", window))
        let reader = try FusionReader(path: path)
        var results: [RowResult] = []
        while let result = try reader.next() { results.append(result) }
        guard results.count == 3, case .record = results[0] else { return XCTFail("\(results)") }
        guard case .rejected(let symbol) = results[1], case .rejected(let text) = results[2] else {
            return XCTFail("\(results)")
        }
        XCTAssertEqual(symbol.reason, .malformed)
        XCTAssertEqual(symbol.detail, "TailSeq holds '@' at position 42: not a DNA sequence (ACGTN or IUPAC codes)")
        XCTAssertEqual(
            text.detail, "HeadSeq holds non-ASCII text at position 10: not a DNA sequence (ACGTN or IUPAC codes)")
    }

    func testRepeatedHeadersAndCommentsAreNotRows() throws {
        let header = "Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand"
        let path = try FusionsTestFiles.write(
            "\(header)\nA\tchr1\t10\t+\tB\tchr1\t20\t-\n# note\n\(header)\nC\tchr1\t30\t+\tD\tchr1\t40\t-\n")
        let reader = try FusionReader(path: path)
        var lines: [Int] = []
        while let result = try reader.next() {
            if case .record(let r) = result { lines.append(r.line) }
        }
        XCTAssertEqual(lines, [2, 5])
    }
}
