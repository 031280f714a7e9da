import Fusions
import Genome
import XCTest

final class JaffaFormatTests: XCTestCase {
    /// `fusion genes` split at `:`, then chrom1:base1:strand1 and chrom2:base2:strand2 of every row.
    private let sampleCalls = [
        "2 GOPC chr6:117566854:- ROS1 chr6:117321394:-",
        "3 GOPC chr6:117566854:- ROS1 chr6:117320030:-",
        "4 AKAP9 chr7:92003235:+ BRAF chr7:140787584:-",
        "5 ETV6 chr12:11869969:+ NTRK3 chr15:87940753:-",
        "6 EWSR1 chr22:29287134:+ FLI1 chr11:128807180:+",
        "7 BRD4 chr19:15254152:- NUTM1 chr15:34347969:+",
        "8 EWSR1 chr22:29287134:+ ATF1 chr12:50814280:+",
        "9 CD74 chr5:150404680:- ROS1 chr6:117324415:-",
        "10 FGFR3 chr4:1806933:+ TACC3 chr4:1727978:+",
        "11 FGFR3 chr4:1806933:+ TACC3 chr4:1727982:+",
        "12 FGFR3 chr4:1806930:+ TACC3 chr4:1727978:+",
        "13 TMPRSS2 chr21:41494381:- ETV1 chr7:13935838:-",
    ]

    func testJaffa() throws {
        let result = try readAll(callerFile("jaffa.csv"))
        XCTAssertEqual(result.format, .jaffa)
        XCTAssertEqual(result.summaries, sampleCalls)
        XCTAssertEqual(result.rejections.count, 0)
        XCTAssertEqual(result.records.first?.sourceFields.count, 18)
    }

    func testQuotedFields() throws {
        // As R's write.csv writes it: text quoted, numbers bare; a comma and a quote inside quotes.
        let lines = try callerLines("jaffa.csv")
        var quoted = lines.map { line in
            line.split(separator: ",", omittingEmptySubsequences: false)
                .map { Double($0) == nil ? "\"\($0)\"" : String($0) }
                .joined(separator: ",")
        }
        quoted[1] = replacing(quoted[1], column: 0, with: "\"reads, run \"\"A\"\"\"", separator: ",")
        let result = try readAll(writeTemporary(quoted, name: "jaffa_results.csv"))
        XCTAssertEqual(result.format, .jaffa)
        XCTAssertEqual(result.summaries, sampleCalls)
        XCTAssertEqual(result.records.first?.sourceFields.first, "reads, run \"A\"")
        XCTAssertEqual(result.records.first?.sourceFields.count, 18)
    }

