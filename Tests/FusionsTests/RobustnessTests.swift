import Foundation
import TestSupport
import XCTest

@testable import Fusions

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

    /// The same for the callers added with formats as data: headed files keep their header, and
    /// headerless ones (TopHat-Fusion, MapSplice, LongGF) are read with their format named, since a
    /// broken first row may look like no format.
    func testBrokenRowsOfMoreCallersNeverTrap() throws {
        let files: [(path: String, format: FusionFormat?)] =
            [
                "arriba_agfusion.tsv", "chimpipe.txt", "defuse.tsv", "fusioninspector_abridged.tsv", "fusionmap.txt",
                "infusion.txt", "oncofuse.tsv", "prada.tsv", "soapfuse.txt", "starfusion_coding_effect.tsv",
            ].map { (TestData.path("fusions/more-callers/" + $0), nil) }
            + ["chimerascan.bedpe", "nfuse.tsv"].map { (Fixtures.path($0), nil) }
            + [
                (TestData.path("fusions/more-callers/tophat_fusion.txt"), .tophatFusion),
                (TestData.path("fusions/more-callers/longgf_hg38.log"), .longGF),
                (Fixtures.path("mapsplice_fusions_well_annotated.txt"), .mapSplice),
            ]
        let annotation = try SampleGenes.annotation()
        for (path, format) in files {
            let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            let lines = text.split(separator: "\n").map(String.init)
            let headed = format == nil
            var rows: [String] = []
            for row in lines.dropFirst(headed ? 1 : 0).prefix(2) {
                let columns = row.split(separator: "\t", omittingEmptySubsequences: false).count
                for column in 0..<columns {
                    rows += oddValues.map { replacing(row, column: column, with: $0) }
                    rows.append(truncating(row, to: column))
                }
            }
            // The header, or for a headerless file a good first row (counted below).
            let written = [lines[0]] + rows
            let name = URL(fileURLWithPath: path).lastPathComponent
            for withAnnotation in [false, true] {
                let result = try readAll(
                    writeTemporary(written, name: name), format: format, annotation: withAnnotation ? annotation : nil)
                // Lines, not results: a PRADA row gives one result per Junction entry.
                let lines = Set(result.records.map(\.line) + result.rejections.map(\.line))
                XCTAssertEqual(lines.count + result.ignored, rows.count + (headed ? 0 : 1), name)
                XCTAssertGreaterThan(result.rejections.count + (format == .longGF ? result.ignored : 0), 0, name)
                for record in result.records {
                    for side in [record.head, record.tail] {
                        XCTAssertGreaterThan(side.position, 0, "\(name): \(record.summary)")
                        XCTAssertFalse(side.gene.isEmpty, "\(name): \(record.summary)")
                        XCTAssertFalse(side.chromosome.isEmpty, "\(name): \(record.summary)")
                    }
                }
            }
        }
    }

    /// Empty files and binary data, with every format named: a coded error, never a trap.
    func testEmptyAndBinaryFilesForEveryFormat() throws {
        let empty = try writeTemporary([" ", ""], name: "empty.tsv")
        let binary = try TestData.temporaryDirectory("fusionai-readers") + "/binary.tsv"
        try Data([0x1f, 0x00, 0xff, 0xfe, 0x00, 0x41, 0x0a, 0x00, 0x00]).write(to: URL(fileURLWithPath: binary))
        for format in FusionFormat.allCases where format != .columns {
            assertThrows(try FusionReader(path: empty, format: format), FusionInputError.self, code: .empty)
            XCTAssertThrowsError(try readAll(binary, format: format), format.rawValue)
        }
    }
}
