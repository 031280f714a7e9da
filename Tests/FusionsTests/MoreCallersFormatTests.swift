import Foundation
import Genome
import TestSupport
import XCTest

@testable import Fusions

/// The callers added from `more-callers/` (real outputs) and `Tests/Fixtures/callers/` (built from
/// the callers' documentation and code). Each test derives every row's expected record from the
/// file's own columns, with the position convention stated, and pins the first rows by value.
final class MoreCallersFormatTests: XCTestCase {
    private func moreCallers(_ name: String) -> String { TestData.path("fusions/more-callers/" + name) }

    /// The text of `path` with `\n` line ends (some files are CRLF, and Swift reads `\r\n` as one character).
    private func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The lines of `path`, blank ones dropped.
    private func lines(_ path: String) throws -> [String] { try text(path).split(separator: "\n").map(String.init) }

    /// `path` as a headed table.
    private func table(_ path: String) throws -> TSVTable { TSVTable(try text(path)) }

    /// `GENE chr:pos:strand`, as ``FusionRecord/summary`` writes one side.
    private func side(_ gene: String, _ chromosome: String, _ position: Int, _ strand: String) -> String {
        "\(gene) \(chromosome):\(position):\(strand)"
    }

    /// deFuse: `genomic_break_pos` 1-based as written; the 5' partner is the one whose
    /// `gene_align_strand` is `+`; `+`/`+` and `-`/`-` are rejected; strands are `gene_strand`.
    func testDefuse() throws {
        try assertDefuseFamily(moreCallers("defuse.tsv"), .deFuse)
        let result = try readAll(moreCallers("defuse.tsv"))
        XCTAssertEqual(
            result.summaries.prefix(2),
            ["2 RCC1 1:28834672:+ HENMT1 1:109202584:-", "4 IFITM1 11:314356:+ IFITM3 11:320248:-"])
        XCTAssertEqual(result.rejections.count, 2)
    }

    /// nFuse: deFuse's columns and rule (row 1 has gene 2 as 5'); `breakpos1/2` are not used.
    func testNFuse() throws {
        try assertDefuseFamily(Fixtures.path("nfuse.tsv"), .nFuse)
        XCTAssertEqual(
            try readAll(Fixtures.path("nfuse.tsv")).summaries,
            ["2 PHBP1 6:150364072:+ TMEM89 3:48658896:-", "3 PLA2R1 2:160832579:- RBMS1 2:161159998:-"])
    }

