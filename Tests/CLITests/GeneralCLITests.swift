import Foundation
import TestSupport
import XCTest

final class GeneralCLITests: CLITestCase {
    func testVersionAndHelpOnEverySubcommand() throws {
        let version = try fusionai(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.stdout, "0.1.0\n")
        let root = try fusionai(["--help"])
        XCTAssertEqual(root.status, 0)
        for subcommand in ["prepare", "example", "version"] {
            XCTAssertTrue(root.stdout.contains(subcommand), "root help lists \(subcommand)")
            let help = try fusionai([subcommand, "--help"])
            XCTAssertEqual(help.status, 0, subcommand)
            XCTAssertTrue(help.stdout.contains("USAGE: fusionai \(subcommand)"), help.stdout)
        }
    }

    func testVersionSubcommandNamesTheLinkedLibraries() throws {
        let run = try fusionai(["version"])
        XCTAssertEqual(run.status, 0)
        let names = run.stdout.split(separator: "\n").map { $0.split(separator: "\t")[0] }
        XCTAssertEqual(names, ["fusionai", "htslib", "fftw", "openblas", "hdf5"])
    }

    func testExampleDataPreparesCleanly() throws {
        let folder = try TestData.temporaryDirectory()
        let example = try fusionai(["example", "-o", folder + "/ex"])
        XCTAssertEqual(example.status, 0, example.stderr)
        let run = try fusionai([
            "prepare", "-g", folder + "/ex/genome.fa", folder + "/ex/fusions.star-fusion.tsv", "-o",
            folder + "/prepared.tsv", "--qc", folder + "/qc.tsv",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("50 row(s) read, 50 written"), run.stderr)
        let qc = try String(contentsOfFile: folder + "/qc.tsv", encoding: .utf8).split(separator: "\n").dropFirst()
        XCTAssertGreaterThanOrEqual(
            qc.filter { $0.hasSuffix("\tyes") }.count, 40, "the 40 exon-junction calls show GT...AG")
    }
}
