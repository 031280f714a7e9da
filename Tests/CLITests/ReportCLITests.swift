import Foundation
import TestSupport
import XCTest

final class ReportCLITests: CLITestCase {
    /// Figures are linked to rows by number, so an explain folder from another model or input is
    /// refused (its figures were linked to the wrong rows).
    func testAnExplainFolderOfOtherPredictionsIsRefused() throws {
        let folder = try exampleAndModel(calls: 3)
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let genome = folder + "/ex/genome.fa"
        let other = folder + "/other.safetensors"
        let made = try fusionai([
            "init-model", "-o", other, "--input-length", "600", "--first-filters", "8", "--second-filters", "4",
            "--seed", "7",
        ])
        XCTAssertEqual(made.status, 0, made.stderr)
        for (model, output) in [(folder + "/m.safetensors", "/pred.tsv"), (other, "/other.tsv")] {
            XCTAssertEqual(
                try fusionai(["predict", "-q", "-m", model, "-g", genome, calls, "-o", folder + output]).status, 0)
        }
        let explain = try fusionai([
            "explain", "-q", "-m", folder + "/m.safetensors", "-g", genome, calls, "--rows", "2-3", "-o",
            folder + "/fis",
        ])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        let same = try fusionai(["report", folder + "/pred.tsv", "--fis", folder + "/fis", "-o", folder + "/a.html"])
        XCTAssertEqual(same.status, 0, same.stderr)
        let mixed = try fusionai(["report", folder + "/other.tsv", "--fis", folder + "/fis", "-o", folder + "/b.html"])
        XCTAssertEqual(mixed.status, 1, mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("\(folder)/fis/summary.tsv:2: row2_"), mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("was made from another input or model"), mixed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/b.html"))

        // Explaining other rows into the same folder clears the first run's fusions (they were read
        // as this run's, past the check above); report then links only what the summary lists.
        let again = try fusionai([
            "explain", "-q", "-m", folder + "/m.safetensors", "-g", genome, calls, "--rows", "1", "--method",
            "deeplift", "-o", folder + "/fis",
        ])
        XCTAssertEqual(again.status, 0, again.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/fis")
        XCTAssertEqual(
            Set(files.compactMap { $0.split(separator: "_").first.map(String.init) }), ["row1", "summary.tsv"])
        let relinked = try fusionai([
            "report", folder + "/pred.tsv", "--fis", folder + "/fis", "-o", folder + "/c.html",
        ])
        XCTAssertEqual(relinked.status, 0, relinked.stderr)
        XCTAssertTrue(relinked.stderr.contains("1 explain figure(s)"), relinked.stderr)
        // A folder explain did not write is refused, not read as one without figures.
        let notExplain = try fusionai([
            "report", folder + "/pred.tsv", "--fis", folder + "/ex", "-o", folder + "/d.html",
        ])
        XCTAssertEqual(notExplain.status, 1, notExplain.stderr)
        XCTAssertTrue(notExplain.stderr.contains("has no summary.tsv"), notExplain.stderr)
        // seqlets into the explain folder would overwrite its summary.
        let seqlets = try fusionai(["seqlets", folder + "/fis", "-o", folder + "/fis/"])
        XCTAssertEqual(seqlets.status, 1, seqlets.stderr)
        XCTAssertTrue(seqlets.stderr.contains("is the explain folder seqlets reads"), seqlets.stderr)
        // Nothing explained is a failure: a caller file without --genome has no windows.
        let nothing = try fusionai(["explain", "-m", folder + "/m.safetensors", calls, "-o", folder + "/none"])
        XCTAssertEqual(nothing.status, 1, nothing.stderr)
        XCTAssertTrue(nothing.stderr.contains("3 row(s) not explained: breakpoint not placed"), nothing.stderr)
        XCTAssertTrue(nothing.stderr.contains("no fusion was explained"), nothing.stderr)
        XCTAssertFalse(nothing.stderr.contains("0 fusion(s) explained"), nothing.stderr)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder + "/none/summary.tsv"), "no summary for later steps to take")
        // A folder given as the model.
        let folderModel = try fusionai(["explain", "-m", folder + "/ex", "-g", genome, calls, "-o", folder + "/x"])
        XCTAssertEqual(folderModel.status, 1, folderModel.stderr)
        XCTAssertTrue(folderModel.stderr.contains("\(folder)/ex: is a folder, not a model file"), folderModel.stderr)
    }