    private func assertDefuseFamily(_ path: String, _ format: FusionFormat) throws {
        let result = try readAll(path)
        XCTAssertEqual(result.format, format)
        var expected: [String] = []
        var rejected: [Int] = []
        for (i, row) in try table(path).rows.enumerated() {
            let sides = ["1", "2"].map {
                side(
                    row["gene_name" + $0], row["gene_chromosome" + $0], Int(row["genomic_break_pos" + $0]) ?? 0,
                    row["gene_strand" + $0])
            }
            switch (row["gene_align_strand1"], row["gene_align_strand2"]) {
            case ("+", "-"): expected.append("\(i + 2) \(sides[0]) \(sides[1])")
            case ("-", "+"): expected.append("\(i + 2) \(sides[1]) \(sides[0])")
            default: rejected.append(i + 2)
            }
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(result.rejections.map(\.line), rejected)
        XCTAssertTrue(result.rejections.allSatisfy { $0.reason == .unknownStrand })
    }

    /// ChimPipe: `juncCoord` = donor `chr_pos_strand` : acceptor `chr_pos_strand`, 1-based, donor 5'.
    func testChimPipe() throws {
        let path = moreCallers("chimpipe.txt")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .chimPipe)
        let expected = try table(path).rows.enumerated().map { i, row in
            let halves = row["juncCoord"].split(separator: ":").map { $0.split(separator: "_").map(String.init) }
            let genes = [row["gnNamesA"], row["gnNamesB"]]
            let sides = (0..<2).map { side(genes[$0], halves[$0][0], Int(halves[$0][1]) ?? 0, halves[$0][2]) }
            return "\(i + 2) \(sides[0]) \(sides[1])"
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(
            result.summaries.prefix(2),
            ["2 KRT86 chr12:52643212:+ KRT7 chr12:52645561:+", "3 LRP1B chr2:142237965:- PLXDC1 chr17:37265644:-"])
    }

    /// InFusion: `break_pos1/2` 1-based; no strands, so without an annotation rows stay as written
    /// with `.`; genes are the first of a `;` list.
    func testInFusion() throws {
        let path = moreCallers("infusion.txt")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .inFusion)
        let expected = try table(path).rows.enumerated().map { i, row in
            let genes = [row["genes_1"], row["genes_2"]].map { String($0.split(separator: ";")[0]) }
            return "\(i + 2) \(side(genes[0], row["ref1"], Int(row["break_pos1"]) ?? 0, "."))"
                + " \(side(genes[1], row["ref2"], Int(row["break_pos2"]) ?? 0, "."))"
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(result.summaries.first, "2 TMPRSS2 21:42880008:. ERG 21:39817544:.")
    }

    /// With gene strands, InFusion's `region` sides settle the order: TMPRSS2-ERG (sides R, L) is
    /// as written when both genes are `-`, reversed when both are `+`, and fits neither order with
    /// `-`/`+`. The strands here are made up to exercise the rule, not all the genes' real ones.
    func testInFusionOrientedByAnnotation() throws {
        let lines = try lines(moreCallers("infusion.txt"))
        let path = try writeTemporary(Array(lines.prefix(2)), name: "infusion.txt")
        let minus = try annotation(["TMPRSS2": ("21", 42_880_008, "-"), "ERG": ("21", 39_817_544, "-")])
        XCTAssertEqual(
            try readAll(path, annotation: minus).summaries, ["2 TMPRSS2 21:42880008:- ERG 21:39817544:-"])
        let plus = try annotation(["TMPRSS2": ("21", 42_880_008, "+"), "ERG": ("21", 39_817_544, "+")])
        XCTAssertEqual(
            try readAll(path, annotation: plus).summaries, ["2 ERG 21:39817544:+ TMPRSS2 21:42880008:+"])
        let mixed = try annotation(["TMPRSS2": ("21", 42_880_008, "-"), "ERG": ("21", 39_817_544, "+")])
        XCTAssertEqual(try readAll(path, annotation: mixed).rejections.map(\.reason), [.unknownStrand])
    }

    /// PRADA (with chimeraviz's leading `sample` column): Gene_A 5', strands 1/-1, positions from
    /// `Junction` (1-based), one record per entry in the order written, each on the row's line.
    func testPrada() throws {
        let path = moreCallers("prada.tsv")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .prada)
        var expected: [String] = []
        for (i, row) in try table(path).rows.enumerated() {
            let strands = [row["A_strand"], row["B_strand"]].map { $0 == "1" ? "+" : "-" }
            let genes = [row["Gene_A"], row["Gene_B"]]
            for entry in row["Junction"].split(separator: "|") {
                let parts = entry.split(separator: ",")[0].split(separator: ":")
                let chromosomes = [String(parts[1]), String(parts[3])]
                let positions = [parts[2].split(separator: "_")[0], parts[4]].map { Int($0) ?? 0 }
                let sides = (0..<2).map { side(genes[$0], chromosomes[$0], positions[$0], strands[$0]) }
                expected.append("\(i + 2) \(sides[0]) \(sides[1])")
            }
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(
            result.summaries.prefix(3),
            [
                "2 TBCD 17:80842078:+ GLIPR2 9:36147783:+", "2 TBCD 17:80842078:+ GLIPR2 9:36162359:+",
                "3 DAB2 5:39392467:- ARSB 5:78265015:-",
            ])
    }

    /// A PRADA row's entries count as rows: read = written + rejected, a bad entry rejected alone.
    func testPradaEntriesAreCountedAsRows() throws {
        let lines = try lines(moreCallers("prada.tsv"))
        let bad = lines[1].replacingOccurrences(of: "GLIPR2:9:36162359,2", with: "GLIPR2:9:x,2")
        let path = try writeTemporary([lines[0], bad, lines[2]], name: "prada.tsv")
        let prepared = try FusionsTestFiles.prepare(path, genome: nil)
        XCTAssertEqual(prepared.summary.rows, 3)
        XCTAssertEqual(prepared.summary.written, 2)
        XCTAssertEqual(prepared.summary.totalRejected, 1)
        XCTAssertEqual(
            TSVTable("line\treason\tdetail\trow\n" + prepared.rejects.split(separator: "\n")[1]).column("line"), ["2"])
    }

    /// SOAPfuse: up = 5', dw = 3', `*_Genome_pos` 1-based, `*_strand` the genes'.
    func testSOAPfuse() throws {
        let path = moreCallers("soapfuse.txt")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .soapFuse)
        let expected = try table(path).rows.enumerated().map { i, row in
            let sides = ["up_", "dw_"].map {
                side(row[$0 + "gene"], row[$0 + "chr"], Int(row[$0 + "Genome_pos"]) ?? 0, row[$0 + "strand"])
            }
            return "\(i + 2) \(sides[0]) \(sides[1])"
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(result.summaries.first, "2 APLP2 chr11:129991686:+ HMGB2 chr4:174253292:-")
    }

    /// TopHat-Fusion `result.txt`: no header; columns 2-4 and 5-7, 0-based (so +1), left = 5',
    /// no strands (`.` until an annotation fills them).
    func testTopHatFusion() throws {
        let path = moreCallers("tophat_fusion.txt")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .tophatFusion)
        XCTAssertNil(try FusionReader(path: path).header)
        let expected = try lines(path).enumerated().map { i, line in
            let f = line.split(separator: "\t").map(String.init)
            return
                "\(i + 1) \(side(f[1], f[2], (Int(f[3]) ?? 0) + 1, ".")) \(side(f[4], f[5], (Int(f[6]) ?? 0) + 1, "."))"
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(result.summaries.first, "1 LOC731424 chr4:185765276:. SNX25 chr4:186231970:.")
    }

    /// FusionMap: KnownGene1 5', `Position1/2` 1-based, `Strand` two characters (5' then 3').
    func testFusionMap() throws {
        let path = moreCallers("fusionmap.txt")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .fusionMap)
        let expected = try table(path).rows.enumerated().map { i, row in
            let strands = Array(row["Strand"]).map(String.init)
            let sides = ["1", "2"].enumerated().map { k, n in
                side(row["KnownGene" + n], row["Chromosome" + n], Int(row["Position" + n]) ?? 0, strands[k])
            }
            return "\(i + 2) \(sides[0]) \(sides[1])"
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(
            result.summaries.prefix(2),
            ["2 FADS3 11:61646784:- MTOR 1:11184690:-", "3 PLK3 1:45268527:+ TBCK 4:107152936:-"])
    }

    /// Oncofuse: `GENOMIC` holds the deleted (intron) bases, so the record's base is one step into
    /// each exon along the gene's strand, which only an annotation gives: without one every row is
    /// rejected as strand unknown. The strands in the test annotation are made up for the rule.
    func testOncofuse() throws {
        let path = moreCallers("oncofuse.tsv")
        let bare = try readAll(path)
        XCTAssertEqual(bare.format, .oncofuse)
        XCTAssertEqual(bare.records.count, 0)
        XCTAssertEqual(bare.rejections.count, try table(path).rows.count)
        XCTAssertTrue(bare.rejections.allSatisfy { $0.reason == .unknownStrand })
        let genes = try annotation([
            "PGC": ("chr6", 41_712_527, "-"), "CLTC": ("chr17", 57_724_876, "+"),
            "ILF2": ("chr1", 153_638_199, "+"), "PLK2": ("chr5", 57_751_885, "-"),
        ])
        let result = try readAll(path, annotation: genes)
        // 5' `-`: one base up; 3' `+`: one up; 5' `+`: one down; 3' `-`: one down.
        XCTAssertEqual(
            result.summaries.prefix(2),
            ["2 PGC chr6:41712528:- CLTC chr17:57724877:+", "3 ILF2 chr1:153638198:+ PLK2 chr5:57751884:-"])
    }

    /// LongGF log: only `GF` lines; positions the junction histogram's mode, 0-based (+1); genes in
    /// ID order with no strand, so as written with `.`, or oriented with an annotation by the L/R
    /// sides (the annotation's strands here are made up for the rule).
    func testLongGF() throws {
        let path = moreCallers("longgf_hg38.log")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .longGF)
        XCTAssertEqual(
            result.summaries,
            ["1 BCAS4 chr20:50795176:. BCAS3 chr17:61368325:.", "2 HNRNPC chr14:21261949:. ACIN1 chr14:23080476:."])
        let genes = try annotation([
            "BCAS4": ("chr20", 50_795_176, "-"), "BCAS3": ("chr17", 61_368_325, "-"),
            "HNRNPC": ("chr14", 21_261_949, "-"), "ACIN1": ("chr14", 23_080_476, "-"),
        ])
        // BCAS4 is kept left of its junction (0/59), BCAS3 right: with both genes `-` only the
        // reverse order fits; HNRNPC (24/0, right) then ACIN1 (left) fit as written.
        XCTAssertEqual(
            try readAll(path, annotation: genes).summaries,
            ["1 BCAS3 chr17:61368325:- BCAS4 chr20:50795176:-", "2 HNRNPC chr14:21261949:- ACIN1 chr14:23080476:-"])
        let withNoise = try writeTemporary(
            ["[main] reading chimeric alignments", "SumGF\tBCAS4:BCAS3 59 chr20:50795173 chr17:61368324"]
                + (try lines(path)), name: "longgf.log")
        XCTAssertEqual(try readAll(withNoise, format: .longGF).records.count, 2)
    }

