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

    /// A results folder's subfolders are swept too (a killed run left temporaries in `.done/`,
    /// `multiqc/` and the cohort's `chunks/`), but not through a link out of the folder; and the
    /// names ``OutputFile/temporaryPath(for:)`` gives (libhdf5's and libBigWig's scratch files)
    /// are recognised.
    func testSubfoldersAreSweptAndTemporaryPathsAreRecognised() throws {
        let folder = try TestData.temporaryDirectory()
        let outside = try TestData.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: outside)
        }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = gone.processIdentifier
        try FileManager.default.createDirectory(atPath: folder + "/.done/deep", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: outside)
        let stale = [".done/.prepare.tmp-\(dead)-1", ".done/deep/.x.tsv.tmp-\(dead)-2", ".top.tsv.tmp-\(dead)-3"]
        let kept = [".done/.live.tmp-\(getpid())-4", ".done/deep/y.tsv"]
        for name in stale + kept {
            FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("x".utf8))
        }
        FileManager.default.createFile(atPath: outside + "/.o.tsv.tmp-\(dead)-5", contents: Data("x".utf8))

        let mine = OutputFile.temporaryPath(for: folder + "/model.h5")
        XCTAssertTrue(mine.hasPrefix(folder + "/.model.h5.tmp-\(getpid())-"), mine)
        XCTAssertEqual(OutputFile.removeStaleTemporaries(in: folder), 1, "without recursive: the top folder only")
        XCTAssertEqual(OutputFile.removeStaleTemporaries(in: folder, recursive: true), 2)
        for name in stale { XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + name), name) }
        for name in kept { XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/" + name), name) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: outside + "/.o.tsv.tmp-\(dead)-5"), "not through a link")
    }

    /// A staged folder is put in its target's place whole on commit, and removed when dropped; one
    /// a killed run left is swept with its files.
    func testAStagedFolderReplacesItsTargetWholeOrNotAtAll() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/fusions"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: target + "/old.tsv", contents: Data("old".utf8))

        var dropped: StagedFolder? = try StagedFolder(replacing: target)
        let droppedPath = try XCTUnwrap(dropped?.path)
        FileManager.default.createFile(atPath: droppedPath + "/new.tsv", contents: Data("new".utf8))
        dropped = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: droppedPath))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target), ["old.tsv"])

        let staged = try StagedFolder(replacing: target)
        XCTAssertTrue(staged.path.hasPrefix(folder + "/.fusions.tmp-\(getpid())-"), staged.path)
        FileManager.default.createFile(atPath: staged.path + "/new.tsv", contents: Data("new".utf8))
        try staged.commit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target), ["new.tsv"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["fusions"])

        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let left = folder + "/.fusions.tmp-\(gone.processIdentifier)-9"
        try FileManager.default.createDirectory(atPath: left + "/deep", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: left + "/deep/x.tsv", contents: Data("x".utf8))
        XCTAssertEqual(OutputFile.removeStaleTemporaries(in: folder, recursive: true), 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["fusions"])
    }
}
