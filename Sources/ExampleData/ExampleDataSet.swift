import Foundation
import Genome
import SeededRandom

/// A small, seeded, self-consistent data set for trying fusionai without downloads: a synthetic
/// genome with spliced genes, its GTF, and STAR-Fusion calls, most at real exon junctions (donor `GT`
/// after the head breakpoint, acceptor `AG` before the tail breakpoint) and some at random
/// positions, as artefacts look.
public struct ExampleDataSet: Sendable {
    public struct Call: Sendable {
        public let head: SyntheticGene
        public let headBreakpoint: Int
        public let tail: SyntheticGene
        public let tailBreakpoint: Int
        /// True for a call at exon boundaries; false for an artefact at arbitrary positions.
        public let atExonJunction: Bool
    }

    public let chromosomes: [(name: String, bases: [UInt8])]
    public let genes: [SyntheticGene]
    public let calls: [Call]

    /// Makes the data set.
    /// - Parameters:
    ///   - seed: the same seed gives the same files.
    ///   - chromosomeCount, chromosomeLength: genome shape.
    ///   - genesPerChromosome: genes planted on each chromosome, spread evenly.
    ///   - junctionCalls, artefactCalls: how many calls of each kind.
    public init(
        seed: UInt64 = 2021, chromosomeCount: Int = 3, chromosomeLength: Int = 400_000,
        genesPerChromosome: Int = 8, junctionCalls: Int = 40, artefactCalls: Int = 10
    ) {
        var rng = SeededGenerator(seed: seed)
        var chromosomes: [(String, [UInt8])] = []
        var genes: [SyntheticGene] = []
        let acgt = Array("ACGT".utf8)
        // ~41% GC, like the human genome.
        let weights = [295, 205, 205, 295]
        func base() -> UInt8 {
            var r = rng.int(in: 0...999)
            for (i, w) in weights.enumerated() {
                if r < w { return acgt[i] }
                r -= w
            }
            return acgt[3]
        }
        for c in 1...chromosomeCount {
            let name = "chr\(c)"
            var bases = (0..<chromosomeLength).map { _ in base() }
            let slot = chromosomeLength / genesPerChromosome
            for g in 0..<genesPerChromosome {
                let strand: Strand = rng.int(in: 0...1) == 0 ? .plus : .minus
                var exons: [ClosedRange<Int>] = []
                var at = g * slot + rng.int(in: 10_000...15_000)
                let limit = (g + 1) * slot - 10_000
                let exonCount = rng.int(in: 3...7)
                for e in 0..<exonCount {
                    let length = rng.int(in: 80...250)
                    guard at + length < limit else { break }
                    exons.append(at...(at + length - 1))
                    at += length
                    if e < exonCount - 1 { at += rng.int(in: 1_200...6_000) }
                }
                guard exons.count >= 2 else { continue }
                // Splice signals in transcript orientation: GT...AG (on `-`, CT...AC in genome order).
                for (left, right) in zip(exons, exons.dropFirst()) {
                    let intron = (left.upperBound + 1)...(right.lowerBound - 1)
                    let (first, last): ([UInt8], [UInt8]) =
                        strand == .plus
                        ? (Array("GT".utf8), Array("AG".utf8)) : (Array("CT".utf8), Array("AC".utf8))
                    bases[intron.lowerBound - 1] = first[0]
                    bases[intron.lowerBound] = first[1]
                    bases[intron.upperBound - 2] = last[0]
                    bases[intron.upperBound - 1] = last[1]
                }
                genes.append(
                    SyntheticGene(name: "GENE\(c)\(Self.letters(g))", chromosome: name, strand: strand, exons: exons))
            }
            chromosomes.append((name, bases))
        }

        var calls: [Call] = []
        while calls.count < junctionCalls + artefactCalls, genes.count >= 2 {
            let h = genes[rng.int(in: 0...(genes.count - 1))]
            let t = genes[rng.int(in: 0...(genes.count - 1))]
            guard h.name != t.name else { continue }
            if calls.count < junctionCalls {
                let hb = h.donorBreakpoints[rng.int(in: 0...(h.donorBreakpoints.count - 1))]
                let tb = t.acceptorBreakpoints[rng.int(in: 0...(t.acceptorBreakpoints.count - 1))]
                calls.append(Call(head: h, headBreakpoint: hb, tail: t, tailBreakpoint: tb, atExonJunction: true))
            } else {
                calls.append(
                    Call(
                        head: h, headBreakpoint: rng.int(in: h.start...h.end), tail: t,
                        tailBreakpoint: rng.int(in: t.start...t.end), atExonJunction: false))
            }
        }
        self.chromosomes = chromosomes
        self.genes = genes
        self.calls = calls
    }

