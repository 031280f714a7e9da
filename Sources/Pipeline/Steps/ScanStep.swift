import Foundation
import FusionAI
import Fusions
import Genome
import NeuralNet
import Reports
import Results
import Support

/// `fusionai scan`: every head breakpoint of one gene against every tail breakpoint of another,
/// scored in batches; a table and a heat map of P(fusion-positive). Breakpoints are the genes' exon
/// boundaries (``ScanSites``), or for either side a range slid over at a stride.
public enum ScanStep {
    /// The most head x tail pairs one scan scores (its table and heat map hold one value each).
    public static let maximumPairs = 1_000_000

    public struct Options: Sendable {
        /// GTF with the genes' exons.
        public var annotation: String
        public var genome: String
        public var model: String
        /// The 5' gene, by `gene_name` or `gene_id`.
        public var head: String
        /// The 3' gene.
        public var tail: String
        /// The output folder (``ScanFolder``); made when missing.
        public var output: String
        /// `[CHR:]START-END`: try every `stride`-th position of this range as the head breakpoint
        /// instead of the exon ends.
        public var headRegion: String?
        public var tailRegion: String?
        public var stride = 1
        public var batchSize = 64
        public var threads = 1

        public init(annotation: String, genome: String, model: String, head: String, tail: String, output: String) {
            self.annotation = annotation
            self.genome = genome
            self.model = model
            self.head = head
            self.tail = tail
            self.output = output
        }
    }

    public struct Result: Sendable {
        public let heads: Int
        public let tails: Int
        /// Rows written: heads x tails.
        public let pairs: Int
        public let folder: ScanFolder
    }

    /// - Throws: ``ScanError``, ``ModelError``, ``GenomeError``, ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        // Made first: an output path that cannot be a folder fails before the work, not after.
        let lock = try OutputLock.claimFolder(options.output)
        defer { lock.release() }
        let models = try GeneModels(gtfPath: options.annotation)
        let genome = try ReferenceGenome(path: options.genome)
        genome.notes.forEach(log.info)
        let loaded = try ModelFile.load(options.model)
        let scorer = try FusionScorer(model: loaded)
        if loaded.isUntrained {
            log.warning("model \(options.model) has random, untrained weights: its scores mean nothing")
        }
        let heads = try sites(options.head, region: options.headRegion, heads: true, models, genome, options.stride)
        let tails = try sites(options.tail, region: options.tailRegion, heads: false, models, genome, options.stride)
        log.info(
            "\(heads.sites.gene.gene.name): \(heads.sites.sites.count) head breakpoint(s) x "
                + "\(tails.sites.gene.gene.name): \(tails.sites.sites.count) tail breakpoint(s)")

        // Every pair is one forward pass and a cell of the heat map: 400,000 sites a side asked for
        // 1.6e11 of them and grew memory without end. A million takes hours already.
        let pairs = heads.sites.sites.count.multipliedReportingOverflow(by: tails.sites.sites.count)
        guard !pairs.overflow, pairs.partialValue <= Self.maximumPairs else {
            // Not the annotation's fault: no file is named.
            throw StepError(
                .tooLarge,
                "\(heads.sites.gene.gene.name)--\(tails.sites.gene.gene.name): \(heads.sites.sites.count) x "
                    + "\(tails.sites.sites.count) breakpoint pairs is more than the \(Self.maximumPairs) a scan "
                    + "scores: narrow --head-region/--tail-region or raise --stride")
        }
        let readers = try (0..<max(1, options.threads)).map { _ in try genome.makeReader() }
        let columns = tails.sites.sites.count
        let total = heads.sites.sites.count * columns
        // The smaller side's windows are kept (at most 1,000 of them within the pair limit), the other
        // side's built for each batch: keeping 1,000,000 x 1 windows of 10 kb whole asked for 10 GB.
        let headsKept = heads.sites.sites.count <= columns
        let keptSide = headsKept ? heads : tails
        let kept = try windows(keptSide, Array(keptSide.sites.sites.indices), readers)
        let keptCount = kept.count
        var probabilities = [Float](repeating: .nan, count: total)
        var start = 0
        // Pairs in the order built side outer, kept side inner: a batch needs few built windows, and
        // each is built once (twice where a batch boundary cuts its run).
        while start < total {
            let range = start..<min(total, start + options.batchSize)
            let first = range.lowerBound / keptCount
            let needed = Array(first...((range.upperBound - 1) / keptCount))
            let built = try windows(headsKept ? tails : heads, needed, readers)
            let pairs = range.map { k -> (head: [UInt8], tail: [UInt8]) in
                let (other, mine) = (built[k / keptCount - first], kept[k % keptCount])
                return headsKept ? (mine, other) : (other, mine)
            }
            for (k, p) in zip(range, scorer.score(pairs, threads: options.threads)) {
                let (other, mine) = (k / keptCount, k % keptCount)
                let (h, t) = headsKept ? (mine, other) : (other, mine)
                probabilities[h * columns + t] = p.positive
            }
            start = range.upperBound
            log.progress(.status("\(start) of \(total) pair(s) scored"))
        }

