import Foundation
import Fusions
import Genome
import TestSupport
import XCTest

final class PrepareJobTests: XCTestCase {
    private var genome: ReferenceGenome!

    override func setUpWithError() throws {
        genome = try ReferenceGenome(path: FusionsTestFiles.miniHg19)
    }

    func testRealMinichr2FusionsReproduceThePublishedRuleByteForByte() throws {
        let expected = try String(
            contentsOfFile: TestData.path("fusions/minichr2_real_fusions.expected_windows.tsv"), encoding: .utf8)
        for threads in [1, 2] {
            let result = try FusionsTestFiles.prepare(
                TestData.path("fusions/minichr2_real_fusions.tsv"), genome: genome, threads: threads)
            XCTAssertEqual(result.table, expected, "threads \(threads)")
            XCTAssertEqual(result.summary.written, 2)
            XCTAssertEqual(result.summary.canonicalDonors, 2, "both are exon-junction breakpoints: GT after the head")
            XCTAssertEqual(result.summary.canonicalAcceptors, 2, "...and AG before the tail")
            XCTAssertEqual(result.summary.clipped, 0)
        }
    }

    func testK562ChrMCallsInBoundsMatchAndBoundaryCallsArePaddedAndFlagged() throws {
        let input = TestData.path("fusions/k562_chrM.star-fusion.hg19.tsv")
        let result = try FusionsTestFiles.prepare(input, genome: genome)
        XCTAssertEqual(result.summary.format, .starFusion)
        XCTAssertEqual(result.summary.written, 15)
        XCTAssertEqual(result.summary.clipped, 14)

        let expected = try String(
            contentsOfFile: TestData.path("fusions/k562_chrM_inbounds.expected_windows.tsv"), encoding: .utf8)
        let lines = result.table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(
            lines.contains(String(expected.dropLast())), "the in-bounds MT-TR--MT-ND3 row equals its expected windows")

        // Every row: each window is chrM's bases over [bp-4999, bp+5000], N where that leaves chrM
        // (16,569 nt), reverse-complemented on `-`. (rCRS itself has one N, at 3107.)
        let chrM = try genome.makeReader().bases("chrM", from: 0, to: 16_569)
        func expectedWindow(_ bp: Int, _ strand: String) -> [UInt8] {
            let w = ((bp - 4_999)...(bp + 5_000)).map { $0 >= 1 && $0 <= 16_569 ? chrM[$0 - 1] : UInt8(ascii: "N") }
            return strand == "-" ? Nucleotides.reverseComplemented(w) : w
        }
        let qc = TSVTable(result.qc).rows
        XCTAssertEqual(qc.count, 15)
        for (row, qcRow) in zip(lines.filter { !$0.isEmpty }.map { $0.split(separator: "\t").map(String.init) }, qc) {
            var padding: [Int] = []
            for (bpColumn, strandColumn, sequenceColumn) in [(2, 3, 8), (6, 7, 9)] {
                let bp = try XCTUnwrap(Int(row[bpColumn]))
                XCTAssertEqual(
                    Array(row[sequenceColumn].utf8), expectedWindow(bp, row[strandColumn]), "\(row[0]) window at \(bp)")
                padding.append(max(0, 5_000 - bp) + max(0, bp + 5_000 - 16_569))
            }
            XCTAssertEqual(qcRow["head_padded_nt"], String(padding[0]))
            XCTAssertEqual(qcRow["tail_padded_nt"], String(padding[1]))
            XCTAssertEqual(qcRow["window_clipped"], padding[0] + padding[1] > 0 ? "yes" : "no")
        }
        XCTAssertEqual(qc.filter { $0["window_clipped"] == "yes" }.count, 14)
    }

    func testChromosomeAliasesAreResolvedAndReported() throws {
        let input = try FusionsTestFiles.write("PLA2R1\t2\t160832579\t-\tRBMS1\tchr2\t161159998\t-\n")
        let result = try FusionsTestFiles.prepare(input, genome: genome)
        XCTAssertEqual(result.summary.aliases, ["2": "chr2"])
        let expected = try String(
            contentsOfFile: TestData.path("fusions/minichr2_real_fusions.expected_windows.tsv"), encoding: .utf8)
        let expectedFirst = expected.split(separator: "\n")[0].split(separator: "\t")
        let row = result.table.split(separator: "\n")[0].split(separator: "\t")
        XCTAssertEqual(row[1], "2", "the record keeps the caller's own chromosome name")
        XCTAssertEqual(row[8], expectedFirst[8])
        XCTAssertEqual(row[9], expectedFirst[9])
        XCTAssertEqual(TSVTable(result.qc).column("head_chr_in_genome"), ["chr2"])
    }

