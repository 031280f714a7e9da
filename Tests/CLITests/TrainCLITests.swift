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
        XCTAssertTrue(
            run.stderr.contains("45 training (24 positive, 21 negative), 11 validation, 24 test sequences"), run.stderr)
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

    /// The output's name picks its format as in `convert`; a name no writer honours, options
    /// --initial overrides, and a --resume with nothing to resume are told before any epoch.
    func testOutputFormatsInitialAndResumeWithoutCheckpoint() throws {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "40"]).status, 0)
        let keras = try fusionai(arguments(folder, model: folder + "/m.keras"))
        XCTAssertEqual(keras.status, 1, keras.stderr)
        XCTAssertTrue(keras.stderr.contains("name the output .safetensors or .h5"), keras.stderr)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder + "/m.keras.checkpoint"), "refused before training")

        var short = arguments(folder, model: folder + "/m.h5", extra: ["--resume"])
        short[short.firstIndex(of: "--epochs")! + 1] = "1"
        short.removeAll { $0 == "-q" }
        let hdf5 = try fusionai(short)
        XCTAssertEqual(hdf5.status, 0, hdf5.stderr)
        XCTAssertTrue(hdf5.stderr.contains("--resume: no checkpoint at \(folder)/m.h5.checkpoint"), hdf5.stderr)
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: folder + "/m.h5")).read(upToCount: 8)
        XCTAssertEqual(head.map { [UInt8]($0) }, [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A], "a Keras HDF5 file")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder + "/m.h5.windows.partial"), "the built windows are removed")
        let predict = try fusionai([
            "predict", "-m", folder + "/m.h5", folder + "/ex/fusions.star-fusion.tsv",
            "-g", folder + "/ex/genome.fa",
        ])
        XCTAssertEqual(predict.status, 0, predict.stderr)

        let initial = try fusionai(
            arguments(folder, model: folder + "/n.safetensors", extra: ["--initial", folder + "/m.h5"]))
        XCTAssertEqual(initial.status, 64, initial.stderr)
        XCTAssertTrue(initial.stderr.contains("--initial brings its own architecture"), initial.stderr)
        let patience = try fusionai(arguments(folder, model: folder + "/n.safetensors", extra: ["--patience", "0"]))
        XCTAssertEqual(patience.status, 64, patience.stderr)
    }

    /// Too few rows for the paper's split: no validation set (every epoch counted 0 kept the first
    /// epoch's weights), no test set and a training set of one class are said, not hidden.
    func testASplitWithoutValidationOrTestSequencesIsToldAndStillTrains() throws {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "40"]).status, 0)
        let rows = try String(contentsOfFile: folder + "/ex/training.tsv", encoding: .utf8).split(separator: "\n")
        try (rows[0] + "\n").write(toFile: folder + "/ex/training.tsv", atomically: false, encoding: .utf8)
        var run = arguments(folder, model: folder + "/m.safetensors")
        run.removeAll { $0 == "-q" }
        let trained = try fusionai(run)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(
            trained.stderr.contains("1 training (1 positive, 0 negative), 0 validation, 0 test sequences"),
            trained.stderr)
        XCTAssertTrue(
            trained.stderr.contains(
                "warning: every training sequence is positive (1): the model can only learn to give that class"),
            trained.stderr)
        XCTAssertTrue(trained.stderr.contains("warning: no validation sequences"), trained.stderr)
        XCTAssertTrue(trained.stderr.contains("warning: no test sequences"), trained.stderr)
        let log = try String(contentsOfFile: folder + "/m.safetensors.log.tsv", encoding: .utf8)
        XCTAssertEqual(log.split(separator: "\n").count, 7, "all 6 epochs ran: \(log)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/m.safetensors.test.metrics.tsv"))
    }

    /// A bad label in calls whose windows train builds is reported against the calls file, not the
    /// windows file the run deletes.
    func testABadLabelInCallsNamesTheCallsFile() throws {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", "40"]).status, 0)
        var rows = try String(contentsOfFile: folder + "/ex/training.tsv", encoding: .utf8).split(separator: "\n")
        var fields = rows[4].split(separator: "\t", omittingEmptySubsequences: false)
        fields[8] = "yes"
        rows[4] = fields.joined(separator: "\t")[...]
        try (rows.joined(separator: "\n") + "\n").write(
            toFile: folder + "/ex/training.tsv", atomically: false, encoding: .utf8)
        let run = try fusionai(arguments(folder, model: folder + "/m.safetensors"))
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(
            run.stderr.contains(
                "error: \(folder)/ex/training.tsv: row 5 of the rows it windowed: has no 0/1 label in the label column "
                    + "('yes'); write labels as 0 or 1"),
            run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/m.safetensors.windows.partial"))
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
