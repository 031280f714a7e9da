import Foundation
import Support
import TestSupport
import XCTest

final class StaleTemporariesTests: XCTestCase {
    /// A killed writer's temporary is removed, a live writer's (this process's) is kept, and so is
    /// everything that is not a temporary.
    func testOnlyTheTemporariesOfDeadWritersAreRemoved() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = gone.processIdentifier
        let names = [
            ".out.tsv.tmp-\(dead)-12", ".other.tsv.tmp-\(dead)-3", ".out.tsv.tmp-\(getpid())-7", "out.tsv", ".hidden",
            ".lock",
        ]
        for name in names { FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("x".utf8)) }

        XCTAssertEqual(OutputFile.removeStaleTemporaries(in: folder, of: "out.tsv"), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/.out.tsv.tmp-\(dead)-12"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/.other.tsv.tmp-\(dead)-3"), "another target's")
        XCTAssertEqual(OutputFile.removeStaleTemporaries(in: folder), 1)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted(),
            [".hidden", ".lock", ".out.tsv.tmp-\(getpid())-7", "out.tsv"])
    }
}
