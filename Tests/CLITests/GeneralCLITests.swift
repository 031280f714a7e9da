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

    /// A mistyped subcommand is named as one, with the closest names; `-q` works on every subcommand.
    func testAnUnknownSubcommandIsNamedWithTheClosestAndQuietIsEverywhere() throws {
        for (word, expected) in [
            ("predcit", "Error: 'predcit' is not a fusionai subcommand; did you mean 'predict'?\n"),
            ("motif", "Error: 'motif' is not a fusionai subcommand; did you mean 'motifs'?\n"),
            ("bogus", "Error: 'bogus' is not a fusionai subcommand\n"),
        ] {
            let run = try fusionai([word, "--help"])
            XCTAssertEqual(run.status, 64, word)
            XCTAssertTrue(run.stderr.hasPrefix(expected), run.stderr)
        }
        let model = try TestData.temporaryDirectory() + "/m.safetensors"
        let quiet = try fusionai(["init-model", "-q", "--input-length", "480", "-o", model])
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "")
        let said = try fusionai(["convert", model, "-o", model + ".h5"])
        XCTAssertEqual(said.status, 0, said.stderr)
        XCTAssertTrue(said.stderr.contains("wrote"), said.stderr)
        XCTAssertEqual(try fusionai(["convert", "-q", model, "-o", model + ".h5"]).stderr, "")
    }

    func testVersionSubcommandNamesTheLinkedLibraries() throws {
        let run = try fusionai(["version"])
        XCTAssertEqual(run.status, 0)
        let names = run.stdout.split(separator: "\n").map { $0.split(separator: "\t")[0] }
        XCTAssertEqual(names, ["fusionai", "htslib", "fftw", "openblas", "hdf5"])
    }

    /// On a CPU with AVX2 and FMA, OpenBLAS runs vector kernels, never the SSE3 fallback it picks for
    /// a CPU model it does not know (unless the user chose a core with OPENBLAS_CORETYPE).
    func testOpenBLASRunsTheVectorKernelsTheCPUHas() throws {
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(
            (info.split(separator: "\n").first { $0.hasPrefix("flags") } ?? "").split(separator: " ").map(String.init))
        try XCTSkipUnless(flags.isSuperset(of: ["avx2", "fma"]), "this CPU has no AVX2: SSE kernels are its best")
        try XCTSkipIf(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil, "OPENBLAS_CORETYPE is set")
        let run = try fusionai(["version"])
        let line = run.stdout.split(separator: "\n").first { $0.hasPrefix("openblas\t") } ?? ""
        let kernels = line.components(separatedBy: ", kernels ").last ?? ""
        XCTAssertFalse(kernels.isEmpty, run.stdout)
        for fallback in ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Katmai"] {
            XCTAssertNotEqual(kernels, fallback, run.stdout)
        }
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
