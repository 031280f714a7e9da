import Foundation
import FusionAI
import Fusions
import Genome
import NeuralNet
import Reports
import Support

/// Trains a FusionAI network (or the k-mer baseline) on labelled windows, keeps the best model by
/// validation loss, and writes its learning curve and test-set evaluation beside it.
public enum TrainStep {
    public struct Options {
        /// FusionAI data file or prepared file with a 0/1 label in column 11 (or `labels`); with
        /// `genome`, fusion calls whose windows are built first.
        public var data: String
        public var labels: String?
        public var genome: String?
        /// Validation and test data; without them `data` is split as in the paper.
        public var valid: String?
        public var test: String?
        /// The model (`.safetensors`); `OUT.log.tsv`, `OUT.learning.svg` and `OUT.test.*` go beside it.
        public var output: String
        /// Start from this model instead of random weights.
        public var initial: String?
        /// The architecture of a new model.
        public var spec: ModelSpec
        public var optimizer: any Optimizer
        public var epochs = 10
        public var batchSize = 32
        /// Stop after this many epochs without a better validation loss.
        public var patience: Int?
        public var seed: UInt64 = 1
        /// Default: `OUT.checkpoint`.
        public var checkpoint: String?
        public var resume = false
        public var threads = 1

        public init(data: String, output: String, spec: ModelSpec, optimizer: any Optimizer) {
            self.data = data
            self.output = output
            self.spec = spec
            self.optimizer = optimizer
        }
    }

    public struct Result: Sendable {
        /// Every epoch, a resumed run's earlier ones included.
        public let history: [Trainer.Epoch]
        /// The best model's metrics on the test set (nil when it holds no sequence).
        public let test: BinaryMetrics?
    }

