import Foundation
import SeededRandom
import Support
import TestSupport
import XCTest

/// Faults a user's machine throws at a run: another run on the same output, a full disk, a read-only
/// folder, inputs that are not files. Each ends with a clear message and nothing half written.
final class FaultInjectionCLITests: CLITestCase {
    /// Every step that writes a folder, and train, claims its output as `run` does: a second process
    /// into it is refused before it clears or writes anything there.
    func testEachFolderStepAndTrainRefuseAnOutputAnotherIsWriting() throws {
        let folder = try exampleAndModel(calls: 3)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (calls, genome, model) = (
            folder + "/ex/fusions.star-fusion.tsv", folder + "/ex/genome.fa", folder + "/m.safetensors"
        )
        let out = folder + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "kept\n".write(toFile: out + "/summary.tsv", atomically: false, encoding: .utf8)
        let commands: [[String]] = [
            ["explain", calls, "-g", genome, "-m", model, "-o", out],
            ["features", calls, "--features", folder + "/ex/features.tsv", "-o", out],
            ["scan", "A", "B", "--annotation", folder + "/ex/annotation.gtf", "-g", genome, "-m", model, "-o", out],
            ["evaluate", calls, "-m", model, "-o", out],
            ["seqlets", folder + "/fis", "-o", out],
        ]
        let lock = try OutputLock(output: out, folder: true)
        for command in commands {
            let refused = try fusionai(command)
            XCTAssertEqual(refused.status, 1, "\(command[0]): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("another fusionai (pid \(getpid())"), refused.stderr)
        }
        lock.release()
        XCTAssertEqual(try String(contentsOfFile: out + "/summary.tsv", encoding: .utf8), "kept\n")

        let trained = folder + "/trained.safetensors"
        let modelLock = try OutputLock(output: trained)
        let train = try fusionai(["train", folder + "/ex/training.tsv", "-g", genome, "-o", trained])
        modelLock.release()
        XCTAssertEqual(train.status, 1, train.stderr)
        XCTAssertTrue(train.stderr.contains("is writing this"), train.stderr)
        XCTAssertFalse(exists(trained + ".windows.partial"), "the refused training built no windows")
    }

    /// A folder step that fails on its input leaves no empty folder where it made one (scan, evaluate
    /// and the rest left one behind), nor the folders it made above it; a folder that was there
    /// before stays.
    func testAFolderStepFailingOnItsInputLeavesNoFolderItMade() throws {
        let folder = try exampleAndModel(calls: 3)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (genome, model) = (folder + "/ex/genome.fa", folder + "/m.safetensors")
        let commands: [(name: String, arguments: [String])] = [
            ("scan", ["scan", "NOPE", "GENE1A", "-a", folder + "/ex/genes.gtf", "-g", genome, "-m", model, "-o"]),
            ("evaluate", ["evaluate", folder + "/ex/fusions.star-fusion.tsv", "-m", model, "-o"]),
            ("seqlets", ["seqlets", folder + "/ex", "-o"]),
            ("explain", ["explain", folder + "/ex/genes.gtf", "-g", genome, "-m", model, "-o"]),
        ]
        for command in commands {
            let out = folder + "/out-" + command.name
            let failed = try fusionai(command.arguments + [out])
            XCTAssertEqual(failed.status, 1, "\(command.name): \(failed.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(command.name) left \(out)")
        }
        // -o new/a/b made new and new/a too; new/a/. names new/a.
        for path in ["/new/a/b", "/new/a/."] {
            let nested = try fusionai(commands[0].arguments + [folder + path])
            XCTAssertEqual(nested.status, 1, nested.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/new"), "a failed run left new/ (\(path))")
        }
        let kept = folder + "/kept"
        try FileManager.default.createDirectory(atPath: kept, withIntermediateDirectories: true)
        XCTAssertEqual(try fusionai(commands[0].arguments + [kept]).status, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: kept))
    }

    func testARunRefusesAResultsFolderAnotherRunIsWriting() throws {
        let folder = try exampleAndModel(calls: 3)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/results"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let args = [
            "run", "-q", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors", "-o", out,
        ]
        let holder = try holdLock(out + "/.lock", marker: folder + "/held")
        let refused = try fusionai(args)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("another fusionai"), refused.stderr)
        XCTAssertFalse(exists(out + "/prepared.tsv"), "the refused run wrote nothing")
        XCTAssertFalse(exists(out + "/.done"), "not even its marker folder")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()

        let run = try fusionai(args)
        XCTAssertEqual(run.status, 0, run.stderr)
        let hidden = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".lock") }
        XCTAssertEqual(hidden, [], "a finished run leaves no lock files")
    }

    /// A disk that fills during `prepare` (atomic output) and during `predict` (resumable output):
    /// exit 1 naming the file and the cause, no half-written output, earlier files intact; predict's
    /// checkpointed rows survive, and `--resume` once there is room gives the uninterrupted bytes.
    func testAFullDiskFailsCleanlyAndAResumeAfterFreeingSpaceLosesNothing() throws {
        let folder = try exampleAndModel(calls: 40)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let disk = try smallDisk(folder + "/disk", kilobytes: 256)
        defer { unmount(disk) }
        try "kept\n".write(toFile: disk + "/earlier.tsv", atomically: false, encoding: .utf8)
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let genome = folder + "/ex/genome.fa"

        // 40 windows pairs are about 800 kB: prepare cannot fit.
        let prepare = try fusionai(["prepare", "-g", genome, calls, "-o", disk + "/prepared.tsv"])
        XCTAssertEqual(prepare.status, 1, prepare.stderr)
        XCTAssertTrue(prepare.stderr.contains(disk + "/prepared.tsv"), prepare.stderr)
        XCTAssertTrue(prepare.stderr.contains("No space left on device"), prepare.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: disk), ["earlier.tsv"])
        XCTAssertEqual(try String(contentsOfFile: disk + "/earlier.tsv", encoding: .utf8), "kept\n")

        let expected = folder + "/predictions.tsv"
        let predict = ["predict", "-q", "-m", folder + "/m.safetensors", "-g", genome, calls, "--batch-size", "4"]
        XCTAssertEqual(try fusionai(predict + ["-o", expected]).status, 0)
        // Leave room for a few rows only.
        let filler = disk + "/filler"
        try fill(disk, with: filler, leavingKilobytes: 8)
        let full = try fusionai(predict + ["-o", disk + "/predictions.tsv"])
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("No space left on device"), full.stderr)
        XCTAssertFalse(exists(disk + "/predictions.tsv"), "no finished-looking output")
        XCTAssertEqual(try String(contentsOfFile: disk + "/earlier.tsv", encoding: .utf8), "kept\n")

        try FileManager.default.removeItem(atPath: filler)
        let resumed = try fusionai(predict + ["--resume", "-o", disk + "/predictions.tsv"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: disk + "/predictions.tsv")),
            try Data(contentsOf: URL(fileURLWithPath: expected)))
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: disk).sorted(), ["earlier.tsv", "predictions.tsv"])
    }

    /// A compressed input that expands to one endless line (a gzip bomb: 80 MiB from 80 kB) stops
    /// at the 64-MiB line bound with an error naming the file and line; no output is left.
    func testAnEndlessLineIsRefusedAtTheLineBound() throws {
        let folder = try exampleAndModel(calls: 2)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bomb = folder + "/calls.tsv.gz"
        try OutputFile.write([UInt8](repeating: 65, count: 80 << 20), to: bomb)
        let run = try fusionai(["prepare", "-g", folder + "/ex/genome.fa", bomb, "-o", folder + "/p.tsv"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains(bomb + ":1: has a line longer than 67108864 bytes"), run.stderr)
        XCTAssertFalse(exists(folder + "/p.tsv"))
    }

    func testAReadOnlyFolderAndInputsThatAreNotFilesGetClearErrors() throws {
        let folder = try exampleAndModel(calls: 2)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let genome = folder + "/ex/genome.fa"

        let readOnly = try smallDisk(folder + "/ro", kilobytes: 64, options: "ro")
        defer { unmount(readOnly) }
        let prepare = try fusionai(["prepare", "-g", genome, calls, "-o", readOnly + "/prepared.tsv"])
        XCTAssertEqual(prepare.status, 1, prepare.stderr)
        XCTAssertTrue(prepare.stderr.contains(readOnly + "/prepared.tsv"), prepare.stderr)
        XCTAssertTrue(prepare.stderr.contains("Read-only file system"), prepare.stderr)

        let folderAsInput = try fusionai(["prepare", "-g", genome, folder + "/ex", "-o", folder + "/p.tsv"])
        XCTAssertEqual(folderAsInput.status, 1, folderAsInput.stderr)
        XCTAssertTrue(folderAsInput.stderr.contains(folder + "/ex"), folderAsInput.stderr)
        let folderAsModel = try fusionai(["predict", "-m", folder + "/ex", "-g", genome, calls, "-o", folder + "/x"])
        XCTAssertEqual(folderAsModel.status, 1, folderAsModel.stderr)
        XCTAssertTrue(folderAsModel.stderr.contains(folder + "/ex"), folderAsModel.stderr)
        XCTAssertFalse(exists(folder + "/p.tsv") || exists(folder + "/x"))
    }

    /// A finished run on storage made read-only (an archive) can be checked: every step is done, so
    /// the run succeeds without writing; one that has to run fails naming what it could not write.
    func testAFinishedRunOnReadOnlyStorageIsCheckedNotRefused() throws {
        let folder = try exampleAndModel(calls: 2)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let disk = try smallDisk(folder + "/archive", kilobytes: 16_384)
        defer { unmount(disk) }
        let args = [
            "run", folder + "/ex/fusions.star-fusion.tsv", "-g", folder + "/ex/genome.fa", "-m",
            folder + "/m.safetensors", "-o", disk + "/results",
        ]
        let first = try fusionai(args)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(try shell(["mount", "-o", "remount,ro", disk]), 0)
        let check = try fusionai(args)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stderr.contains("is read-only: checking that every step is done"), check.stderr)
        XCTAssertEqual(
            check.stderr.components(separatedBy: "done before with the same arguments, skipped").count - 1, 4,
            check.stderr)
        let forced = try fusionai(args + ["--force"])
        XCTAssertEqual(forced.status, 1, forced.stderr)
        XCTAssertTrue(forced.stderr.contains("Read-only file system"), forced.stderr)
    }

    /// prepare and explain killed with SIGKILL at seeded random moments, then run again with the same
    /// command: the same bytes as a run never interrupted, and no killed writer's temporary left.
    func testPrepareAndExplainKilledAtRandomMomentsRerunToTheSameBytes() throws {
        let folder = try exampleAndModel(calls: 12)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let genome = folder + "/ex/genome.fa"
        var random = SeededGenerator(seed: 18)
        try killAtRandomMoments(
            KilledCommand(name: "prepare") { ["prepare", "-q", "-g", genome, calls, "--qc", $0 + ".qc", "-o", $0] },
            random: &random, in: folder)
        try killAtRandomMoments(
            KilledCommand(name: "explain") {
                ["explain", "-q", "-m", folder + "/m.safetensors", "-g", genome, calls, "-o", $0]
            }, random: &random, in: folder)
    }

    /// The resumable commands killed at seeded random moments (before their lock, between
    /// checkpoints, while renaming the output), then the same command again: predict and train
    /// (given --resume from the start, as a batch script would) end with the uninterrupted bytes, and
    /// run with the uninterrupted results folder.
    func testPredictTrainAndRunKilledAtRandomMomentsRerunToTheSameResults() throws {
        let folder = try exampleAndModel(calls: 300)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let calls = folder + "/ex/fusions.star-fusion.tsv"
        let genome = folder + "/ex/genome.fa"
        let model = folder + "/m.safetensors"
        var random = SeededGenerator(seed: 19)
        try killAtRandomMoments(
            KilledCommand(name: "predict") {
                [
                    "predict", "-q", "-m", model, "-g", genome, calls, "--batch-size", "1", "--threads", "1",
                    "--resume", "-o", $0,
                ]
            }, random: &random, in: folder)
        try killAtRandomMoments(
            KilledCommand(name: "train") {
                [
                    "train", "-q", folder + "/ex/training.tsv", "-g", genome, "--input-length", "600",
                    "--first-filters", "8", "--second-filters", "4", "--epochs", "3", "--batch-size", "4",
                    "--threads", "2", "--resume", "-o", $0,
                ]
            }, random: &random, in: folder
        ) { expected, out, message in
            // The model and its per-epoch log, which a resumed run continues.
            try self.assertSameFiles(expected, out, message)
            try self.assertSameFiles(expected + ".log.tsv", out + ".log.tsv", message)
        }
        let run = KilledCommand(name: "run") {
            [
                "run", "-q", calls, "-g", genome, "-m", model, "--threshold", "0", "--explain-max", "20",
                "--threads", "1", "-o", $0,
            ]
        }
        try killAtRandomMoments(run, random: &random, in: folder) { expected, out, message in
            XCTAssertEqual(try self.compareResults(expected, out), 0, message)
        }
    }

    // MARK: - Helpers

    private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Holds an exclusive `flock` on `path` from another process (flock(1)) until it is killed.
    private func holdLock(_ path: String, marker: String) throws -> Process {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["--exclusive", "--no-fork", path, "sh", "-c", "touch '\(marker)'; exec sleep 120"]
        try holder.run()
        for _ in 0..<3000 where !exists(marker) { usleep(10_000) }
        XCTAssertTrue(exists(marker), "flock(1) should hold \(path)")
        return holder
    }

    /// A tmpfs of `kilobytes` mounted at `path`; only root may mount one, so elsewhere the test is
    /// skipped with the reason.
    private func smallDisk(_ path: String, kilobytes: Int, options: String = "rw") throws -> String {
        try XCTSkipIf(getuid() != 0, "mounting a small tmpfs needs root; the fault is not injected here")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let status = try shell(["mount", "-t", "tmpfs", "-o", "size=\(kilobytes)k,\(options)", "tmpfs", path])
        try XCTSkipIf(status != 0, "mount -t tmpfs failed (no CAP_SYS_ADMIN in this container)")
        return path
    }

    private func unmount(_ path: String) { _ = try? shell(["umount", path]) }

    /// Writes `filler` until `disk` has about `leavingKilobytes` free.
    private func fill(_ disk: String, with filler: String, leavingKilobytes: Int) throws {
        let free = try FileManager.default.attributesOfFileSystem(forPath: disk)[.systemFreeSize] as? Int ?? 0
        let size = max(0, free - leavingKilobytes * 1024)
        XCTAssertTrue(FileManager.default.createFile(atPath: filler, contents: Data(count: size)))
    }

    private func shell(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
