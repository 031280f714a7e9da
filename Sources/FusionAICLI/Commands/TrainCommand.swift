import ArgumentParser
import Foundation
import FusionAI
import Pipeline

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
        help: ArgumentHelp(
            "Reference genome: DATA (and --valid/--test) are then fusion calls (8 columns or any caller's "
                + "output) whose windows are built first.")
    )
    var genome: String?

    @Option(help: "Validation data (same format); with --test, DATA is all training data.")
    var valid: String?

    @Option(help: "Test data (same format).")
    var test: String?

    @Option(name: [.short, .long], help: "Output model: .safetensors (native) or .h5 (Keras HDF5).")
    var output: String

    @Option(help: "Start from this model instead of random weights (.h5, .keras or .safetensors).")
    var initial: String?

    @Option(
        name: .customLong("model"),
        help: "Architecture of a new model: fusionai, or kmer (the k-mer spectrum linear baseline).")
    var architecture: ArchitectureChoice?

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
        // NaN or infinite rates diverge at the first step; a negative one climbs the loss.
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) {
            throw ValidationError("--learning-rate must be a positive number (got \(learningRate)).")
        }
        guard (0..<1).contains(momentum) else {
            throw ValidationError("--momentum must be from 0 up to 1 (got \(momentum)).")
        }
        // Zero would stop before the first epoch and write the starting weights as the result.
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1 (got \(patience)).") }
        if initial != nil, shape.isGiven || architecture != nil {
            throw ValidationError(
                "--initial brings its own architecture: leave out --model, --input-length, --first-filters and "
                    + "--second-filters")
        }
    }

    func run() throws {
        let console = Console(command: "train", quiet: common.quiet)
        var options = TrainStep.Options(
            data: data, output: output, spec: architecture == .kmer ? KmerBaseline.spec(k: k) : shape.spec,
            optimizer: optimizer.make(learningRate: learningRate, momentum: momentum))
        options.labels = labels
        options.genome = genome
        options.valid = valid
        options.test = test
        options.initial = initial
        options.epochs = epochs
        options.batchSize = batchSize
        options.patience = patience
        options.seed = seed
        options.checkpoint = checkpoint
        options.resume = resume
        options.threads = common.threads
        try reportingFailures(console) { _ = try TrainStep.run(options, log: console.log) }
    }
}
