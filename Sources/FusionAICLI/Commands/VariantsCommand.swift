import ArgumentParser
import Foundation
import Fusions
import Pipeline

/// `fusionai variants`: the effect of each VCF variant in a fusion's windows on its score.
struct VariantsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "variants",
        abstract: "Score how each VCF variant inside a fusion's windows changes P(fusion-positive).",
        discussion: """
            For each fusion in INPUT and each VCF record whose REF lies in its head or tail window, \
            every ALT is applied to the genome and the window derived again by the window rule \
            (reverse-complemented on '-'); the pair is scored with the other window unchanged. \
            Output: the 8 fusion columns, variant (CHROM:POS:REF>ALT), kind, window (head/tail), \
            offset (POS from the breakpoint in transcript orientation), ref_prob, alt_prob, delta \
            (alt - ref). Indels keep the window 10,000 nt and anchored at the breakpoint: bases \
            beyond the variant shift in or out at the far end; an indel covering the breakpoint \
            base is skipped. REF must match the genome. Symbolic alleles are skipped with the \
            reason (--skipped FILE lists them). VCF plain, gzip or bgzip, or BCF; with a .tbi/.csi \
            index only the windows' regions are read.
            """
    )

    @Argument(help: "Fusions: FusionAI 8-column rows, a prepared file, or caller output ('-' for stdin).")
    var input: String

    @Option(help: "Variants: VCF (plain, gzip, bgzip) or BCF.")
    var vcf: String

    @Option(name: [.short, .long], help: "Reference genome (FASTA, bgzip FASTA or .2bit).")
    var genome: String

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(name: [.short, .long], help: "Input format (default: detected).")
    var format: FusionFormat?

    @Option(name: [.short, .long], help: "Gene annotation (GTF) for strands a caller leaves out.")
    var annotation: String?

    @Option(name: [.short, .long], help: "Output TSV ('-' for standard output).")
    var output: String = "-"

    @Option(help: "Write every variant (and fusion) not scored, with the reason, to this TSV.")
    var skipped: String?

    @Option(
        name: .customLong("vcf-out"),
        help: "Write the input VCF again with INFO/FUSIONAI_MAX_DELTA (.vcf, .vcf.gz or .bcf by name).")
    var vcfOut: String?

    @Option(name: .customLong("batch-size"), help: "Pairs scored together (memory grows with it).")
    var batchSize = 64

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1.") }
        // --vcf-out reads the VCF a second time, which standard input cannot give.
        if vcf == "-", vcfOut != nil { throw ValidationError("--vcf-out needs --vcf FILE, not standard input.") }
        if vcf == "-", input == "-" { throw ValidationError("--vcf - and INPUT - cannot both be standard input.") }
    }

    func run() throws {
        let console = Console(command: "variants", quiet: common.quiet)
        var options = VariantsStep.Options(input: input, vcf: vcf, genome: genome, model: model)
        options.format = format
        options.annotation = annotation
        options.output = output
        options.skipped = skipped
        options.vcfOut = vcfOut
        options.batchSize = batchSize
        options.threads = common.threads
        try reportingFailures(console) { _ = try VariantsStep.run(options, log: console.log) }
    }
}
