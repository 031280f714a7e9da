import Foundation
import Results
import TestSupport
import XCTest

@testable import FusionAI

/// Reading back what `fusionai explain` wrote, as `features` does.
final class ExplainFilesTests: XCTestCase {
    private let header = "index\tpart\twindow_position\tchrom\tposition\tbase\tfis\n"

    func testFISTableGivesTheModelsViewAndTheScores() throws {
        let folder = try TestData.temporaryDirectory()
        // A 4-nt model: window positions 4,999-5,000 (1-based) of each window.
        let rows = [
            "1\thead\t4999\tchr1\t100\tA\t0.5", "2\thead\t5000\tchr1\t101\tC\t-0.25",
            "3\ttail\t4999\tchr2\t900\tG\t1e-3", "4\ttail\t5000\tchr2\t899\tT\t0",
        ]
        try (header + rows.joined(separator: "\n") + "\n").write(
            toFile: folder + "/row1_A--B.fis.tsv", atomically: false, encoding: .utf8)
        let table = try XCTUnwrap(try FISTableFile.read(folder: folder, id: "row1_A--B"))
        XCTAssertEqual(table.view, 4_998..<5_000)
        XCTAssertEqual(table.scores, [0.5, -0.25, 0.001, 0])
        XCTAssertNil(try FISTableFile.read(folder: folder, id: "row2_C--D"), "not explained")
        // ISM's table has one more column: the reader finds its columns by name.
        let ism = rows.map { $0 + "\t0.5" }.joined(separator: "\n")
        try (FISTable.schema.header(extra: [FISTable.ismMaximum]) + ism + "\n").write(
            toFile: folder + "/row6_K--L.fis.tsv", atomically: false, encoding: .utf8)
        XCTAssertEqual(try FISTableFile.read(folder: folder, id: "row6_K--L")?.scores, [0.5, -0.25, 0.001, 0])

        try (header + rows[0] + "\n" + "2\thead\tx\tchr1\t101\tC\t1\n").write(
            toFile: folder + "/row3_E--F.fis.tsv", atomically: false, encoding: .utf8)
        let malformed = assertThrows(
            try FISTableFile.read(folder: folder, id: "row3_E--F"), ExplainFileError.self, code: .malformedRow)
        XCTAssertTrue(malformed?.description.contains("row3_E--F.fis.tsv:3: ") ?? false, "names the file and line")
        try (header + rows[0] + "\n").write(toFile: folder + "/row4_G--H.fis.tsv", atomically: false, encoding: .utf8)
        assertThrows(
            try FISTableFile.read(folder: folder, id: "row4_G--H"), ExplainFileError.self, code: .unpairedWindows)
        try "something else\n".write(toFile: folder + "/row5_I--J.fis.tsv", atomically: false, encoding: .utf8)
        let header = assertThrows(
            try FISTableFile.read(folder: folder, id: "row5_I--J"), ResultsFileError.self, code: .missingColumn)
        XCTAssertTrue(header?.description.contains("row5_I--J.fis.tsv:1: ") ?? false, "names the file and line")
    }

    func testTopRegionsOfOneFractionBecomeOneBasedRanges() throws {
        let folder = try TestData.temporaryDirectory()
        try """
        fraction\tpart\tchrom\tstart\tend\tstrand\tpositions\tmean_fis\tdistance_to_breakpoint
        top1%\thead\tchr1\t99\t101\t+\t2\t0.5\t3
        top10%\thead\tchr1\t90\t120\t+\t30\t0.1\t0
        top1%\ttail\tchr2\t899\t900\t-\t1\t0.4\t1

        """.write(toFile: folder + "/row1_A--B.top_regions.tsv", atomically: false, encoding: .utf8)
        let regions = try XCTUnwrap(try TopRegionsFile.regions(folder: folder, id: "row1_A--B", fraction: "top1%"))
        XCTAssertEqual(regions.map(\.chromosome), ["chr1", "chr2"])
        XCTAssertEqual(regions.map(\.range), [100...101, 900...900])
        XCTAssertNil(try TopRegionsFile.regions(folder: folder, id: "row9_X--Y", fraction: "top1%"))
        try "fraction\tpart\tchrom\tstart\tend\ntop1%\thead\tchr1\t101\t99\n".write(
            toFile: folder + "/row2_C--D.top_regions.tsv", atomically: false, encoding: .utf8)
        let reversed = assertThrows(
            try TopRegionsFile.regions(folder: folder, id: "row2_C--D", fraction: "top1%"), ExplainFileError.self,
            code: .malformedRow)
        XCTAssertTrue(reversed?.description.contains("row2_C--D.top_regions.tsv:2:") ?? false, "names the line")
        // A region past any chromosome would overflow the sums of region sizes.
        try "fraction\tpart\tchrom\tstart\tend\ntop1%\thead\tchr1\t0\t9223372036854775807\n".write(
            toFile: folder + "/row3_E--F.top_regions.tsv", atomically: false, encoding: .utf8)
        let huge = assertThrows(
            try TopRegionsFile.regions(folder: folder, id: "row3_E--F", fraction: "top1%"), ExplainFileError.self,
            code: .malformedRow)
        XCTAssertTrue(huge?.description.contains("row3_E--F.top_regions.tsv:2:") ?? false, "names the line")
    }

    /// A fraction's label as `--top` writes it and `features --top` names it: 0.07 * 100 is
    /// 7.000000000000001 in binary floating point, which was its label.
    func testTopFractionLabelsAreShortAndExact() {
        XCTAssertEqual(ExplainOutputs.label(0.01), "top1%")
        XCTAssertEqual(ExplainOutputs.label(0.1), "top10%")
        XCTAssertEqual(ExplainOutputs.label(0.005), "top0.5%")
        XCTAssertEqual(ExplainOutputs.label(0.07), "top7%")
        XCTAssertEqual(ExplainOutputs.label(0.0001), "top0.01%")
        XCTAssertEqual(ExplainOutputs.label(1), "top100%")
    }
}
