import Foundation
import TestSupport
import XCTest

/// The report of a whole `fusionai run`, rendered by headless Chromium through
/// scripts/check-report.sh: no console messages, every figure in the DOM, sort and filter working;
/// and scripts/check-figure.sh: no figure's text cut at its edge or over other text.
/// `make test` installs Chromium and sets FUSIONAI_REQUIRE_BROWSER=1, so there a missing browser is a
/// failure; a bare `swift test` without Chromium skips with the reason.
final class ReportRenderingTests: CLITestCase {
    func testTheRunsReportRendersAndItsTableWorksInChromium() throws {
        try skipWithoutChromium()
        let folder = try exampleAndModel(calls: 6)
        let run = try fusionai([
            "run", "-q", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors",
            "--features", folder + "/ex/features.tsv", "--threshold", "0", "--explain-max", "2", "-o",
            folder + "/results",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)

        let (status, text) = try checkReport(folder + "/results/report.html", png: folder + "/report.png")
        XCTAssertEqual(status, 0, text)
        // Two explained fusions, each with its feature panel, and three feature figures.
        XCTAssertTrue(
            text.contains("fusions table and 7 figure(s), no console messages; sort and filter work (PASS 6 rows"), text
        )
        XCTAssertGreaterThan(
            (try? FileManager.default.attributesOfItem(atPath: folder + "/report.png")[.size] as? Int) ?? 0, 10_000)
        // Every figure's text inside it and clear of the rest.
        let figures = try checkFigures([folder + "/results/report.html"])
        XCTAssertEqual(figures.status, 0, figures.text)
        XCTAssertTrue(figures.text.contains("in 7 figure(s), all inside their figure, none overlapping"), figures.text)
    }
}

extension CLITestCase {
    func skipWithoutChromium() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        if chromium == nil, ProcessInfo.processInfo.environment["FUSIONAI_REQUIRE_BROWSER"] == "1" {
            XCTFail("chromium is not installed, and FUSIONAI_REQUIRE_BROWSER=1 (make test) asks for the browser check")
        }
        try XCTSkipIf(
            chromium == nil, "chromium is not installed: the rendering check runs where it is (make test installs it)")
    }

    /// scripts/check-report.sh on `page`: its exit status and what it said.
    func checkReport(_ page: String, png: String) throws -> (status: Int32, text: String) {
        try script("check-report.sh", [page, png])
    }

    /// scripts/check-figure.sh on `figures` (SVG files or reports): its exit status and what it said.
    func checkFigures(_ figures: [String]) throws -> (status: Int32, text: String) {
        try script("check-figure.sh", figures)
    }

    private func script(_ name: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/bash")
        check.arguments = [TestData.checkout + "/scripts/" + name] + arguments
        let output = Pipe()
        check.standardOutput = output
        check.standardError = output
        try check.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        return (check.terminationStatus, text)
    }
}
