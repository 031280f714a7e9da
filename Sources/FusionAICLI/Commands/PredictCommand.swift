import ArgumentParser
import Foundation
import Fusions
import Pipeline

/// `fusionai predict`: P(fusion-negative) and P(fusion-positive) for each fusion.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score fusions with a FusionAI model (step 2).",
        discussion: """
            INPUT is a file from `fusionai prepare --genome`, a FusionAI data file, or, with \
            --genome, any caller output `prepare` reads (windows are built on the fly). The output \
            is the input row's columns (without the two 10-kb sequence columns unless \
            --keep-sequences), then fusion_negative_prob, fusion_positive_prob and call \
            (positive when fusion_positive_prob >= --threshold; the original suggests 0.5, 0.9 or 0.95), \
            with a header line.

            The model is a Keras .h5 or .keras file (such as the published newdat_newmod_jj.h5) or \
            a fusionai .safetensors file. Written to a file, the output goes to OUT.partial with a \
            checkpoint after every batch; --resume continues an interrupted run from its last \
            checkpoint, without redoing or losing rows.
            """
    )

    @Argument(help: "Fusions: prepared file, FusionAI data file, or caller output with --genome ('-' for stdin).")
    var input: String

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(name: [.short, .long], help: "Reference genome, to build windows from caller output.")
    var genome: String?

    @Option(name: [.short, .long], help: "Input format (default: detected).")
    var format: FusionFormat?

    @Option(name: [.short, .long], help: "Gene annotation (GTF) for strands a caller leaves out.")
    var annotation: String?

    @Option(name: [.short, .long], help: "Output TSV ('-' for standard output).")
    var output: String = "-"

    @Option(help: "Call a fusion positive when P(positive) is at least this.")
    var threshold: Float = 0.5

    @Option(name: .customLong("batch-size"), help: "Rows scored together (memory grows with it).")
    var batchSize = 64

    @Option(help: "Write rejected rows, with the reason, to this TSV.")
    var rejects: String?

    @Flag(
        name: .customLong("keep-sequences"), help: "Keep the HeadSeq/TailSeq columns of prepared input in the output.")
    var keepSequences = false

    @Flag(help: "Continue an interrupted run from OUT.partial.")
    var resume = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard threshold >= 0, threshold <= 1 else { throw ValidationError("--threshold must be between 0 and 1.") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1.") }
        if resume, output == "-" { throw ValidationError("--resume needs an output file (-o FILE).") }
        if resume, output.hasSuffix(".gz") {
            throw ValidationError("--resume needs a plain output file: a .gz output is written whole, not resumed.")
        }
        // The checkpoint records how much of INPUT was done: standard input cannot be checked against it.
        if resume, input == "-" { throw ValidationError("--resume needs INPUT as a file, not standard input.") }
    }

    func run() throws {
        let console = Console(command: "predict", quiet: common.quiet)
        var options = PredictStep.Options(input: input, model: model)
        options.genome = genome
        options.format = format
        options.annotation = annotation
        options.output = output
        options.threshold = threshold
        options.batchSize = batchSize
        options.rejects = rejects
        options.keepSequences = keepSequences
        options.interrupted = resume ? .resume : .refuse
        options.threads = common.threads
        try reportingFailures(console) { _ = try PredictStep.run(options, log: console.log) }
    }
}
