import Genome
import SeededRandom
import Support

/// Makes fusion-negative breakpoint pairs the way the FusionAI paper made its negatives, from a
/// gene annotation (GENCODE):
///
/// 1. Genes on the known-fusion list are left out, and so are genes without a transcript of two
///    exons or more (and, when asked, genes of other types than those given).
/// 2. Each gene's breakpoints are its exon boundaries by the convention of real positives (see
///    ``ExonBoundaries``: head = last base of an exon, tail = first base of an exon), so a negative
///    has its splice dinucleotides at the same offsets as a positive: no 1-nt shortcut for a model
///    to learn. Boundaries inside an exclusion interval are dropped.
/// 3. Ordered gene pairs (head, tail) are drawn uniformly, then one boundary of each uniformly. A
///    pair is rejected when it joins a gene to itself, joins neighbouring genes (read-through; see
///    ``GeneNeighbours``), has both breakpoints on one chromosome closer than the minimum distance,
///    or repeats the breakpoints of a pair already made.
/// 4. Drawing stops after `count` pairs or `maxAttempts` draws, whichever comes first.
///
/// The draws come from ``SeededGenerator`` (SplitMix64), so a seed gives the same pairs on every
/// platform and Swift version.
public struct NegativesGenerator: Sendable {
    /// What to make.
    public struct Options: Sendable {
        /// Pairs wanted.
        public var count: Int
        public var seed: UInt64
        /// Least distance, in bases, between two breakpoints on one chromosome.
        public var minimumDistance: Int
        /// Draws before giving up (default: `max(100_000, 1_000 x count)`).
        public var maxAttempts: Int?
        /// Gene types (`gene_type` / `gene_biotype`) to draw from; nil: all.
        public var geneTypes: Set<String>?

        public init(
            count: Int, seed: UInt64 = 1, minimumDistance: Int = 100_000, maxAttempts: Int? = nil,
            geneTypes: Set<String>? = nil
        ) {
            self.count = count
            self.seed = seed
            self.minimumDistance = minimumDistance
            self.maxAttempts = maxAttempts
            self.geneTypes = geneTypes
        }
    }

    /// One gene pairs are drawn from.
    public struct Candidate: Sendable {
        /// Index into the annotation's genes.
        public let index: Int
        public let gene: GeneAnnotation.Gene
        /// Its boundaries outside exclusion intervals.
        public let boundaries: ExonBoundaries
    }

    public let models: GeneModels
    public let known: KnownFusionGenes
    public let exclusions: ExclusionIntervals
    private let neighbours: GeneNeighbours

    public init(
        models: GeneModels, known: KnownFusionGenes = KnownFusionGenes(),
        exclusions: ExclusionIntervals = ExclusionIntervals()
    ) {
        self.models = models
        self.known = known
        self.exclusions = exclusions
        neighbours = GeneNeighbours(genes: models.models.map(\.gene))
    }

    /// The genes pairs are drawn from under `options`, and the summary's gene counts.
    public func candidates(_ options: Options) -> (candidates: [Candidate], summary: NegativesSummary) {
        var summary = NegativesSummary()
        summary.requested = options.count
        summary.genes = models.models.count
        var candidates: [Candidate] = []
        for (i, model) in models.models.enumerated() {
            if known.contains(model.gene) {
                summary.knownExcluded += 1
                continue
            }
            if let types = options.geneTypes, !types.contains(model.type ?? "") {
                summary.typeExcluded += 1
                continue
            }
            var boundaries = ExonBoundaries(model: model)
            guard boundaries.isUsable else {
                summary.withoutJunctions += 1
                continue
            }
            let chromosome = model.gene.chromosome
            let head = boundaries.head.filter { !exclusions.contains(chromosome: chromosome, position: $0) }
            let tail = boundaries.tail.filter { !exclusions.contains(chromosome: chromosome, position: $0) }
            summary.boundariesExcluded += boundaries.head.count - head.count + boundaries.tail.count - tail.count
            boundaries = ExonBoundaries(head: head, tail: tail)
            guard boundaries.isUsable else {
                summary.genesExcludedByIntervals += 1
                continue
            }
            candidates.append(Candidate(index: i, gene: model.gene, boundaries: boundaries))
        }
        summary.candidateGenes = candidates.count
        return (candidates, summary)
    }

