import ArgumentParser
import Foundation
import Pipeline

/// `fusionai evaluate`: a model's metrics on labelled fusions.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract:
            "Accuracy, precision, recall, F1, AUROC, AUPRC, confusion matrix and calibration of a model on "
            + "labelled data.",
        discussion:
            "Writes OUT/metrics.tsv, roc.svg, pr.svg, calibration.tsv and calibration.svg. "
            + "DATA is as for `fusionai train`."
    )

    @Argument(help: "Labelled data (FusionAI data file or prepared file; labels in column 11 or --labels).")
    var data: String

    @Option(help: "Labels for DATA, one 0/1 per row.")
    var labels: String?

    @Option(name: [.short, .long], help: "Model: Keras .h5 / .keras, or fusionai .safetensors.")
    var model: String

    @Option(help: "Call a fusion positive when P(positive) is at least this.")
    var threshold: Double = 0.5

    @Option(name: [.short, .long], help: "Output folder (created if missing).")
    var output: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
        // `contains` is false for NaN too.
        guard (0...1).contains(threshold) else {
            throw ValidationError("--threshold must be from 0 to 1 (got \(threshold)).")
        }
    }

    func run() throws {
        let console = Console(command: "evaluate", quiet: common.quiet)
        var options = EvaluateStep.Options(data: data, model: model, output: output)
        options.labels = labels
        options.threshold = threshold
        options.threads = common.threads
        try reportingFailures(console) { _ = try EvaluateStep.run(options, log: console.log) }
    }
}
