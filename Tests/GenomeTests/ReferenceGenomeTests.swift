import Foundation
import TestSupport
import XCTest

@testable import Genome

final class ReferenceGenomeTests: XCTestCase {
    /// hg19 position -> position in minichr2_hg19.fa, which holds chr2:160,560,000-162,100,000 alone.
    private let segmentOffset = 160_559_999

    func testBgzipFASTAReadsNamesLengthsAndBuild() throws {
        let genome = try ReferenceGenome(path: TestData.path("genome/mini_hg19.fa.gz"))
        XCTAssertEqual(genome.format, .bgzipFASTA)
        XCTAssertEqual(
            genome.sequences,
            [
                ChromosomeInfo(name: "chr2", length: 243_199_373), ChromosomeInfo(name: "chrM", length: 16_569),
            ])
        XCTAssertEqual(genome.build, .hg19)
        XCTAssertTrue(genome.notes.isEmpty, "the shared index is used as it is")
    }

    func testPlainAndBgzipFASTAGiveTheSameBases() throws {
        let folder = try TestData.temporaryDirectory()
        let plainPath = folder + "/minichr2.fa"
        try FileManager.default.copyItem(atPath: TestData.path("genome/minichr2_hg19.fa"), toPath: plainPath)
        let plain = try ReferenceGenome(path: plainPath)
        XCTAssertEqual(plain.format, .fasta)
        XCTAssertEqual(plain.sequences, [ChromosomeInfo(name: "chr2", length: 1_540_001)])
        XCTAssertEqual(plain.notes, ["built index \(plainPath).fai"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: plainPath + ".fai"))

        let bgzip = try ReferenceGenome(path: TestData.path("genome/mini_hg19.fa.gz"))
        let local = 272_580  // PLA2R1 breakpoint 160,832,579 in segment coordinates
        let fromPlain = try plain.makeReader().bases("chr2", from: local - 5_000, to: local + 5_000)
        let fromBgzip = try bgzip.makeReader().bases(
            "chr2", from: local + segmentOffset - 5_000, to: local + segmentOffset + 5_000)
        XCTAssertEqual(fromPlain.count, 10_000)
        XCTAssertEqual(fromPlain, fromBgzip)
        // Outside the real segment the sparse hg19 is all N.
        XCTAssertEqual(try bgzip.makeReader().bases("chr2", from: 1_000_000, to: 1_000_010), Array("NNNNNNNNNN".utf8))
    }

    /// A FASTA rewritten with another line width after its index was made: an index older than the
    /// file is rebuilt (it put line ends into windows); one of another layout made later is refused.
    func testAnIndexOfAnotherVersionOfTheFASTAIsNotUsed() throws {
        let folder = try TestData.temporaryDirectory()
        let sequence = String(repeating: "ACGTTGCA", count: 40)
        let path = folder + "/g.fa"
        func write(width: Int) throws {
            let lines = stride(from: 0, to: sequence.count, by: width).map {
                String(Array(sequence)[$0..<min(sequence.count, $0 + width)])
            }
            try (">chrT\n" + lines.joined(separator: "\n") + "\n").write(
                toFile: path, atomically: false, encoding: .utf8)
        }
        try write(width: 60)
        XCTAssertEqual(try ReferenceGenome(path: path).makeReader().bases("chrT", from: 100, to: 140).count, 40)
        try write(width: 50)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: path + ".fai")
        let rebuilt = try ReferenceGenome(path: path)
        XCTAssertEqual(rebuilt.notes, ["rebuilt index \(path).fai: it was older than the FASTA"])
        let bases = try rebuilt.makeReader().bases("chrT", from: 100, to: 140)
        XCTAssertEqual(String(decoding: bases, as: UTF8.self), String(Array(sequence)[100..<140]))

