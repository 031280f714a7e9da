import Fusions
import XCTest

/// STAR-Fusion, CTAT-LR-Fusion and FusionInspector: one reader, columns found by name.
final class StarFusionFormatTests: XCTestCase {
    /// Every row of starfusion.tsv and ctat_lr_fusion.tsv (the two hold the same calls in different
    /// layouts): line, then LeftGene's symbol and LeftBreakpoint, RightGene's symbol and RightBreakpoint.
    private let sampleCalls = [
        "2 FGFR3 4:1806934:+ TACC3 4:1727977:+",
        "3 HOOK3 8:42968214:+ RET 10:43116584:+",
        "4 ETV6 12:11869969:+ NTRK3 15:87940753:-",
        "5 EWSR1 22:29287134:+ ATF1 12:50814280:+",
        "6 TMPRSS2 21:41494375:- ETV1 7:13935838:-",
        "7 AKAP9 7:92003235:+ BRAF 7:140787584:-",
        "8 CD74 5:150404680:- ROS1 6:117324415:-",
        "9 BRD4 19:15254152:- NUTM1 15:34347969:+",
        "10 EML4 2:42301394:+ ALK 2:29223584:-",
        "11 EWSR1 22:29287134:+ FLI1 11:128807180:+",
        "12 CD74 5:150404680:- AL132671.2 6:117324415:-",
        "13 NPM1 5:171391799:+ ALK 2:29223528:-",
    ]

    func testStarFusion() throws {
        let result = try readAll(callerFile("starfusion.tsv"))
        XCTAssertEqual(result.format, .starFusion)
        XCTAssertEqual(result.summaries, sampleCalls)
        XCTAssertEqual(result.rejections.count, 0)
        let fgfr3 = try XCTUnwrap(result.records.first)
        XCTAssertEqual(fgfr3.name, "FGFR3--TACC3")
        XCTAssertEqual(fgfr3.sourceFields.count, 17)
        XCTAssertEqual(fgfr3.sourceFields[4], "FGFR3^ENSG00000068078")
    }

    func testCTATLRFusion() throws {
        let result = try readAll(callerFile("ctat_lr_fusion.tsv"))
        XCTAssertEqual(result.format, .starFusion)
        XCTAssertEqual(result.summaries, sampleCalls)
        XCTAssertEqual(result.rejections.count, 0)
    }

    func testFusionInspectorLayout() throws {
        // FusionInspector's column order, filled from starfusion.tsv's FGFR3--TACC3 row.
        let path = try writeTemporary(
            [
                "#FusionName\tJunctionReadCount\tSpanningFragCount\test_J\test_S\tLeftGene\tLeftLocalBreakpoint\t"
                    + "LeftBreakpoint\tRightGene\tRightLocalBreakpoint\tRightBreakpoint\tSpliceType",
                "FGFR3--TACC3\t261\t637\t261\t637\tFGFR3^ENSG00000068078\t1000\t4:1806934:+\t"
                    + "TACC3^ENSG00000013810\t2000\t4:1727977:+\tINCL_NON_REF_SPLICE",
            ], name: "finspector.FusionInspector.fusions.tsv")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .starFusion)
        XCTAssertEqual(result.summaries, ["2 FGFR3 4:1806934:+ TACC3 4:1727977:+"])
    }

    func testGeneWithoutIDAndContigWithColons() throws {
        let lines = try callerLines("starfusion.tsv")
        var row = replacing(lines[1], column: 4, with: "FGFR3")
        row = replacing(row, column: 7, with: "HLA-A*01:01:01:01:1200:-")
        row = replacing(row, column: 6, with: "^ENSG00000013810")
        let result = try readAll(writeTemporary([lines[0], row], name: "star.tsv"))
        XCTAssertEqual(result.summaries, ["2 FGFR3 4:1806934:+ ENSG00000013810 HLA-A*01:01:01:01:1200:-"])
    }

    func testMalformedRows() throws {
        let lines = try callerLines("starfusion.tsv")
        let row = lines[1]
        let path = try writeTemporary(
            [
                lines[0],
                replacing(row, column: 5, with: "4:18o6934:+"),
                replacing(row, column: 7, with: "4:1727977:x"),
                replacing(row, column: 5, with: "4-1806934"),
                truncating(row, to: 6),
                replacing(row, column: 4, with: ""),
                replacing(row, column: 5, with: ":1806934:+"),
                replacing(row, column: 7, with: "4:0:+"),
            ], name: "star.tsv")
        assertMalformed(
            try readAll(path),
            [
                (2, ["LeftBreakpoint", "'18o6934'"]),
                (3, ["RightBreakpoint", "'x'"]),
                (4, ["LeftBreakpoint", "'4-1806934'", "chromosome:position:strand"]),
                (5, ["6 column(s)", "RightGene"]),
                (6, ["LeftGene", "empty"]),
                (7, ["LeftBreakpoint", "no chromosome"]),
                (8, ["RightBreakpoint", "'0'"]),
            ])
    }
}
