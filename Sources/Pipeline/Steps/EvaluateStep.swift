import Foundation
import FusionAI
import NeuralNet
import Support

/// A model's accuracy, precision, recall, F1, AUROC, AUPRC, confusion matrix and calibration on
/// labelled data, as tables and figures in a folder.
public enum EvaluateStep {
    public struct Options: Sendable {
        /// FusionAI data file or prepared file; labels in column 11 or `labels`.
        public var data: String
        public var labels: String?
        public var model: String
        /// Call a fusion positive when P(positive) is at least this.
        public var threshold = 0.5
        /// The folder (created if missing).
        public var output: String
        public var threads = 1

        public init(data: String, model: String, output: String) {
            self.data = data
            self.model = model
            self.output = output
        }
    }

    /// - Throws: ``ModelError``, ``FusionInputError``, ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> BinaryMetrics {
        let lock = try OutputLock.claimFolder(options.output)
        defer { lock.release() }
        let scorer = try FusionScorer(model: ModelFile.load(options.model))
        let set = try WindowDataSet(path: options.data, labelsPath: options.labels, scorer: scorer)
        let (scores, _) = try scorer.scores(of: set, threads: options.threads) {
            log.progress(.rows($0, fraction: Double($0) / Double(set.count)))
        }
        let broken = scores.filter { !$0.isFinite }.count
        guard broken == 0 else {
            throw StepError(
                .nonFiniteScores, path: options.model,
                "gives NaN or infinite scores for \(broken) of \(scores.count) sequence(s): its weights are damaged "
                    + "or training diverged")
        }
        let m = try EvaluationReport.write(
            scores: scores, labels: set.labels.map { $0 == 1 }, threshold: options.threshold, folder: options.output,
            title: PathNames.name(of: options.data))
        let f = { (value: Double) in value.isFinite ? String(format: "%.3f", value) : "NA" }
        let positives = set.labels.count { $0 == 1 }
        if positives == 0 || positives == set.count {
            log.warning(
                "every sequence of \(options.data) is labelled \(positives == 0 ? "negative" : "positive"): AUROC "
                    + "and AUPRC need both classes and are NA")
        }
        log.info(
            "\(set.count) sequences: accuracy \(f(m.accuracy)), precision \(f(m.precision)), recall \(f(m.recall)), "
                + "F1 \(f(m.f1)), AUROC \(f(m.auroc)), AUPRC \(f(m.auprc)) -> \(options.output)/")
        return m
    }
}
