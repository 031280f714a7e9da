import Foundation
import Support
import TestSupport
import XCTest

/// What an interrupted output leaves, and what the next run makes of it: a resume never pads the
/// output with zeros nor replaces a finished file.
final class ResumableOutputTests: XCTestCase {
    private func interruptedRun(_ output: String, rows: [String]) throws {
        let run = try ResumableOutput(path: output, signature: ["run": "s"], interrupted: .refuse)
        for (n, row) in rows.enumerated() {
            run.write(row)
            try run.checkpoint(rows: n + 1)
        }
    }

    /// Killed after the rename into place, before the checkpoint was removed: the output is whole,
    /// and the checkpoint alone is no interrupted run (a resume from it wrote 28 kB of NUL bytes).
    func testACheckpointWithoutItsPartialFileIsNoInterruptedRun() throws {
        let folder = try TestData.temporaryDirectory()
        let output = folder + "/out.tsv"
        try interruptedRun(output, rows: ["a\n", "b\n"])
        try FileManager.default.moveItem(atPath: output + ".partial", toPath: output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output + ".partial.checkpoint"))

        let again = try ResumableOutput(path: output, signature: ["run": "s"], interrupted: .refuse)
        XCTAssertNil(again.resumedFrom)
        XCTAssertNil(again.discarded)
        again.write("a\nb\n")
        try again.finish()
        XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), "a\nb\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output + ".partial.checkpoint"))
    }

    /// A partial file cut shorter than its checkpoint records is started over, not continued.
    func testAPartialFileShorterThanItsCheckpointIsStartedOver() throws {
        let folder = try TestData.temporaryDirectory()
        let output = folder + "/out.tsv"
        try interruptedRun(output, rows: ["first row\n", "second row\n"])
        try Data("fir".utf8).write(to: URL(fileURLWithPath: output + ".partial"))

        let resumed = try ResumableOutput(path: output, signature: ["run": "s"], interrupted: .resume)
        XCTAssertNil(resumed.resumedFrom)
        XCTAssertEqual(resumed.discarded?.contains("no readable checkpoint that fits it"), true)
        resumed.write("first row\nsecond row\n")
        try resumed.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "first row\nsecond row\n")
        XCTAssertFalse(bytes.contains(0), "no NUL byte")
    }

    /// The ordinary case still resumes where the checkpoint says, dropping what came after it.
    func testAnInterruptedRunResumesFromItsLastCheckpoint() throws {
        let folder = try TestData.temporaryDirectory()
        let output = folder + "/out.tsv"
        try interruptedRun(output, rows: ["a\n", "b\n"])
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: output + ".partial"))
        handle.seekToEndOfFile()
        handle.write(Data("half a ro".utf8))
        try handle.close()
        assertThrows(
            try ResumableOutput(path: output, signature: ["run": "s"], interrupted: .refuse), OutputError.self,
            code: .resumeConflict)
        // Another run's resume is refused naming what differs.
        let other = assertThrows(
            try ResumableOutput(path: output, signature: ["run": "s", "--threshold": "0.9"], interrupted: .resume),
            OutputError.self, code: .resumeConflict)
        XCTAssertTrue(other?.message.contains("(--threshold: none there, 0.9 now)") == true, other?.message ?? "")
        let resumed = try ResumableOutput(path: output, signature: ["run": "s"], interrupted: .resume)
        XCTAssertEqual(resumed.resumedFrom?.rows, 2)
        resumed.write("c\n")
        try resumed.finish()
        XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), "a\nb\nc\n")
    }
}