    func testReportIsOneSelfContainedPageWithTheTableFiguresAndLinks() throws {
        let folder = try exampleAndModel(calls: 3)
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let model = folder + "/m.safetensors"
        let genome = folder + "/ex/genome.fa"
        XCTAssertEqual(
            try fusionai(["predict", "-q", "-m", model, "-g", genome, calls, "-o", folder + "/pred.tsv"]).status, 0)
        XCTAssertEqual(
            try fusionai(["explain", "-q", "-m", model, "-g", genome, calls, "--rows", "2-3", "-o", folder + "/fis"])
                .status, 0)
        try "chr1\t0\t1000000\n".write(toFile: folder + "/a.bed", atomically: false, encoding: .utf8)
        // A second track made of the top-1% regions themselves: enriched in them beyond doubt.
        try writeTopRegionsBED(fis: folder + "/fis", to: folder + "/top1.bed")
        try "name\tcategory\tpath\nA\tx\t\(folder)/a.bed\nTop1\tx\t\(folder)/top1.bed\n".write(
            toFile: folder + "/features.tsv", atomically: false, encoding: .utf8)
        XCTAssertEqual(
            try fusionai([
                "features", "-q", calls, "--features", folder + "/features.tsv", "--fis", folder + "/fis", "-o",
                folder + "/feat",
            ]).status, 0)

        let run = try fusionai([
            "report", folder + "/pred.tsv", "--fis", folder + "/fis", "--features", folder + "/feat", "-o",
            folder + "/report.html",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("3 fusion(s), 2 explain figure(s), feature figures"), run.stderr)
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        // The predictions table: a header and one row per prediction, with the score column.
        let start = try XCTUnwrap(html.range(of: "<table id=\"t0\">")).lowerBound
        let end = try XCTUnwrap(html.range(of: "</table>", range: start..<html.endIndex)).lowerBound
        let t0 = html[start..<end]
        XCTAssertEqual(t0.components(separatedBy: "<tr>").count - 1, 1 + 3)
        XCTAssertTrue(t0.contains(">fusion_positive_prob</th>"))
        // Rows 2 and 3 link to their explain figures, and the targets exist; row 1 has none.
        let links = html.components(separatedBy: "href=\"#row").dropFirst().map {
            "row" + String($0.prefix { $0 != "\"" })
        }
        XCTAssertEqual(links.count, 2)
        XCTAssertTrue(links.allSatisfy { $0.hasPrefix("row2_") || $0.hasPrefix("row3_") }, "\(links)")
        for link in links { XCTAssertTrue(html.contains("id=\"\(link)\""), link) }
        XCTAssertTrue(html.contains("id=\"landscape\"") && html.contains("id=\"enrichment\""))
        // A contents line links every section; the summary counts fusions and explained ones.
        let sections = html.components(separatedBy: "<h2 id=\"s").count - 1
        XCTAssertEqual(sections, 7, "summary, fusions, explained, features, coverage, enrichment, run")
        for s in 0..<sections { XCTAssertTrue(html.contains("<a href=\"#s\(s)\">"), "contents link \(s)") }
        XCTAssertTrue(
            html.contains("<tr><th>fusions</th><td>3</td></tr>")
                && html.contains("<tr><th>explained</th><td>2</td></tr>"))
        // The headline enrichment is the top-FIS rows of enrichment.tsv with q < 0.05, by direction.
        let enrichment = try TSVTable(path: folder + "/feat/enrichment.tsv").rows
        for (label, enriched) in [("enriched", true), ("depleted", false)] {
            let expected = enrichment.filter {
                $0["test"] == "top_fis_vs_rest" && $0.double("q_value")! < 0.05
                    && ($0.double("odds_ratio")! > 1) == enriched
            }
            .map { "\($0["feature"]) (OR \(String(format: "%.2f", $0.double("odds_ratio")!)))" }
            let line =
                "<tr><th>\(label) in top-FIS regions (q &lt; 0.05)</th>"
                + "<td>\(expected.joined(separator: ", "))</td></tr>"
            XCTAssertEqual(html.contains(line), !expected.isEmpty, line)
        }
        XCTAssertTrue(
            html.contains("<tr><th>enriched in top-FIS regions (q &lt; 0.05)</th><td>Top1 (OR inf)"),
            "the top regions' own track leads the summary")
        // The explained fusions' feature coverage: rows 2 and 3, two features each.
        let coverageStart = try XCTUnwrap(html.range(of: ">Feature coverage of the explained fusions</h2>")).upperBound
        let coverageTable = html[
            coverageStart..<(try XCTUnwrap(html.range(of: "</table>", range: coverageStart..<html.endIndex)).lowerBound)
        ]
        XCTAssertEqual(
            coverageTable.components(separatedBy: "<tr><td>").map { String($0.prefix(1)) }.dropFirst(),
            ["2", "2", "3", "3"])
        XCTAssertEqual(
            html.components(separatedBy: "<svg").count - 1, 2 * 2 + 3,
            "two explain figures with their feature panels, both landscapes and the forest plot inline")
        XCTAssertTrue(html.contains("id=\"landscape_top\""))
        // Each explained fusion's figure holds its scores over its feature strips, then the explain figure.
        for link in links {
            let figureStart = try XCTUnwrap(html.range(of: "id=\"\(link)\"")).upperBound
            let figure = html[
                figureStart..<(try XCTUnwrap(html.range(of: "class=\"caption\"", range: figureStart..<html.endIndex))
                    .lowerBound)]
            XCTAssertEqual(figure.components(separatedBy: "<svg").count - 1, 2, link)
            XCTAssertTrue(figure.contains("FIS and genomic features along the model input"), link)
        }
        // Self-contained: nothing is fetched (the only URLs are SVG namespace names).
        XCTAssertFalse(html.contains("src=") || html.contains("<link") || html.contains("@import"))
        XCTAssertTrue(html.replacingOccurrences(of: "http://www.w3.org/", with: "").range(of: "http") == nil)

        let noFolder = try fusionai([
            "report", folder + "/pred.tsv", "--fis", folder + "/nowhere", "-o", folder + "/r.html",
        ])
        XCTAssertEqual(noFolder.status, 1)
        XCTAssertTrue(noFolder.stderr.contains("error: \(folder)/nowhere: "), noFolder.stderr)
        let wrong = try fusionai(["report", calls, "-o", folder + "/r.html"])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("error: \(calls):1: "), "names the file: \(wrong.stderr)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/r.html"))
    }
}