    /// jaffa.csv without its strand1 and strand2 columns, as JAFFA wrote before it had them.
    private func withoutStrands() throws -> String {
        let lines = try callerLines("jaffa.csv").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset != 4 && $0.offset != 7 }.map(\.element).joined(separator: ",")
        }
        XCTAssertTrue(lines[0].hasPrefix("sample,fusion genes,chrom1,base1,chrom2,base2,gap (kb)"))
        return try writeTemporary(lines, name: "jaffa_results.csv")
    }

    func testReleasesWithoutStrandColumns() throws {
        let result = try readAll(withoutStrands())
        XCTAssertEqual(result.format, .jaffa)
        XCTAssertEqual(result.rejections.count, 0)
        XCTAssertEqual(
            result.summaries,
            sampleCalls.map { $0.replacingOccurrences(of: ":+", with: ":.").replacingOccurrences(of: ":-", with: ":.") }
        )
    }

    func testAnnotationFillsUnknownStrands() throws {
        let result = try readAll(
            withoutStrands(), annotation: SampleGenes.annotation(only: ["GOPC", "ROS1", "FGFR3", "TACC3"]))
        XCTAssertEqual(
            result.summaries,
            [
                "2 GOPC chr6:117566854:- ROS1 chr6:117321394:-",
                "3 GOPC chr6:117566854:- ROS1 chr6:117320030:-",
                "4 AKAP9 chr7:92003235:. BRAF chr7:140787584:.",
                "5 ETV6 chr12:11869969:. NTRK3 chr15:87940753:.",
                "6 EWSR1 chr22:29287134:. FLI1 chr11:128807180:.",
                "7 BRD4 chr19:15254152:. NUTM1 chr15:34347969:.",
                "8 EWSR1 chr22:29287134:. ATF1 chr12:50814280:.",
                "9 CD74 chr5:150404680:. ROS1 chr6:117324415:-",
                "10 FGFR3 chr4:1806933:+ TACC3 chr4:1727978:+",
                "11 FGFR3 chr4:1806933:+ TACC3 chr4:1727982:+",
                "12 FGFR3 chr4:1806930:+ TACC3 chr4:1727978:+",
                "13 TMPRSS2 chr21:41494381:. ETV1 chr7:13935838:.",
            ])
    }

    /// A gene the annotation places on another chromosome than the call does (a reused symbol,
    /// another assembly) gives no strand; one that contradicts the caller's strand is counted, and
    /// the caller's strand kept.
    func testAnnotationStrandsComeOnlyFromGenesOnTheCallsChromosome() throws {
        let gtf = try writeTemporary(
            [
                "chr9\ttest\tgene\t1000\t2000\t.\t-\t.\tgene_id \"G1\"; gene_name \"GOPC\";",
                "chr6\ttest\tgene\t117320000\t117330000\t.\t-\t.\tgene_id \"G2\"; gene_name \"ROS1\";",
                "chr4\ttest\tgene\t1800000\t1810000\t.\t-\t.\tgene_id \"G3\"; gene_name \"FGFR3\";",
            ], name: "genes.gtf")
        let annotation = try GeneAnnotation(gtfPath: gtf)
        let unstranded = try readAll(withoutStrands(), annotation: annotation)
        XCTAssertEqual(
            Array(unstranded.summaries.prefix(2)),
            ["2 GOPC chr6:117566854:. ROS1 chr6:117321394:-", "3 GOPC chr6:117566854:. ROS1 chr6:117320030:-"])
        // ROS1 in rows 2, 3 and 9; FGFR3 (rows 10-12) is filled from chr4's gene, wrong as it is.
        XCTAssertEqual(unstranded.strands.filled, 6)
        XCTAssertEqual(unstranded.strands.contradicted, 0)

        let stranded = try readAll(callerFile("jaffa.csv"), annotation: annotation)
        XCTAssertEqual(stranded.summaries, sampleCalls, "the caller's strands are kept")
        XCTAssertEqual(stranded.strands.filled, 0)
        XCTAssertEqual(stranded.strands.contradicted, 3)
        XCTAssertEqual(
            stranded.strands.examples,
            [
                "line 10: FGFR3 at chr4:1806933 is + in the call, - in the annotation",
                "line 11: FGFR3 at chr4:1806933 is + in the call, - in the annotation",
                "line 12: FGFR3 at chr4:1806930 is + in the call, - in the annotation",
            ])
    }

    func testMalformedRows() throws {
        let lines = try callerLines("jaffa.csv")
        let row = lines[1]
        let path = try writeTemporary(
            [
                lines[0],
                replacing(row, column: 1, with: "GOPC-ROS1", separator: ","),
                replacing(row, column: 3, with: "1.2e5", separator: ","),
                replacing(row, column: 7, with: "?", separator: ","),
                replacing(row, column: 5, with: "", separator: ","),
                truncating(row, to: 6, separator: ","),
                replacing(row, column: 1, with: "A:B:C", separator: ","),
            ], name: "jaffa_results.csv")
        assertMalformed(
            try readAll(path),
            [
                (2, ["fusion genes", "'GOPC-ROS1'", "GENE1:GENE2"]),
                (3, ["base1", "'1.2e5'"]),
                (4, ["strand2", "'?'"]),
                (5, ["chrom2", "empty"]),
                (6, ["6 column(s)", "base2"]),
                (7, ["fusion genes", "'A:B:C'"]),
            ])
    }
}
