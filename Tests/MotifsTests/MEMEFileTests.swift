import Foundation
import Motifs
import Support
import TestSupport
import XCTest

final class MEMEFileTests: XCTestCase {
    static let jaspar = TestData.path("motifs/JASPAR2024_CORE_vertebrates.meme")

    func testReadsJASPARWithKnownMatrices() throws {
        let file = try MEMEFile.read(path: Self.jaspar)
        // `grep -c '^MOTIF'` on the file.
        XCTAssertEqual(file.motifs.count, 879)
        XCTAssertEqual(file.renormalisedRows, 0)
        XCTAssertTrue(file.bothStrands)
        XCTAssertEqual(file.background, [0.25, 0.25, 0.25, 0.25])
        let arnt = try XCTUnwrap(file.motifs.first)
        XCTAssertEqual(arnt.id, "MA0004.1")
        XCTAssertEqual(arnt.altName, "Arnt")
        XCTAssertEqual(arnt.sites, 20)
        XCTAssertEqual(arnt.width, 6)
        XCTAssertEqual(arnt.rows[1], [0.95, 0, 0.05, 0])
        XCTAssertEqual(arnt.consensus, "CACGTG")
        let ctcf = try XCTUnwrap(file.motifs.first { $0.id == "MA0139.2" })
        XCTAssertEqual(ctcf.altName, "CTCF")
        XCTAssertEqual(ctcf.width, 15)
        for motif in file.motifs {
            for row in motif.rows { XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-12) }
        }
    }

    func testWriteThenReadGivesTheSameMotifs() throws {
        let file = try MEMEFile.read(path: Self.jaspar)
        let again = try MEMEFile.parse(file.text)
        XCTAssertEqual(again.motifs.count, file.motifs.count)
        for (a, b) in zip(file.motifs, again.motifs) {
            XCTAssertEqual(a.id, b.id)
            XCTAssertEqual(a.altName, b.altName)
            XCTAssertEqual(a.sites, b.sites)
            XCTAssertEqual(a.url, b.url)
            for (ra, rb) in zip(a.rows, b.rows) {
                for (x, y) in zip(ra, rb) { XCTAssertEqual(x, y, accuracy: 1e-6) }
            }
        }
        let dir = try TestData.temporaryDirectory()
        try file.write(to: dir + "/copy.meme")
        XCTAssertEqual(try MEMEFile.read(path: dir + "/copy.meme").motifs.count, 879)
    }

    /// A Windows-edited file: Swift reads `\r\n` as one Character, so splitting at `\n` alone
    /// had made the whole file one line.
    func testWindowsLineEndsReadAsUnixOnes() throws {
        let text = try MEMEFile.read(path: Self.jaspar).text
        let file = try MEMEFile.parse(text)
        let crlf = try MEMEFile.parse(text.replacingOccurrences(of: "\n", with: "\r\n"))
        XCTAssertEqual(crlf.motifs.count, 879)
        XCTAssertEqual(crlf.motifs.map(\.id), file.motifs.map(\.id))
        XCTAssertEqual(crlf.motifs.last?.rows, file.motifs.last?.rows)
    }

    func testRowsNotSummingToOneAreRescaledAndCounted() throws {
        let text = """
            MEME version 5

            ALPHABET= ACGT

            Background letter frequencies (from file.fa):
            A 0.3 C 0.2
            G 0.2 T 0.3

            MOTIF counts
            letter-probability matrix: alength= 4 w= 2 nsites= 10
             2 6 2 0
             0.25 0.25 0.25 0.25
            """
        let file = try MEMEFile.parse(text)
        XCTAssertEqual(file.renormalisedRows, 1)
        XCTAssertEqual(file.background, [0.3, 0.2, 0.2, 0.3])
        XCTAssertEqual(file.motifs[0].rows[0], [0.2, 0.6, 0.2, 0])
        XCTAssertEqual(file.motifs[0].background, [0.3, 0.2, 0.2, 0.3])
        XCTAssertNil(file.motifs[0].altName)
    }

    func testMatrixWithoutWidthEndsAtTheFirstOtherLine() throws {
        let text = """
            MEME version 4
            MOTIF m1 ALT
            letter-probability matrix:
            1 0 0 0
            0 1 0 0

            MOTIF m2
            letter-probability matrix: alength= 4 w= 1
            0 0 0 1
            URL http://example.org/m2
            """
        let file = try MEMEFile.parse(text)
        XCTAssertEqual(file.motifs.map(\.width), [2, 1])
        XCTAssertEqual(file.motifs.map(\.consensus), ["AC", "T"])
        XCTAssertEqual(file.motifs[1].url, "http://example.org/m2")
    }

    func testMalformedInputNamesTheLine() throws {
        let header = "MEME version 4\n\nALPHABET= ACGT\n\n"
        let short = assertThrows(
            try MEMEFile.parse(header + "MOTIF a\nletter-probability matrix: w= 2\n0.5 0.5 0 0\n0.5 0.5 0\n"),
            MotifFileError.self, code: .badMatrix)
        XCTAssertEqual(short?.line, 8)
        let missing = assertThrows(
            try MEMEFile.parse(header + "MOTIF a\n\nMOTIF b\nletter-probability matrix:\n1 0 0 0\n"),
            MotifFileError.self, code: .missingMatrix)
        XCTAssertEqual(missing?.line, 5)
        let rows = assertThrows(
            try MEMEFile.parse(header + "MOTIF a\nletter-probability matrix: w= 3\n1 0 0 0\n0 1 0 0\n"),
            MotifFileError.self, code: .badMatrix)
        XCTAssertEqual(rows?.line, 6)
        assertThrows(
            try MEMEFile.parse(header + "MOTIF a\nletter-probability matrix:\n1 -1 1 0\n"),
            MotifFileError.self, code: .badMatrix)
        assertThrows(
            try MEMEFile.parse(header + "MOTIF a\nletter-probability matrix:\n0 0 0 0\n"),
            MotifFileError.self, code: .badMatrix)
        assertThrows(try MEMEFile.parse(">seq\nACGT\n"), MotifFileError.self, code: .notMEME)
        assertThrows(try MEMEFile.parse(""), MotifFileError.self, code: .notMEME)
        assertThrows(try MEMEFile.parse(header), MotifFileError.self, code: .noMotifs)
        assertThrows(
            try MEMEFile.parse("MEME version 4\nALPHABET= ACDEFGHIKLMNPQRSTVWY\n"), MotifFileError.self,
            code: .unsupportedAlphabet)
        let background = assertThrows(
            try MEMEFile.parse("MEME version 4\nBackground letter frequencies\nA 0.5 C x\n\nMOTIF a\n"),
            MotifFileError.self, code: .badBackground)
        XCTAssertEqual(background?.line, 2)
        assertThrows(try MEMEFile.read(path: "/nonexistent.meme"), TextFileError.self, code: .notFound)
    }

    /// A row beyond `w=` (it was dropped), an ID used twice (matches are reported by ID) and a
    /// matrix of thousands of rows (blocks run together; TOMTOM's nulls cost its width squared).
    func testExtraRowsRepeatedIDsAndEndlessMatricesAreRefused() throws {
        let header = "MEME version 4\n\nALPHABET= ACGT\n\n"
        let extra = assertThrows(
            try MEMEFile.parse(header + "MOTIF a\nletter-probability matrix: w= 1\n1 0 0 0\n0 1 0 0\n"),
            MotifFileError.self, code: .badMatrix)
        XCTAssertEqual(extra?.line, 8)
        XCTAssertTrue(extra?.message.contains("w= 1 but more rows follow") == true, extra?.message ?? "")
        // Other lines after the matrix are still passed over.
        let url = try MEMEFile.parse(header + "MOTIF a\nletter-probability matrix: w= 1\n1 0 0 0\nURL x\nnote\n")
        XCTAssertEqual(url.motifs.map(\.width), [1])
        let block = "letter-probability matrix: w= 1\n1 0 0 0\n\n"
        let twice = assertThrows(
            try MEMEFile.parse(header + "MOTIF a x\n" + block + "MOTIF b\n" + block + "MOTIF a y\n" + block),
            MotifFileError.self, code: .badMatrix)
        XCTAssertEqual(twice?.line, 13)
        XCTAssertTrue(twice?.message.contains("motif ID a is used twice (first at line 5)") == true)
        let wide = String(repeating: "0.25 0.25 0.25 0.25\n", count: 1001)
        let endless = assertThrows(
            try MEMEFile.parse(header + "MOTIF a\nletter-probability matrix:\n" + wide),
            MotifFileError.self, code: .badMatrix)
        XCTAssertEqual(endless?.line, 1007)
        let widest = String(repeating: "0.25 0.25 0.25 0.25\n", count: 1000)
        XCTAssertEqual(
            try MEMEFile.parse(header + "MOTIF a\nletter-probability matrix:\n" + widest).motifs[0].width, 1000)
    }

    /// Found by the motifs fuzz harness (fuzz/regressions/motifs): a background frequency of 0 made
    /// a log-odds score infinite and MotifScanner trap converting it to an integer; an `nsites=`
    /// that is not a count (NaN, 1e300) trapped in the parser or emptied the pseudocount's weight;
    /// `nsites= 0` made every scan score 0, or 0/0 (a trap) with `--pseudocount 0`.
    func testZeroBackgroundAndImpossibleSiteCountsAreRefused() throws {
        let zero =
            "MEME version 4\nBackground letter frequencies\nA 0.25 C 0.25 G 0.5 T 0.00\n\n"
            + "MOTIF a\nletter-probability matrix: w= 1\n0.1 0.2 0.3 0.4\n"
        assertThrows(try MEMEFile.parse(zero), MotifFileError.self, code: .badBackground)
        for sites in ["nan", "1e300", "-3", "0", "0.2"] {
            let text = "MEME version 4\n\nMOTIF a\nletter-probability matrix: w= 1 nsites= \(sites)\n0.1 0.2 0.3 0.4\n"
            assertThrows(try MEMEFile.parse(text), MotifFileError.self, code: .badMatrix)
        }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../fuzz/regressions/motifs/meme-zero-background-frequency"
        ).standardized.path
        let input = try Data(contentsOf: URL(fileURLWithPath: path)).dropFirst()  // the harness's choice byte
        assertThrows(
            try MEMEFile.parse(String(decoding: input, as: UTF8.self), path: path), MotifFileError.self,
            code: .badBackground)
    }

    func testReverseComplementAndConsensusRule() {
        let motif = MotifMatrix(
            id: "m", rows: [[0.9, 0.05, 0.05, 0], [0.4, 0.4, 0.1, 0.1], [0.3, 0.3, 0.2, 0.2], [0, 0, 0.6, 0.4]])
        // >= 0.5: the letter; two reaching 0.75: IUPAC (A+C = M); otherwise N.
        XCTAssertEqual(motif.consensus, "AMNG")
        XCTAssertEqual(motif.reverseComplement.consensus, "CNKT")
        XCTAssertEqual(motif.reverseComplement.reverseComplement, motif)
    }
}

extension MEMEFileTests {
    func testWrittenTextIsMEMEMinimalFormat() {
        let file = MEMEFile(
            motifs: [MotifMatrix(id: "filter1", altName: "AC", rows: [[1, 0, 0, 0], [0, 0.5, 0.5, 0]], sites: 3)],
            bothStrands: false)
        XCTAssertEqual(
            file.text,
            """
            MEME version 4

            ALPHABET= ACGT

            strands: +

            Background letter frequencies
            A 0.250000 C 0.250000 G 0.250000 T 0.250000

            MOTIF filter1 AC
            letter-probability matrix: alength= 4 w= 2 nsites= 3 E= 0
             1.000000  0.000000  0.000000  0.000000
             0.000000  0.500000  0.500000  0.000000

            """)
    }
}
