import ArgumentParser
import Foundation
import FusionAI
import Fusions
import Genome
import NeuralNet
import Reports
import Support

/// `fusionai train`: trains a FusionAI network on labelled windows.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a FusionAI network on labelled fusions (FusionAI data files or prepared files + labels).",
        discussion: """
            DATA holds the 8 columns and the two 10,000-nt windows of each fusion (a FusionAI data \
            file, or `fusionai prepare --genome` output) with a 0/1 label in column 11 or in --labels \
            (one per line; Keras one-hot pairs such as `0,1` are read too); with --genome, DATA is \
            8-column rows with the label as column 9 (or any caller's output with --labels) and the \
            windows are built first. Without --valid/--test, \
            DATA is split as in the paper: 70% train / 30% test, the train part 80/20 into train and \
            validation (seeded). Loss: categorical cross-entropy; dropout active. The best model by \
            validation loss is written (--output, native .safetensors), with OUT.log.tsv (per epoch), \
            OUT.learning.svg, and the test set's metrics, ROC, PR and calibration as OUT.test.*. \
            A checkpoint is written after every epoch (--checkpoint, default OUT.checkpoint); \
            --resume continues a killed run to the same final weights.
            """
    )

    @Argument(help: "Training data (plain text; see above).")
    var data: String

    @Option(help: "Labels for DATA, one 0/1 per row.")
    var labels: String?

    @Option(
        name: [.short, .long],
        help:
            "Reference genome: DATA (and --valid/--test) are then fusion calls (8 columns or any caller's output) whose windows are built first."
    )
    var genome: String?

    @Option(help: "Validation data (same format); with --test, DATA is all training data.")
    var valid: String?

    @Option(help: "Test data (same format).")
    var test: String?

    @Option(name: [.short, .long], help: "Output model (.safetensors).")
    var output: String

    @Option(help: "Start from this model instead of random weights (.h5, .keras or .safetensors).")
    var initial: String?

    @Option(
        name: .customLong("model"),
        help: "Architecture of a new model: fusionai, or kmer (the k-mer spectrum linear baseline).")
    var architecture: ArchitectureChoice = .fusionai

    @Option(help: "k of the k-mer baseline.")
    var k = 4

    @OptionGroup var shape: ArchitectureOptions

    @Option(help: "Optimizer: adadelta (paper: lr 1.0, rho 0.95, eps 1e-7), adam or sgd.")
    var optimizer: OptimizerChoice = .adadelta

    @Option(name: .customLong("learning-rate"), help: "Learning rate (default: 1.0 adadelta, 0.001 adam, 0.01 sgd).")
    var learningRate: Float?

    @Option(help: "SGD momentum.")
    var momentum: Float = 0

    @Option(help: "Epochs.")
    var epochs = 10

    @Option(name: .customLong("batch-size"), help: "Samples per update.")
    var batchSize = 32

    @Option(help: "Stop after this many epochs without a better validation loss.")
    var patience: Int?

    @Option(help: "Seed for initial weights, splits, shuffling and dropout.")
    var seed: UInt64 = 1

    @Option(help: "Checkpoint file (default: OUTPUT.checkpoint).")
    var checkpoint: String?

    @Flag(help: "Continue from the checkpoint.")
    var resume = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard (1...8).contains(k) else { throw ValidationError("--k is from 1 to 8.") }
        guard epochs >= 1, batchSize >= 1 else {
            throw ValidationError("--epochs and --batch-size must be at least 1.")
        }
        guard (valid == nil) == (test == nil) else {
            throw ValidationError("give both --valid and --test, or neither (the paper's split).")
        }
    }

    func run() throws {
        let console = Console(command: "train", quiet: common.quiet)
        try reportingFailures(console) {
            let model =
                try initial.map { try ModelFile.load($0) }
                ?? Initializers.randomWeights(
                    for: architecture == .kmer ? KmerBaseline.spec(k: k) : shape.spec, seed: seed)
            let scorer = try FusionScorer(model: model)
            // Calls with a genome: windows are built into temporary prepared files first.
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
                "fusionai-train-\(UUID().uuidString)"
            ).path
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let opened = try genome.map { try ReferenceGenome(path: $0) }
            func windows(_ path: String) throws -> String {
                guard let opened else { return path }
                try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
                let target = scratch + "/" + (path as NSString).lastPathComponent + ".windows.tsv"
                var job = PrepareJob(genome: opened)
                job.threads = common.threads
                let table = try OutputFile(path: target)
                let summary = try job.run(FusionReader(path: path), to: PrepareJob.Outputs(table: table))
                try table.commit()
                if summary.totalRejected > 0 {
                    console.warning(
                        "\(path): \(summary.totalRejected) row(s) could not be windowed and are left out (see `fusionai prepare --rejects`)"
                    )
                    guard labels == nil else {
                        throw FusionInputError(
                            .labelMismatch, path: path,
                            "rows were rejected, so --labels no longer lines up; give the label as a column instead, or fix the rows"
                        )
                    }
                }
                return target
            }
            let all = try WindowDataSet(path: try windows(data), labelsPath: labels, scorer: scorer)
            let training: any TrainingData
            let validation: any TrainingData
            let testing: any TrainingData
            if let valid, let test {
                (training, validation, testing) = (
                    all, try WindowDataSet(path: try windows(valid), scorer: scorer),
                    try WindowDataSet(path: try windows(test), scorer: scorer)
                )
            } else {
                let split = DataSplit.paper(count: all.count, seed: seed)
                (training, validation, testing) = (
                    DataSubset(all, indices: split.train), DataSubset(all, indices: split.validation),
                    DataSubset(all, indices: split.test)
                )
            }
            console.info(
                "\(training.count) training, \(validation.count) validation, \(testing.count) test sequences; model \(model.parameterCount) parameters"
            )
            var configuration = Trainer.Configuration()
            configuration.epochs = epochs
            configuration.batchSize = batchSize
            configuration.seed = seed
            configuration.patience = patience
            configuration.threads = common.threads
            let trainer = Trainer(configuration: configuration)
            let started = Date()
            let onEpoch: (Trainer.Epoch) -> Void = { e in
                console.info(
                    "epoch \(e.epoch): training loss \(String(format: "%.4f", e.trainingLoss)), validation loss \(e.validationLoss.map { String(format: "%.4f", $0) } ?? "NA"), accuracy \(e.validationAccuracy.map { String(format: "%.3f", $0) } ?? "NA") (\(Int(Date().timeIntervalSince(started))) s)"
                )
            }
            let result = try trainer.train(
                model, optimizer: optimizer.make(learningRate: learningRate, momentum: momentum), training: training,
                validation: validation, checkpoint: checkpoint ?? output + ".checkpoint", resume: resume,
                onEpoch: onEpoch)
            try ModelFile.saveNative(result.model, to: output)
            // The log from the whole history (a resumed run's earlier epochs included).
            let log =
                "epoch\ttraining_loss\tvalidation_loss\tvalidation_accuracy\n"
                + result.history.map {
                    "\($0.epoch)\t\($0.trainingLoss)\t\($0.validationLoss.map { "\($0)" } ?? "NA")\t\($0.validationAccuracy.map { "\($0)" } ?? "NA")\n"
                }.joined()
            try OutputFile.write(log, to: output + ".log.tsv")
            try OutputFile.write(
                LinePlot.svg(
                    title: "Learning curve", xLabel: "epoch", yLabel: "cross-entropy",
                    series: [
                        .init(
                            name: "training", color: "#255C99",
                            points: result.history.map { (Double($0.epoch), $0.trainingLoss) }),
                        .init(
                            name: "validation", color: "#D62839",
                            points: result.history.compactMap { e in e.validationLoss.map { (Double(e.epoch), $0) } }),
                    ]), to: output + ".learning.svg")
            let (scores, truth) = try FusionScorer(model: result.model).scores(of: testing, threads: common.threads)
            let folder = (output as NSString).deletingLastPathComponent
            let m = try EvaluationReport.write(
                scores: scores, labels: truth, threshold: 0.5, folder: folder.isEmpty ? "." : folder,
                prefix: (output as NSString).lastPathComponent + ".test.", title: "Test set")
            console.info(
                "wrote \(output); test set: accuracy \(String(format: "%.3f", m.accuracy)), AUROC \(String(format: "%.3f", m.auroc)), AUPRC \(String(format: "%.3f", m.auprc))"
            )
        }
    }
}
