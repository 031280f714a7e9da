import Foundation
import TestSupport
import XCTest

final class RunCLITests: CLITestCase {
    func testRunDoesEveryStepResumesAndRerunsOnlyWhatChanged() throws {
        let folder = try exampleAndModel(calls: 4)
        try "chr1\t0\t1000000\n".write(toFile: folder + "/a.bed", atomically: false, encoding: .utf8)
        try "name\tcategory\tpath\nA\tx\t\(folder)/a.bed\n".write(
            toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)
        let out = folder + "/results"
        let args = [
            "run", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors",
            "--features", folder + "/features.tsv", "--threshold", "0", "-o", out,
        ]

        let first = try fusionai(args)
        XCTAssertEqual(first.status, 0, first.stderr)
        for file in ["prepared.tsv", "predictions.tsv", "fis/summary.tsv", "feat/enrichment.tsv", "report.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + file), file)
        }
        // Threshold 0: every row is explained.
        let svgs = {
            try FileManager.default.contentsOfDirectory(atPath: out + "/fis").filter { $0.hasSuffix(".svg") }.sorted()
        }
        XCTAssertEqual(try svgs().map { String($0.prefix(5)) }, ["row1_", "row2_", "row3_", "row4_"])

        // Without its markers the same run redoes every step, to the same bytes as the first (report
        // time aside); one changed byte is found.
        let saved = folder + "/saved"
        try FileManager.default.copyItem(atPath: out, toPath: saved)
        try FileManager.default.removeItem(atPath: out + "/.done")
        XCTAssertEqual(try fusionai(args).status, 0)
        XCTAssertEqual(try compareResults(saved, out), 0)
        try "x".write(toFile: saved + "/fis/summary.tsv", atomically: false, encoding: .utf8)
        XCTAssertEqual(try compareResults(saved, out), 1)

        let again = try fusionai(args)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(
            again.stderr.components(separatedBy: "done before with the same arguments, skipped").count - 1, 5,
            again.stderr)
        // Moved whole (mv keeps sizes and times): still done under its new name.
        let moved = folder + "/moved"
        try FileManager.default.moveItem(atPath: out, toPath: moved)
        let there = try fusionai(Array(args.dropLast()) + [moved])
        XCTAssertEqual(there.status, 0, there.stderr)
        XCTAssertEqual(
            there.stderr.components(separatedBy: "done before with the same arguments, skipped").count - 1, 5,
            there.stderr)
        try FileManager.default.moveItem(atPath: moved, toPath: out)

        // Explain one row only: prepare and predict are skipped; explain reruns, and so do the steps
        // after it, and the earlier figures are gone from fis/ and from the report.
        let narrowed = try fusionai(args + ["--explain-max", "1"])
        XCTAssertEqual(narrowed.status, 0, narrowed.stderr)
        XCTAssertEqual(
            narrowed.stderr.components(separatedBy: "done before with the same arguments, skipped").count - 1, 2,
            narrowed.stderr)
        XCTAssertTrue(
            narrowed.stderr.contains("prepare: done before") && narrowed.stderr.contains("predict: done before"),
            narrowed.stderr)
        XCTAssertEqual(try svgs().count, 1)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<div class=\"figure\" id=\"row").count - 1, 1)
        // A feature track edited in place: features and report rerun, the steps before do not.
        try "chr1\t0\t1000000\nchr2\t0\t1000\n".write(toFile: folder + "/a.bed", atomically: false, encoding: .utf8)
        let edited = try fusionai(args + ["--explain-max", "1"])
        XCTAssertEqual(edited.status, 0, edited.stderr)
        XCTAssertEqual(
            edited.stderr.components(separatedBy: "done before with the same arguments, skipped").count - 1, 3,
            edited.stderr)
        XCTAssertTrue(edited.stderr.contains("features…") && edited.stderr.contains("report…"), edited.stderr)
        // The run's parameters and the library versions are in the report.
        XCTAssertTrue(html.contains("<tr><th>model</th><td>\(folder)/m.safetensors</td></tr>"), "model fact")
        XCTAssertTrue(
            html.contains("<tr><th>explain</th><td>rows with P &gt;= 0.0, at most 1 (1 explained)</td></tr>"),
            "explain fact")
        XCTAssertTrue(html.contains("<tr><th>libraries</th><td>htslib "), "libraries fact")

        // An output cut short by hand after the run: its step is not done, and it and the steps after
        // it rerun (predictions.tsv cut to its first rows was reused, and the report listed only those).
        let predictions = try Data(contentsOf: URL(fileURLWithPath: out + "/predictions.tsv"))
        try predictions.prefix(predictions.count / 2).write(to: URL(fileURLWithPath: out + "/predictions.tsv"))
        let cut = try fusionai(args + ["--explain-max", "1"])
        XCTAssertEqual(cut.status, 0, cut.stderr)
        XCTAssertTrue(cut.stderr.contains("prepare: done before") && cut.stderr.contains("predict…"), cut.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/predictions.tsv")), predictions)
        // A file of a step's folder deleted: that step reruns.
        try FileManager.default.removeItem(atPath: out + "/multiqc/fusionai_calls_mqc.tsv")
        let deleted = try fusionai(args + ["--explain-max", "1"])
        XCTAssertEqual(deleted.status, 0, deleted.stderr)
        XCTAssertTrue(
            deleted.stderr.contains("explain: done before") && deleted.stderr.contains("report…"), deleted.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/multiqc/fusionai_calls_mqc.tsv"))

        // A failing step is named, with the file; the steps before it stay done.
        let broken = try fusionai([
            "run", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/missing.safetensors", "-o", folder + "/broken",
        ])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stderr.contains("fusionai predict: error: \(folder)/missing.safetensors: "), broken.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/broken/.done/prepare"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/broken/.done/predict"))
    }

    /// Where a run is killed: while `step` runs, once `reached` holds for the results folder.
    private struct KillPoint {
        let step: String
        /// A file of the results folder rewritten before the rerun: predict's partial output no
        /// longer matches it and is discarded.
        var touched: String?
        let reached: (String) -> Bool
    }

    /// SIGKILL during prepare, predict (after a checkpoint) and explain, then the same command
    /// again: the run picks up its own partial step (or starts predict over when what it read has
    /// changed) and ends with the uninterrupted run's bytes.
    func testAKilledRunRerunsToTheSameResults() throws {
        let folder = try exampleAndModel(calls: 160)
        let out = folder + "/results"
        let args = [
            "run", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors", "--threshold", "0", "--explain-max", "8", "--threads", "1", "-o", out,
        ]
        let first = try fusionai(args)
        XCTAssertEqual(first.status, 0, first.stderr)
        let saved = folder + "/saved"
        try FileManager.default.moveItem(atPath: out, toPath: saved)

        let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }
        let points = [
            KillPoint(step: "prepare") { exists($0 + "/.done") && !exists($0 + "/.done/prepare") },
            KillPoint(step: "predict") { exists($0 + "/predictions.tsv.partial.checkpoint") },
            KillPoint(step: "predict", touched: "prepared.tsv") { exists($0 + "/predictions.tsv.partial.checkpoint") },
            KillPoint(step: "explain") { exists($0 + "/fis") && !exists($0 + "/.done/explain") },
        ]
        for point in points {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.environment = Self.environment
            process.arguments = args
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline, process.isRunning, !point.reached(out) { usleep(500) }
            XCTAssertTrue(process.isRunning, "the run should still be going at the \(point.step) kill point")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertFalse(exists(out + "/.done/report"), "killed before the end (\(point.step))")

            if let touched = point.touched {
                try FileManager.default.setAttributes(
                    [.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: out + "/" + touched)
            }
            let again = try fusionai(args)
            XCTAssertEqual(again.status, 0, "\(point.step): \(again.stderr)")
            if point.step == "predict" {
                let line = point.touched == nil ? "resuming after row" : "(it comes from a run with other inputs"
                XCTAssertTrue(again.stderr.contains(line), again.stderr)
            }
            XCTAssertEqual(try compareResults(saved, out), 0, "killed during \(point.step), then rerun")
            XCTAssertFalse(exists(out + "/predictions.tsv.partial"))
            try FileManager.default.removeItem(atPath: out)
        }
    }
}
