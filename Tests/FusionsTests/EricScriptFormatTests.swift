import Fusions
import XCTest

final class EricScriptFormatTests: XCTestCase {
    func testEricScript() throws {
        let result = try readAll(callerFile("ericscript.tsv"))
        XCTAssertEqual(result.format, .ericScript)
        // GeneName1 chr1:Breakpoint1:strand1, GeneName2 chr2:Breakpoint2:strand2.
        XCTAssertEqual(
            result.summaries,
            [
                "2 FGFR3 4:1806934:+ TACC3 4:1727977:+",
                "3 GOPC 6:117566854:- ROS1 6:117321394:-",
                "4 AKAP9 7:92003235:+ BRAF 7:140787584:-",
                "5 FIP1L1 4:53425965:+ PDGFRA 4:54274925:+",
                "6 BRD4 19:15254152:- NUTM1 15:34347969:+",
                "7 HOOK3 8:42968214:+ RET 10:43116584:+",
                "8 TMPRSS2 21:41494380:- ETV1 7:13935843:-",
                "9 CD74 5:150404680:- ROS1 6:117324415:-",
                "10 EWSR1 22:29287134:+ FLI1 11:128807180:+",
                "11 EWSR1 22:29287134:+ ATF1 12:50814280:+",
                "12 ETV6 12:11869970:+ NTRK3 15:87940752:-",
                "13 CIC 19:42295048:+ DUX4 4:190174447:+",
            ])
        XCTAssertEqual(result.rejections.count, 0)
    }

    func testUnplacedBreakpoints() throws {
        let lines = try callerLines("ericscript.tsv")
        let row = lines[1]
        let path = try writeTemporary(
            [
                lines[0],
                // As EricScript writes a junction it could not place (PEAK1--RPAP2, a published example).
                "PEAK1\tRPAP2\t15\t77155200\t-\t1\tUnable to predict breakpoint position\t+\tENSG00000173517\t"
                    + "ENSG00000122484\t14\t16\t98.57\t\tinter-chromosomal",
                replacing(row, column: 3, with: "NA"),
                replacing(row, column: 6, with: ""),
                // A header repeated by concatenating two result files is not a row.
                lines[0],
                row,
            ], name: "ericscript.results.total.tsv")
        let result = try readAll(path)
        XCTAssertEqual(result.summaries, ["6 FGFR3 4:1806934:+ TACC3 4:1727977:+"])
        XCTAssertEqual(result.ignored, 1)
        XCTAssertEqual(result.rejections.map(\.line), [2, 3, 4])
        XCTAssertEqual(result.rejectionCounts, [.unplacedBreakpoint: 3])
        let details = result.rejections.map(\.detail)
        XCTAssertTrue(
            details[0].contains("Breakpoint2 of RPAP2 is 'Unable to predict breakpoint position'"), details[0])
        XCTAssertTrue(details[1].contains("Breakpoint1 of FGFR3 is 'NA'"), details[1])
        XCTAssertTrue(details[2].contains("Breakpoint2 of TACC3 is ''"), details[2])
    }

    func testMalformedRows() throws {
        let lines = try callerLines("ericscript.tsv")
        let row = lines[1]
        let path = try writeTemporary(
            [
                lines[0],
                replacing(row, column: 3, with: "0"),
                replacing(row, column: 6, with: "-1727977"),
                replacing(row, column: 4, with: "x"),
                replacing(row, column: 5, with: ""),
                truncating(row, to: 7),
            ], name: "ericscript.tsv")
        assertMalformed(
            try readAll(path),
            [
                (2, ["Breakpoint1", "'0'"]),
                (3, ["Breakpoint2", "'-1727977'"]),
                (4, ["strand1", "'x'"]),
                (5, ["chr2", "empty"]),
                (6, ["7 column(s)", "strand2"]),
            ])
    }
}
