import Foundation
import Support
import TestSupport
import XCTest

final class TextLinesTests: XCTestCase {
    private func lines(of bytes: [UInt8], name: String = "lines.txt") throws -> [String] {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/" + name
        try OutputFile.write(bytes, to: path)
        let reader = try TextLines(path: path, kind: "text")
        var lines: [String] = []
        while let line = try reader.nextBytes() { lines.append(String(decoding: line, as: UTF8.self)) }
        XCTAssertEqual(reader.lineNumber, lines.count)
        return lines
    }

    func testLineEndsBlankLinesAndALastLineWithoutOne() throws {
        XCTAssertEqual(try lines(of: Array("a\nbc\n\n d \nlast".utf8)), ["a", "bc", "", " d ", "last"])
        XCTAssertEqual(try lines(of: Array("a\n".utf8)), ["a"], "no empty line after the last line end")
        XCTAssertEqual(try lines(of: []), [])
        XCTAssertEqual(try lines(of: Array("\n\n".utf8)), ["", ""])
    }

    func testCarriageReturnsBeforeLineEnds() throws {
        // Up to two: one as htslib's bgzf_getline dropped it, one more as this reader always did.
        XCTAssertEqual(try lines(of: Array("a\r\nb\r\r\nc\r\r\r\nd\re\r".utf8)), ["a", "b", "c\r", "d\re"])
        XCTAssertEqual(try lines(of: Array("\r\n\r".utf8)), ["", ""])
    }

    /// Classic Mac line ends (Excel for Mac's "CSV (Mac)"): a file whose first line ends with `\r`
    /// alone is split at `\r`; it read as one line, so a caller file gave no rows.
    func testCarriageReturnsAloneAreLineEndsWhenTheFirstLineEndsSo() throws {
        XCTAssertEqual(try lines(of: Array("a\rbc\r\rlast".utf8)), ["a", "bc", "", "last"])
        XCTAssertEqual(try lines(of: Array("a\r".utf8)), ["a"])
        XCTAssertEqual(try lines(of: Array("\r".utf8)), [""])
        // The first line longer than the buffer, and compressed, so the first `\r` comes late.
        let long = String(repeating: "z", count: 200_000)
        let many = [long] + (0..<3_000).map { "row \($0)\t" + String(repeating: "y", count: $0 % 89) }
        let joined = Array((many.joined(separator: "\r") + "\r").utf8)
        XCTAssertEqual(try lines(of: joined), many)
        XCTAssertEqual(try lines(of: joined, name: "cr.txt.gz"), many)
        XCTAssertEqual("a\rb\r\nc\nd".lines(), ["a", "b", "c", "d"])
    }

    /// A UTF-8 byte-order mark is not part of the first line (a caller header with one was not
    /// recognised); one later on is left as it is.
    func testAByteOrderMarkStartsNoLine() throws {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        XCTAssertEqual(try lines(of: mark + Array("#a\tb\n".utf8) + mark + Array("c\n".utf8)), ["#a\tb", "\u{FEFF}c"])
        XCTAssertEqual(try lines(of: mark), [""])
        XCTAssertEqual(try lines(of: mark + Array("x".utf8), name: "bom.txt.gz"), ["x"])
    }

    func testLinesLongerThanTheBufferAndCompressedInput() throws {
        let long = String(repeating: "x", count: 300_000)
        let text = Array("first\n\(long)\nafter\n".utf8)
        XCTAssertEqual(try lines(of: text), ["first", long, "after"])
        // Several BGZF blocks (64 kB each): lines run across block ends.
        let many = (0..<5_000).map { "line \($0)\t" + String(repeating: "y", count: $0 % 97) }
        let joined = Array((many.joined(separator: "\n") + "\n").utf8)
        XCTAssertEqual(try lines(of: joined, name: "lines.txt.gz"), many)
        XCTAssertEqual(try lines(of: joined), many)
    }

