import Foundation
import TestSupport
import XCTest

final class TrainCLITests: CLITestCase {
    /// A labelled data file: example junction calls (label 1) and negatives from the example GTF (0).
    private func labelledData() throws -> String {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "60"]).status, 0)
        let normalised = try fusionai(["prepare", "-q", folder + "/ex/fusions.star-fusion.tsv"])
        let negatives = try fusionai(["negatives", "-q", "-a", folder + "/ex/genes.gtf", "-n", "40", "--seed", "2"])
        XCTAssertEqual(negatives.status, 0, negatives.stderr)
        let rows =
            normalised.stdout.split(separator: "\n").prefix(40).map { $0 + "\t1" }
            + negatives.stdout.split(separator: "\n").map { $0 + "\t0" }
        try (rows.joined(separator: "\n") + "\n").write(toFile: folder + "/all.tsv", atomically: false, encoding: .utf8)
        let prepared = try fusionai([
            "prepare", "-q", "-g", folder + "/ex/genome.fa", folder + "/all.tsv", "-o", folder + "/data.tsv",
        ])
        XCTAssertEqual(prepared.status, 0, prepared.stderr)
        return folder
    }

    func testTrainWritesModelLogCurvesAndTestMetricsAndEvaluateReadsIt() throws {
        let folder = try labelledData()
        let model = folder + "/m.safetensors"
        let run = try fusionai([
            "train", folder + "/data.tsv", "-o", model, "--input-length", "600", "--first-filters", "8",
            "--second-filters", "4", "--epochs", "2", "--optimizer", "adam", "--batch-size", "16",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        // 30% of 80, then 20% of 56.
        XCTAssertTrue(run.stderr.contains("45 training, 11 validation, 24 test sequences"), run.stderr)
        let log = try String(contentsOfFile: model + ".log.tsv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(log.count, 3, "header + 2 epochs")
        for suffix in [
            ".learning.svg", ".test.metrics.tsv", ".test.roc.svg", ".test.pr.svg", ".test.calibration.tsv",
            ".checkpoint",
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: model + suffix), suffix)
        }
        let evaluate = try fusionai(["evaluate", folder + "/data.tsv", "-m", model, "-o", folder + "/eval"])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        let metrics = try String(contentsOfFile: folder + "/eval/metrics.tsv", encoding: .utf8)
        XCTAssertTrue(
            metrics.contains("samples\t80\n") && metrics.contains("positives\t40\n") && metrics.contains("auroc\t"),
            metrics)
        // The predict command scores with the trained model too (it is not marked untrained).
        let predict = try fusionai(["predict", "-m", model, folder + "/data.tsv"])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        XCTAssertFalse(predict.stderr.contains("untrained"), predict.stderr)
    }

    /// A new network's shape is checked the same in train as in init-model, before any data is read.
    func testBadArchitectureAndChoicesAreUsageErrors() throws {
        for (command, extra) in [("train", ["data.tsv"]), ("init-model", [])] {
            for bad in [["--input-length", "7"], ["--input-length", "20002"], ["--first-filters", "0"]] {
                let run = try fusionai([command] + extra + ["-o", "/nonexistent/m.safetensors"] + bad)
                XCTAssertEqual(run.status, 64, "\(command) \(bad): \(run.stderr)")
            }
        }
        XCTAssertEqual(try fusionai(["train", "data.tsv", "-o", "m", "--optimizer", "rmsprop"]).status, 64)
        XCTAssertEqual(try fusionai(["explain", "-m", "m", "x", "-o", "o", "--top", "0.01,1.5"]).status, 64)
        XCTAssertEqual(try fusionai(["explain", "-m", "m", "x", "-o", "o", "--baseline", "uniform"]).status, 64)
    }

    func testMissingLabelsAreAClearError() throws {
        let folder = try labelledData()
        let unlabelled =
            try String(contentsOfFile: folder + "/data.tsv", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t").prefix(10).joined(separator: "\t") }.joined(separator: "\n") + "\n"
        try unlabelled.write(toFile: folder + "/unlabelled.tsv", atomically: false, encoding: .utf8)
        let run = try fusionai([
            "train", folder + "/unlabelled.tsv", "-o", folder + "/m.safetensors", "--input-length", "600",
        ])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(
            run.stderr.contains("error: \(folder)/unlabelled.tsv:1: "), "names the file and line: \(run.stderr)")
    }
}

final class TrainResumeCLITests: CLITestCase {
    /// The example's labelled calls, trained with the genome given directly.
    private func arguments(_ folder: String, model: String, extra: [String] = []) -> [String] {
        [
            "train", folder + "/ex/training.tsv", "-g", folder + "/ex/genome.fa", "-o", model, "--input-length", "600",
            "--first-filters", "8", "--second-filters", "4", "--epochs", "6", "--batch-size", "4", "--threads", "2",
            "-q",
        ] + extra
    }

    func testAKilledTrainingRunResumesToTheSameModel() throws {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(
            try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "160", "--artefact-fraction", "0.5"])
                .status, 0)
        let whole = try fusionai(arguments(folder, model: folder + "/whole.safetensors"))
        XCTAssertEqual(whole.status, 0, whole.stderr)

        // Start again, kill the process once a checkpoint exists (so somewhere in epoch 2 or later), resume.
        let model = folder + "/killed.safetensors"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.environment = Self.environment
        process.arguments = arguments(folder, model: model)
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning, !FileManager.default.fileExists(atPath: model + ".checkpoint") {
            usleep(2_000)
        }
        XCTAssertTrue(process.isRunning, "still training when killed (raise --epochs if this fails)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertFalse(FileManager.default.fileExists(atPath: model), "no model before the run finishes")

        let resumed = try fusionai(arguments(folder, model: model, extra: ["--resume"]))
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: model)),
            try Data(contentsOf: URL(fileURLWithPath: folder + "/whole.safetensors")),
            "bit-identical final model")
        XCTAssertEqual(
            try String(contentsOfFile: model + ".log.tsv", encoding: .utf8),
            try String(contentsOfFile: folder + "/whole.safetensors.log.tsv", encoding: .utf8))
    }
}
