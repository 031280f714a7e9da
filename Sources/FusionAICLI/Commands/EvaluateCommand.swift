import ArgumentParser
import Foundation
import FusionAI
import Fusions
import NeuralNet

/// `fusionai evaluate`: a model's metrics on labelled fusions.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract:
            "Accuracy, precision, recall, F1, AUROC, AUPRC, confusion matrix and calibration of a model on labelled data.",
        discussion:
            "Writes OUT/metrics.tsv, roc.svg, pr.svg, calibration.tsv and calibration.svg. DATA is as for `fusionai train`."
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

    func run() throws {
        let console = Console(command: "evaluate", quiet: common.quiet)
        try reportingFailures(console) {
            let loaded = try ModelFile.load(model)
            let scorer = try FusionScorer(model: loaded)
            let set = try WindowDataSet(path: data, labelsPath: labels, scorer: scorer)
            let (scores, _) = try scorer.scores(of: set, threads: common.threads) {
                console.progress(rows: $0, fraction: Double($0) / Double(set.count))
            }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let m = try EvaluationReport.write(
                scores: scores, labels: set.labels.map { $0 == 1 }, threshold: threshold, folder: output,
                title: (data as NSString).lastPathComponent)
            console.info(
                "\(set.count) sequences: accuracy \(String(format: "%.3f", m.accuracy)), precision \(String(format: "%.3f", m.precision)), recall \(String(format: "%.3f", m.recall)), F1 \(String(format: "%.3f", m.f1)), AUROC \(String(format: "%.3f", m.auroc)), AUPRC \(String(format: "%.3f", m.auprc)) -> \(output)/"
            )
        }
    }
}