    func testANulByteNamesItsLine() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/binary.txt"
        try OutputFile.write(Array("one\ntwo\nth".utf8) + [0] + Array("ree\nfour\n".utf8), to: path)
        let reader = try TextLines(path: path, kind: "text")
        XCTAssertNotNil(try reader.next())
        XCTAssertNotNil(try reader.next())
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? TextFileError)?.code, .binary)
            XCTAssertEqual((error as? TextFileError)?.line, 3)
        }
    }

    /// A compressed file cut short: the lines before the damage are read, and the error names the
    /// first line that needs the missing bytes.
    /// A bgzip file cut short is refused when opened, whether cut inside a block or at a block's end
    /// (there every block before the cut read cleanly, and the lines after it were lost without an
    /// error); a gzip file (no blocks, no marker) cut short fails at the line that runs into the cut.
    func testATruncatedCompressedFileIsRefused() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/cut.txt.gz"
        // 100-byte lines: BGZF's first block holds 65,280 bytes, so line 653 runs into the second.
        let text = (0..<2_000).map { String(format: "%099d", $0) }.joined(separator: "\n") + "\n"
        try OutputFile.write(Array(text.utf8), to: path)
        let whole = try XCTUnwrap(FileManager.default.contents(atPath: path))
        // The second block starts after the first one's compressed bytes (BSIZE + 1 at offset 16).
        let firstBlock = Int(whole[16]) | Int(whole[17]) << 8 + 1
        for cut in [firstBlock, firstBlock + 40] {
            try whole.prefix(cut).write(to: URL(fileURLWithPath: path))
            let error = assertThrows(try TextLines(path: path, kind: "text"), TextFileError.self, code: .corrupt)
            XCTAssertTrue(
                error?.message.contains("no BGZF end-of-file marker") ?? false, "\(String(describing: error))")
        }

        let plain = folder + "/plain.txt"
        try text.write(toFile: plain, atomically: false, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-1", plain]
        try gzip.run()
        gzip.waitUntilExit()
        let zipped = try XCTUnwrap(FileManager.default.contents(atPath: plain + ".gz"))
        try zipped.prefix(zipped.count / 2).write(to: URL(fileURLWithPath: plain + ".gz"))
        let reader = try TextLines(path: plain + ".gz", kind: "text")
        var read = 0
        XCTAssertThrowsError(try { while try reader.next() != nil { read += 1 } }()) { error in
            XCTAssertEqual((error as? TextFileError)?.code, .corrupt)
            XCTAssertEqual((error as? TextFileError)?.line, read + 1)
        }
        XCTAssertGreaterThan(read, 100)
        XCTAssertLessThan(read, 2_000)
    }

    /// A line past the limit is refused with its number, also in compressed input; one at the limit
    /// is read. Reading stops once the limit is passed, so a 1-GB line never sits in memory.
    func testALineLongerThanTheLimitIsAnErrorNamingItsLine() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = "ok\n" + String(repeating: "N", count: 300_000) + "\nafter\n"
        for name in ["long.txt", "long.txt.gz"] {
            let path = folder + "/" + name
            try OutputFile.write(Array(text.utf8), to: path)
            let reader = try TextLines(path: path, kind: "text", maximumLineLength: 299_999)
            XCTAssertEqual(try reader.nextBytes(), Array("ok".utf8))
            XCTAssertThrowsError(try reader.next(), name) { error in
                XCTAssertEqual((error as? TextFileError)?.code, .tooLong)
                XCTAssertEqual((error as? TextFileError)?.line, 2)
            }
            let atLimit = try TextLines(path: path, kind: "text", maximumLineLength: 300_000)
            var count = 0
            while try atLimit.next() != nil { count += 1 }
            XCTAssertEqual(count, 3, name)
        }
    }

    /// A file read whole is refused, naming it, when it is over the size it may have.
    func testASmallTextFileOverItsLimitIsRefusedBeforeItIsRead() throws {
        let folder = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/manifest.tsv"
        try OutputFile.write(Array("name\tpath\n".utf8), to: path)
        XCTAssertEqual(try SmallTextFile.read(path, kind: "manifest", maximumBytes: 10), "name\tpath\n")
        XCTAssertThrowsError(try SmallTextFile.read(path, kind: "manifest", maximumBytes: 9)) { error in
            XCTAssertEqual((error as? TextFileError)?.code, .tooLong)
            XCTAssertEqual((error as? TextFileError)?.path, path)
        }
        XCTAssertThrowsError(try SmallTextFile.read(folder + "/none", kind: "manifest", maximumBytes: 9)) { error in
            XCTAssertEqual((error as? TextFileError)?.code, .notFound)
        }
    }
}
