import Foundation
import Genome
import TestSupport
import XCTest

@testable import Fusions

/// `fusionai negatives` on the real GENCODE v19 genes of the minichr2 segment: every pair obeys every
/// rule, and the splice dinucleotides at negative breakpoints sit where they sit at real positives.
final class NegativesTests: XCTestCase {
    private let gtf = TestData.path("annotation/minichr2.gencode_v19.hg19.gtf")
    private let realFusions = TestData.path("fusions/minichr2_real_fusions.tsv")
    private let seeds: [UInt64] = [1, 2, 3, 42, 2021]

    /// The GTF read independently of the code under test: genes (span, strand) and per transcript
    /// its exons, by gene name.
    private struct Truth {
        struct Gene {
            let name: String
            let chromosome: String
            var start: Int
            var end: Int
            let strand: String
        }
        var genes: [String: Gene] = [:]  // by gene_id
        var transcripts: [String: (gene: String, exons: [(Int, Int)])] = [:]  // by transcript_id

        init(path: String) throws {
            func attribute(_ key: String, _ text: Substring) -> String? {
                guard let range = text.range(of: key + " \"") else { return nil }
                let rest = text[range.upperBound...]
                return String(rest[..<rest.firstIndex(of: "\"")!])
            }
            var fromLines: Set<String> = []
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            where !line.hasPrefix("#") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false)
                let start = Int(f[3])!
                let end = Int(f[4])!
                let id = attribute("gene_id", f[8])!
                let gene = Gene(
                    name: attribute("gene_name", f[8])!, chromosome: String(f[0]), start: start, end: end,
                    strand: String(f[6]))
                if f[2] == "gene" {
                    genes[id] = gene
                    fromLines.insert(id)
                } else if !fromLines.contains(id) {
                    // A gene without a gene line spans its other lines.
                    if let old = genes[id] {
                        genes[id]!.start = min(old.start, start)
                        genes[id]!.end = max(old.end, end)
                    } else {
                        genes[id] = gene
                    }
                }
                if f[2] == "exon" {
                    let tid = attribute("transcript_id", f[8])!
                    transcripts[tid, default: (gene.name, [])].exons.append((start, end))
                }
            }
        }

        func strand(of name: String) -> String { genes.values.first { $0.name == name }!.strand }

        /// Head positions by the convention: last base of a non-last exon in transcript orientation.
        func heads(of name: String) -> Set<Int> {
            var out = Set<Int>()
            for t in transcripts.values where t.gene == name && t.exons.count >= 2 {
                let sorted = t.exons.sorted { $0.0 < $1.0 }
                if strand(of: name) == "+" {
                    for exon in sorted.dropLast() { out.insert(exon.1) }
                } else {
                    for exon in sorted.dropFirst() { out.insert(exon.0) }
                }
            }
            return out
        }

        /// Tail positions: first base of a non-first exon in transcript orientation.
        func tails(of name: String) -> Set<Int> {
            var out = Set<Int>()
            for t in transcripts.values where t.gene == name && t.exons.count >= 2 {
                let sorted = t.exons.sorted { $0.0 < $1.0 }
                if strand(of: name) == "+" {
                    for exon in sorted.dropFirst() { out.insert(exon.0) }
                } else {
                    for exon in sorted.dropLast() { out.insert(exon.1) }
                }
            }
            return out
        }

        /// Overlapping, or no other gene wholly between them.
        func areNeighbours(_ a: String, _ b: String) -> Bool {
            let x = genes.values.first { $0.name == a }!
            let y = genes.values.first { $0.name == b }!
            guard x.chromosome == y.chromosome else { return false }
            if x.start <= y.end && y.start <= x.end { return true }
            let (l, r) = x.end < y.start ? (x, y) : (y, x)
            return !genes.values.contains {
                $0.name != a && $0.name != b && $0.chromosome == l.chromosome && $0.start > l.end && $0.end < r.start
            }
        }
    }

    private func exclusionBED() throws -> (path: String, intervals: [(String, Int, Int)]) {
        // 0-based half-open: a stretch of TANK's exons, and one of CD302's.
        let intervals = [("chr2", 162_030_000, 162_062_000), ("2", 160_637_000, 160_638_000)]
        let path = try FusionsTestFiles.write(
            "track name=exclusions\n" + intervals.map { "\($0.0)\t\($0.1)\t\($0.2)\tregion" }.joined(separator: "\n")
                + "\n", name: "exclude.bed")
        return (path, intervals)
    }

    private func generator(exclude: [String] = []) throws -> NegativesGenerator {
        try NegativesGenerator(
            models: GeneModels(gtfPath: gtf), known: KnownFusionGenes(path: realFusions),
            exclusions: ExclusionIntervals(bedPaths: exclude))
    }

    func testEveryPairObeysEveryRuleForSeveralSeeds() throws {
        let truth = try Truth(path: gtf)
        let bed = try exclusionBED()
        let generator = try generator(exclude: [bed.path])
        XCTAssertEqual(generator.known.names, ["PLA2R1", "RBMS1", "ITGB6"])
        for seed in seeds {
            let (records, summary) = try generator.generate(.init(count: 20, seed: seed))
            XCTAssertEqual(records.count, 20, "seed \(seed): \(summary)")
            XCTAssertEqual(summary.made, 20)
            XCTAssertFalse(summary.isShort)
            XCTAssertEqual(summary.knownExcluded, 3)
            XCTAssertGreaterThan(summary.boundariesExcluded, 0, "the BED covers some exon boundaries")
            XCTAssertEqual(summary.attempts, 20 + summary.rejected.values.reduce(0, +))
            var seen = Set<String>()
            for r in records {
                let context = "seed \(seed): \(r.name) \(r.head.position) \(r.tail.position)"
                for side in [r.head, r.tail] {
                    XCTAssertFalse(["PLA2R1", "RBMS1", "ITGB6"].contains(side.gene), context)
                    XCTAssertEqual(side.strand.symbol, truth.strand(of: side.gene), context)
                    XCTAssertEqual(side.chromosome, "chr2")
                    for (_, start, end) in bed.intervals {
                        XCTAssertFalse(
                            side.position > start && side.position <= end,
                            "breakpoint inside an exclusion interval: \(context)")
                    }
                }
                XCTAssertNotEqual(r.head.gene, r.tail.gene, context)
                XCTAssertFalse(truth.areNeighbours(r.head.gene, r.tail.gene), "neighbours: \(context)")
                XCTAssertGreaterThanOrEqual(abs(r.head.position - r.tail.position), 100_000, context)
                XCTAssertTrue(
                    truth.heads(of: r.head.gene).contains(r.head.position),
                    "head not at the last base of a non-last exon: \(context)")
                XCTAssertTrue(
                    truth.tails(of: r.tail.gene).contains(r.tail.position),
                    "tail not at the first base of a non-first exon: \(context)")
                XCTAssertTrue(
                    seen.insert("\(r.head.chromosome):\(r.head.position)-\(r.tail.chromosome):\(r.tail.position)")
                        .inserted, "duplicate: \(context)")
            }
        }
    }

    func testTheSameSeedGivesTheSamePairsAndAnotherSeedOthers() throws {
        let generator = try generator()
        func pairs(_ seed: UInt64) throws -> [String] {
            try generator.generate(.init(count: 20, seed: seed)).records.map { "\($0.head)|\($0.tail)" }
        }
        XCTAssertEqual(try pairs(7), try pairs(7))
        XCTAssertNotEqual(try pairs(7), try pairs(8))
        // And through a fresh read of the annotation.
        XCTAssertEqual(
            try pairs(7),
            try self.generator().generate(.init(count: 20, seed: 7)).records.map { "\($0.head)|\($0.tail)" })
    }

    func testARunThatCannotMakeEnoughPairsSaysHowManyAndWhichRuleRejectedMost() throws {
        let (records, summary) = try generator().generate(
            .init(count: 100, seed: 1, minimumDistance: 1_450_000, maxAttempts: 2_000))
        XCTAssertTrue(summary.isShort)
        XCTAssertEqual(summary.made, records.count)
        XCTAssertLessThan(records.count, 100)
        XCTAssertEqual(summary.attempts, 2_000)
        XCTAssertEqual(summary.mostRejecting?.rule, .tooClose, "\(summary.rejected)")
        for r in records { XCTAssertGreaterThanOrEqual(abs(r.head.position - r.tail.position), 1_450_000) }
        // The minichr2 segment spans 1.5 Mb: 2 Mb apart is impossible, and says so.
        let none = try generator().generate(.init(count: 5, seed: 1, minimumDistance: 2_000_000, maxAttempts: 500))
        XCTAssertTrue(none.records.isEmpty)
        XCTAssertEqual(none.summary.mostRejecting?.rule, .tooClose)
    }

    func testGeneTypeFilterAndTooFewGenesIsAClearError() throws {
        let (records, summary) = try generator().generate(.init(count: 10, seed: 3, geneTypes: ["protein_coding"]))
        XCTAssertGreaterThan(summary.typeExcluded, 0)
        let coding: Set = ["MARCH7", "CD302", "LY75", "LY75-CD302", "TANK"]
        for r in records { XCTAssertTrue(coding.contains(r.head.gene) && coding.contains(r.tail.gene), r.name) }
        assertThrows(
            try generator().generate(.init(count: 1, geneTypes: ["snRNA"])), NegativesError.self, code: .tooFewGenes)
    }

    /// The paper's published negatives sit 1 nt off the positives' junction convention, a shortcut a
    /// model can learn. Ours put GT right after the head breakpoint and AG right before the tail
    /// breakpoint, at the offsets the two real positives have them.
    func testSpliceDinucleotidesAtNegativeBreakpointsSitAtThePositivesOffsets() throws {
        let genome = try ReferenceGenome(path: FusionsTestFiles.miniHg19)
        let reader = try genome.makeReader()
        func splice(_ records: [FusionRecord]) throws -> [SpliceSites] {
            try records.map { try PreparedWindows.build(for: $0, genome: genome, reader: reader).get().splice }
        }
        // Positives: both real fusions have GT / AG.
        let positives = try readAll(realFusions).records
        XCTAssertEqual(positives.count, 2)
        for s in try splice(positives) {
            XCTAssertEqual(s.donor, "GT")
            XCTAssertEqual(s.acceptor, "AG")
        }
        var negatives: [FusionRecord] = []
        for seed in seeds { negatives += try generator().generate(.init(count: 20, seed: seed)).records }
        let sites = try splice(negatives)
        let donors = Double(sites.filter { $0.donor == "GT" }.count) / Double(sites.count)
        let acceptors = Double(sites.filter { $0.acceptor == "AG" }.count) / Double(sites.count)
        XCTAssertGreaterThanOrEqual(donors, 0.8, "GT donors after the head breakpoint")
        XCTAssertGreaterThanOrEqual(acceptors, 0.8, "AG acceptors before the tail breakpoint")
        // Sensitivity: moved 1 nt along the transcript (the published negatives' offset), they vanish.
        let shifted = negatives.map { r -> FusionRecord in
            var r = r
            r.head.position += r.head.strand == .minus ? -1 : 1
            r.tail.position += r.tail.strand == .minus ? -1 : 1
            return r
        }
        let off = try splice(shifted)
        XCTAssertLessThan(Double(off.filter { $0.donor == "GT" }.count) / Double(off.count), 0.3)
        XCTAssertLessThan(Double(off.filter { $0.acceptor == "AG" }.count) / Double(off.count), 0.3)
    }

    func testKnownListFormatsExclusionBEDsAndNeighbours() throws {
        XCTAssertEqual(KnownFusionGenes.genes(inLine: "BCR--ABL1\t12\tx"), ["BCR", "ABL1"])
        XCTAssertEqual(KnownFusionGenes.genes(inLine: "TMPRSS2\tERG"), ["TMPRSS2", "ERG"])
        XCTAssertEqual(KnownFusionGenes.genes(inLine: "EML4"), ["EML4"])
        XCTAssertEqual(
            KnownFusionGenes.genes(inLine: "PLA2R1\tchr2\t160832579\t-\tRBMS1\tchr2\t161159998\t-"),
            ["PLA2R1", "RBMS1"])
        // The annotation or a BED given as --known named "genes" such as chr2 and HAVANA.
        let gtfAsKnown = assertThrows(try KnownFusionGenes(path: gtf), NegativesError.self, code: .notGeneList)
        XCTAssertTrue(gtfAsKnown?.message.contains("is a GTF/GFF feature line") == true, gtfAsKnown?.message ?? "")
        XCTAssertNotNil(gtfAsKnown?.line)
        let bedAsKnown = assertThrows(
            try KnownFusionGenes(path: FusionsTestFiles.write("# x\nchr1\t10\t20\n", name: "known.bed")),
            NegativesError.self, code: .notGeneList)
        XCTAssertEqual(bedAsKnown?.line, 2)
        XCTAssertTrue(bedAsKnown?.message.contains("gives '10' as a gene name") == true, bedAsKnown?.message ?? "")
        let known = KnownFusionGenes(names: ["ENSG00000153246"])
        XCTAssertTrue(
            known.contains(
                .init(name: "PLA2R1", id: "ENSG00000153246.7", chromosome: "chr2", start: 1, end: 2, strand: .minus)))

        let bed = try FusionsTestFiles.write("# c\nchr1\t10\t20\n1\t15\t30\nchrM\t0\t5\n", name: "x.bed")
        let intervals = try ExclusionIntervals(bedPaths: [bed])
        XCTAssertEqual(intervals.count, 3)
        XCTAssertFalse(intervals.contains(chromosome: "chr1", position: 10), "BED start is 0-based")
        XCTAssertTrue(intervals.contains(chromosome: "1", position: 11))
        XCTAssertTrue(intervals.contains(chromosome: "chr1", position: 30))
        XCTAssertFalse(intervals.contains(chromosome: "chr1", position: 31))
        XCTAssertTrue(intervals.contains(chromosome: "MT", position: 5))
        let broken = try FusionsTestFiles.write("chr1\t10\n", name: "bad.bed")
        let bad = assertThrows(try ExclusionIntervals(bedPaths: [broken]), GenomeError.self, code: .corrupt)
        XCTAssertEqual(bad?.path, broken)
        XCTAssertEqual(bad?.line, 1)
        let huge = try FusionsTestFiles.write(
            "chr1\t10\t20\nchr1\t9223372036854775806\t9223372036854775807\n", name: "huge.bed")
        let tooBig = assertThrows(try ExclusionIntervals(bedPaths: [huge]), GenomeError.self, code: .corrupt)
        XCTAssertEqual(tooBig?.path, huge)
        XCTAssertEqual(tooBig?.line, 2)

        func gene(_ name: String, _ start: Int, _ end: Int, _ chromosome: String = "c") -> GeneAnnotation.Gene {
            .init(name: name, id: name, chromosome: chromosome, start: start, end: end, strand: .plus)
        }
        // A 100-200, B 150-300 (overlaps A), C 400-500, D 450-2000 (overlaps C, not wholly between), E 3000-4000.
        let n = GeneNeighbours(genes: [
            gene("A", 100, 200), gene("B", 150, 300), gene("C", 400, 500), gene("D", 450, 2_000),
            gene("E", 3_000, 4_000), gene("F", 1, 10, "d"),
        ])
        XCTAssertTrue(n.areNeighbours(0, 1), "overlapping")
        XCTAssertTrue(n.areNeighbours(1, 2), "nothing between")
        XCTAssertTrue(n.areNeighbours(0, 2), "B overlaps A, so it is not wholly between A and C")
        XCTAssertFalse(n.areNeighbours(1, 4), "C lies between B and E")
        XCTAssertTrue(n.areNeighbours(3, 4) && n.areNeighbours(4, 3))
        XCTAssertFalse(n.areNeighbours(0, 5), "other chromosome")
    }

    func testGeneModelsKeepTranscriptOrderAndTheGenesOfGeneAnnotation() throws {
        let models = try GeneModels(gtfPath: gtf)
        XCTAssertEqual(models.models.map(\.gene), try GeneAnnotation(gtfPath: gtf).genes)
        let itgb6 = try XCTUnwrap(models.models.first { $0.gene.name == "ITGB6" })
        XCTAssertEqual(itgb6.type, "protein_coding")
        for t in itgb6.transcripts where t.exons.count > 1 {
            XCTAssertGreaterThan(t.exons[0].lowerBound, t.exons[1].lowerBound, "- strand: 5' exon first")
        }
    }
}
