import Foundation
import TestSupport
import XCTest

/// A run's results folder seen by MultiQC (the PyPI release `make test` installs into .venv/): its
/// own parser finds the FusionAI section with the run's counts.
final class MultiQCCLITests: CLITestCase {
    func testMultiQCFindsTheFusionAISectionWithTheRunsCounts() throws {
        let folder = try exampleAndModel(calls: 6)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/results"
        let run = try fusionai([
            "run", "-q", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors", "--explain-max", "1", "-o", out,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let predictions = try TSVTable(path: out + "/predictions.tsv")
        let parsed = try multiQC(out, report: folder + "/multiqc")
        // The sample is named after the input file.
        try assertSample(
            parsed, "fusions.star-fusion",
            probabilities: predictions.rows.compactMap { Double($0["fusion_positive_prob"]) },
            positives: predictions.rows.filter { $0["call"] == "positive" }.count)

        // Named with --sample (every STAR-Fusion output has the same file name); only the report reruns.
        let named = try fusionai([
            "run", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors", "--explain-max", "1", "-o", out, "--sample", "patient7",
        ])
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertEqual(
            named.stderr.components(separatedBy: "done before with the same arguments, skipped").count - 1, 3,
            named.stderr)
        try assertSample(
            try multiQC(out, report: folder + "/multiqc2"), "patient7",
            probabilities: predictions.rows.compactMap { Double($0["fusion_positive_prob"]) },
            positives: predictions.rows.filter { $0["call"] == "positive" }.count)
    }

    /// A cohort's folder: one MultiQC sample per cohort sample, each with its calls' pair scores; a
    /// call on a chromosome the genome lacks is counted as a call, not scored.
    func testMultiQCShowsEveryCohortSample() throws {
        let fixture = try cohortFixture()
        defer { try? FileManager.default.removeItem(atPath: fixture.folder) }
        let unknown = fixture.calls[6].starFusionRow.replacingOccurrences(
            of: "\t\(fixture.calls[6].head.chromosome):", with: "\tchrUnplaced:")
        let s2 = fixture.folder + "/cohort/S2.star-fusion.tsv"
        try (String(contentsOfFile: s2, encoding: .utf8) + unknown + "\n").write(
            toFile: s2, atomically: false, encoding: .utf8)
        let out = fixture.folder + "/out"
        var arguments = cohortArguments(fixture, output: out, cache: fixture.folder + "/cache")
        arguments[arguments.firstIndex(of: "--threshold").map { $0 + 1 } ?? 0] = "0.5"
        let run = try fusionai(arguments)
        XCTAssertEqual(run.status, 0, run.stderr)
        let calls = try TSVTable(path: out + "/calls.tsv")
        let parsed = try multiQC(out, report: fixture.folder + "/multiqc")
        let samples = Set(calls.rows.map { $0["sample"] })
        XCTAssertEqual(samples.count, 3)
        XCTAssertEqual(calls.rows.filter { $0["fusion_positive_prob"] == "NA" }.map { $0["sample"] }, ["S2"])
        for sample in samples {
            let rows = calls.rows.filter { $0["sample"] == sample }
            let scores = rows.compactMap { Double($0["fusion_positive_prob"]) }
            try assertSample(
                parsed, sample, calls: rows.count, probabilities: scores, positives: scores.filter { $0 >= 0.5 }.count)
        }
    }

    // MARK: - Helpers

    /// What MultiQC parsed from the FusionAI tables: per table id, per sample, its values.
    private struct Parsed {
        let calls: [String: [String: Any]]
        let scores: [String: [String: Any]]
    }

    /// Runs MultiQC on `folder`, its report into `report`; fails when it is not installed.
    private func multiQC(_ folder: String, report: String) throws -> Parsed {
        let multiqc = TestData.checkout + "/.venv/bin/multiqc"
        guard FileManager.default.isExecutableFile(atPath: multiqc) else {
            XCTFail("\(multiqc) is missing: run scripts/python-tools.sh (`make test` does)")
            throw XCTSkip("no MultiQC")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: multiqc)
        process.arguments = ["-f", "-q", "-o", report, folder]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let html = try String(contentsOfFile: report + "/multiqc_report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("FusionAI"))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: report + "/multiqc_data/multiqc_data.json")))
        let raw = try XCTUnwrap((json as? [String: Any])?["report_saved_raw_data"] as? [String: Any])
        return Parsed(
            calls: try XCTUnwrap(raw["multiqc_fusionai_calls_plot"] as? [String: [String: Any]], "\(raw.keys)"),
            scores: try XCTUnwrap(raw["multiqc_fusionai_scores_plot"] as? [String: [String: Any]], "\(raw.keys)"))
    }

    private func assertSample(
        _ parsed: Parsed, _ name: String, calls: Int? = nil, probabilities: [Double], positives: Int,
        line: UInt = #line
    ) throws {
        let sample = try XCTUnwrap(parsed.calls[name], "\(parsed.calls.keys)", line: line)
        XCTAssertEqual((sample["calls"] as? NSNumber)?.intValue, calls ?? probabilities.count, line: line)
        XCTAssertEqual((sample["scored_calls"] as? NSNumber)?.intValue, probabilities.count, line: line)
        XCTAssertEqual((sample["positive_calls"] as? NSNumber)?.intValue, positives, line: line)
        let mean = try XCTUnwrap((sample["mean_probability"] as? NSNumber)?.doubleValue, line: line)
        XCTAssertEqual(mean, probabilities.reduce(0, +) / Double(probabilities.count), accuracy: 1e-6, line: line)
        // The score histogram: every call in exactly one bin.
        let histogram = try XCTUnwrap(parsed.scores[name], line: line)
        XCTAssertEqual(
            histogram.values.compactMap { ($0 as? NSNumber)?.intValue }.reduce(0, +), probabilities.count, line: line)
    }
}
