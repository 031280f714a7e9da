import Foundation
import TestSupport
import XCTest

/// workflow/Snakefile run by the Snakemake that `make test` installs into .venv/ (scripts/python-tools.sh).
final class CohortWorkflowTests: CLITestCase {
    private struct Outcome {
        let status: Int32
        let log: String
    }

    /// Runs `executable` in `folder`, stdout and stderr together into one log.
    private func run(_ executable: String, _ arguments: [String], in folder: String) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // Snakemake passes its environment on to the fusionai jobs it starts.
        process.environment = Self.environment
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let logPath = folder + "/snakemake-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        process.waitUntilExit()
        try log.close()
        return Outcome(status: process.terminationStatus, log: try String(contentsOfFile: logPath, encoding: .utf8))
    }

    /// The rules a Snakemake log says it ran, each as often as it ran.
    private func rulesRun(_ log: String) -> [String] {
        log.split(separator: "\n").compactMap { line in
            for prefix in ["localrule ", "rule ", "localcheckpoint ", "checkpoint "] where line.hasPrefix(prefix) {
                return String(line.dropFirst(prefix.count).dropLast())
            }
            return nil
        }.sorted()
    }

    func testWorkflowMakesFusionaiCohortsTableRerunsOnlyWhatIsMissingAndRunsOnAClusterExecutor() throws {
        let snakemake = TestData.checkout + "/.venv/bin/snakemake"
        guard FileManager.default.isExecutableFile(atPath: snakemake) else {
            // `make test` makes .venv/ first; a bare `swift test` must say so rather than pass quietly.
            if ProcessInfo.processInfo.environment["FUSIONAI_SKIP_WORKFLOW"] == "1" {
                throw XCTSkip("FUSIONAI_SKIP_WORKFLOW=1 and no \(snakemake)")
            }
            return XCTFail("\(snakemake) is missing: run scripts/python-tools.sh (`make test` does)")
        }
        let fixture = try cohortFixture()
        let snakefile = TestData.checkout + "/workflow/Snakefile"
        let reference = fixture.folder + "/reference"
        let direct = try fusionai(
            cohortArguments(fixture, output: reference, cache: fixture.folder + "/cache-direct").dropLast(6) + [
                "--explain-max", "1", "--threads", "2", "--chunk-size", "2", "-o", reference,
            ])
        XCTAssertEqual(direct.status, 0, direct.stderr)
        let expected = try read(reference + "/cohort.tsv")

        // The local runs read the sheet as Excel saves "UTF-8 CSV": with a byte-order mark.
        let bomSheet = URL(fileURLWithPath: fixture.sheet).deletingLastPathComponent().path + "/bom-sheet.tsv"
        try (Data([0xEF, 0xBB, 0xBF]) + Data(contentsOf: URL(fileURLWithPath: fixture.sheet))).write(
            to: URL(fileURLWithPath: bomSheet))
        /// A config for the outputs in `name`, with a score cache of their own.
        func config(_ name: String) throws -> String {
            let path = fixture.folder + "/\(name).yaml"
            try """
            samples: \(name == "local" ? bomSheet : fixture.sheet)
            genome: \(fixture.genome)
            model: \(fixture.model)
            outdir: \(fixture.folder)/\(name)
            threshold: 0
            explain_max: 1
            chunk_size: 2
            cache: \(fixture.folder)/cache-\(name)
            fusionai: \(Self.binary)

            """.write(toFile: path, atomically: false, encoding: .utf8)
            return path
        }
        let work = fixture.folder + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let local = ["-s", snakefile, "--configfile", try config("local"), "--cores", "2"]
        let first = try run(snakemake, local, in: work)
        XCTAssertEqual(first.status, 0, first.log)
        XCTAssertEqual(try read(fixture.folder + "/local/cohort.tsv"), expected, "byte-identical to fusionai cohort")
        // Three samples, one pairs job, three chunks of 2 of the 6 pairs, the merge.
        XCTAssertEqual(
            rulesRun(first.log), ["all", "merge", "pairs", "sample", "sample", "sample", "score", "score", "score"])

        let second = try run(snakemake, local, in: work)
        XCTAssertEqual(second.status, 0, second.log)
        XCTAssertTrue(second.log.contains("Nothing to be done"), second.log)
        XCTAssertEqual(rulesRun(second.log), [])

        // One shard's output deleted: that shard alone is remade, then the merge.
        let shard = fixture.folder + "/local/chunks/chunk-2.tsv"
        let saved = try TSVTable(path: shard)
        try FileManager.default.removeItem(atPath: shard)
        let third = try run(snakemake, local, in: work)
        XCTAssertEqual(third.status, 0, third.log)
        XCTAssertEqual(rulesRun(third.log), ["all", "merge", "score"])
        XCTAssertTrue(third.log.contains("chunk-2"), third.log)
        // The same scores, now from the cache.
        let remade = try TSVTable(path: shard)
        XCTAssertEqual(remade.column("fusion_positive_prob"), saved.column("fusion_positive_prob"))
        XCTAssertEqual(remade.column("status"), ["cached", "cached"])
        XCTAssertEqual(try read(fixture.folder + "/local/cohort.tsv"), expected)

        // A sample's shard deleted: its job is remade (it was never asked for, and the merge failed),
        // then pairs, the scores (from the cache) and the merge; the same table.
        try FileManager.default.removeItem(atPath: fixture.folder + "/local/samples/S2.calls.tsv")
        let fourth = try run(snakemake, local, in: work)
        XCTAssertEqual(fourth.status, 0, fourth.log)
        XCTAssertTrue(rulesRun(fourth.log).contains("sample"), fourth.log)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.folder + "/local/samples/S2.calls.tsv"))
        XCTAssertEqual(try read(fixture.folder + "/local/cohort.tsv"), expected)

        // A simulated cluster: the cluster-generic executor, each job submitted as its own process.
        let submit = TestData.checkout + "/workflow/profiles/local-cluster/submit.sh"
        let cluster = try run(
            snakemake,
            [
                "-s", snakefile, "--configfile", try config("cluster"), "--executor", "cluster-generic",
                "--cluster-generic-submit-cmd", submit, "--jobs", "4", "--latency-wait", "10",
                "--seconds-between-status-checks", "1",
            ], in: work)
        XCTAssertEqual(cluster.status, 0, cluster.log)
        XCTAssertEqual(cluster.log.components(separatedBy: "with external jobid").count - 1, 8, cluster.log)
        XCTAssertEqual(try read(fixture.folder + "/cluster/cohort.tsv"), expected, "the cluster's table")
    }
}
