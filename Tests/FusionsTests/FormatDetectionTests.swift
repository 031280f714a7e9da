import Foundation
import TestSupport
import XCTest

@testable import Fusions

final class FormatDetectionTests: XCTestCase {
    /// Every file of the shared caller sample and its format.
    private let expected: [String: FusionFormat] = [
        "arriba.tsv": .arriba,
        "arriba_v2_bcr_abl1.hg19.tsv": .arriba,
        "ctat_lr_fusion.tsv": .starFusion,
        "dragen.tsv": .dragen,
        "ericscript.tsv": .ericScript,
        "fusioncatcher.txt": .fusionCatcher,
        "fusioncatcher_test.hg38.txt": .fusionCatcher,
        "jaffa.csv": .jaffa,
        "pizzly.tsv": .pizzly,
        "squid.txt": .squid,
        "starfusion.tsv": .starFusion,
    ]

    func testEveryCallerFileIsDetected() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestData.path("fusions/callers")).sorted()
        XCTAssertEqual(files, expected.keys.sorted(), "a caller file without an expected format here")
        for file in files {
            let reader = try FusionReader(path: callerFile(file))
            XCTAssertEqual(reader.format, expected[file], file)
            XCTAssertEqual(reader.header?.isEmpty, false, file)
        }
    }

    func testExactlyOneParserRecognisesEachHeader() throws {
        for (file, format) in expected {
            let header = try XCTUnwrap(callerLines(file).first)
            let matching = FormatRegistry.headed.filter { $0.recognises(header: $0.fields(of: header)) }.map(\.format)
            XCTAssertEqual(matching, [format], file)
        }
    }

    func testGivenFormatReadsTheSameAsDetection() throws {
        for (file, format) in expected {
            let detected = try readAll(callerFile(file))
            let given = try readAll(callerFile(file), format: format)
            XCTAssertEqual(given.format, format, file)
            XCTAssertEqual(given.summaries, detected.summaries, file)
            XCTAssertEqual(given.rejections.map(\.description), detected.rejections.map(\.description), file)
        }
    }

    func testWrongGivenFormatIsAnError() throws {
        let arriba = assertThrows(
            try FusionReader(path: callerFile("starfusion.tsv"), format: .arriba), FusionInputError.self,
            code: .missingHeader)
        XCTAssertEqual(arriba?.line, 1)
        assertThrows(
            try FusionReader(path: callerFile("jaffa.csv"), format: .ericScript), FusionInputError.self,
            code: .missingHeader)
    }

    func testHeaderWithoutNeededColumnsIsNotRecognised() throws {
        // starfusion.tsv's header without RightBreakpoint matches no format.
        let lines = try callerLines("starfusion.tsv")
        let path = try writeTemporary(
            [lines[0].replacingOccurrences(of: "RightBreakpoint", with: "RightPoint"), lines[1]], name: "star.tsv")
        assertThrows(try FusionReader(path: path), FusionInputError.self, code: .unknownFormat)
    }

    /// Detection splits and indexes the first line once per way of splitting (``HeaderLine``): each
    /// format still answers as it does on its own split, for every caller's header and for headers
    /// written in other case, with `#` and blanks, or not headers at all.
    func testSharedSplitsAnswerAsEachFormatsOwn() throws {
        var lines = try expected.keys.sorted().map { try XCTUnwrap(callerLines($0).first) }
        lines += lines.map { $0.uppercased() } + lines.map { "# " + $0.replacingOccurrences(of: "\t", with: " \t#") }
        lines += ["", "\t\t", "chr1\t100\t+", "Hgene\tHchr", "a,b,\"c,d\"", "GÈNE\tchrom"]
        for line in lines {
            var shared = HeaderLine(line)
            for format in FormatRegistry.headed {
                XCTAssertEqual(
                    format.recognises(header: &shared), format.recognises(header: format.fields(of: line)),
                    "\(format.format) on '\(line)'")
            }
        }
    }

    func testHeaderKeysIgnoreCaseBlanksAndHashes() {
        XCTAssertEqual(HeaderColumns.key(" #Gene1\t"), "gene1")
        XCTAssertEqual(HeaderColumns.key("# # FusionName"), "fusionname")
        XCTAssertEqual(HeaderColumns.key("Left_Break-Point.2"), "left_break-point.2")
        // Not ASCII: Unicode's lowercase, as before the ASCII shortcut.
        XCTAssertEqual(HeaderColumns.key("GÈNE Ä"), "gène ä")
        XCTAssertEqual(HeaderColumns(["#Gene1", "CHROM1", "gene1"])["gene1"], 0)
    }

    /// A first line of 20,000 columns, no format's header, is refused naming the closest format (the
    /// shape of input that took the fuzzer's detection longest: every format split and keyed it).
    func testAWideUnknownHeaderNamesTheClosestFormat() throws {
        let columns = (0..<20_000).map { "column\($0)" } + ["LeftGene", "LeftBreakpoint"]
        let path = try writeTemporary([columns.joined(separator: "\t"), "x"], name: "wide.tsv")
        let error = assertThrows(try FusionReader(path: path), FusionInputError.self, code: .unknownFormat)
        XCTAssertTrue(error?.description.contains("Closest: STAR-Fusion") ?? false, error?.description ?? "")
    }

    /// A headerless first line with a FusionAI row's shape and one bad value names the value, not
    /// some closest header.
    func testAFirstLineNearAFusionAIRowNamesItsBadValue() throws {
        for (row, flaw) in [
            ("FGFR3\t4\t18069x34\t+\tTACC3\t4\t1727977\t+", "As a FusionAI row: Hbp '18069x34' is not a position"),
            ("FGFR3\t4\t1806934\t*\tTACC3\t4\t1727977\t+", "As a FusionAI row: Hstrand '*' is not +, - or ."),
        ] {
            let path = try writeTemporary([row], name: "calls.tsv")
            let error = assertThrows(try FusionReader(path: path), FusionInputError.self, code: .unknownFormat)
            XCTAssertEqual(error?.line, 1)
            XCTAssertTrue(error?.description.contains(flaw) ?? false, error?.description ?? "")
            XCTAssertFalse(error?.description.contains("Closest") ?? true, error?.description ?? "")
        }
        let header = try writeTemporary(["some\tother\ttable\tof\teight\tcolumns\tin\tall"], name: "other.tsv")
        let error = assertThrows(try FusionReader(path: header), FusionInputError.self, code: .unknownFormat)
        XCTAssertFalse(error?.description.contains("As a FusionAI row") ?? true, error?.description ?? "")
    }

    func testQuotedFieldSplitting() {
        XCTAssertEqual("a,\"b,c\",d".quotedFields(separatedBy: UInt8(ascii: ",")), ["a", "b,c", "d"])
        XCTAssertEqual(
            "\"say \"\"hi\"\"\",,x,".quotedFields(separatedBy: UInt8(ascii: ",")), ["say \"hi\"", "", "x", ""])
        XCTAssertEqual("\"unclosed,x".quotedFields(separatedBy: UInt8(ascii: ",")), ["unclosed,x"])
        XCTAssertEqual("\"a\"b,c".quotedFields(separatedBy: UInt8(ascii: ",")), ["ab", "c"])
        XCTAssertEqual("plain,text".quotedFields(separatedBy: UInt8(ascii: ",")), ["plain", "text"])
        XCTAssertEqual("".quotedFields(separatedBy: UInt8(ascii: ",")), [""])
    }
}
