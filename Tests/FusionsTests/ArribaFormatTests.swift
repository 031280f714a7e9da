import Fusions
import XCTest

final class ArribaFormatTests: XCTestCase {
    func testArribaV1() throws {
        let result = try readAll(callerFile("arriba.tsv"))
        XCTAssertEqual(result.format, .arriba)
        // gene1, breakpoint1, the fusion strand of strand1(gene/fusion); the same for gene2.
        XCTAssertEqual(
            result.summaries,
            [
                "2 FGFR3 4:1806934:+ TACC3 4:1727977:+",
                "3 FIP1L1 4:53425965:+ PDGFRA 4:54274925:+",
                "4 GOPC 6:117566854:- ROS1 6:117321394:-",
                "5 GOPC 6:117566854:- ROS1 6:117320030:-",
                "6 HOOK3 8:42968214:+ RET 10:43116584:+",
                "7 ETV6 12:11869969:+ NTRK3 15:87940753:-",
                "8 EWSR1 22:29287134:+ ATF1 12:50814280:+",
                "9 AKAP9 7:92003235:+ BRAF 7:140787584:-",
                "10 BRD4 19:15254152:- NUTM1 15:34347969:+",
                "11 EML4 2:42301394:+ ALK 2:29223584:-",
                "12 CD74 5:150404680:- ROS1 6:117324415:-",
                "13 TMPRSS2 21:41494375:- ETV1 7:13935838:-",
                "14 EWSR1 22:29287134:+ FLI1 11:128807180:+",
            ])
        // The last row's gene1 is `BRD4(1122),BRD4-1(2233)`: an intergenic breakpoint between two genes.
        XCTAssertEqual(result.rejections.map(\.line), [15])
        XCTAssertEqual(result.rejectionCounts, [.intergenic: 1])
        XCTAssertTrue(result.rejections.first?.detail.contains("gene1 'BRD4(1122),BRD4-1(2233)'") == true)
    }

    func testArribaV2() throws {
        let result = try readAll(callerFile("arriba_v2_bcr_abl1.hg19.tsv"))
        XCTAssertEqual(result.format, .arriba)
        XCTAssertEqual(result.summaries, ["2 BCR 22:23632600:+ ABL1 9:133729451:+"])
        XCTAssertEqual(result.rejections.count, 0)
        XCTAssertEqual(result.records.first?.sourceFields.count, 30)
    }

    func testUnknownStrandsAndIntergenicPartners() throws {
        let lines = try callerLines("arriba.tsv")
        let row = lines[1]  // FGFR3--TACC3
        let path = try writeTemporary(
            [
                lines[0],
                replacing(row, column: 2, with: "+/."),
                replacing(row, column: 3, with: "./."),
                replacing(row, column: 1, with: "TACC3(1000),SLBP(2000)"),
                replacing(row, column: 6, with: "intergenic"),
                replacing(row, column: 0, with: "."),
                // The fusion strand is the record's, even where the gene's differs.
                replacing(row, column: 2, with: "+/-"),
                replacing(replacing(row, column: 3, with: "./."), column: 7, with: "intergenic"),
                replacing(row, column: 3, with: "+"),
            ], name: "fusions.tsv")
        let result = try readAll(path)
        XCTAssertEqual(
            result.summaries,
            [
                "7 FGFR3 4:1806934:- TACC3 4:1727977:+",
                "9 FGFR3 4:1806934:+ TACC3 4:1727977:+",
            ])
        XCTAssertEqual(result.rejections.map(\.line), [2, 3, 4, 5, 6, 8])
        XCTAssertEqual(
            result.rejections.map(\.reason),
            [.unknownStrand, .unknownStrand, .intergenic, .intergenic, .intergenic, .intergenic])
        XCTAssertEqual(result.rejectionCounts, [.unknownStrand: 2, .intergenic: 4])
        let details = result.rejections.map(\.detail)
        XCTAssertTrue(details[0].contains("strand1(gene/fusion) '+/.'"), details[0])
        XCTAssertTrue(details[1].contains("strand2(gene/fusion) './.'"), details[1])
        XCTAssertTrue(details[2].contains("gene2 'TACC3(1000),SLBP(2000)'"), details[2])
        XCTAssertTrue(details[3].contains("site1 is 'intergenic'"), details[3])
        XCTAssertTrue(details[4].contains("gene1 '.'"), details[4])
        XCTAssertTrue(details[5].contains("site2 is 'intergenic'"), details[5])
    }

    func testMalformedRows() throws {
        let lines = try callerLines("arriba.tsv")
        let row = lines[1]
        let path = try writeTemporary(
            [
                lines[0],
                replacing(row, column: 2, with: "x/+"),
                replacing(row, column: 3, with: "+/+/+"),
                replacing(row, column: 4, with: "4:abc"),
                replacing(row, column: 5, with: "41727977"),
                truncating(row, to: 5),
                replacing(row, column: 3, with: ""),
                replacing(row, column: 4, with: ":1806934"),
            ], name: "fusions.tsv")
        assertMalformed(
            try readAll(path),
            [
                (2, ["strand1(gene/fusion)", "'x/+'"]),
                (3, ["strand2(gene/fusion)", "'+/+/+'"]),
                (4, ["breakpoint1", "'abc'"]),
                (5, ["breakpoint2", "'41727977'", "chromosome:position"]),
                (6, ["5 column(s)", "breakpoint2"]),
                (7, ["strand2(gene/fusion)", "''"]),
                (8, ["breakpoint1", "no chromosome"]),
            ])
    }
}