        let stale = try String(contentsOfFile: path + ".fai", encoding: .utf8)
        try write(width: 60)
        try stale.write(toFile: path + ".fai", atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: path + ".fai")
        let error = assertThrows(
            try ReferenceGenome(path: path).makeReader().bases("chrT", from: 0, to: 200), GenomeError.self,
            code: .corrupt)
        XCTAssertTrue(
            error?.message.contains("the index was made for another version") == true, "\(String(describing: error))")
    }

    func testSoftMaskedBasesAreUppercasedAndIUPACCodesKept() throws {
        let folder = try TestData.temporaryDirectory()
        let path = try GenomeTestFiles.fasta([("chrT", "acgtNNRYkmACGTnn")], in: folder)
        let bases = try ReferenceGenome(path: path).makeReader().bases("chrT", from: 0, to: 16)
        XCTAssertEqual(String(decoding: bases, as: UTF8.self), "ACGTNNRYKMACGTNN")
    }

    func testReadOnlyFolderBuildsTheIndexInTheCache() throws {
        let folder = try TestData.temporaryDirectory()
        let path = try GenomeTestFiles.fasta([("chr1", GenomeTestFiles.sequence(5_000, seed: 1))], in: folder)
        let cache = try TestData.temporaryDirectory("fusionai-cache")
        chmod(folder, 0o555)
        defer { chmod(folder, 0o755) }

        let genome = try ReferenceGenome(path: path, cacheDirectory: cache)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: path + ".fai"), "nothing is written beside a read-only FASTA")
        XCTAssertEqual(genome.notes.count, 1)
        XCTAssertTrue(genome.notes[0].contains("built index in the cache"), genome.notes[0])
        let cached = try FileManager.default.contentsOfDirectory(atPath: cache + "/faidx")
        XCTAssertEqual(cached.filter { $0.hasSuffix(".fai") }.count, 1)
        XCTAssertEqual(try genome.makeReader().bases("chr1", from: 0, to: 5).count, 5)

        let again = try ReferenceGenome(path: path, cacheDirectory: cache)
        XCTAssertTrue(again.notes[0].contains("using cached index"), again.notes[0])
    }

    func testNoWritablePlaceForTheIndexSaysHowToFixIt() throws {
        let folder = try TestData.temporaryDirectory()
        let path = try GenomeTestFiles.fasta([("chr1", "ACGT")], in: folder)
        chmod(folder, 0o555)
        defer { chmod(folder, 0o755) }
        // A cache under a regular file cannot be created, not even by root.
        let error = assertThrows(
            try ReferenceGenome(path: path, cacheDirectory: path + "/cache"), GenomeError.self, code: .indexUnavailable)
        XCTAssertEqual(error?.path, path)
    }

    func testPlainGzipIsRefusedWithTheBgzipFix() throws {
        let folder = try TestData.temporaryDirectory()
        let path = try GenomeTestFiles.fasta([("chr1", "ACGTACGT")], in: folder)
        try GenomeTestFiles.run("gzip", ["-k", path])
        assertThrows(try ReferenceGenome(path: path + ".gz"), GenomeError.self, code: .unsupportedFormat)
    }

    func testMissingEmptyAndNonGenomeFilesAreClearErrors() throws {
        let folder = try TestData.temporaryDirectory()
        let missing = assertThrows(try ReferenceGenome(path: folder + "/nope.fa"), GenomeError.self, code: .notFound)
        XCTAssertEqual(missing?.path, folder + "/nope.fa")
        let empty = folder + "/empty.fa"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        assertThrows(try ReferenceGenome(path: empty), GenomeError.self, code: .corrupt)
        let junk = folder + "/junk.fa"
        _ = FileManager.default.createFile(
            atPath: junk, contents: Data((0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37) }))
        assertThrows(try ReferenceGenome(path: junk), GenomeError.self, code: .unsupportedFormat)
        assertThrows(try ReferenceGenome(path: folder), GenomeError.self, code: .unreadable)
    }

    func testReadsOutsideASequenceAreErrors() throws {
        let folder = try TestData.temporaryDirectory()
        let path = try GenomeTestFiles.fasta([("chr1", "ACGTACGTAC")], in: folder)
        let reader = try ReferenceGenome(path: path).makeReader()
        XCTAssertEqual(try reader.bases("chr1", from: 8, to: 10), Array("AC".utf8))
        assertThrows(try reader.bases("chr1", from: 8, to: 11), GenomeError.self, code: .outOfRange)
        assertThrows(try reader.bases("chr9", from: 0, to: 1), GenomeError.self, code: .unknownChromosome)
    }
}