        let folder = ScanFolder(path: options.output)
        let table = try OutputFile(path: folder.table)
        try table.write(ScanTable.schema.header())
        for (h, head) in heads.sites.sites.enumerated() {
            for (t, tail) in tails.sites.sites.enumerated() {
                try table.write(
                    ScanTable.schema.line(
                        fields(head, of: heads.sites.gene) + fields(tail, of: tails.sites.gene)
                            + exonFields(head) + exonFields(tail) + ["\(probabilities[h * columns + t])"]))
            }
        }
        try table.commit()
        let figure = GridHeatMap.svg(
            title: "\(heads.sites.gene.gene.name)--\(tails.sites.gene.gene.name): P(fusion-positive)",
            rowTitle: "head breakpoint (\(heads.sites.gene.gene.name), 5' to 3')",
            columnTitle: "tail breakpoint (\(tails.sites.gene.gene.name), 5' to 3')",
            rowLabels: heads.sites.sites.map(label), columnLabels: tails.sites.sites.map(label),
            values: (0..<heads.sites.sites.count).map { h in
                (0..<columns).map { Double(probabilities[h * columns + $0]) }
            },
            scaleLabel: "P(positive)")
        try OutputFile.write(figure, to: folder.heatMap)
        log.info("\(total) pair(s) scored: \(folder.table), \(folder.heatMap)")
        return Result(heads: heads.sites.sites.count, tails: columns, pairs: total, folder: folder)
    }

    /// One side's sites and where its chromosome lies in the genome.
    private struct Side {
        let sites: ScanSites
        let chromosome: ChromosomeNames.Match
    }

    private static func sites(
        _ name: String, region: String?, heads: Bool, _ models: GeneModels, _ genome: ReferenceGenome, _ stride: Int
    ) throws -> Side {
        let gene = try models.gene(named: name)
        guard gene.gene.strand != .unknown else {
            throw ScanError(.noSites, path: models.path, "gene \(name) has no strand: its windows cannot be oriented")
        }
        guard let chromosome = genome.names.resolve(gene.gene.chromosome) else {
            throw GenomeError(
                .unknownChromosome, path: genome.path,
                "has no chromosome \(gene.gene.chromosome) (gene \(name)): "
                    + (genome.names.buildMismatch(gene.gene.chromosome) ?? "a genome of another build?"))
        }
        let sites: ScanSites
        let option = heads ? "--head-region" : "--tail-region"
        if let region {
            let range = try ScanSites.range(region, on: gene, length: chromosome.length, option: option)
            // Counted before the positions are made: a whole chromosome's would fill memory first.
            let count = (range.upperBound - range.lowerBound) / max(1, stride) + 1
            guard count <= maximumPairs else {
                throw StepError(
                    .tooLarge,
                    "\(option) \(region): \(count) breakpoints at --stride \(stride) is more than the \(maximumPairs) "
                        + "pairs a scan scores: narrow it or raise --stride")
            }
            sites = .region(range, stride: stride, of: gene)
        } else {
            sites = heads ? .heads(of: gene) : .tails(of: gene)
        }
        guard !sites.sites.isEmpty else {
            throw ScanError(
                .noSites, path: models.path,
                "gene \(name) has no transcript of two exons or more, so no exon \(heads ? "end" : "start") "
                    + "to break at: give \(option) START-END")
        }
        return Side(sites: sites, chromosome: chromosome)
    }

    /// The windows of the sites at `indices`, in that order, built on the readers' threads.
    private static func windows(_ side: Side, _ indices: [Int], _ readers: [SequenceReader]) throws -> [[UInt8]] {
        let sites = side.sites.sites
        let strand = side.sites.gene.gene.strand
        return try parallelMap(count: indices.count, states: readers) { reader, i in
            Swift.Result {
                try WindowRule.window(
                    in: reader, chromosome: side.chromosome, position: sites[indices[i]].position, strand: strand
                )
                .bases
            }
        }.map { try $0.get() }
    }

    private static func fields(_ site: ScanSites.Site, of gene: GeneModels.Model) -> [String] {
        [gene.gene.name, gene.gene.chromosome, "\(site.position)", gene.gene.strand.symbol]
    }

    private static func exonFields(_ site: ScanSites.Site) -> [String] {
        guard !site.exons.isEmpty else { return [".", "."] }
        return [
            site.exons.map { "\($0.number)" }.joined(separator: ","),
            site.exons.map(\.transcript).joined(separator: ","),
        ]
    }

    /// `POSITION eN` (distinct exon numbers joined by `/`), or the position alone for a range site.
    private static func label(_ site: ScanSites.Site) -> String {
        var numbers: [Int] = []
        for exon in site.exons where !numbers.contains(exon.number) { numbers.append(exon.number) }
        return numbers.isEmpty
            ? "\(site.position)" : "\(site.position) e" + numbers.map(String.init).joined(separator: "/")
    }
}
