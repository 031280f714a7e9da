import Fusions
import Genome
import Support

/// Fusion-negative breakpoint pairs from a gene annotation, made the FusionAI paper's way, in
/// FusionAI's 8-column format.
public enum NegativesStep {
    public struct Options: Sendable {
        /// Gene annotation (GTF, plain or gzip).
        public var annotation: String
        /// Known fusions whose genes are left out.
        public var known: String?
        /// BED files of regions no breakpoint may fall in.
        public var exclude: [String] = []
        public var count = 1_000
        public var seed: UInt64 = 1
        /// Least distance between two breakpoints on one chromosome.
        public var minDistance = 100_000
        /// Only genes of these types; empty: all.
        public var geneTypes: [String] = []
        /// Draws before giving up (nil: the generator's default).
        public var maxAttempts: Int?
        /// The table; `-` is standard output.
        public var output = "-"
        public var header = false

        public init(annotation: String) {
            self.annotation = annotation
        }
    }

    /// - Throws: ``StepError/Code/nothingUsable`` when no pair could be made; ``GenomeError``,
    ///   ``FusionInputError``, ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> NegativesSummary {
        try OutputTarget.requireDistinct(options.output, from: [options.annotation] + [options.known].compactMap { $0 })
        // Opened first: a missing folder fails before the draws, not after "N pair(s) made".
        let file = try OutputFile(path: options.output)
        let models = try GeneModels(gtfPath: options.annotation)
        log.info("annotation \(options.annotation): \(models.models.count) genes")
        let known = try options.known.map { try KnownFusionGenes(path: $0) } ?? KnownFusionGenes()
        if let path = options.known { log.info("known fusions \(path): \(known.names.count) gene name(s)") }
        let exclusions = try ExclusionIntervals(bedPaths: options.exclude)
        if !options.exclude.isEmpty {
            log.info("exclusions: \(exclusions.count) interval(s) from \(options.exclude.count) BED file(s)")
        }
        if !options.geneTypes.isEmpty, models.models.allSatisfy({ $0.type == nil }) {
            throw StepError(
                .nothingUsable, path: options.annotation,
                "gives no gene a gene_type or gene_biotype attribute, so --gene-type matches none: leave it out, or "
                    + "use a GENCODE or Ensembl GTF")
        }
        let generator = NegativesGenerator(models: models, known: known, exclusions: exclusions)
        let (records, summary) = try generator.generate(
            NegativesGenerator.Options(
                count: options.count, seed: options.seed, minimumDistance: options.minDistance,
                maxAttempts: options.maxAttempts, geneTypes: options.geneTypes.isEmpty ? nil : Set(options.geneTypes)))
        report(summary, options, log)
        guard !records.isEmpty else {
            throw StepError(
                .nothingUsable, path: options.annotation,
                "no pair could be made in \(summary.attempts) draws\(mostRejecting(summary)); "
                    + remedy(summary, options))
        }
        // An uncommitted OutputFile discards itself: a failed write leaves no partial file.
        try NegativesGenerator.write(records, to: file, header: options.header)
        try file.commit()
        if summary.isShort {
            log.warning(
                "made \(summary.made) of \(summary.requested) pair(s) in \(summary.attempts) draws"
                    + "\(mostRejecting(summary)); \(remedy(summary, options))")
        }
        return summary
    }

    private static func mostRejecting(_ s: NegativesSummary) -> String {
        guard let most = s.mostRejecting else { return "" }
        return "; most draws were rejected as \(most.rule.rawValue) (\(most.count))"
    }

    /// What to change, after what stopped the draws: the draw limit the user set, or the rule that
    /// rejected most draws.
    private static func remedy(_ s: NegativesSummary, _ options: Options) -> String {
        if let limit = options.maxAttempts, s.attempts >= limit { return "raise --max-attempts (\(limit) now)" }
        switch s.mostRejecting?.rule {
        case .tooClose: return "lower --min-distance (\(options.minDistance) now)"
        case .neighbours, .sameGene: return "use an annotation with more genes, or fewer filters"
        case .duplicate: return "ask for fewer pairs (--count), or use an annotation with more genes"
        case nil: return "use an annotation with more genes, or fewer filters"
        }
    }

    private static func report(_ s: NegativesSummary, _ options: Options, _ log: StepLog) {
        log.info(
            "genes: \(s.candidateGenes) of \(s.genes) used; left out: \(s.knownExcluded) known-fusion, "
                + "\(s.typeExcluded) other type, \(s.withoutJunctions) without a 2+-exon transcript, "
                + "\(s.genesExcludedByIntervals) with every boundary excluded "
                + "(\(s.boundariesExcluded) boundaries in exclusion intervals)")
        let destination = options.output == "-" ? "standard output" : options.output
        log.info("\(s.made) pair(s) made in \(s.attempts) draws" + (s.made > 0 ? ", written to \(destination)" : ""))
        for rule in NegativeRule.allCases {
            log.info("draws rejected as \(rule.rawValue): \(s.rejected[rule] ?? 0)")
        }
    }
}