    func testRowsThatCannotBeWindowedAreCountedWithReasons() throws {
        let input = try FusionsTestFiles.write(
            """
            PLA2R1\tchr2\t160832579\t-\tRBMS1\tchr2\t161159998\t-
            A\tchr99\t100\t+\tB\tchr2\t161159998\t-
            A\tchr2\t300000000\t+\tB\tchr2\t161159998\t-
            A\tchr2\t160832579\t.\tB\tchr2\t161159998\t-
            A\tchr2\tabc\t+\tB\tchr2\t161159998\t-
            A\tchr2\t160832579\t*\tB\tchr2\t161159998\t-
            A\tchr2\t160832579\t+\tB\tchr2

            """)
        let result = try FusionsTestFiles.prepare(input, genome: genome)
        XCTAssertEqual(result.summary.rows, 7)
        XCTAssertEqual(result.summary.written, 1)
        XCTAssertEqual(
            result.summary.rejected, [.unknownChromosome: 1, .positionOutOfRange: 1, .unknownStrand: 1, .malformed: 3])
        let rejects = TSVTable(result.rejects)
        XCTAssertEqual(rejects.column("line"), ["2", "3", "4", "5", "6", "7"], "rejects name their source lines")
        XCTAssertEqual(
            rejects.column("reason"),
            [
                Rejection.Reason.unknownChromosome, .positionOutOfRange, .unknownStrand, .malformed, .malformed,
                .malformed,
            ]
            .map(\.rawValue))
        // The detail column is the file's content for a person to act on: what it names is checked.
        let details = rejects.column("detail")
        XCTAssertTrue(details[0].contains("'chr99'"), details[0])
        XCTAssertTrue(details[2].contains("--annotation"), details[2])
        XCTAssertTrue(details[3].contains("Hbp 'abc'"), details[3])
        XCTAssertTrue(details[4].contains("Hstrand '*'"), details[4])
        XCTAssertTrue(details[5].contains("has 6 column(s)"), details[5])
        // The source row is kept whole in the `row` column, its tabs written as \t (they spread it
        // over cells under no name, which pandas then read under the others' names).
        XCTAssertEqual(rejects.columns.last, "row")
        XCTAssertTrue(rejects.rows.allSatisfy { $0.fields.count == rejects.columns.count })
        XCTAssertEqual(
            try XCTUnwrap(rejects.rows.first).fields.last, "A\\tchr99\\t100\\t+\\tB\\tchr2\\t161159998\\t-",
            "the row itself is kept")
    }

    /// A GRCh38 accession against a genome whose sequences are GRCh37 accessions is a build mismatch,
    /// named in the rejection; the same chromosome by its UCSC name or its GRCh37 version is windowed.
    func testRefSeqAccessionOfAnotherBuildIsRejectedWithTheReason() throws {
        let folder = try TestData.temporaryDirectory()
        let bases = String(repeating: "ACGTTGCA", count: 2_500)
        try ">NC_000002.11\n\(bases)\n".write(toFile: folder + "/ncbi.fa", atomically: false, encoding: .utf8)
        let ncbi = try ReferenceGenome(path: folder + "/ncbi.fa")
        let input = try FusionsTestFiles.write(
            """
            A\tchr2\t10000\t+\tB\tNC_000002.11\t12000\t+
            A\tNC_000002.12\t10000\t+\tB\tchr2\t12000\t+

            """)
        let result = try FusionsTestFiles.prepare(input, genome: ncbi)
        XCTAssertEqual(result.summary.written, 1)
        XCTAssertEqual(result.summary.rejected, [.unknownChromosome: 1])
        let rejects = TSVTable(result.rejects)
        XCTAssertEqual(rejects.column("line"), ["2"])
        XCTAssertEqual(
            rejects.column("detail"),
            [
                "head chromosome 'NC_000002.12' is not in the genome \(folder)/ncbi.fa (NC_000002.12 is chromosome 2 "
                    + "of hg38/GRCh38, and the genome's NC_000002.11 is hg19/GRCh37 by its name: a genome of the "
                    + "caller's build is needed)"
            ])
    }

    func testStrictStopsAtTheFirstRejectionNamingFileAndLine() throws {
        let input = try FusionsTestFiles.write(
            "PLA2R1\tchr2\t160832579\t-\tRBMS1\tchr2\t161159998\t-\nA\tchr2\tabc\t+\tB\tchr2\t1\t-\n")
        let error = assertThrows(
            try FusionsTestFiles.prepare(input, genome: genome, strict: true), FusionInputError.self,
            code: .rejectedRow)
        XCTAssertEqual(error?.path, input)
        XCTAssertEqual(error?.line, 2)
    }