    /// 0 -> A, 25 -> Z, 26 -> AA, ...: gene suffixes that stay letters however many genes there are.
    static func letters(_ index: Int) -> String {
        var n = index
        var out = ""
        repeat {
            out = String(UnicodeScalar(UInt8(65 + n % 26))) + out
            n = n / 26 - 1
        } while n >= 0
        return out
    }

    /// The genome as FASTA, 60 nt a line.
    public func fasta() -> [UInt8] {
        var out: [UInt8] = []
        for (name, bases) in chromosomes {
            out += Array(">\(name) synthetic example chromosome\n".utf8)
            var i = 0
            while i < bases.count {
                let end = min(i + 60, bases.count)
                out += bases[i..<end]
                out.append(10)
                i = end
            }
        }
        return out
    }

    /// The genes as GTF (gene, transcript and exon lines).
    public func gtf() -> String {
        var lines: [String] = []
        for g in genes {
            let id = "gene_id \"\(g.name).1\"; gene_name \"\(g.name)\";"
            let tx = "\(id) transcript_id \"\(g.name)-T1\";"
            lines.append("\(g.chromosome)\texample\tgene\t\(g.start)\t\(g.end)\t.\t\(g.strand.symbol)\t.\t\(id)")
            lines.append("\(g.chromosome)\texample\ttranscript\t\(g.start)\t\(g.end)\t.\t\(g.strand.symbol)\t.\t\(tx)")
            for (n, e) in g.transcriptExons.enumerated() {
                lines.append(
                    "\(g.chromosome)\texample\texon\t\(e.lowerBound)\t\(e.upperBound)\t.\t\(g.strand.symbol)\t.\t"
                        + "\(tx) exon_number \(n + 1);"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The calls as labelled FusionAI rows for training: the 8 columns and a ninth, 1 for a call at
    /// an exon junction and 0 for an artefact.
    public func labelledCalls() -> String {
        calls.map { c in
            [
                c.head.name, c.head.chromosome, "\(c.headBreakpoint)", c.head.strand.symbol,
                c.tail.name, c.tail.chromosome, "\(c.tailBreakpoint)", c.tail.strand.symbol,
                c.atExonJunction ? "1" : "0",
            ].joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
    }

    /// The calls in STAR-Fusion's `star-fusion.fusion_predictions.abridged.tsv` layout.
    public func starFusion() -> String {
        var lines = [
            "#FusionName\tJunctionReadCount\tSpanningFragCount\tSpliceType\tLeftGene\tLeftBreakpoint\tRightGene\t"
                + "RightBreakpoint\tLargeAnchorSupport\tFFPM\tannots"
        ]
        for (i, c) in calls.enumerated() {
            let reads = c.atExonJunction ? 5 + (i * 7) % 40 : 1 + i % 3
            let splice = c.atExonJunction ? "ONLY_REF_SPLICE" : "INCL_NON_REF_SPLICE"
            lines.append(
                [
                    "\(c.head.name)--\(c.tail.name)", "\(reads)", "\(reads / 2)", splice,
                    "\(c.head.name)^\(c.head.name).1",
                    "\(c.head.chromosome):\(c.headBreakpoint):\(c.head.strand.symbol)",
                    "\(c.tail.name)^\(c.tail.name).1",
                    "\(c.tail.chromosome):\(c.tailBreakpoint):\(c.tail.strand.symbol)",
                    c.atExonJunction ? "YES_LDAS" : "NO_LDAS", String(format: "%.4f", Double(reads) / 10),
                    "[\"synthetic\"]",
                ].joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
