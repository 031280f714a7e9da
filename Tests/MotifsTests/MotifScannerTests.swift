import Motifs
import SeededRandom
import XCTest

final class MotifScannerTests: XCTestCase {
    private func jaspar(_ id: String) throws -> MotifMatrix {
        let db = try XCTUnwrap(MotifComparisonTests.database)
        return try XCTUnwrap(db.motifs.first { $0.id == id })
    }

    /// Every 6-mer against Arnt (width 6): the p-value must be the exact chance that a uniform
    /// background 6-mer scores at least as much, up to the integer rounding of the scores (each
    /// column rounds by at most half a step).
    func testPValuesAreTheExactTailOfAllKmers() throws {
        try assertExactTails(pseudocount: 0.1, sites: 4096)
        // The best 6-mer, CACGTG (Arnt's consensus), is the only one at least as good: 1/4096.
        var options = MotifScanner.Options()
        options.threshold = 1
        let scanner = MotifScanner(motifs: [try jaspar("MA0004.1")], options: options)
        XCTAssertEqual(try XCTUnwrap(scanner.scan(Array("CACGTG".utf8)).first).pValue, 1.0 / 4096, accuracy: 1e-12)
    }

    /// Without a pseudocount Arnt's zeros are letters it never holds: only its 4 possible 6-mers
    /// ([AC][AG]CGTG) are sites, each with its exact tail. The zeros used to stretch the integer
    /// grid down to log2(1e-300), so the real scores shared a few steps and p-values were 1.5x off.
    func testWithoutAPseudocountZerosAreImpossibleLettersAndPValuesStayExact() throws {
        try assertExactTails(pseudocount: 0, sites: 4)
    }

    private func assertExactTails(
        pseudocount: Double, sites expected: Int, file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let arnt = try jaspar("MA0004.1")
        var options = MotifScanner.Options()
        options.threshold = 1
        options.bothStrands = false
        options.pseudocount = pseudocount
        let scanner = MotifScanner(motifs: [arnt], options: options)
        let logOdds = scanner.scorers[0].logOdds
        let possible = arnt.rows.map { row in row.map { $0 > 0 || pseudocount > 0 } }
        let letters = Array("ACGT".utf8)
        let codes = (0..<4096).map { n in (0..<6).map { (n >> (2 * (5 - $0))) & 3 } }
        let kmers = codes.map { $0.map { letters[$0] } }
        let scores = codes.map { code in
            (0..<6).allSatisfy { possible[$0][code[$0]] }
                ? (0..<6).reduce(0.0) { $0 + logOdds[$1 * 4 + code[$1]] } : -Double.infinity
        }
        let columns = (0..<6).map { j in (0..<4).filter { possible[j][$0] }.map { logOdds[j * 4 + $0] } }
        let span = columns.map { ($0.max() ?? 0) - ($0.min() ?? 0) }.reduce(0, +)
        // Six columns, each off by at most half a step of span / 1000.
        let slack = 6 * 0.5 * span / 1000
        var found = 0
        for (kmer, score) in zip(kmers, scores) {
            let name = String(decoding: kmer, as: UTF8.self)
            guard score > -.infinity else {
                XCTAssertEqual(scanner.scan(kmer), [], name, file: file, line: line)
                continue
            }
            found += 1
            let site = try XCTUnwrap(scanner.scan(kmer).first, name, file: file, line: line)
            XCTAssertEqual(site.score, score, accuracy: 1e-9, file: file, line: line)
            let atLeastLow = Double(scores.filter { $0 >= score - slack - 1e-9 }.count) / 4096
            let atLeastHigh = Double(scores.filter { $0 >= score + slack + 1e-9 }.count) / 4096
            XCTAssertLessThanOrEqual(site.pValue, atLeastLow + 1e-12, name, file: file, line: line)
            XCTAssertGreaterThanOrEqual(site.pValue, atLeastHigh - 1e-12, name, file: file, line: line)
        }
        XCTAssertEqual(found, expected, file: file, line: line)
    }

    /// CTCF's consensus planted on each strand of a random sequence is found where it was put,
    /// on the strand it was put on; a copy with an N inside is not scored.
    func testPlantedSitesAreFoundOnTheirStrand() throws {
        let ctcf = try jaspar("MA0139.2")
        var random = SeededGenerator(seed: 3)
        var sequence = (0..<2000).map { _ in Array("ACGT".utf8)[random.int(in: 0...3)] }
        let consensus = Array("GCCACCAGGGGGCGC".utf8)
        let reverse = consensus.reversed().map { base -> UInt8 in
            switch base {
            case UInt8(ascii: "A"): UInt8(ascii: "T")
            case UInt8(ascii: "C"): UInt8(ascii: "G")
            case UInt8(ascii: "G"): UInt8(ascii: "C")
            default: UInt8(ascii: "A")
            }
        }
        sequence.replaceSubrange(300..<315, with: consensus)
        sequence.replaceSubrange(1200..<1215, with: reverse)
        var broken = consensus
        broken[7] = UInt8(ascii: "N")
        sequence.replaceSubrange(1700..<1715, with: broken)
        let sites = MotifScanner(motifs: [ctcf]).scan(sequence)
        let strong = sites.filter { $0.pValue < 1e-7 }
        XCTAssertEqual(strong.map(\.start), [300, 1200])
        XCTAssertEqual(strong.map(\.strand), [.forward, .reverse])
        XCTAssertFalse(sites.contains { (1700 - 14)...1714 ~= $0.start })
        XCTAssertTrue(sites.allSatisfy { $0.pValue <= 1e-4 })
    }
}
