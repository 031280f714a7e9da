import Foundation
import Results
import TestSupport
import XCTest

final class ResultsTests: XCTestCase {
    func testTablesAreReadByColumnNameWithTheirLineNumbers() throws {
        let folder = try TestData.temporaryDirectory()
        let path = folder + "/coverage.tsv"
        let text = CoverageTable.schema.header() + "# a comment\n" + "1\tA--B\tx\n\n" + "2\tC--D\ty\n" + "10\tE--F\tz\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let table = try CoverageTable.schema.read(path)
        XCTAssertEqual(table.header, CoverageTable.schema.columns)
        let row = try table.index(of: CoverageTable.row)
        XCTAssertEqual(table.rows.map { $0.fields[row] }, ["1", "2", "10"])
        XCTAssertEqual(table.rows.map(\.line), [3, 5, 6], "comment and empty lines are counted, not read")
        // Only the rows asked for, matched on the whole first field.
        XCTAssertEqual(try CoverageTable.schema.read(path, firstFieldIn: ["1"]).rows.map(\.line), [3])

        let missing = assertThrows(
            try table.index(of: PredictionsTable.positiveProbability), ResultsFileError.self, code: .missingColumn)
        XCTAssertEqual(missing?.path, path)
        XCTAssertEqual(missing?.line, 1)
        assertThrows(try CoverageTable.schema.read(folder + "/none.tsv"), ResultsFileError.self, code: .unreadable)
    }

    func testEveryRowIsWrittenInTheSchemasShape() {
        XCTAssertEqual(FISTable.schema.header(extra: [FISTable.ismMaximum]).split(separator: "\t").count, 8)
        XCTAssertEqual(TopRegionsTable.schema.line(["a", "b"]), "a\tb\n")
        XCTAssertEqual(
            ExplainSummaryTable.schema(top: "top1%").header(),
            "id\tfusion\tfusion_positive_prob\tmethod\tmean_distance_top1pct\thead_share_top1pct\ttail_share_top1pct"
                + "\tattribution_sum\treference_difference\n")
    }

    func testAStepIsDoneOnlyWithTheSameSettingsAndInputs() throws {
        let folder = ResultsFolder(path: try TestData.temporaryDirectory())
        let input = folder.path + "/input.tsv"
        try "a\n".write(toFile: input, atomically: false, encoding: .utf8)
        let signature = StepSignature(settings: ["-o", "x"], reads: [input])
        XCTAssertFalse(folder.isDone(.prepare, signature))
        try folder.markDone(.prepare, signature)
        XCTAssertTrue(folder.isDone(.prepare, StepSignature(settings: ["-o", "x"], reads: [input])))
        XCTAssertFalse(folder.isDone(.prepare, StepSignature(settings: ["-o", "y"], reads: [input])))
        XCTAssertFalse(folder.isDone(.predict, signature), "another step")
        // The marker: settings, then path, size and modification time of each input; the folder's own
        // files named relative to it, so a folder moved whole stays done.
        let marker = try String(contentsOfFile: folder.marker(.prepare), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(marker.prefix(2), ["-o", "x"])
        XCTAssertTrue(marker[2].hasPrefix("{results}/input.tsv\t2\t"), String(marker[2]))
        // Only a line that starts with the folder's path: `-o k` made `/work/x` into `/wor{results}/x`.
        let nested = ResultsFolder(path: folder.path + "/k")
        try FileManager.default.createDirectory(atPath: nested.path, withIntermediateDirectories: true)
        let elsewhere = "/elsewhere" + nested.path + "/y.tsv"
        try nested.markDone(
            .prepare, StepSignature(settings: [elsewhere, nested.path + "/prepared.tsv", nested.path], reads: []))
        XCTAssertEqual(
            try String(contentsOfFile: nested.marker(.prepare), encoding: .utf8),
            elsewhere + "\n{results}/prepared.tsv\n{results}")
        try "ab\n".write(toFile: input, atomically: false, encoding: .utf8)
        XCTAssertFalse(folder.isDone(.prepare, StepSignature(settings: ["-o", "x"], reads: [input])), "edited input")
        try folder.clearMarker(.prepare)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.marker(.prepare)))
        XCTAssertEqual(folder.prepared, folder.path + "/prepared.tsv")
        XCTAssertEqual(folder.explain.scoreTable("row1_A--B"), folder.path + "/fis/row1_A--B.fis.tsv")
    }

    /// The fusions are those the summary lists (another run's files left beside them are not), in row
    /// order; a folder without a summary is no finished explain folder.
    func testExplainFoldersListTheFusionsOfTheirSummaryInRowOrder() throws {
        let explain = ExplainFolder(path: try TestData.temporaryDirectory())
        for id in ["row10_A--B", "row2_C--D", "row3_old--run", "summary"] {
            try "<svg/>".write(toFile: explain.path + "/" + id + ".svg", atomically: false, encoding: .utf8)
        }
        assertThrows(try explain.explainedIDs(), ResultsFileError.self, code: .unreadable)
        try "id\tfusion\nrow2_C--D\tC--D\nrow10_A--B\tA--B\nrow4_E--F\tE--F\n".write(
            toFile: explain.summary, atomically: false, encoding: .utf8)
        XCTAssertEqual(try explain.explainedIDs(), ["row2_C--D", "row4_E--F", "row10_A--B"])
        XCTAssertEqual(try explain.figureIDs(), ["row2_C--D", "row10_A--B"])
        assertThrows(
            try ExplainFolder(path: explain.path + "/nowhere").explainedIDs(), ResultsFileError.self, code: .notAFolder)
        // A new run clears the old one's fusions and summary, and nothing else.
        try "keep".write(toFile: explain.path + "/notes.txt", atomically: false, encoding: .utf8)
        try explain.removeOutputs()
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: explain.path).sorted(), ["notes.txt", "summary.svg"])
        XCTAssertEqual(FusionID.make(row: 12, fusion: "A/B--C D"), "row12_A_B--C_D")
        XCTAssertEqual(FusionID.row(of: "row12_A--B"), 12)
        XCTAssertNil(FusionID.row(of: "summary"))
    }
}
