import ArgumentParser
import Foundation
import Pipeline

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
        help: ArgumentHelp(
            "BED file (plain or gzip) of regions no breakpoint may fall in (repeats, pseudogenes, paralogs); "
                + "repeatable.")
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
        help: ArgumentHelp(
            "Draw only genes of this gene_type / gene_biotype (e.g. protein_coding); repeatable. "
                + "Default: all genes with a transcript of 2+ exons.")
    )
    var geneTypes: [String] = []

    @Option(
        name: .customLong("max-attempts"),
        help: "Pairs to draw before giving up (default: 1,000 x count, from 100,000 to 10^8).")
    var maxAttempts: Int?

    @Option(name: [.short, .long], help: "Output table ('-' for standard output; a .gz name is bgzip-compressed).")
    var output: String = "-"

    @Flag(help: "Write a header line naming the columns.")
    var header = false

    @OptionGroup var verbosity: QuietOption

    func validate() throws {
        guard (1...10_000_000).contains(count) else {
            throw ValidationError("-n/--count must be from 1 to 10000000 (got \(count)).")
        }
        guard minDistance >= 0 else {
            throw ValidationError("--min-distance must not be negative (got \(minDistance)).")
        }
        if let maxAttempts, maxAttempts < 1 {
            throw ValidationError("--max-attempts must be at least 1 (got \(maxAttempts)).")
        }
    }

    func run() throws {
        let console = Console(command: "negatives", quiet: verbosity.quiet)
        var options = NegativesStep.Options(annotation: annotation)
        options.known = known
        options.exclude = exclude
        options.count = count
        options.seed = seed
        options.minDistance = minDistance
        options.geneTypes = geneTypes
        options.maxAttempts = maxAttempts
        options.output = output
        options.header = header
        try reportingFailures(console) { _ = try NegativesStep.run(options, log: console.log) }
    }
}
