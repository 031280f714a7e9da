import Fusions
import XCTest

final class DragenFormatTests: XCTestCase {
    func testDragen() throws {
        let result = try readAll(callerFile("dragen.tsv"))
        XCTAssertEqual(result.format, .dragen)
        // FusionGene split at `--`; LeftBreakpoint and RightBreakpoint as written.
        XCTAssertEqual(
            result.summaries,
            [
                "2 SLC6A15 chr12:84883145:- MT-ND2 chrM:5264:+",
                "3 EWSR1 chr22:29287134:+ FLI1 chr11:128807180:+",
                "4 MT-ATP8 chrM:8427:+ MT-ATP6 chrM:8644:+",
                "5 IFT81 chr12:110167873:+ NDRG4 chr16:58512475:+",
                "6 FGFR3 chr4:1806934:+ TACC3 chr4:1727977:+",
            ])
        XCTAssertEqual(result.rejections.count, 0)
    }

    func testMalformedRows() throws {
        let lines = try callerLines("dragen.tsv")
        let row = lines[5]  // FGFR3--TACC3
        let path = try writeTemporary(
            [
                lines[0],
                replacing(row, column: 0, with: "FGFR3-TACC3"),
                replacing(row, column: 0, with: "FGFR3--"),
                replacing(row, column: 2, with: "chr4:1806934"),
                replacing(row, column: 3, with: "chr4:1727977:*"),
                replacing(row, column: 3, with: "chr4:-5:+"),
                truncating(row, to: 3),
            ], name: "dragen.tsv")
        assertMalformed(
            try readAll(path),
            [
                (2, ["FusionGene", "'FGFR3-TACC3'", "GENE1--GENE2"]),
                (3, ["FusionGene", "'FGFR3--'"]),
                (4, ["LeftBreakpoint", "'chr4:1806934'"]),
                (5, ["RightBreakpoint", "'*'"]),
                (6, ["RightBreakpoint", "'-5'"]),
                (7, ["3 column(s)", "RightBreakpoint"]),
            ])
    }
}
