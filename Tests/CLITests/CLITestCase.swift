import Foundation
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
}
