import Fusions
import XCTest

final class FusionCatcherFormatTests: XCTestCase {
    func testFusionCatcher() throws {
        let result = try readAll(callerFile("fusioncatcher.txt"))
        XCTAssertEqual(result.format, .fusionCatcher)
        // Gene_1_symbol, Fusion_point_for_gene_1, Gene_2_symbol, Fusion_point_for_gene_2 of every row.
        XCTAssertEqual(
            result.summaries,
            [
                "2 FGFR3 4:1806934:+ TACC3 4:1727977:+",
                "3 FGFR3 4:1807033:+ TACC3 4:1727832:+",
                "4 GOPC 6:117566854:- ROS1 6:117321394:-",
                "5 GOPC 6:117566854:- ROS1 6:117320030:-",
                "6 FIP1L1 4:53425965:+ PDGFRA 4:54274925:+",
                "7 IGH@ 14:105863258:+ CRLF2 X:105799296:-",
                "8 IGH@ 14:105863343:+ CRLF2 X:105812546:-",
                "9 IGH@ 14:105863263:+ CRLF2 X:1228687:-",
                "10 AKAP9 7:92003235:+ BRAF 7:140787584:-",
                "11 EWSR1 22:29287134:+ ATF1 12:50814280:+",
                "12 HOOK3 8:42968214:+ RET 10:43116584:+",
                "13 EWSR1 22:29287134:+ FLI1 11:128807180:+",
                "14 TMPRSS2 21:41494381:- ETV1 7:13935844:-",
                "15 ETV6 12:11869969:+ NTRK3 15:87940753:-",
                "16 BRD4 19:15254152:- NUTM1 15:34347969:+",
                "17 CIC 19:42295047:+ DUX4 4:190174446:+",
                "18 DUX4 4:190174997:+ IGH@ 14:190287409:+",
                "19 DUX4 4:190175284:+ IGH@ 14:106638525:-",
                "20 EML4 2:42301391:+ ALK 2:29223587:-",
                "21 CD74 5:150404680:- ROS1 6:117324415:-",
                "22 MALT1 18:58669909:+ IGH@ 14:105888559:+",
                "23 NPM1 5:171391799:+ ALK 2:29223528:-",
            ])
        XCTAssertEqual(result.rejections.count, 0)
    }

    func testFusionCatcherOwnTestOutput() throws {
        let result = try readAll(callerFile("fusioncatcher_test.hg38.txt"))
        XCTAssertEqual(result.format, .fusionCatcher)
        XCTAssertEqual(
            result.summaries,
            [
                "2 FGFR3 4:1806934:+ TACC3 4:1727977:+",
                "3 FGFR3 4:1806934:+ TACC3 4:1727981:+",
                "4 FGFR3 4:1807033:+ TACC3 4:1727832:+",
                "5 GOPC 6:117566854:- ROS1 6:117321394:-",
                "6 GOPC 6:117566854:- ROS1 6:117320030:-",
                "7 FIP1L1 4:53425965:+ PDGFRA 4:54274925:+",
                "8 IGH@ 14:105863263:+ CRLF2 X:1228687:-",
                "9 IGH@ 14:105863264:+ CRLF2 X:1228687:-",
                "10 IGH@ 14:105863263:+ CRLF2 X:1228688:-",
                "11 AKAP9 7:92003235:+ BRAF 7:140787584:-",
                "12 EWSR1 22:29287134:+ ATF1 12:50814280:+",
                "13 HOOK3 8:42968214:+ RET 10:43116584:+",
                "14 EWSR1 22:29287134:+ FLI1 11:128807180:+",
                "15 TMPRSS2 21:41494380:- ETV1 7:13935843:-",
                "16 TMPRSS2 21:41494381:- ETV1 7:13935844:-",
                "17 ETV6 12:11869969:+ NTRK3 15:87940753:-",
                "18 BRD4 19:15254152:- NUTM1 15:34347969:+",
                "19 CIC 19:42295047:+ DUX4 4:190174446:+",
                "20 CIC 19:42295048:+ DUX4 4:190174447:+",
                "21 DUX4 4:190174997:+ IGH@ 14:190287409:+",
                "22 DUX4 4:190175284:+ IGH@ 14:106638525:-",
                "23 EML4 2:42301391:+ ALK 2:29223587:-",
                "24 CD74 5:150404680:- ROS1 6:117324415:-",
                "25 MALT1 18:58669909:+ IGH@ 14:105888559:+",
                "26 NPM1 5:171391799:+ ALK 2:29223528:-",
            ])
        XCTAssertEqual(result.rejections.count, 0)
    }

    func testMalformedRows() throws {
        let lines = try callerLines("fusioncatcher.txt")
        let row = lines[1]
        let path = try writeTemporary(
            [
                lines[0],
                replacing(row, column: 8, with: "4:1806934"),
                replacing(row, column: 9, with: "4:17279x7:+"),
                replacing(row, column: 8, with: "4:1806934:+-"),
                replacing(row, column: 1, with: " "),
                truncating(row, to: 9),
            ], name: "final-list_candidate-fusion-genes.txt")
        assertMalformed(
            try readAll(path),
            [
                (2, ["Fusion_point_for_gene_1(5end_fusion_partner)", "'4:1806934'"]),
                (3, ["Fusion_point_for_gene_2(3end_fusion_partner)", "'17279x7'"]),
                (4, ["Fusion_point_for_gene_1(5end_fusion_partner)", "'+-'"]),
                (5, ["Gene_2_symbol(3end_fusion_partner)", "empty"]),
                (6, ["9 column(s)", "Fusion_point_for_gene_2(3end_fusion_partner)"]),
            ])
    }
}
