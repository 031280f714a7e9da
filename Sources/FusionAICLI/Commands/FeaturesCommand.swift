import ArgumentParser
import Foundation
import Fusions
import Pipeline

/// `fusionai features`: genomic features across the breakpoint windows, and in the top-FIS regions.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Genomic features across the breakpoint windows and their enrichment in top-FIS regions (step 5).",
        discussion: """
            FEATURES is a TSV manifest with a header: name, category, path (BED or BED.gz, one track \
            per row; chromosome names match with or without chr). Writes OUT/coverage.tsv (per fusion \
            and feature: covered bases of each window and of its top-FIS regions), landscape.tsv and \
            landscape.svg (mean covered fraction in bins across the 20-kb input, transcript orientation; \
            heat map grouped by category), with --fis landscape_top.tsv and .svg (the same over the \
            top-FIS positions only), enrichment.tsv and enrichment.svg (forest plot): each \
            feature in top-FIS regions against the rest of the windows (with --fis, the folder \
            `fusionai explain` wrote for the same INPUT) and in positive against negative fusions \
            (when INPUT has labels): odds ratio, two-sided Fisher p, Benjamini-Hochberg q; and for \
            each explained fusion tracks/ID.features.tsv and .svg (its FIS and, under them, the \
            features along its input, on the scale of explain's ID.svg overview). A bgzip-compressed \
            track with a tabix index \
            beside it (.tbi or .csi) is read only around the windows when they are few against its \
            lines. Rows need known strands: run \
            `fusionai prepare` on caller output first.
            """
    )

    @Argument(help: "Fusions: prepared file, FusionAI data file, or caller output ('-' for stdin).")
    var input: String

    @Option(help: "Feature manifest: TSV of name, category, path.")
    var features: String

    @Option(name: [.short, .long], help: "Input format (default: detected).")
    var format: FusionFormat?

    @Option(
        name: [.customLong("fis"), .customLong("explain")],
        help: "Folder written by `fusionai explain` for the same INPUT (enables the top-FIS test).")
    var fis: String?

    @Option(help: "Which explain top fraction to test, as explain labels it.")
    var top: String = "top1%"

    @Option(help: "Landscape bins per 10-kb window (a divisor of 10,000).")
    var bins = 50

    @Option(name: [.short, .long], help: "Output folder (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard bins > 0, WindowRule.length % bins == 0 else {
            throw ValidationError("--bins must divide 10,000 (e.g. 20, 50, 100).")
        }
    }

    func run() throws {
        let console = Console(command: "features", quiet: common.quiet)
        var options = FeaturesStep.Options(input: input, manifest: features, output: output)
        options.format = format
        options.explained = fis
        options.top = top
        options.bins = bins
        options.threads = common.threads
        try reportingFailures(console) { _ = try FeaturesStep.run(options, log: console.log) }
    }
}
