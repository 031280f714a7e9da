import ArgumentParser
import Foundation
import Pipeline

/// `fusionai scan`: every head exon end of one gene x every tail exon start of another, scored.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Score every breakpoint pair of a gene pair: head exon ends x tail exon starts.",
        discussion: """
            Head breakpoints are the last bases of HEAD_GENE's exons that are not their transcript's \
            last, tail breakpoints the first bases of TAIL_GENE's exons that are not their \
            transcript's first (the convention of real exon-junction fusions), pooled over the \
            annotation's transcripts. Writes DIR/scan.tsv (the 8 fusion columns, the exon numbers \
            and transcripts of each breakpoint, fusion_positive_prob) and DIR/scan.svg (head \
            breakpoints by tail breakpoints). --head-region / --tail-region [CHR:]START-END slide \
            that side's breakpoint over a range at --stride instead. Genes are named by gene_name \
            or gene_id; an ambiguous name is refused with the genes it names listed.
            """
    )

    @Argument(help: "The 5' gene (gene_name or gene_id).")
    var headGene: String

    @Argument(help: "The 3' gene (gene_name or gene_id).")
    var tailGene: String

    @Option(name: [.short, .long], help: "Gene annotation (GTF, plain or gzip) with the genes' exons.")
    var annotation: String

    @Option(name: [.short, .long], help: "Reference genome (FASTA, bgzip FASTA or .2bit).")
    var genome: String

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(name: [.short, .long], help: "Output folder (made when missing).")
    var output: String

    @Option(name: .customLong("head-region"), help: "Slide the head breakpoint over [CHR:]START-END.")
    var headRegion: String?

    @Option(name: .customLong("tail-region"), help: "Slide the tail breakpoint over [CHR:]START-END.")
    var tailRegion: String?

    @Option(help: "Step between breakpoints of a region, in bases.")
    var stride = 1

    @Option(name: .customLong("batch-size"), help: "Pairs scored together (memory grows with it).")
    var batchSize = 64

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard stride >= 1 else { throw ValidationError("--stride must be at least 1.") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1.") }
    }

    func run() throws {
        let console = Console(command: "scan", quiet: common.quiet)
        var options = ScanStep.Options(
            annotation: annotation, genome: genome, model: model, head: headGene, tail: tailGene, output: output)
        options.headRegion = headRegion
        options.tailRegion = tailRegion
        options.stride = stride
        options.batchSize = batchSize
        options.threads = common.threads
        try reportingFailures(console) { _ = try ScanStep.run(options, log: console.log) }
    }
}
