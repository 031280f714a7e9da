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

    /// A caller file saved by Excel (a byte-order mark, or classic Mac line ends) reads as the plain
    /// file does; both gave a format error or no rows. A file read in the wrong format says so.
    func testExcelSavedCallerFilesReadAndAWrongFormatIsSaid() throws {
        let folder = try TestData.temporaryDirectory()
        let starFusion = TestData.path("fusions/callers/starfusion.tsv")
        let plain = try fusionai(["prepare", starFusion])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("12 row(s) read, 12 written"), plain.stderr)
        let text = try Data(contentsOf: URL(fileURLWithPath: starFusion))
        try (Data([0xEF, 0xBB, 0xBF]) + text).write(to: URL(fileURLWithPath: folder + "/bom.tsv"))
        try Data(text.map { $0 == 10 ? 13 : $0 }).write(to: URL(fileURLWithPath: folder + "/mac.tsv"))
        for name in ["bom.tsv", "mac.tsv"] {
            let run = try fusionai(["prepare", folder + "/" + name])
            XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
            XCTAssertEqual(run.stdout, plain.stdout, name)
        }
        let longGF = try fusionai(["prepare", "--format", "longgf", starFusion])
        XCTAssertEqual(longGF.status, 0, longGF.stderr)
        XCTAssertTrue(longGF.stderr.contains("warning: no fusion rows read"), longGF.stderr)
        // Every row malformed: the wrong format, an error (a header-only output passed down a pipeline
        // unnoticed); the rejects are kept, the other outputs are not written.
        let tophat = try fusionai([
            "prepare", "--format", "tophat-fusion", starFusion, "-o", folder + "/t.tsv", "--rejects", folder + "/r.tsv",
        ])
        XCTAssertEqual(tophat.status, 1, tophat.stderr)
        XCTAssertTrue(tophat.stderr.contains("row(s) is malformed when read as TopHat-Fusion"), tophat.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/t.tsv"))
        XCTAssertGreaterThan(try TSVTable(path: folder + "/r.tsv").rows.count, 0)
        try makeSmallModel(folder + "/m.safetensors")
        let predicted = try fusionai([
            "predict", "--format", "tophat-fusion", starFusion, "-m", folder + "/m.safetensors", "-o",
            folder + "/p.tsv", "--rejects", folder + "/pr.tsv",
        ])
        XCTAssertEqual(predicted.status, 1, predicted.stderr)
        XCTAssertTrue(predicted.stderr.contains("row(s) is malformed when read as TopHat-Fusion"), predicted.stderr)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("p.tsv") }
        XCTAssertEqual(left, [], "no output, partial or checkpoint: nothing to resume")
        XCTAssertEqual(
            try TSVTable(path: folder + "/pr.tsv").rows.count, try TSVTable(path: folder + "/r.tsv").rows.count)
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
        XCTAssertTrue(usage.stderr.contains("--threads must be from 1 to 1024 (got 0)"), usage.stderr)
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

    /// A cohort table: a `sample` column first, then FusionInspector's columns, found by name.
    func testACohortTableWithALeadingSampleColumnIsDetected() throws {
        let source = try String(
            contentsOfFile: TestData.path("fusions/more-callers/fusioninspector_abridged.tsv"), encoding: .utf8)
        // The file ends its lines with CRLF, one Character in Swift: split on any line end, or the
        // whole file is one line and the test checks no row.
        let lines = source.split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertEqual(lines.count, 3)
        let cohort = ["sample\t" + lines[0]] + lines.dropFirst().enumerated().map { "K562_\($0.offset)\t\($0.element)" }
        let input = try TestData.temporaryDirectory() + "/cohort.tsv"
        try (cohort.joined(separator: "\n") + "\n").write(toFile: input, atomically: false, encoding: .utf8)
        let run = try fusionai(["prepare", "--header", input])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("STAR-Fusion format"), run.stderr)
        let table = TSVTable(run.stdout)
        XCTAssertEqual(table.rows.count, lines.count - 1)
        let sourceRows = TSVTable(source.replacingOccurrences(of: "#FusionName", with: "FusionName")).rows
        for (row, given) in zip(table.rows, sourceRows) {
            XCTAssertEqual(row["Hgene"], String(given["LeftGene"].prefix { $0 != "^" }))
            XCTAssertEqual([row["Hchr"], row["Hbp"], row["Hstrand"]].joined(separator: ":"), given["LeftBreakpoint"])
            XCTAssertEqual([row["Tchr"], row["Tbp"], row["Tstrand"]].joined(separator: ":"), given["RightBreakpoint"])
        }
    }

    /// A supplement table in no known format, through --columns (a name with a space and a quote).
    func testASupplementTableIsReadThroughColumns() throws {
        let input = try TestData.temporaryDirectory() + "/supplement.csv"
        try """
        Cell line,Gene 5',Chr 5',Break 5',Gene 3',Chr 3',Break 3'
        HCC1395,PLA2R1,chr2,160832578,RBMS1,chr2,161159997
        UACC-893,ITGB6,chr2,161056000,RBMS1,chr2,161159997

        """.write(toFile: input, atomically: false, encoding: .utf8)
        let mapping = "Hgene=Gene 5',Hchr=Chr 5',Hbp=Break 5',Tgene=Gene 3',Tchr=Chr 3',Tbp=Break 3'"
        let run = try fusionai(["prepare", "--header", "--columns", mapping, "--zero-based", input])
        XCTAssertEqual(run.status, 0, run.stderr)
        let table = TSVTable(run.stdout)
        XCTAssertEqual(table.column("Hgene"), ["PLA2R1", "ITGB6"])
        XCTAssertEqual(table.column("Hbp"), ["160832579", "161056001"], "0-based positions made 1-based")
        XCTAssertEqual(table.column("Tbp"), ["161159998", "161159998"])
        XCTAssertEqual(table.column("Hstrand"), [".", "."], "no strand columns and no annotation")
    }

    /// The annotation gives a strand only from a gene on the call's own chromosome (RBMS1 is on chr7
    /// in this one), and a caller's strand it contradicts is kept, with a warning naming the line.
    func testAnnotationStrandsComeFromTheCallsChromosomeAndContradictionsAreWarned() throws {
        let folder = try TestData.temporaryDirectory()
        try """
        chr2\ttest\tgene\t160788519\t160919121\t.\t-\t.\tgene_id "G1"; gene_name "PLA2R1";
        chr7\ttest\tgene\t1000\t2000\t.\t+\t.\tgene_id "G2"; gene_name "RBMS1";
        chr2\ttest\tgene\t160956000\t161100000\t.\t+\t.\tgene_id "G3"; gene_name "ITGB6";

        """.write(toFile: folder + "/genes.gtf", atomically: false, encoding: .utf8)
        try """
        Gene 5',Chr 5',Break 5',Gene 3',Chr 3',Break 3'
        PLA2R1,chr2,160832578,RBMS1,chr2,161159997
        ITGB6,chr2,161056000,RBMS1,chr2,161159997

        """.write(toFile: folder + "/supplement.csv", atomically: false, encoding: .utf8)
        let mapping = "Hgene=Gene 5',Hchr=Chr 5',Hbp=Break 5',Tgene=Gene 3',Tchr=Chr 3',Tbp=Break 3'"
        let filled = try fusionai([
            "prepare", "--header", "--columns", mapping, "--annotation", folder + "/genes.gtf",
            folder + "/supplement.csv",
        ])
        XCTAssertEqual(filled.status, 0, filled.stderr)
        XCTAssertEqual(TSVTable(filled.stdout).column("Hstrand"), ["-", "+"])
        XCTAssertEqual(TSVTable(filled.stdout).column("Tstrand"), [".", "."], "RBMS1 is on chr7 in the annotation")
        XCTAssertTrue(filled.stderr.contains("2 strand(s) taken from the annotation"), filled.stderr)
        XCTAssertFalse(filled.stderr.contains("strand other than"), filled.stderr)

        try """
        Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand
        PLA2R1\tchr2\t160832579\t+\tRBMS1\tchr2\t161159998\t-
        ITGB6\tchr2\t161056001\t+\tRBMS1\tchr2\t161159998\t-

        """.write(toFile: folder + "/calls.tsv", atomically: false, encoding: .utf8)
        let kept = try fusionai([
            "prepare", "--header", "--annotation", folder + "/genes.gtf", folder + "/calls.tsv",
        ])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        XCTAssertEqual(TSVTable(kept.stdout).column("Hstrand"), ["+", "+"], "the caller's strand is kept")
        XCTAssertTrue(
            kept.stderr.contains(
                "warning: 1 partner(s) have a strand other than their gene's in the annotation; the caller's strand "
                    + "is kept (antisense calls, or an annotation of another release or assembly?): line 2: PLA2R1 at "
                    + "chr2:160832579 is + in the call, - in the annotation\n"), kept.stderr)
    }

    /// Two files of different callers in one call: every row names its file and caller.
    func testSeveralInputsGetSourceAndCallerColumns() throws {
        let star = TestData.path("fusions/callers/starfusion.tsv")
        let soap = TestData.path("fusions/more-callers/soapfuse.txt")
        let folder = try TestData.temporaryDirectory()
        let run = try fusionai([
            "prepare", "--header", star, soap, "--rejects", folder + "/rejects.tsv", "-o", folder + "/out.tsv",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let single = try [star, soap].map { path -> TSVTable in
            let one = try fusionai(["prepare", "--header", path])
            XCTAssertEqual(one.status, 0, one.stderr)
            return TSVTable(one.stdout)
        }
        let table = try TSVTable(path: folder + "/out.tsv")
        XCTAssertEqual(Array(table.columns.suffix(2)), ["source", "caller"])
        XCTAssertEqual(
            table.column("source"),
            Array(repeating: star, count: single[0].rows.count) + Array(repeating: soap, count: single[1].rows.count))
        XCTAssertEqual(
            table.column("caller"),
            Array(repeating: "star-fusion", count: single[0].rows.count)
                + Array(repeating: "soapfuse", count: single[1].rows.count))
        XCTAssertEqual(table.column("Hbp"), single[0].column("Hbp") + single[1].column("Hbp"))
        let rejects = try TSVTable(path: folder + "/rejects.tsv")
        XCTAssertEqual(rejects.columns.first, "file", "rejected rows name their file")
    }

    func testABadColumnsValueIsAUsageErrorNamingTheProblem() throws {
        let run = try fusionai(["prepare", "--columns", "Hgene=a,Hchr=b,Hbp=c", realFusions])
        XCTAssertEqual(run.status, 64, run.stderr)
        XCTAssertTrue(run.stderr.contains("Tgene, Tchr, Tbp not given"), run.stderr)
        let key = try fusionai(["prepare", "--columns", "Hgene=a,Hchr=b,Hbp=c,Tgene=d,Tchr=e,Tbp=f,Xbp=g", realFusions])
        XCTAssertEqual(key.status, 64, key.stderr)
        XCTAssertTrue(key.stderr.contains("'Xbp' is not one of"), key.stderr)
        XCTAssertEqual(try fusionai(["prepare", "--zero-based", realFusions]).status, 64)
    }

    func testHelpListsTheFormats() throws {
        let run = try fusionai(["prepare", "--help"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let help = run.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        for name in ["STAR-Fusion", "deFuse", "PRADA", "TopHat-Fusion", "MapSplice", "ChimeraScan", "--columns"] {
            XCTAssertTrue(help.contains(name), "\(name) missing from: \(help)")
        }
    }

    /// A PRADA row gives one record per Junction entry; the summary says entries are counted as rows.
    func testPradaEntriesAreCountedInTheSummary() throws {
        let path = TestData.path("fusions/more-callers/prada.tsv")
        let run = try fusionai(["prepare", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        let entries = TSVTable(text).column("Junction").reduce(0) { $0 + $1.split(separator: "|").count }
        XCTAssertTrue(run.stderr.contains("\(entries) row(s) read (PRADA: one per Junction entry)"), run.stderr)
    }
}
