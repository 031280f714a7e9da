import ArgumentParser
import Foundation
import Pipeline

/// `fusionai run`: the whole protocol into one results folder, each step resumable.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The whole protocol in one command: prepare, predict, explain, features, report.",
        discussion: """
            Into OUT/: prepared.tsv (+ .qc.tsv, .rejects.tsv), predictions.tsv, fis/ (explain of the \
            --explain-max highest-scoring rows at or above --threshold), feat/ (with --features) and \
            report.html. A step that finished is marked in OUT/.done/ with its arguments and the size \
            and modification time of the files it reads (input, genome, annotation, model, feature \
            manifest and tracks), and skipped when it would run with the same again, so an \
            interrupted run resumes at the step it stopped in; a step whose arguments or input files \
            changed reruns, with every step after it; --force reruns every step.
            """
    )

    @Argument(help: "Fusion calls (any supported caller format) or a FusionAI data file.")
    var input: String

    @Option(name: [.short, .long], help: "Reference genome (FASTA, bgzip FASTA or .2bit).")
    var genome: String

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(name: [.short, .long], help: "Gene annotation (GTF) for callers that give no strands.")
    var annotation: String?

    @Option(help: "Feature manifest for the features step (skipped without one).")
    var features: String?

    @Option(help: "Explain rows with P(fusion-positive) at least this.")
    var threshold: Float = 0.5

    @Option(name: .customLong("explain-max"), help: "Explain at most this many rows (the highest-scoring).")
    var explainMax = 20

    @Flag(help: "Rerun every step, even those marked done.")
    var force = false

    @Option(
        help: ArgumentHelp(
            "The sample's name in the MultiQC tables (default: the input file's name; give one when every sample's "
                + "caller output has the same name, as STAR-Fusion's does)."))
    var sample: String?

    @Option(name: [.short, .long], help: "Results folder (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard threshold >= 0, threshold <= 1 else { throw ValidationError("--threshold must be between 0 and 1.") }
        // A negative count explained nothing silently; 0 is the way to skip explain.
        guard explainMax >= 0 else { throw ValidationError("--explain-max must be 0 or more (got \(explainMax)).") }
        if let sample, sample.isEmpty || sample.contains(where: { $0 == "\t" || $0.isNewline }) {
            throw ValidationError("--sample needs a name without tabs or line ends.")
        }
    }

    func run() throws {
        let console = Console(command: "run", quiet: common.quiet)
        var options = RunJob.Options(
            input: input, genome: genome, model: model, output: output, provenance: .current)
        options.annotation = annotation
        options.features = features
        options.threshold = threshold
        options.explainMax = explainMax
        options.force = force
        options.sample = sample
        options.threads = common.threads
        let quiet = common.quiet
        let logs = RunJob.Logs(run: console.log) { Console(command: $0.rawValue, quiet: quiet).log }
        try reportingFailures(console) {
            do {
                _ = try RunJob.run(options, logs: logs)
            } catch let failure as RunJob.StepFailure {
                // Said by the step, as when it runs on its own.
                Console(command: failure.step.rawValue, quiet: quiet).error("\(failure.error)")
                throw ExitCode.failure
            }
        }
    }
}