    /// FusionInspector (abridged) and STAR-Fusion with coding effect: the STAR-Fusion reader, by name.
    func testStarFusionFamilyFiles() throws {
        for (file, first) in [
            ("fusioninspector_abridged.tsv", "2 AL627171.2 chr14:49862686:- TPM3 chr1:154166382:-"),
            ("starfusion_coding_effect.tsv", "2 RP11-9L18.2 chr1:166245790:- FLI1 chr11:128675261:+"),
        ] {
            let path = moreCallers(file)
            let result = try readAll(path)
            XCTAssertEqual(result.format, .starFusion, file)
            let expected = try table(path).rows.enumerated().map { i, row in
                let sides = ["Left", "Right"].map { name in
                    let gene = String(row[name + "Gene"].split(separator: "^")[0])
                    let site = row[name + "Breakpoint"].split(separator: ":").map(String.init)
                    return side(gene, site[0], Int(site[1]) ?? 0, site[2])
                }
                return "\(i + 2) \(sides[0]) \(sides[1])"
            }
            XCTAssertEqual(result.summaries, expected, file)
            XCTAssertEqual(result.summaries.first, first, file)
        }
    }

    /// AGFusion's Arriba file: the Arriba reader (breakpoints `chr:pos`, 1-based, fusion strands).
    func testArribaFromAGFusion() throws {
        let result = try readAll(moreCallers("arriba_agfusion.tsv"))
        XCTAssertEqual(result.format, .arriba)
        XCTAssertEqual(result.summaries, ["2 BCR 22:23632600:+ ABL1 9:133729451:+"])
    }

