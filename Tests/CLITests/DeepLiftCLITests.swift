import Foundation
import TestSupport
import XCTest

extension ExplainCLITests {
    /// DeepLiftShap writes hypothetical contributions `[positions x 4]` beside the scores, and its
    /// summary's attribution sum and reference difference agree (completeness); other methods write NA.
    func testDeepLiftShapWritesHypotheticalContributionsAndACompleteSummary() throws {
        let folder = try exampleAndModel(calls: 5)
        let arguments = [
            "explain", "-m", folder + "/m.safetensors", "-g", folder + "/ex/genome.fa",
            folder + "/ex/fusions.star-fusion.tsv", "--rows", "1-2",
        ]
        let run = try fusionai(arguments + ["--method", "deepliftshap", "--references", "3", "-o", folder + "/dl"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("2 fusion(s) explained with deepliftshap"), run.stderr)
        XCTAssertTrue(run.stderr.contains("largest |attribution_sum - reference_difference| over 2 fusion(s)"))
        let summary = try TSVTable(path: folder + "/dl/summary.tsv")
        XCTAssertEqual(summary.rows.count, 2)
        for row in summary.rows {
            let id = row["id"]
            let npy = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/dl/\(id).hyp.npy"))
            XCTAssertEqual((npy.count - 128) / 4, 600 * 4, "600 positions x 4 bases after a 128-byte header")
            XCTAssertTrue(String(decoding: npy.prefix(128), as: UTF8.self).contains("'shape': (600, 4)"))
            let sum = try XCTUnwrap(row.double("attribution_sum"))
            let difference = try XCTUnwrap(row.double("reference_difference"))
            XCTAssertEqual(sum, difference, accuracy: 1e-4 * abs(difference) + 1e-7, id)
        }
        let plain = try fusionai(arguments + ["-q", "-o", folder + "/gi"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let other = try TSVTable(path: folder + "/gi/summary.tsv")
        XCTAssertEqual(other.column("attribution_sum"), ["NA", "NA"])
        XCTAssertEqual(other.column("reference_difference"), ["NA", "NA"])
        XCTAssertEqual(
            try fusionai(arguments + ["--method", "deepliftshap", "--references", "0", "-o", folder + "/x"]).status, 64)
    }
}
