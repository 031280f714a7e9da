import Foundation
import TestSupport
import XCTest

/// The report's Motifs section from a `seqlets` folder and a `motifs match` table: where seqlets
/// fall, each pattern's logos with its top match, the patterns table; rendered in Chromium.
final class ReportMotifsCLITests: CLITestCase {
    func testTheMotifsSectionShowsSeqletPositionsLogosAndTopMatches() throws {
        let folder = try exampleAndModel(calls: 3)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let predictions = folder + "/predictions.tsv"
        let predict = try fusionai([
            "predict", "-q", "-m", folder + "/m.safetensors", "-g", folder + "/ex/genome.fa",
            folder + "/ex/fusions.star-fusion.tsv", "-o", predictions,
        ])
        XCTAssertEqual(predict.status, 0, predict.stderr)

        // A seqlets folder as `fusionai seqlets --discover` lays it out, written by hand.
        let seqlets = folder + "/sq"
        try FileManager.default.createDirectory(atPath: seqlets + "/patterns/logos", withIntermediateDirectories: true)
        let seqletRows = [
            "row1_A--B\thead\t4990\t5010\tchr1\t1000\t1021\t+\t0\t+\t1.5\t1.2",
            "row1_A--B\ttail\t5200\t5220\tchr2\t2000\t2021\t-\t200\t+\t0.9\t0.8",
            "row2_C--D\thead\t100\t120\tchr1\t5000\t5021\t+\t4880\t-\t-0.7\t-0.6",
        ]
        try write(
            "id\tpart\twindow_start\twindow_end\tchrom\tstart\tend\tstrand\tdistance_to_breakpoint\tsign\t"
                + "attribution_sum\twindow_sum\n" + seqletRows.map { $0 + "\n" }.joined(),
            to: seqlets + "/seqlets.tsv")
        try write(
            "pattern\tsign\tseqlets\twidth\tconsensus\ttotal_ic_bits\tcwm_sum\n"
                + "pos_pattern_1\tpositive\t2\t6\tCCGCGG\t9.1\t2.4\n",
            to: seqlets + "/patterns/patterns.tsv")
        let logo = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><text>PWM-LOGO</text></svg>\n"
        try write(logo, to: seqlets + "/patterns/logos/pos_pattern_1.pwm.svg")
        let matches = folder + "/tomtom.tsv"
        try write(
            "Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\t"
                + "Target_consensus\tOrientation\n"
                + "pos_pattern_1\tMA0139.2\t-3\t1e-07\t8.8e-05\t8.8e-05\t6\tCCGCGG\tTGGCCACCAGGGGGCGCTA\t+\n"
                + "pos_pattern_1\tMA0004.1\t0\t0.01\t8.8\t0.5\t6\tCCGCGG\tCACGTG\t-\n# settings\n",
            to: matches)

        let report = folder + "/report.html"
        let run = try fusionai([
            "report", predictions, "--seqlets", seqlets, "--motif-matches", matches, "-o", report,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertTrue(html.contains(">Motifs</h2>"))
        XCTAssertTrue(html.contains("id=\"seqlet-positions\""))
        XCTAssertTrue(html.contains("3 seqlet(s)"))
        XCTAssertTrue(html.contains("PWM-LOGO"))
        XCTAssertTrue(html.contains("pos_pattern_1: PWM and CWM logos; top match MA0139.2 (q = 8.8e-05)"))
        XCTAssertTrue(html.contains(">Discovered patterns</h2>"))
        XCTAssertTrue(html.contains("<td>MA0139.2</td><td>8.8e-05</td>"))
        // The seqlet plot has one line per part and sign present.
        for series in ["head, negative", "head, positive", "tail, positive"] {
            XCTAssertTrue(html.contains(series), series)
        }

        try skipWithoutChromium()
        let check = try checkReport(report, png: folder + "/report.png")
        XCTAssertEqual(check.status, 0, check.text)
    }

    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }
}