    /// - Throws: ``StepError/Code/misalignedLabels`` when `labels` is given and windows of some rows
    ///   cannot be built; ``ModelError``, ``FusionInputError``, ``GenomeError``, ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        let inputs =
            [options.data]
            + [options.labels, options.genome, options.valid, options.test, options.initial]
            .compactMap { $0 }
        let outputs = [options.output] + [options.checkpoint].compactMap { $0 }
        try OutputTarget.requireDistinctOutputs(outputs)
        for output in outputs { try OutputTarget.requireDistinct(output, from: inputs) }
        // Held-out sets that are the training file measured the training data, looking like a result.
        for (option, path) in [("--valid", options.valid), ("--test", options.test)] {
            guard let path, path != "-", OutputTarget.sameFile(path, options.data) else { continue }
            throw StepError(
                .sameAsTraining, path: path,
                "\(option) is the training data \(options.data): give held-out rows, or leave \(option) out")
        }
        // The model is written after all the epochs: a path or name it cannot take fails now instead.
        _ = try OutputTarget.regularFile(options.output)
        try ModelFile.requireWritableFormat(options.output)
        // Two trainings into one model would interleave their checkpoints and window files.
        let lock = try OutputLock(output: options.output)
        defer { lock.release() }
        OutputFile.removeStaleTemporaries(of: outputs)
        let model =
            try options.initial.map { try ModelFile.load($0) }
            ?? Initializers.randomWeights(for: options.spec, seed: options.seed)
        let scorer = try FusionScorer(model: model)
        // Calls with a genome: windows are built into prepared files beside the model first (a
        // killed run leaves them where the next run replaces them, not in the system's temporary folder).
        let scratch = options.output + ".windows.partial"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let genome = try options.genome.map { try ReferenceGenome(path: $0) }
        func windows(_ path: String, role: String) throws -> String {
            guard let genome else { return path }
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let target = scratch + "/" + role + ".windows.tsv"
            var job = PrepareJob(genome: genome)
            job.threads = options.threads
            let table = try OutputFile(path: target)
            let summary = try job.run(FusionReader(path: path), to: PrepareJob.Outputs(table: table))
            try table.commit()
            if summary.totalRejected > 0 {
                log.warning(
                    "\(path): \(summary.totalRejected) row(s) could not be windowed and are left out "
                        + "(see `fusionai prepare --rejects`)")
                guard options.labels == nil else {
                    throw StepError(
                        .misalignedLabels, path: path,
                        "rows were rejected, so --labels no longer lines up; give the label as a column instead, "
                            + "or fix the rows")
                }
            }
            return target
        }
        let files = DataFiles(
            data: try windows(options.data, role: "data"),
            valid: try options.valid.map { try windows($0, role: "valid") },
            test: try options.test.map { try windows($0, role: "test") })
        let all = try windowsRead(files.data, source: options.data, labels: options.labels, scorer: scorer)
        let training: any TrainingData
        let validation: any TrainingData
        let testing: any TrainingData
        let trainingLabels: [Int]
        if let valid = files.valid, let test = files.test, let validSource = options.valid,
            let testSource = options.test
        {
            training = all
            trainingLabels = all.labels
            validation = try windowsRead(valid, source: validSource, scorer: scorer)
            testing = try windowsRead(test, source: testSource, scorer: scorer)
        } else {
            let split = DataSplit.paper(count: all.count, seed: options.seed)
            training = DataSubset(all, indices: split.train)
            trainingLabels = split.train.map { all.labels[$0] }
            validation = DataSubset(all, indices: split.validation)
            testing = DataSubset(all, indices: split.test)
        }
        let positives = trainingLabels.filter { $0 == 1 }.count
        log.info(
            "\(training.count) training (\(positives) positive, \(training.count - positives) negative), "
                + "\(validation.count) validation, \(testing.count) test sequences; model \(model.parameterCount) "
                + "parameters")
        guard training.count > 0 else {
            throw StepError(
                .nothingUsable, path: options.data, "leaves no training sequences (\(all.count) rows before the split)")
        }
        if positives == 0 || positives == training.count {
            let (only, other) = positives == 0 ? ("negative (0)", "positives") : ("positive (1)", "negatives")
            log.warning(
                "every training sequence is \(only): the model can only learn to give that class (add \(other), "
                    + "and check the label column or --labels)")
        }
        if validation.count == 0 {
            log.warning(
                "no validation sequences: the last epoch's model is written, and --patience has no effect (give "
                    + "more rows, or --valid and --test)")
        }
        if testing.count == 0 { log.warning("no test sequences: the model is written without OUT.test.* files") }
        var configuration = Trainer.Configuration()
        configuration.epochs = options.epochs
        configuration.batchSize = options.batchSize
        configuration.seed = options.seed
        configuration.patience = options.patience
        configuration.threads = options.threads
        configuration.dataDigests = try files.digests(options)
        let checkpoint = options.checkpoint ?? options.output + ".checkpoint"
        if options.resume, !FileManager.default.fileExists(atPath: checkpoint) {
            log.warning("--resume: no checkpoint at \(checkpoint), so training starts at epoch 1")
        }
        let started = Date()
        let result = try Trainer(configuration: configuration).train(
            model, optimizer: options.optimizer, training: training, validation: validation,
            checkpoint: checkpoint, resume: options.resume
        ) { e in
            log.info(
                "epoch \(e.epoch): training loss \(String(format: "%.4f", e.trainingLoss)), validation loss "
                    + "\(e.validationLoss.map { String(format: "%.4f", $0) } ?? "NA"), accuracy "
                    + "\(e.validationAccuracy.map { String(format: "%.3f", $0) } ?? "NA") "
                    + "(\(Int(Date().timeIntervalSince(started))) s)")
        }
        if let epochs = result.resumedAfter { log.info("resumed after epoch \(epochs) from \(checkpoint)") }
        for warning in result.warnings { log.warning(warning) }
        try ModelFile.save(result.model, to: options.output)
        try writeHistory(result.history, model: options.output)
        guard testing.count > 0 else {
            log.info("wrote \(options.output)")
            return Result(history: result.history, test: nil)
        }
        let (scores, truth) = try FusionScorer(model: result.model).scores(of: testing, threads: options.threads)
        let folder = PathNames.folder(of: options.output)
        let metrics = try EvaluationReport.write(
            scores: scores, labels: truth, threshold: 0.5, folder: folder.isEmpty ? "." : folder,
            prefix: PathNames.name(of: options.output) + ".test.", title: "Test set")
        log.info(
            "wrote \(options.output); test set: accuracy \(String(format: "%.3f", metrics.accuracy)), "
                + "AUROC \(String(format: "%.3f", metrics.auroc)), AUPRC \(String(format: "%.3f", metrics.auprc))")
        return Result(history: result.history, test: metrics)
    }

    /// The files the data sets are read from: the inputs themselves, or windows built from them.
    private struct DataFiles {
        let data: String
        let valid: String?
        let test: String?

        /// Digests of what the run learns from, for its checkpoint: a resume with other data is refused.
        func digests(_ options: Options) throws -> [String: String] {
            var digests = ["DATA": try ContentDigest.file(data)]
            digests["--labels"] = try options.labels.map { try ContentDigest.file($0) }
            digests["--valid"] = try valid.map { try ContentDigest.file($0) }
            digests["--test"] = try test.map { try ContentDigest.file($0) }
            digests["--initial"] = try options.initial.map { try ContentDigest.file($0) }
            return digests
        }
    }

    /// A data set from `path`; when windows were built from `source`, its errors name `source`
    /// (the windows file is gone when the run ends) and the row's place among the windowed rows
    /// (its data row when every row could be windowed).
    private static func windowsRead(
        _ path: String, source: String, labels: String? = nil, scorer: FusionScorer
    ) throws -> WindowDataSet {
        do {
            return try WindowDataSet(path: path, labelsPath: labels, scorer: scorer)
        } catch let error as FusionInputError where path != source && error.path == path {
            throw FusionInputError(
                error.code, path: source,
                "row \(error.line.map(String.init) ?? "?") of the rows it windowed: "
                    + error.message.replacingOccurrences(of: "column 11", with: "the label column"))
        }
    }

    /// `OUT.log.tsv` and `OUT.learning.svg` from the whole history (a resumed run's earlier epochs included).
    private static func writeHistory(_ history: [Trainer.Epoch], model: String) throws {
        let log =
            "epoch\ttraining_loss\tvalidation_loss\tvalidation_accuracy\n"
            + history.map {
                "\($0.epoch)\t\($0.trainingLoss)\t\($0.validationLoss.map { "\($0)" } ?? "NA")\t"
                    + "\($0.validationAccuracy.map { "\($0)" } ?? "NA")\n"
            }.joined()
        try OutputFile.write(log, to: model + ".log.tsv")
        try OutputFile.write(
            LinePlot.svg(
                title: "Learning curve", xLabel: "epoch", yLabel: "cross-entropy",
                series: [
                    .init(
                        name: "training", color: "#255C99",
                        points: history.map { (Double($0.epoch), $0.trainingLoss) }),
                    .init(
                        name: "validation", color: "#D62839",
                        points: history.compactMap { e in e.validationLoss.map { (Double(e.epoch), $0) } }),
                ]), to: model + ".learning.svg")
    }
}