    func testWithoutAGenomeRecordsAreNormalisedToEightColumns() throws {
        let input = try FusionsTestFiles.write(
            "#Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand\tsample\n"
                + "PLA2R1\tchr2\t160832579\t-\tRBMS1\tchr2\t161159998\t-\tHCC1395\n"
        )
        let result = try FusionsTestFiles.prepare(input, genome: nil, header: true)
        XCTAssertEqual(
            result.table,
            "Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand\tsample\n"
                + "PLA2R1\tchr2\t160832579\t-\tRBMS1\tchr2\t161159998\t-\tHCC1395\n"
        )
        XCTAssertEqual(result.fasta, "")
    }

    func testExtraColumnsFollowTheWindowsAndTheHeaderNamesThem() throws {
        let input = try FusionsTestFiles.write(
            "Hgene\tHchr\tHbp\tHstrand\tTgene\tTchr\tTbp\tTstrand\tlabel\n"
                + "PLA2R1\tchr2\t160832579\t-\tRBMS1\tchr2\t161159998\t-\t1\n"
        )
        let result = try FusionsTestFiles.prepare(input, genome: genome, header: true)
        let table = TSVTable(result.table)
        XCTAssertEqual(
            table.columns,
            ["Hgene", "Hchr", "Hbp", "Hstrand", "Tgene", "Tchr", "Tbp", "Tstrand", "HeadSeq", "TailSeq", "label"])
        let row = try XCTUnwrap(table.rows.first)
        XCTAssertEqual(row.fields.count, 11)
        XCTAssertEqual(row["label"], "1")
        XCTAssertEqual(row["HeadSeq"].count, 10_000)
    }

    func testDataFilesWithCRLFAndLabelsAreRead() throws {
        let expected = try String(
            contentsOfFile: TestData.path("fusions/minichr2_real_fusions.expected_windows.tsv"), encoding: .utf8)
        let data = expected.split(separator: "\n").enumerated().map { "\($0.element)\t\($0.offset % 2)\r\n" }.joined()
        let reader = try FusionReader(path: FusionsTestFiles.write(data))
        XCTAssertEqual(reader.format, .fusionaiData)
        guard case .record(let first)? = try reader.next(), case .record(let second)? = try reader.next() else {
            return XCTFail("two records expected")
        }
        XCTAssertNil(try reader.next())
        XCTAssertEqual(
            first.head, Breakpoint(gene: "PLA2R1", chromosome: "chr2", position: 160_832_579, strand: .minus))
        XCTAssertEqual(
            second.tail, Breakpoint(gene: "RBMS1", chromosome: "chr2", position: 161_143_595, strand: .minus))
        XCTAssertEqual(first.label, 0)
        XCTAssertEqual(second.label, 1)
        let fields = expected.split(separator: "\n")[0].split(separator: "\t")
        XCTAssertEqual(first.windows?.head, Array(fields[8].utf8))
        XCTAssertEqual(first.windows?.tail, Array(fields[9].utf8))
    }

    func testFASTAOutputHoldsTheTwentyKilobaseInput() throws {
        let result = try FusionsTestFiles.prepare(TestData.path("fusions/minichr2_real_fusions.tsv"), genome: genome)
        let entries = result.fasta.split(separator: ">").map { $0.split(separator: "\n") }
        XCTAssertEqual(entries.count, 2)
        XCTAssertEqual(entries[0][0], "PLA2R1--RBMS1_line1 head=chr2:160832579:- tail=chr2:161159998:-")
        XCTAssertTrue(entries[0].dropFirst().allSatisfy { $0.count <= 60 })
        let sequence = entries[0].dropFirst().joined()
        let fields = result.table.split(separator: "\n")[0].split(separator: "\t")
        XCTAssertEqual(sequence, String(fields[8] + fields[9]))
    }

    func testSmallBatchesAndThreadsGiveTheSameOutput() throws {
        let input = TestData.path("fusions/k562_chrM.star-fusion.hg19.tsv")
        let reference = try FusionsTestFiles.prepare(input, genome: genome, threads: 1)
        let split = try FusionsTestFiles.prepare(input, genome: genome, threads: 2, batchSize: 4)
        XCTAssertEqual(split.table, reference.table)
        XCTAssertEqual(split.qc, reference.qc)
    }
}
