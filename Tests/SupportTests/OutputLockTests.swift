import Foundation
import Support
import TestSupport
import XCTest

final class OutputLockTests: XCTestCase {
    func testASecondClaimOnTheSameOutputIsRefusedUntilTheFirstIsReleased() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/predictions.tsv"
        let first = try OutputLock(output: output)
        XCTAssertEqual(first.path, folder + "/.predictions.tsv.lock")
        let refused = assertThrows(try OutputLock(output: output), OutputError.self, code: .locked)
        XCTAssertEqual(refused?.path, output)
        XCTAssertTrue(refused?.message.contains("pid \(getpid())") ?? false, "names the holder")
        // Another output in the same folder is not affected.
        XCTAssertNoThrow(try OutputLock(output: folder + "/other.tsv"))
        first.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: first.path), "the lock file is removed on release")
        XCTAssertNoThrow(try OutputLock(output: output))
    }

    func testAFolderClaimLivesInsideTheFolder() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lock = try OutputLock(output: folder, folder: true)
        XCTAssertEqual(lock.path, folder + "/.lock")
        assertThrows(try OutputLock(output: folder, folder: true), OutputError.self, code: .locked)
    }

    /// A claim held by another process excludes this one, and is gone the moment that process is
    /// killed: SIGKILL never leaves a stale lock behind.
    func testAClaimHeldByAnotherProcessEndsWhenItIsKilled() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/out.tsv"
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [
            "--exclusive", "--no-fork", folder + "/.out.tsv.lock", "sh", "-c", "touch '\(folder)/held'; exec sleep 60",
        ]
        try holder.run()
        for _ in 0..<3000 where !FileManager.default.fileExists(atPath: folder + "/held") { usleep(10_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/held"), "flock(1) should hold the lock")
        assertThrows(try OutputLock(output: output), OutputError.self, code: .locked)
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: folder + "/.out.tsv.lock"), "the killed holder's file stays")
        XCTAssertNoThrow(try OutputLock(output: output))
    }

    func testTwoResumableWritersOfOneOutputCannotBothAppend() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/predictions.tsv"
        let first = try ResumableOutput(path: output, signature: ["run": "a"], interrupted: .resume)
        first.write("row 1\n")
        try first.checkpoint(rows: 1)
        assertThrows(
            try ResumableOutput(path: output, signature: ["run": "a"], interrupted: .resume), OutputError.self,
            code: .locked)
        first.write("row 2\n")
        try first.finish()
        XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), "row 1\nrow 2\n")
    }
}
