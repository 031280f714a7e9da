import ArgumentParser
import Foundation
import Pipeline

/// `fusionai motifs`: a group, whose default (`filters`) keeps `fusionai motifs --model ...` working.
struct MotifsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motifs",
        abstract: "Motifs: first-layer filters as PWMs, TOMTOM-style matching, FIMO-style scanning.",
        subcommands: [MotifFiltersCommand.self, MotifMatchCommand.self, MotifScanCommand.self],
        defaultSubcommand: MotifFiltersCommand.self
    )
}

/// `fusionai motifs filters` (the default): the first-layer filters as sequence motifs.
struct MotifFiltersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filters",
        abstract: "First-layer filters as position weight matrices (MEME format) and sequence logos.",
        discussion: """
            With --sequences, each filter's motif is built the standard way: the windows where its \
            activation exceeds --threshold times its maximum over the sequences are aligned and their \
            base frequencies taken. Without, a softmax of each position's weights is used. Writes \
            OUT/motifs.meme (MEME minimal motif format, for TOMTOM), OUT/motifs.tsv (sites, maximum \
            activation, information content, consensus) and OUT/logos/FILTER.svg.
            """
    )

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(help: "Sequences: a prepared file, FusionAI data file, or caller output with --genome.")
    var sequences: String?

    @Option(name: [.short, .long], help: "Reference genome, to build windows from caller output.")
    var genome: String?

    @Option(name: .customLong("max-sequences"), help: "Use at most this many sequences.")
    var maxSequences = 500

    @Option(help: "Activation threshold, as a fraction of each filter's maximum.")
    var threshold: Float = 0.5

    @Option(name: [.short, .long], help: "Output folder (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must be between 0 and 1.") }
        guard maxSequences >= 1 else { throw ValidationError("--max-sequences must be at least 1.") }
    }

    func run() throws {
        let console = Console(command: "motifs filters", quiet: common.quiet)
        var options = MotifsStep.Options(model: model, output: output)
        options.sequences = sequences
        options.genome = genome
        options.maxSequences = maxSequences
        options.threshold = threshold
        options.threads = common.threads
        try reportingFailures(console) { try MotifsStep.run(options, log: console.log) }
    }
}
