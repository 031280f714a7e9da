import ArgumentParser
import Foundation
import Fusions
import Genome
import Support

/// `fusionai negatives`: fusion-negative breakpoint pairs from a gene annotation, made the FusionAI paper's way.
struct NegativesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "negatives",
        abstract: "Make fusion-negative breakpoint pairs from a gene annotation (for training).",
        discussion: """
            Draws random ordered gene pairs from a GTF (GENCODE) as the FusionAI paper did: genes \
            of known fusions (--known) are left out; pairs of the same gene or of neighbouring genes \
            (overlapping, or no other gene between them: read-through) are rejected, and so are \
            breakpoints on one chromosome closer than --min-distance and repeated pairs. Breakpoints \
            sit at exon boundaries by the convention of real fusions (head: last base of an exon \
            that is not its transcript's last; tail: first base of an exon that is not its \
            transcript's first), so negatives have their GT donor and AG acceptor where positives \
            have them. Boundaries inside any --exclude BED interval are never used.

            Writes FusionAI's 8-column format. A run that makes fewer pairs than asked within \
            --max-attempts draws warns and names the rule that rejected most; one that makes none \
            fails (exit 1).
            """
    )

    @Option(name: [.short, .long], help: "Gene annotation (GTF, plain or gzip), e.g. GENCODE.")
    var annotation: String

    @Option(
        name: [.short, .long],
        help: "Known fusions whose genes are left out: one gene per line, 'A--B', 'A<TAB>B' or FusionAI 8-column rows.")
    var known: String?

    @Option(
        name: [.short, .long],
        help:
            "BED file (plain or gzip) of regions no breakpoint may fall in (repeats, pseudogenes, paralogs); repeatable."
    )
    var exclude: [String] = []

    @Option(name: [.customShort("n"), .long], help: "Pairs to make.")
    var count: Int = 1_000

    @Option(help: "Random seed: the same seed gives the same pairs.")
    var seed: UInt64 = 1

    @Option(
        name: .customLong("min-distance"), help: "Least distance in bases between two breakpoints on one chromosome.")
    var minDistance: Int = 100_000

    @Option(
        name: .customLong("gene-type"),
        help:
            "Draw only genes of this gene_type / gene_biotype (e.g. protein_coding); repeatable. Default: all genes with a transcript of 2+ exons."
    )
    var geneTypes: [String] = []

    @Option(
        name: .customLong("max-attempts"),
        help: "Pairs to draw before giving up (default: the larger of 100,000 and 1,000 x count).")
    var maxAttempts: Int?

    @Option(name: [.short, .long], help: "Output table ('-' for standard output; a .gz name is bgzip-compressed).")
    var output: String = "-"

    @Flag(help: "Write a header line naming the columns.")
    var header = false

    @Flag(name: [.short, .long], help: "Print only warnings and errors on stderr.")
    var quiet = false

    func validate() throws {
        guard count >= 1 else { throw ValidationError("-n/--count must be at least 1 (got \(count)).") }
        guard minDistance >= 0 else {
            throw ValidationError("--min-distance must not be negative (got \(minDistance)).")
        }
        if let maxAttempts, maxAttempts < 1 {
            throw ValidationError("--max-attempts must be at least 1 (got \(maxAttempts)).")
        }
    }

    func run() throws {
        let console = Console(command: "negatives", quiet: quiet)
        try reportingFailures(console) {
            let models = try GeneModels(gtfPath: annotation)
            console.info("annotation \(annotation): \(models.models.count) genes")
            let knownGenes = try known.map { try KnownFusionGenes(path: $0) } ?? KnownFusionGenes()
            if let known { console.info("known fusions \(known): \(knownGenes.names.count) gene name(s)") }
            let exclusions = try ExclusionIntervals(bedPaths: exclude)
            if !exclude.isEmpty {
                console.info("exclusions: \(exclusions.count) interval(s) from \(exclude.count) BED file(s)")
            }

            let generator = NegativesGenerator(models: models, known: knownGenes, exclusions: exclusions)
            let options = NegativesGenerator.Options(
                count: count, seed: seed, minimumDistance: minDistance, maxAttempts: maxAttempts,
                geneTypes: geneTypes.isEmpty ? nil : Set(geneTypes))
            let (records, summary) = try generator.generate(options)
            report(summary, console)
            guard !records.isEmpty else {
                throw NegativesError(
                    .noPairs, path: annotation,
                    "no pair could be made in \(summary.attempts) draws\(mostRejecting(summary)); lower --min-distance, drop filters, or use a fuller annotation"
                )
            }
            // An uncommitted OutputFile discards itself: a failed write leaves no partial file.
            let file = try OutputFile(path: output)
            try NegativesGenerator.write(records, to: file, header: header)
            try file.commit()
            if summary.isShort {
                console.warning(
                    "made \(summary.made) of \(summary.requested) pair(s) in \(summary.attempts) draws\(mostRejecting(summary)); the annotation allows few pairs under these rules"
                )
            }
        }
    }

    private func mostRejecting(_ s: NegativesSummary) -> String {
        guard let most = s.mostRejecting else { return "" }
        return "; most draws were rejected as \(most.rule.rawValue) (\(most.count))"
    }

    private func report(_ s: NegativesSummary, _ console: Console) {
        console.info(
            "genes: \(s.candidateGenes) of \(s.genes) used; left out: \(s.knownExcluded) known-fusion, \(s.typeExcluded) other type, \(s.withoutJunctions) without a 2+-exon transcript, \(s.genesExcludedByIntervals) with every boundary excluded (\(s.boundariesExcluded) boundaries in exclusion intervals)"
        )
        let destination = output == "-" ? "standard output" : output
        console.info("\(s.made) pair(s) made in \(s.attempts) draws, written to \(destination)")
        for rule in NegativeRule.allCases {
            console.info("draws rejected as \(rule.rawValue): \(s.rejected[rule] ?? 0)")
        }
    }
}
