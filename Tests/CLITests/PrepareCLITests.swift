import Foundation
import Support
import TestSupport
import XCTest

final class PrepareCLITests: CLITestCase {
    private let genome = TestData.path("genome/mini_hg19.fa.gz")
    private let realFusions = TestData.path("fusions/minichr2_real_fusions.tsv")

    func testPrepareReproducesTheExpectedWindowsOnStandardOutput() throws {
        let run = try fusionai(["prepare", "--genome", genome, realFusions])
        XCTAssertEqual(run.status, 0, run.stderr)
        let expected = try String(
            contentsOfFile: TestData.path("fusions/minichr2_real_fusions.expected_windows.tsv"), encoding: .utf8)
        XCTAssertEqual(run.stdout, expected)
        XCTAssertTrue(run.stderr.contains("build hg19/GRCh37"), run.stderr)
        XCTAssertTrue(run.stderr.contains("2 row(s) read, 2 written"), run.stderr)
    }

    func testStandardInputAndOutputFileWork() throws {
        let folder = try TestData.temporaryDirectory()
        let input = try String(contentsOfFile: realFusions, encoding: .utf8)
        let run = try fusionai(["prepare", "-g", genome, "-", "-o", folder + "/out.tsv", "--quiet"], stdin: input)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr, "", "--quiet prints nothing on success")
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: folder + "/out.tsv")),
            try Data(
                contentsOf: URL(fileURLWithPath: TestData.path("fusions/minichr2_real_fusions.expected_windows.tsv"))))
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder), ["out.tsv"], "no temporary file is left behind"
        )
    }

    func testAFailedRunLeavesNoPartialOutputAndExitsOne() throws {
        let folder = try TestData.temporaryDirectory()
        let input = folder + "/calls.tsv"
        try "PLA2R1\tchr2\t160832579\t-\tRBMS1\tchr2\t161159998\t-\nA\tchr2\tx\t+\tB\tchr2\t1\t-\n".write(
            toFile: input, atomically: false, encoding: .utf8)
        try "old contents\n".write(toFile: folder + "/out.tsv", atomically: false, encoding: .utf8)
        let run = try fusionai(["prepare", "-g", genome, input, "-o", folder + "/out.tsv", "--strict"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("error: \(input):2: "), "names the file and line: \(run.stderr)")
        XCTAssertEqual(
            try String(contentsOfFile: folder + "/out.tsv", encoding: .utf8), "old contents\n",
            "the old output is untouched")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder)), ["calls.tsv", "out.tsv"])
    }

    func testRejectsAreCountedAndWrittenWithoutStrict() throws {
        let folder = try TestData.temporaryDirectory()
        let input = folder + "/calls.tsv"
        try "PLA2R1\tchr2\t160832579\t-\tRBMS1\tchr2\t161159998\t-\nA\tchrZ\t5\t+\tB\tchr2\t1\t-\n".write(
            toFile: input, atomically: false, encoding: .utf8)
        let run = try fusionai([
            "prepare", "-g", genome, input, "-o", folder + "/out.tsv", "--rejects", folder + "/rejects.tsv",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("warning: 1 row(s) rejected: chromosome not in genome"), run.stderr)
        let rejects = try String(contentsOfFile: folder + "/rejects.tsv", encoding: .utf8)
        XCTAssertTrue(rejects.hasPrefix("line\treason\tdetail\trow\n2\tchromosome not in genome\t"), rejects)
    }

    func testMissingGenomeIsAClearErrorAndBadOptionsAreUsageErrors() throws {
        let run = try fusionai(["prepare", "-g", "/nonexistent/genome.fa", realFusions])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.hasPrefix("fusionai prepare: error: /nonexistent/genome.fa: "), run.stderr)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, "one line: \(run.stderr)")
        let usage = try fusionai(["prepare", "--threads", "0", realFusions])
        XCTAssertEqual(usage.status, 64, usage.stderr)
        XCTAssertTrue(usage.stderr.contains("--threads must be at least 1"), usage.stderr)
        XCTAssertEqual(try fusionai(["prepare", "--format", "nonsense", realFusions]).status, 64)
    }

    func testWithoutAGenomeWritesNormalisedRecords() throws {
        let run = try fusionai(["prepare", "--header", realFusions])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(
            run.stdout,
            "Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand\n"
                + (try String(contentsOfFile: realFusions, encoding: .utf8)))
    }
}