    /// ChimeraScan BEDPE: 0-based inclusive ends; 5' junction = end5p on `+` (start5p on `-`), 3'
    /// junction = start3p on `+` (end3p on `-`), each plus one.
    func testChimeraScan() throws {
        let path = Fixtures.path("chimerascan.bedpe")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .chimeraScan)
        let expected = try table(path).rows.enumerated().map { i, row in
            let five = Int(row[row["strand5p"] == "+" ? "end5p" : "start5p"]) ?? 0
            let three = Int(row[row["strand3p"] == "+" ? "start3p" : "end3p"]) ?? 0
            return "\(i + 2) \(side(row["genes5p"], row["chrom5p"], five + 1, row["strand5p"]))"
                + " \(side(row["genes3p"], row["chrom3p"], three + 1, row["strand3p"]))"
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(
            result.summaries,
            ["2 THRA chr17:38243106:+ AC090627.1 chr17:46371709:+", "3 PLA2R1 chr2:160832579:- RBMS1 chr2:161159998:-"])
    }

    /// FusionHunter: one record per block (`# Fusion:` ... `# Total # of Junction Spanning Reads: k`),
    /// its line the block's first. Junction from each `->` line's segments (1-based): A at its end
    /// when oA is `+` (else its start), B at its start when oB is `+` (else its end). Read order is
    /// kept without an annotation (strands `.`); with one, the genes' strands set order and strands.
    func testFusionHunter() throws {
        let path = Fixtures.path("fusionhunter.fusion")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .fusionHunter)
        var expected: [String] = []
        let lines = try text(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, line) in lines.enumerated() where line.hasPrefix("# Fusion:") {
            let open = try XCTUnwrap(line.lastIndex(of: "["))
            let orientation = Array(line[line.index(after: open)...].prefix(2))
            let read = lines[i + 1].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let segments = [read[4], read[5]].map { $0.split(whereSeparator: { $0 == ":" || $0 == "-" }) }
            let a = Int(segments[0][orientation[0] == "+" ? 2 : 1]) ?? 0
            let b = Int(segments[1][orientation[1] == "+" ? 1 : 2]) ?? 0
            expected.append(
                "\(i + 1) \(side(read[6], String(segments[0][0]), a, "."))"
                    + " \(side(read[8], String(segments[1][0]), b, "."))"
            )
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(
            result.summaries,
            ["1 C16orf87 chr16:46836982:. AKAP6 chr14:33243099:.", "5 PLA2R1 chr2:160832579:. RBMS1 chr2:161159998:."])
        let genes = try GeneAnnotation(gtfPath: TestData.path("annotation/minichr2.gencode_v19.hg19.gtf"))
        XCTAssertEqual(
            try readAll(path, annotation: genes).summaries.last, "5 PLA2R1 chr2:160832579:- RBMS1 chr2:161159998:-")
    }

