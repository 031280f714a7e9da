import Cohort
import Foundation
import TestSupport
import XCTest

final class ScoreCacheTests: XCTestCase {
    private func cache(model text: String = "model bytes") throws -> (cache: ScoreCache, folder: String) {
        let folder = try TestData.temporaryDirectory()
        try text.write(toFile: folder + "/model.bin", atomically: false, encoding: .utf8)
        return (try ScoreCache(folder: folder + "/cache", model: folder + "/model.bin"), folder)
    }

    func testModelDigestIsTheFilesMD5AndKeysDependOnBothWindowsAndTheModel() throws {
        let (a, folder) = try cache()
        // The digest as an independent implementation (coreutils md5sum) gives it.
        let md5sum = Process()
        md5sum.executableURL = URL(fileURLWithPath: "/usr/bin/md5sum")
        md5sum.arguments = [folder + "/model.bin"]
        let pipe = Pipe()
        md5sum.standardOutput = pipe
        try md5sum.run()
        md5sum.waitUntilExit()
        let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(32)
        XCTAssertEqual(a.modelDigest, String(expected))

        let head = Array("ACGT".utf8)
        let tail = Array("TTTT".utf8)
        let key = a.key(head: head, tail: tail)
        XCTAssertEqual(key.count, 32)
        XCTAssertEqual(key, a.key(head: head, tail: tail))
        XCTAssertNotEqual(key, a.key(head: tail, tail: head))
        let (b, _) = try cache(model: "other model")
        XCTAssertNotEqual(key, b.key(head: head, tail: tail))
    }

    func testStoredScoresComeBackBitForBitAndBadEntriesAreNeverTrusted() throws {
        let (cache, _) = try cache()
        let key = cache.key(head: Array("AC".utf8), tail: Array("GT".utf8))
        XCTAssertEqual(cache.lookup(key), .miss)
        let score = ScoreCache.Score(negative: 0.1 + 1e-8, positive: Float(1) - (0.1 + 1e-8))
        try cache.store(score, key: key)
        XCTAssertEqual(cache.lookup(key), .hit(score))
        let path = cache.path(key)
        let good = try String(contentsOfFile: path, encoding: .utf8)

        // Truncated, one digit edited, an entry copied under another key: each is invalid.
        try String(good.prefix(40)).write(toFile: path, atomically: false, encoding: .utf8)
        guard case .invalid = cache.lookup(key) else { return XCTFail("truncated entry trusted") }
        let edited = good.replacingOccurrences(of: "positive\t", with: "positive\t1")
        try String(edited).write(toFile: path, atomically: false, encoding: .utf8)
        guard case .invalid = cache.lookup(key) else { return XCTFail("edited entry trusted") }
        let other = cache.key(head: Array("AA".utf8), tail: Array("GT".utf8))
        try FileManager.default.createDirectory(
            atPath: (cache.path(other) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try good.write(toFile: cache.path(other), atomically: false, encoding: .utf8)
        XCTAssertEqual(cache.lookup(other), .invalid("it belongs to another pair or model"))

        // A named pipe in an entry's place blocked the read forever; it is no entry.
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(mkfifo(path, 0o644), 0)
        XCTAssertEqual(cache.lookup(key), .invalid("not a small regular file"))

        // Storing again repairs the entry; no temporary file is left beside it.
        try cache.store(score, key: key)
        XCTAssertEqual(cache.lookup(key), .hit(score))
        let folder = (path as NSString).deletingLastPathComponent
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }, [])
    }
}
