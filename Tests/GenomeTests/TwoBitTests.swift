import Foundation
import TestSupport
import XCTest

@testable import Genome

final class TwoBitTests: XCTestCase {
    /// An independent .2bit writer, straight from the UCSC format description, for the tests.
    private func twoBit(_ sequences: [(String, String)], version: UInt32 = 0, bigEndian: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        func u32(_ v: UInt32) { out += withUnsafeBytes(of: bigEndian ? v.bigEndian : v.littleEndian, Array.init) }
        func u64(_ v: UInt64) { out += withUnsafeBytes(of: bigEndian ? v.bigEndian : v.littleEndian, Array.init) }
        func runs(_ s: [Character], _ inside: (Character) -> Bool) -> [(Int, Int)] {
            var result: [(Int, Int)] = []
            var i = 0
            while i < s.count {
                if inside(s[i]) {
                    let start = i
                    while i < s.count, inside(s[i]) { i += 1 }
                    result.append((start, i - start))
                } else {
                    i += 1
                }
            }
            return result
        }
        var records: [[UInt8]] = []
        for (_, text) in sequences {
            let s = Array(text)
            let saved = out
            out = []
            let nRuns = runs(s) { $0 == "N" || $0 == "n" }
            let maskRuns = runs(s) { $0.isLowercase }
            u32(UInt32(s.count))
            u32(UInt32(nRuns.count))
            for run in nRuns { u32(UInt32(run.0)) }
            for run in nRuns { u32(UInt32(run.1)) }
            u32(UInt32(maskRuns.count))
            for run in maskRuns { u32(UInt32(run.0)) }
            for run in maskRuns { u32(UInt32(run.1)) }
            u32(0)
            let code: [Character: UInt8] = ["T": 0, "C": 1, "A": 2, "G": 3]
            var packed = [UInt8](repeating: 0, count: (s.count + 3) / 4)
            for (i, c) in s.enumerated() {
                packed[i / 4] |= (code[Character(c.uppercased())] ?? 0) << UInt8(6 - 2 * (i % 4))
            }
            out += packed
            records.append(out)
            out = saved
        }
        u32(0x1A41_2743)
        u32(version)
        u32(UInt32(sequences.count))
        u32(0)
        var offset = 16 + sequences.reduce(0) { $0 + 1 + $1.0.utf8.count + (version == 0 ? 4 : 8) }
        for ((name, _), record) in zip(sequences, records) {
            out.append(UInt8(name.utf8.count))
            out += Array(name.utf8)
            if version == 0 { u32(UInt32(offset)) } else { u64(UInt64(offset)) }
            offset += record.count
        }
        for record in records { out += record }
        return out
    }

    private func write(_ bytes: [UInt8]) throws -> String {
        let path = try TestData.temporaryDirectory() + "/genome.2bit"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private let sequences: [(String, String)] = {
        var a = Array(GenomeTestFiles.sequence(1_000, seed: 7))
        for i in 100..<150 { a[i] = "N" }
        for i in 200..<260 { a[i] = Character(a[i].lowercased()) }
        return [("chrA", String(a)), ("chrB", "ACGTTGCAACGTTGCAACGTTGCAACGTTGCANNACG")]
    }()

    func testEveryLayoutReadsBackTheSequences() throws {
        for (version, bigEndian) in [(UInt32(0), false), (0, true), (1, false)] {
            let genome = try ReferenceGenome(path: try write(twoBit(sequences, version: version, bigEndian: bigEndian)))
            XCTAssertEqual(genome.format, .twoBit)
            XCTAssertEqual(genome.sequences, [.init(name: "chrA", length: 1_000), .init(name: "chrB", length: 37)])
            let reader = try genome.makeReader()
            for (name, text) in sequences {
                let upper = Array(text.uppercased().utf8)
                XCTAssertEqual(
                    try reader.bases(name, from: 0, to: upper.count), upper,
                    "\(name) v\(version) big-endian \(bigEndian)")
                // Ranges starting and ending inside packed bytes and N runs.
                for (start, end) in [
                    (1, 3), (99, 151), (120, 130), (149, 203), (30, 35), (upper.count - 5, upper.count),
                ] where end <= upper.count {
                    XCTAssertEqual(
                        try reader.bases(name, from: start, to: end), Array(upper[start..<end]),
                        "\(name) \(start)-\(end)")
                }
            }
        }
    }

    func testTruncatedAndHostileFilesAreRefused() throws {
        let good = twoBit(sequences)
        // Cut inside the packed bases: the sequence runs past the file's end.
        assertThrows(
            try ReferenceGenome(path: write(Array(good.prefix(good.count - 40)))), GenomeError.self, code: .corrupt)
        // A header claiming four billion sequences.
        var absurd = good
        absurd.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0xFF])
        assertThrows(try ReferenceGenome(path: write(absurd)), GenomeError.self, code: .corrupt)
        // An N-run count larger than the file.
        var runs = good
        let recordStart = 16 + (1 + 4 + 4) * 2
        runs.replaceSubrange((recordStart + 4)..<(recordStart + 8), with: [0xFF, 0xFF, 0xFF, 0x7F])
        assertThrows(try ReferenceGenome(path: write(runs)), GenomeError.self, code: .corrupt)
        // Only the header.
        assertThrows(try ReferenceGenome(path: write(Array(good.prefix(12)))), GenomeError.self, code: .corrupt)
    }

    func testReadsOutsideTheSequenceAreErrors() throws {
        let reader = try ReferenceGenome(path: try write(twoBit(sequences))).makeReader()
        assertThrows(try reader.bases("chrB", from: 30, to: 38), GenomeError.self, code: .outOfRange)
        assertThrows(try reader.bases("chrZ", from: 0, to: 1), GenomeError.self, code: .unknownChromosome)
    }
}
