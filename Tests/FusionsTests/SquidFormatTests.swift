import Fusions
import Genome
import TestSupport
import XCTest

/// SQUID names the genes but not which segment is the 5' one: a gene annotation settles it
/// (see `SquidRowParser` for the rule and how it was checked against the other callers).
final class SquidFormatTests: XCTestCase {
    func testNeedsAnAnnotationToOrientRows() throws {
        let result = try readAll(callerFile("squid.txt"))
        XCTAssertEqual(result.format, .squid)
        XCTAssertEqual(result.summaries, [])
        XCTAssertEqual(result.rejections.map(\.line), Array(2...10))
        XCTAssertEqual(result.rejectionCounts, [.unknownStrand: 8, .intergenic: 1])
        XCTAssertTrue(
            result.rejections[0].detail.contains("which segment is FGFR3 (5') and which TACC3 (3')"),
            result.rejections[0].detail)
        XCTAssertTrue(result.rejections[8].detail.contains("Type is 'non-fusion-gene'"), result.rejections[8].detail)
    }

    func testPlacedByTheAnnotation() throws {
        let result = try readAll(callerFile("squid.txt"), annotation: SampleGenes.annotation())
        // FusedGenes' 5' gene at its segment's junction end (`+`: end; `-`: start + 1); the same
        // positions and strands as STAR-Fusion's calls, but for the second FGFR3--TACC3 junction.
        XCTAssertEqual(
            result.summaries,
            [
                "2 FGFR3 4:1806934:+ TACC3 4:1727977:+",
                "3 FGFR3 4:1807038:+ TACC3 4:1727837:+",
                "4 TMPRSS2 21:41494375:- ETV1 7:13935838:-",
                "5 HOOK3 8:42968214:+ RET 10:43116584:+",
                "6 EWSR1 22:29287134:+ ATF1 12:50814280:+",
                "7 ETV6 12:11869969:+ NTRK3 15:87940753:-",
                "8 BRD4 19:15254152:- NUTM1 15:34347969:+",
                "9 AKAP9 7:92003235:+ BRAF 7:140787584:-",
            ])
        XCTAssertEqual(result.rejections.map(\.line), [10])
        XCTAssertEqual(result.rejectionCounts, [.intergenic: 1])
    }

    func testGeneStrandsAloneSettleOppositeSegmentStrands() throws {
        // Genes placed nowhere near the breakpoints: only their strands can help, and only where the
        // two segment strands differ (`- +`); `+ +` and `- -` fit either order.
        let result = try readAll(callerFile("squid.txt"), annotation: SampleGenes.annotation(placed: false))
        XCTAssertEqual(
            result.summaries,
            [
                "2 FGFR3 4:1806934:+ TACC3 4:1727977:+",
                "3 FGFR3 4:1807038:+ TACC3 4:1727837:+",
                "4 TMPRSS2 21:41494375:- ETV1 7:13935838:-",
                "5 HOOK3 8:42968214:+ RET 10:43116584:+",
                "6 EWSR1 22:29287134:+ ATF1 12:50814280:+",
            ])
        XCTAssertEqual(result.rejections.map(\.line), [7, 8, 9, 10])
        XCTAssertEqual(result.rejectionCounts, [.unknownStrand: 3, .intergenic: 1])
        XCTAssertTrue(
            result.rejections[0].detail.contains("which segment is ETV6 (5') and which NTRK3 (3')"),
            result.rejections[0].detail)

        let one = try readAll(
            callerFile("squid.txt"), annotation: SampleGenes.annotation(placed: false, only: ["TMPRSS2"]))
        XCTAssertEqual(one.summaries, ["4 TMPRSS2 21:41494375:- ETV1 7:13935838:-"])
    }

    /// Ensembl's GTF has the pseudoautosomal genes on X alone: a segment on Y inside a PAR is placed
    /// by the X copy at the same place of the region, so equal segment strands (`+ +`, where strands
    /// cannot tell the order) still find the 5' gene. CSF2RA (+) and P2RY8 (-) lie in PAR1.
    func testSegmentsInAPseudoautosomalRegionOfYArePlacedByTheXCopies() throws {
        let annotation = try GeneAnnotation(
            gtfPath: writeTemporary(
                [
                    "X\ttest\tgene\t1300000\t1320000\t.\t+\t.\tgene_id \"G1\"; gene_name \"CSF2RA\";",
                    "X\ttest\tgene\t1500000\t1520000\t.\t-\t.\tgene_id \"G2\"; gene_name \"P2RY8\";",
                ], name: "par.gtf"))
        let header = try callerLines("squid.txt")[0]
        let path = try writeTemporary(
            [
                header,
                "Y\t1305000\t1310000\tY\t1505000\t1506000\t.\t10\t+\t+\tfusion-gene\tCSF2RA:P2RY8",
                "Y\t1505000\t1506000\tY\t1305000\t1310000\t.\t10\t+\t+\tfusion-gene\tCSF2RA:P2RY8",
                "Y\t21305000\t21310000\tY\t21505000\t21506000\t.\t10\t+\t+\tfusion-gene\tCSF2RA:P2RY8",
            ], name: "squid_par.txt")
        let result = try readAll(path, annotation: annotation)
        XCTAssertEqual(
            result.summaries,
            ["2 CSF2RA Y:1310000:+ P2RY8 Y:1506000:-", "3 CSF2RA Y:1310000:+ P2RY8 Y:1506000:-"])
        XCTAssertEqual(result.rejections.map(\.line), [4], "outside the PARs, Y is not X")
        XCTAssertEqual(result.rejectionCounts, [.unknownStrand: 1])
    }

    func testRawOutputWithoutGenesIsRefused() throws {
        let path = try writeTemporary(
            [
                "# chrom1\tstart1\tend1\tchrom2\tstart2\tend2\tname\tscore\tstrand1\tstrand2\tnum_concordantfrag_bp1\t"
                    + "num_concordantfrag_bp2",
                "4\t1727976\t1728733\t4\t1806048\t1806934\t.\t785\t-\t+\t10\t12",
            ], name: "squid_sv.txt")
        assertThrows(try FusionReader(path: path), FusionInputError.self, code: .missingColumn)
    }

    func testMalformedRows() throws {
        let lines = try callerLines("squid.txt")
        let row = lines[1]
        let path = try writeTemporary(
            [
                lines[0],
                replacing(row, column: 8, with: "."),
                replacing(row, column: 1, with: "abc"),
                replacing(row, column: 5, with: "1806000"),
                replacing(row, column: 11, with: "FGFR3-TACC3"),
                truncating(row, to: 10),
                replacing(row, column: 3, with: ""),
                replacing(
                    replacing(row, column: 4, with: "9223372036854775807"), column: 5, with: "9223372036854775807"),
                replacing(row, column: 5, with: "9223372036854775808"),
            ], name: "squid_annotated.txt")
        assertMalformed(
            try readAll(path, annotation: SampleGenes.annotation()),
            [
                (2, ["strand1", "'.'"]),
                (3, ["start1", "'abc'"]),
                (4, ["end2 1806000", "start2 1806048"]),
                (5, ["FusedGenes", "'FGFR3-TACC3'"]),
                (6, ["10 column(s)", "Type"]),
                (7, ["chrom2", "empty"]),
                (8, ["end2 '9223372036854775807' is not a position (a whole number from 1 to 2^40)"]),
                (9, ["end2", "'9223372036854775808'"]),
            ])
    }
}
