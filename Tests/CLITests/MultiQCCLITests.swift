import Foundation
import TestSupport
import XCTest

/// A run's results folder seen by MultiQC (the PyPI release `make test` installs into .venv/): its
/// own parser finds the FusionAI section with the run's counts.
final class MultiQCCLITests: CLITestCase {
    func testMultiQCFindsTheFusionAISectionWithTheRunsCounts() throws {
        let multiqc = TestData.checkout + "/.venv/bin/multiqc"
        guard FileManager.default.isExecutableFile(atPath: multiqc) else {
            return XCTFail("\(multiqc) is missing: run scripts/python-tools.sh (`make test` does)")
        }
        let folder = try exampleAndModel(calls: 6)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/results"
        let run = try fusionai([
            "run", "-q", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors", "--explain-max", "1", "-o", out,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let predictions = try TSVTable(path: out + "/predictions.tsv")
        let probabilities = predictions.rows.compactMap { Double($0["fusion_positive_prob"]) }
        let positives = predictions.rows.filter { $0["call"] == "positive" }.count

        let report = folder + "/multiqc"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: multiqc)
        process.arguments = ["-f", "-q", "-o", report, out]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)

        // MultiQC's parsed data: the calls table under its id, the sample named after the input.
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: report + "/multiqc_data/multiqc_data.json")))
        let raw = try XCTUnwrap((json as? [String: Any])?["report_saved_raw_data"] as? [String: Any])
        let calls = try XCTUnwrap(raw["multiqc_fusionai_calls_plot"] as? [String: [String: Any]], "\(raw.keys)")
        let sample = try XCTUnwrap(calls["fusions.star-fusion"], "\(calls.keys)")
        XCTAssertEqual((sample["calls"] as? NSNumber)?.intValue, probabilities.count)
        XCTAssertEqual((sample["positive_calls"] as? NSNumber)?.intValue, positives)
        let mean = try XCTUnwrap((sample["mean_probability"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(mean, probabilities.reduce(0, +) / Double(probabilities.count), accuracy: 1e-6)
        // The score histogram: every call in exactly one bin.
        let histogram = try XCTUnwrap(
            (raw["multiqc_fusionai_scores_plot"] as? [String: [String: Any]])?["fusions.star-fusion"])
        XCTAssertEqual(histogram.values.compactMap { ($0 as? NSNumber)?.intValue }.reduce(0, +), probabilities.count)
        let html = try String(contentsOfFile: report + "/multiqc_report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("FusionAI"))
    }
}