    /// A FusionHunter block cut short, miscounted or with a bad segment is a rejection naming its
    /// first line; a stray line is one too; rows read = records + rejections.
    func testBrokenFusionHunterBlocks() throws {
        let lines = try text(Fixtures.path("fusionhunter.fusion")).split(separator: "\n").map(String.init)
        let broken = [
            lines[0], lines[1], lines[3],  // one read line for a total of 2
            "stray text",
            lines[4], lines[5].replacingOccurrences(of: "chr2:160832579-160832603", with: "chr2:x-160832603"),
            lines[6], lines[4], lines[5],  // cut short by the end of the file
        ]
        let result = try readAll(try writeTemporary(broken, name: "broken.fusion"), format: .fusionHunter)
        XCTAssertEqual(result.records.count, 0)
        XCTAssertEqual(result.rejections.map(\.line), [1, 4, 5, 8])
        XCTAssertTrue(result.rejections.allSatisfy { $0.reason == .malformed }, "\(result.rejections)")
        XCTAssertTrue(result.rejections[3].detail.contains("truncated"), result.rejections[3].detail)
    }

    /// MapSplice `fusions_well_annotated.txt`: no header; field 1 `chrA~chrB`, 2 donor end and
    /// 3 acceptor start (1-based), 6 strands, 61/62 genes (`ENO1,`); donor = 5'.
    func testMapSplice() throws {
        let path = Fixtures.path("mapsplice_fusions_well_annotated.txt")
        let result = try readAll(path)
        XCTAssertEqual(result.format, .mapSplice)
        let expected = try lines(path).enumerated().map { i, line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let chromosomes = f[0].split(separator: "~").map(String.init)
            let strands = Array(f[5]).map(String.init)
            let genes = [f[60], f[61]].map { String($0.split(separator: ",")[0]) }
            return "\(i + 1) \(side(genes[0], chromosomes[0], Int(f[1]) ?? 0, strands[0]))"
                + " \(side(genes[1], chromosomes[1], Int(f[2]) ?? 0, strands[1]))"
        }
        XCTAssertEqual(result.summaries, expected)
        XCTAssertEqual(
            result.summaries,
            ["1 ENO1 chr1:8926354:- EDARADD chr1:236647038:+", "2 PLA2R1 chr2:160832579:- RBMS1 chr2:161159998:-"])
    }

    /// A GTF of `genes` (name: chromosome, a position inside, strand), 1 kb around each.
    private func annotation(_ genes: [String: (String, Int, String)]) throws -> GeneAnnotation {
        let lines = genes.sorted { $0.key < $1.key }.enumerated().map { i, gene in
            let (chromosome, position, strand) = gene.value
            return "\(chromosome)\ttest\tgene\t\(position - 1000)\t\(position + 1000)\t.\t\(strand)\t.\t"
                + "gene_id \"G\(i)\"; gene_name \"\(gene.key)\";"
        }
        return try GeneAnnotation(gtfPath: writeTemporary(lines, name: "genes.gtf"))
    }
}

/// The test fixtures of callers without a real example here (`Tests/Fixtures/callers/`).
enum Fixtures {
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/callers/" + name).path
    }
}