    /// Draws the pairs.
    /// - Returns: the pairs made (head and tail strands are the genes' strands; `line` numbers them
    ///   from 1) and the summary. Fewer than `options.count` pairs when the draws ran out
    ///   (``NegativesSummary/isShort``; ``NegativesSummary/mostRejecting`` says why).
    /// - Throws: ``NegativesError`` when fewer than two genes are left to pair.
    public func generate(_ options: Options) throws -> (records: [FusionRecord], summary: NegativesSummary) {
        var (candidates, summary) = candidates(options)
        guard candidates.count >= 2 else {
            throw NegativesError(
                .tooFewGenes, path: models.path,
                "only \(candidates.count) gene(s) left to pair (of \(summary.genes): \(summary.knownExcluded) on the "
                    + "known-fusion list, \(summary.typeExcluded) of other types, \(summary.withoutJunctions) without "
                    + "a transcript of 2+ exons, \(summary.genesExcludedByIntervals) with every boundary excluded); "
                    + "use a fuller annotation or fewer filters"
            )
        }
        // 1,000 draws a pair, within 10^8 draws (a minute or so): an annotation too small for the
        // count saturates long before, and the count must not overflow the product.
        let maxAttempts =
            options.maxAttempts
            ?? max(
                100_000,
                options.count.multipliedReportingOverflow(by: 1_000).overflow
                    ? 100_000_000 : min(100_000_000, 1_000 * options.count))
        var random = SeededGenerator(seed: options.seed)
        var records: [FusionRecord] = []
        var seen = Set<[Int]>()
        var chromosomeIDs: [String: Int] = [:]
        func chromosomeID(_ name: String) -> Int {
            if let id = chromosomeIDs[name] { return id }
            chromosomeIDs[name] = chromosomeIDs.count
            return chromosomeIDs.count - 1
        }
        let last = candidates.count - 1
        while records.count < options.count, summary.attempts < maxAttempts {
            summary.attempts += 1
            let h = candidates[random.int(in: 0...last)]
            let t = candidates[random.int(in: 0...last)]
            let hbp = h.boundaries.head[random.int(in: 0...(h.boundaries.head.count - 1))]
            let tbp = t.boundaries.tail[random.int(in: 0...(t.boundaries.tail.count - 1))]
            let rule: NegativeRule?
            if h.index == t.index {
                rule = .sameGene
            } else if neighbours.areNeighbours(h.index, t.index) {
                rule = .neighbours
            } else if h.gene.chromosome == t.gene.chromosome, abs(hbp - tbp) < options.minimumDistance {
                rule = .tooClose
            } else if !seen.insert([chromosomeID(h.gene.chromosome), hbp, chromosomeID(t.gene.chromosome), tbp])
                .inserted
            {
                rule = .duplicate
            } else {
                rule = nil
            }
            if let rule {
                summary.rejected[rule, default: 0] += 1
                continue
            }
            records.append(
                FusionRecord(
                    head: Breakpoint(
                        gene: h.gene.name, chromosome: h.gene.chromosome, position: hbp, strand: h.gene.strand),
                    tail: Breakpoint(
                        gene: t.gene.name, chromosome: t.gene.chromosome, position: tbp, strand: t.gene.strand),
                    line: records.count + 1, sourceFields: []))
        }
        summary.made = records.count
        return (records, summary)
    }

    /// Writes pairs in FusionAI's 8-column format (`Hgene Hchr Hbp Hstrand Tgene Tchr Tbp Tstrand`).
    /// - Parameter header: whether to write the header line first.
    public static func write(_ records: [FusionRecord], to output: OutputFile, header: Bool) throws {
        let formatter = PreparedRowFormatter(keepSourceColumns: false)
        if header { try output.write(formatter.header(withWindows: false, label: false, extraNames: [])) }
        for record in records { try output.write(formatter.row(record, windows: nil)) }
    }
}
