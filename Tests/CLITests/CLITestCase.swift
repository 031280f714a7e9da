import Foundation
import SeededRandom
import TestSupport
import XCTest

/// Runs the built `fusionai` binary as a user would.
class CLITestCase: XCTestCase {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The binary: `$FUSIONAI_BIN`, or the one SwiftPM built beside this test bundle.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["FUSIONAI_BIN"], !path.isEmpty { return path }
        return Bundle.main.bundleURL.appendingPathComponent("fusionai").path
    }()

    /// The environment of the binary's processes: this process's, with `ASAN_OPTIONS` replaced by
    /// `$FUSIONAI_CHILD_ASAN_OPTIONS` when set. scripts/test-sanitize.sh turns leak detection off in
    /// the test runner (XCTest on Linux never frees its test cases) and on again in fusionai's runs.
    static let environment: [String: String]? = {
        let own = ProcessInfo.processInfo.environment
        guard let options = own["FUSIONAI_CHILD_ASAN_OPTIONS"] else { return nil }
        return own.merging(["ASAN_OPTIONS": options]) { $1 }
    }()

    func fusionai(_ arguments: [String], stdin: String? = nil, in folder: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = Self.environment
        if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
        // Outputs go to files, so neither can fill a pipe and block the child.
        let scratch = try TestData.temporaryDirectory("fusionai-cli")
        let outPath = scratch + "/stdout"
        let errPath = scratch + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdoutData = try Data(contentsOf: URL(fileURLWithPath: outPath))
        let stderrData = try Data(contentsOf: URL(fileURLWithPath: errPath))
        try? FileManager.default.removeItem(atPath: scratch)
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// A new folder with `fusionai example`'s data for `calls` calls in `ex/` and a small random model
    /// (``makeSmallModel(_:)``), `m.safetensors`.
    func exampleAndModel(calls: Int) throws -> String {
        let folder = try TestData.temporaryDirectory()
        XCTAssertEqual(try fusionai(["example", "-q", "-o", folder + "/ex", "--calls", String(calls)]).status, 0)
        try makeSmallModel(folder + "/m.safetensors")
        return folder
    }

    /// Writes a small random FusionAI-family model to `path`: input 600 nt (the central 300 of each
    /// window), 8 and 4 filters; quick to run, and its scores still depend on the sequence.
    func makeSmallModel(_ path: String) throws {
        let made = try fusionai([
            "init-model", "-o", path, "--input-length", "600", "--first-filters", "8", "--second-filters", "4",
        ])
        XCTAssertEqual(made.status, 0, made.stderr)
    }

    /// Writes `path`, a BED of every top-1% region in the explain folder `fis`: a feature track the
    /// top-FIS regions must be fully covered by.
    func writeTopRegionsBED(fis: String, to path: String) throws {
        var bed = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: fis) where name.hasSuffix(".top_regions.tsv") {
            for row in try TSVTable(path: fis + "/" + name).rows where row["fraction"] == "top1%" {
                bed += "\(row["chrom"])\t\(row["start"])\t\(row["end"])\n"
            }
        }
        try bed.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// The exit status of scripts/compare-results.sh on two results folders.
    func compareResults(_ a: String, _ b: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [TestData.checkout + "/scripts/compare-results.sh", a, b]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A command whose output (file or folder) is the path it is given.
    struct KilledCommand {
        let name: String
        let arguments: (String) -> [String]
    }

    /// Runs `command` once uninterrupted, then three times killed with SIGKILL at a seeded random
    /// moment within that run's duration, each followed by the same command again, whose output
    /// `compare` checks against the uninterrupted one (by default byte for byte). Every run writes to
    /// the same path, as outputs may name their own folder (run's markers and report do).
    func killAtRandomMoments(
        _ command: KilledCommand, random: inout SeededGenerator, in folder: String,
        compare: ((String, String, String) throws -> Void)? = nil
    ) throws {
        let out = folder + "/" + command.name + ".out"
        let expected = folder + "/" + command.name + ".expected"
        let started = Date()
        let first = try fusionai(command.arguments(out))
        XCTAssertEqual(first.status, 0, first.stderr)
        let duration = Date().timeIntervalSince(started)
        try moveOutputs(of: out, to: expected)
        var killedRunning = 0
        for attempt in 0..<3 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.environment = Self.environment
            process.arguments = command.arguments(out)
            process.standardError = FileHandle.nullDevice
            try process.run()
            let fraction = Double(random.int(in: 5...95)) / 100
            usleep(useconds_t(fraction * duration * 1_000_000))
            if process.isRunning { killedRunning += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let rerun = try fusionai(command.arguments(out))
            let message = "\(command.name) killed at \(Int(fraction * 100))% of its run (attempt \(attempt))"
            XCTAssertEqual(rerun.status, 0, "\(message): \(rerun.stderr)")
            if let compare {
                try compare(expected, out, message)
            } else {
                try assertSameFiles(expected, out, message)
            }
            try moveOutputs(of: out, to: folder + "/" + command.name + ".attempt\(attempt)")
        }
        // A kill after the end tests nothing; a busy machine may make one, not all three.
        XCTAssertGreaterThan(killedRunning, 0, "\(command.name) ended before every kill: make its input larger")
    }

    /// Moves `path` and the files beside it whose names extend its own (`.qc`, `.log.tsv`).
    private func moveOutputs(of path: String, to destination: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        for entry in try FileManager.default.contentsOfDirectory(atPath: folder) where entry.hasPrefix(name) {
            let suffix = entry.dropFirst(name.count)
            try FileManager.default.moveItem(atPath: folder + "/" + entry, toPath: destination + suffix)
        }
    }

    /// `a` and `b` (files, or folders compared file by file, hidden files included) hold the same bytes.
    func assertSameFiles(_ a: String, _ b: String, _ message: String) throws {
        var isFolder: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: b, isDirectory: &isFolder), message)
        guard isFolder.boolValue else {
            XCTAssertEqual(FileManager.default.contents(atPath: a), FileManager.default.contents(atPath: b), message)
            return
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: a).sorted()
        XCTAssertEqual(names, try FileManager.default.contentsOfDirectory(atPath: b).sorted(), message)
        for name in names {
            XCTAssertEqual(
                FileManager.default.contents(atPath: a + "/" + name),
                FileManager.default.contents(atPath: b + "/" + name),
                "\(message): \(name)")
        }
    }
}
