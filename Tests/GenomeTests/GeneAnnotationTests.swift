import Foundation
import Genome
import Support
import TestSupport
import XCTest

final class GeneAnnotationTests: XCTestCase {
    private let gtf = TestData.path("annotation/minichr2.gencode_v19.hg19.gtf")

    private func gtfLines() throws -> [String] {
        try String(contentsOfFile: gtf, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    private func write(_ lines: [String], name: String = "genes.gtf") throws -> String {
        let path = try TestData.temporaryDirectory("fusionai-gtf") + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// `name id start end strand` of each gene, sorted, to compare with values written out from the GTF.
    private func table(_ annotation: GeneAnnotation) -> [String] {
        annotation.genes.map { "\($0.name) \($0.id) \($0.chromosome):\($0.start)-\($0.end) \($0.strand.symbol)" }
            .sorted()
    }

    func testReadsTheGeneLinesOfGENCODE() throws {
        let annotation = try GeneAnnotation(gtfPath: gtf)
        // The 14 `gene` lines of the file (columns 1, 4, 5, 7 and gene_name / gene_id), and the two
        // genes the file gives only exon lines for, as the span of their exons.
        XCTAssertEqual(
            table(annotation),
            [
                "AC009299.2 ENSG00000235724.4 chr2:162079296-162083644 -",
                "AC009313.1 ENSG00000224467.1 chr2:161952742-162016735 -",
                "AC009313.2 ENSG00000232337.1 chr2:161905117-161907057 -",
                "AC009961.3 ENSG00000226266.2 chr2:160567228-160568946 -",
                "AC009961.5 ENSG00000227055.1 chr2:160668745-160670520 -",
                "CD302 ENSG00000241399.2 chr2:160625364-160654753 -",
                "ITGB6 ENSG00000115221.6 chr2:160956177-161128399 -",
                "LY75 ENSG00000054219.9 chr2:160628362-160761260 -",
                "LY75-CD302 ENSG00000248672.1 chr2:160628362-160761221 -",
                "MARCH7 ENSG00000136536.10 chr2:160569000-160627538 +",
                "MIR4785 ENSG00000263948.1 chr2:161264321-161264393 -",
                "PLA2R1 ENSG00000153246.7 chr2:160788519-160919121 -",
                "RBMS1 ENSG00000153250.13 chr2:161128662-161350305 -",
                "RMRPP3 ENSG00000252465.1 chr2:161253340-161253479 -",
                "RN7SL423P ENSG00000244372.2 chr2:161734058-161734359 +",
                "TANK ENSG00000136560.9 chr2:161993419-162092732 +",
            ])
    }

    func testStrandByNameOrID() throws {
        let annotation = try GeneAnnotation(gtfPath: gtf)
        XCTAssertEqual(annotation.strand(ofGene: "PLA2R1", chromosome: nil), .minus)
        XCTAssertEqual(annotation.strand(ofGene: "RBMS1", chromosome: "chr2"), .minus)
        XCTAssertEqual(annotation.strand(ofGene: "ITGB6", chromosome: "2"), .minus)
        XCTAssertEqual(annotation.strand(ofGene: "TANK", chromosome: nil), .plus)
        XCTAssertEqual(annotation.strand(ofGene: "MARCH7", chromosome: nil), .plus)
        // gene_id with its version, without it, and with another version.
        XCTAssertEqual(annotation.strand(ofGene: "ENSG00000136560.9", chromosome: nil), .plus)
        XCTAssertEqual(annotation.strand(ofGene: "ENSG00000153246", chromosome: nil), .minus)
        XCTAssertEqual(annotation.strand(ofGene: "ENSG00000153246.9", chromosome: nil), .minus)
        XCTAssertNil(annotation.strand(ofGene: "FGFR3", chromosome: nil))
        XCTAssertNil(annotation.strand(ofGene: "pla2r1", chromosome: nil), "names are case-sensitive, as GENCODE's are")
        // A gene the annotation has only on chr2 says nothing of a same-named gene on chr7.
        XCTAssertNil(annotation.strand(ofGene: "PLA2R1", chromosome: "chr7"))
        XCTAssertNil(annotation.strand(ofGene: "ENSG00000136560.9", chromosome: "7"))
    }

    func testGenesNamedOnAChromosome() throws {
        let annotation = try GeneAnnotation(gtfPath: gtf)
        let pla2r1 = annotation.genes(named: "PLA2R1", chromosome: "2")
        XCTAssertEqual(pla2r1.map(\.start), [160_788_519])
        XCTAssertEqual(pla2r1.map(\.end), [160_919_121])
        XCTAssertEqual(annotation.genes(named: "PLA2R1", chromosome: "chr3").count, 0)
        XCTAssertTrue(pla2r1.first?.contains(160_788_519) == true)
        XCTAssertFalse(pla2r1.first?.contains(160_788_518) == true)
        XCTAssertTrue(pla2r1.first?.contains(160_788_469, margin: 50) == true)
    }

    func testFallsBackToTranscriptsThenExons() throws {
        let lines = try gtfLines()
        func feature(_ line: String) -> String {
            line.split(separator: "\t", omittingEmptySubsequences: false).dropFirst(2).first.map(String.init) ?? ""
        }
        let noGenes = try GeneAnnotation(gtfPath: write(lines.filter { feature($0) != "gene" }))
        // Each gene's transcripts span exactly its gene line in GENCODE.
        XCTAssertEqual(table(noGenes), table(try GeneAnnotation(gtfPath: gtf)))

        let exonsOnly = try GeneAnnotation(gtfPath: write(lines.filter { feature($0) == "exon" }))
        // Exon lines also name two genes that have no gene or transcript line in this cut of GENCODE.
        XCTAssertEqual(exonsOnly.genes.count, 16)
        XCTAssertEqual(
            exonsOnly.genes(named: "PLA2R1").map { "\($0.start)-\($0.end) \($0.strand.symbol)" },
            ["160788519-160919121 -"])
        XCTAssertEqual(
            exonsOnly.genes(named: "AC009961.3").map { "\($0.start)-\($0.end) \($0.strand.symbol)" },
            ["160567228-160568946 -"])
        XCTAssertEqual(exonsOnly.strand(ofGene: "TANK", chromosome: nil), .plus)
    }

    /// Ensembl's GTF has the pseudoautosomal genes on X only: a call inside a PAR on Y takes the X
    /// copy's strand when that lies in the same build's PAR, and no other X gene's. NCBI's GTF
    /// names chromosomes by RefSeq accession, which calls on chr2 match.
    func testStrandsOfPseudoautosomalGenesOnYAndOfRefSeqNamedChromosomes() throws {
        let gene = { (chromosome: String, start: Int, strand: String, name: String) in
            "\(chromosome)\ttest\tgene\t\(start)\t\(start + 20_000)\t.\t\(strand)\t.\tgene_id \"\(name)\"; "
                + "gene_name \"\(name)\";"
        }
        let annotation = try GeneAnnotation(
            gtfPath: write([
                gene("X", 1_400_000, "-", "CSF2RA"), gene("X", 155_800_000, "+", "VAMP7"),
                gene("X", 50_000_000, "+", "SHROOM4"), gene("X", 155_071_420, "-", "BRCC3"),
                gene("NC_000002.12", 1_000, "-", "TPO"),
            ]))
        XCTAssertEqual(annotation.strand(ofGene: "CSF2RA", chromosome: "chrY", position: 1_410_000), .minus)
        XCTAssertEqual(annotation.strand(ofGene: "VAMP7", chromosome: "Y", position: 56_990_000), .plus)
        XCTAssertNil(annotation.strand(ofGene: "VAMP7", chromosome: "Y", position: 20_000_000), "not in a PAR of Y")
        XCTAssertNil(annotation.strand(ofGene: "CSF2RA", chromosome: "Y"), "no position, no PAR to check")
        XCTAssertNil(annotation.strand(ofGene: "SHROOM4", chromosome: "chrY", position: 1_410_000), "not in a PAR")
        // GRCh38's BRCC3 lies at GRCh37's PAR2 coordinates on X; a call in GRCh38's PAR2 on Y is no copy of it.
        XCTAssertNil(annotation.strand(ofGene: "BRCC3", chromosome: "Y", position: 56_990_000))
        XCTAssertNil(annotation.strand(ofGene: "CSF2RA", chromosome: "chr7", position: 1_410_000))
        XCTAssertEqual(annotation.strand(ofGene: "TPO", chromosome: "chr2"), .minus)
        XCTAssertNil(annotation.strand(ofGene: "TPO", chromosome: "chr3"))
        XCTAssertEqual(annotation.strand(ofGene: "TPO", chromosome: "NC_000002.12"), .minus)
        XCTAssertNil(annotation.strand(ofGene: "TPO", chromosome: "NC_000002.11"), "GRCh37's chr2, another sequence")

        // Places: GRCh37's PAR1 lies 50 kb further on X than on Y, GRCh38's at the same coordinates.
        XCTAssertTrue(annotation.gene(named: "CSF2RA", liesAt: 1_410_000, on: "chrX"))
        XCTAssertTrue(annotation.gene(named: "CSF2RA", liesAt: 1_360_000, on: "chrY"), "GRCh37: X 1,410,000")
        XCTAssertTrue(annotation.gene(named: "CSF2RA", liesAt: 1_410_000, on: "Y"), "GRCh38: X 1,410,000")
        XCTAssertFalse(annotation.gene(named: "CSF2RA", liesAt: 1_200_000, on: "Y"), "X 1,250,000 or 1,200,000")
        XCTAssertTrue(annotation.gene(named: "CSF2RA", liesAt: 1_349_960, on: "Y", margin: 50), "X 1,399,960")
        XCTAssertFalse(annotation.gene(named: "VAMP7", liesAt: 155_810_000, on: "Y"), "Y ends before X's PAR2")
        XCTAssertTrue(annotation.gene(named: "VAMP7", liesAt: 56_996_520, on: "Y"), "GRCh38 PAR2: X 155,810,000")
        XCTAssertFalse(annotation.gene(named: "SHROOM4", liesAt: 1_410_000, on: "Y"), "X outside the PARs")
        XCTAssertFalse(annotation.gene(named: "CSF2RA", liesAt: 1_410_000, on: "chr7"))
        XCTAssertTrue(annotation.gene(named: "TPO", liesAt: 11_000, on: "chr2"))
        XCTAssertFalse(annotation.gene(named: "TPO", liesAt: 21_001, on: "chr2"))
    }

    /// A PAR gene has one ID on X and on Y; without gene lines each copy is still a gene, as the
    /// gene-model reader (which negatives use) has always kept it.
    func testAnIDOnTwoChromosomesIsTwoGenesWithoutGeneLines() throws {
        let path = try write([
            "chrX\ttest\ttranscript\t100\t200\t.\t+\t.\tgene_id \"PAR1\"; gene_name \"CSF2RA\"; transcript_id \"T1\";",
            "chrY\ttest\ttranscript\t300\t400\t.\t+\t.\tgene_id \"PAR1\"; gene_name \"CSF2RA\"; transcript_id \"T1\";",
        ])
        let annotation = try GeneAnnotation(gtfPath: path)
        XCTAssertEqual(annotation.genes(named: "CSF2RA", chromosome: "Y").map { "\($0.start)-\($0.end)" }, ["300-400"])
        XCTAssertEqual(
            annotation.genes(named: "CSF2RA", chromosome: "chrX").map { "\($0.start)-\($0.end)" }, ["100-200"])
        XCTAssertEqual(try GeneModels(gtfPath: path).models.map(\.gene.chromosome), ["chrX", "chrY"])
    }

    func testOnlyANumericSuffixIsAVersion() {
        XCTAssertEqual(GeneAnnotation.unversioned("ENSG00000153246.7"), "ENSG00000153246")
        XCTAssertNil(GeneAnnotation.unversioned("ENSG00000182162.10_PAR_Y"))
        XCTAssertNil(GeneAnnotation.unversioned("ENSG00000153246"))
        XCTAssertNil(GeneAnnotation.unversioned("ENSG00000153246."))
    }

    func testReadsGzip() throws {
        let dir = try TestData.temporaryDirectory("fusionai-gtf")
        let gz = dir + "/genes.gtf.gz"
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -c '\(gtf)' > '\(gz)'"]
        try gzip.run()
        gzip.waitUntilExit()
        try XCTSkipUnless(gzip.terminationStatus == 0, "gzip is not available")
        let annotation = try GeneAnnotation(gtfPath: gz)
        XCTAssertEqual(annotation.genes.count, 16)
        XCTAssertEqual(annotation.strand(ofGene: "RBMS1", chromosome: nil), .minus)
    }

    func testNameOnBothStrandsNeedsTheChromosome() throws {
        let path = try write([
            "# a name reused on two chromosomes, on opposite strands",
            "chr1\ttest\tgene\t100\t200\t.\t+\t.\tgene_id \"G1.1\"; gene_name \"TWIN\";",
            "chr2\ttest\tgene\t100\t200\t.\t-\t.\tgene_id \"G2.1\"; gene_name \"TWIN\";",
            "chr3\ttest\tgene\t100\t200\t.\t+\t.\tgene_id \"G3\"; gene \"REFSEQSTYLE\";",
            "chr3\ttest\tgene\t300\t400\t.\t.\t.\tgene_id \"G4\";",
        ])
        let annotation = try GeneAnnotation(gtfPath: path)
        XCTAssertNil(annotation.strand(ofGene: "TWIN", chromosome: nil))
        XCTAssertEqual(annotation.strand(ofGene: "TWIN", chromosome: "chr1"), .plus)
        XCTAssertEqual(annotation.strand(ofGene: "TWIN", chromosome: "2"), .minus)
        XCTAssertNil(annotation.strand(ofGene: "TWIN", chromosome: "chr5"))
        XCTAssertEqual(annotation.strand(ofGene: "G2", chromosome: nil), .minus)
        XCTAssertEqual(
            annotation.strand(ofGene: "REFSEQSTYLE", chromosome: nil), .plus,
            "`gene` names the gene when gene_name is absent")
        XCTAssertEqual(
            annotation.genes(named: "G4").map(\.name), ["G4"], "gene_id names the gene when nothing else does")
        XCTAssertNil(annotation.strand(ofGene: "G4", chromosome: nil), "an unstranded gene gives no strand")
    }

    func testMalformedLinesThatMatterNameFileAndLine() throws {
        let gene = "chr1\ttest\tgene\t100\t200\t.\t+\t.\tgene_id \"G1\"; gene_name \"A\";"
        // Transcript and exon lines matter only in a file without gene lines.
        let exon = "chr1\ttest\texon\t100\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";"
        let cases: [(good: String, bad: String, words: [String])] = [
            (gene, "chr1\ttest\tgene\tabc\t200\t.\t+\t.\tgene_id \"G2\";", ["column 4 (start)", "'abc'"]),
            (gene, "chr1\ttest\tgene\t300\t200\t.\t+\t.\tgene_id \"G2\";", ["column 5 (end)", "'200'"]),
            (gene, "chr1\ttest\tgene\t100\t200", ["5 tab-separated column(s)"]),
            (gene, "chr1 test gene 100 200 . + . gene_id", ["1 tab-separated column(s)"]),
            (exon, "chr1\ttest\texon\t100\t200\t.\t*\t.\tgene_id \"G2\";", ["column 7 (strand)", "'*'"]),
            (exon, "chr1\ttest\texon\t100\t200\t.\t+\t.\ttranscript_id \"T2\";", ["exon line without a gene_id"]),
            (exon, "\ttest\ttranscript\t100\t200\t.\t+\t.\tgene_id \"G2\";", ["column 1 (seqname) is empty"]),
        ]
        for (good, bad, words) in cases {
            let path = try write(["#!genome-build test", good, bad])
            let error = assertThrows(try GeneAnnotation(gtfPath: path), GenomeError.self, code: .corrupt)
            XCTAssertEqual(error?.path, path, bad)
            XCTAssertEqual(error?.line, 3, bad)
            // The column and value have no field of their own: the message is what names them.
            for word in words {
                XCTAssertTrue(
                    error?.message.contains(word) == true, "'\(String(describing: error))' should mention '\(word)'")
            }
        }
    }

    func testLinesOfOtherFeaturesDoNotMatter() throws {
        let path = try write([
            "chr1\ttest\tgene\t100\t200\t.\t+\t.\tgene_id \"G1\"; gene_name \"A\";",
            "chr1\ttest\tCDS\tnot-a-number\t200\t.\t?\t.\tgene_id \"G1\";",
            "chr1\ttest\tfive_prime_utr\tnot-a-number\t200\t.\t+\t.\ttranscript_id \"T1\";",
            "chr1\ttest\tstart_codon",
            "",
        ])
        XCTAssertEqual(try GeneAnnotation(gtfPath: path).strand(ofGene: "A", chromosome: nil), .plus)
    }

    /// Coordinates up to 2^40 are read; past it (no chromosome is that long) a line is an error, so
    /// no margin arithmetic on gene spans can overflow.
    func testCoordinatesAreBoundedAtTwoToTheForty() throws {
        let path = try write(["chr1\ttest\tgene\t1099511627000\t1099511627776\t.\t-\t.\tgene_id \"BIG\";"])
        let gene = try XCTUnwrap(try GeneAnnotation(gtfPath: path).genes(named: "BIG").first)
        XCTAssertTrue(gene.contains(1 << 40, margin: 50))
        XCTAssertFalse(gene.contains(1, margin: 50))
        let tooBig = try write(["chr1\ttest\tgene\t9223372036854775000\t9223372036854775807\t.\t-\t.\tgene_id \"BIG\";"]
        )
        XCTAssertEqual(assertThrows(try GeneAnnotation(gtfPath: tooBig), GenomeError.self, code: .corrupt)?.line, 1)
        let notANumber = try write(["chr1\ttest\tgene\t1\t9223372036854775808\t.\t-\t.\tgene_id \"BIG\";"])
        XCTAssertEqual(assertThrows(try GeneAnnotation(gtfPath: notANumber), GenomeError.self, code: .corrupt)?.line, 1)
    }

    /// Column 9 in the shapes GTFs write it (read by bytes since the fuzzing work; these are the
    /// Characters' answers): quoted or bare values, runs of blanks, a tab after the key, no final `;`,
    /// empty pairs, a key that begins another (`gene` in `gene_id`), and a name that is not ASCII.
    func testAttributeShapes() throws {
        let path = try write([
            "chr1\tt\tgene\t1\t10\t.\t+\t.\tgene_id \"G1\"; gene_name \"A\";",
            "chr1\tt\tgene\t1\t10\t.\t-\t.\tgene_id G2 ;;  gene_name   B  ;",
            "chr1\tt\tgene\t1\t10\t.\t+\t.\tgene_id\t\"G3\";gene \"C\"",
            "chr1\tt\tgene\t1\t10\t.\t+\t.\tgene_idx \"no\"; gene_id \"G4\"; gene_names \"no\"",
            "chr1\tt\tgene\t1\t10\t.\t-\t.\tgene_id \"G5\"; gene_name \"ÉPÉE\"; tag \"x;y\"",
        ])
        let annotation = try GeneAnnotation(gtfPath: path)
        XCTAssertEqual(
            annotation.genes.map { "\($0.name) \($0.id)" }, ["A G1", "B G2", "C G3", "G4 G4", "ÉPÉE G5"])
        // The first gene_id counts, even when empty.
        let noID = try write(["chr1\tt\tgene\t1\t10\t.\t+\t.\tgene_idx \"G\"; gene_id \"\"; gene_id \"G\""])
        XCTAssertEqual(assertThrows(try GeneAnnotation(gtfPath: noID), GenomeError.self, code: .corrupt)?.line, 1)
    }

    func testUnusableFiles() throws {
        assertThrows(try GeneAnnotation(gtfPath: "/nonexistent/genes.gtf"), TextFileError.self, code: .notFound)
        let noGenes = try write(["# comments only", "chr1\ttest\tCDS\t1\t2\t.\t+\t0\tgene_id \"G\";"])
        assertThrows(try GeneAnnotation(gtfPath: noGenes), GenomeError.self, code: .unsupportedFormat)
    }
}
