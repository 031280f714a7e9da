import Foundation
import FusionAI
import Fusions
import Genome
import NeuralNet
import Results
import Support

/// Step 4: per-position feature-importance scores of chosen fusions, as tables, genome tracks and
/// figures in a folder (``ExplainFolder``).
public enum ExplainStep {
    public struct Options: Sendable {
        /// A prepared file, a FusionAI data file, or (with `genome`) any caller's output; `-` is stdin.
        public var input: String
        public var model: String
        /// Reference genome: needed for caller output, and for genome positions past chromosome ends.
        public var genome: String?
        public var format: FusionFormat?
        public var rows: RowSelection = .all
        public var method: AttributionMethod = .gradInput
        /// Integrated gradients: path steps; integrated gradients and DeepLIFT: a dinucleotide-shuffled
        /// baseline instead of zeros.
        public var steps = 20
        public var shuffledBaseline = false
        /// DeepLiftShap: dinucleotide-shuffled references per sequence.
        public var references = 10
        /// Occlusion: window of N and stride, in nt.
        public var occlusionWindow = 50
        public var occlusionStride = 25
        /// ISM: also write the `[positions x 4]` ΔP matrix.
        public var ismMatrix = false
        /// ISM: also compute this many positions by brute force and report the largest difference.
        public var verifyISM = 0
        /// Top fractions of positions merged into regions.
        public var topFractions: [Double] = [0.01, 0.1]
        /// The folder (created if missing).
        public var output: String
        public var threads = 1

        public init(input: String, model: String, output: String) {
            self.input = input
            self.model = model
            self.output = output
        }
    }

    /// - Throws: ``StepError/Code/unsupportedModel`` for a k-mer model, `nothingUsable` when no
    ///   fusion could be explained; ``ModelError``,
    ///   ``FusionInputError``, ``GenomeError``, ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> ExplainJob.Explained {
        let loaded = try ModelFile.load(options.model)
        if loaded.isUntrained {
            log.warning("model \(options.model) has random, untrained weights: its attributions mean nothing")
        }
        let scorer = try FusionScorer(model: loaded)
        guard scorer.readsPositions else {
            throw StepError(
                .unsupportedModel, path: options.model,
                "is a k-mer spectrum model: it has no per-position input to explain")
        }
        var explainer = Explainer(scorer: scorer)
        explainer.steps = options.steps
        explainer.shuffledBaseline = options.shuffledBaseline
        explainer.references = options.references
        explainer.occlusionWindow = options.occlusionWindow
        explainer.occlusionStride = options.occlusionStride
        explainer.threads = options.threads
        var job = ExplainJob(explainer: explainer)
        job.method = options.method
        job.rows = options.rows
        job.topFractions = options.topFractions
        job.writeISMMatrix = options.ismMatrix
        job.verifyISMPositions = options.verifyISM
        if let genome = options.genome { job.genome = try ReferenceGenome(path: genome) }
        let lock = try OutputLock.claimFolder(options.output)
        defer { lock.release() }
        // Another run's fusions left here would be read by seqlets, features and report as this run's.
        try ExplainFolder(path: options.output).removeOutputs()
        let reader = try FusionReader(path: options.input, format: options.format)
        let result = try job.run(reader, into: options.output) { log.progress(.status("\($0) fusion(s) explained")) }
        if !result.summaries.isEmpty {
            log.info(
                "\(result.summaries.count) fusion(s) explained with \(options.method.rawValue) into \(options.output)/ "
                    + "(\(ExplainSummaryTable.file))")
        }
        // One line per reason, with its first row: a caller file without --genome gave one per row.
        for (reason, rows) in Dictionary(grouping: result.rejected, by: \.reason).sorted(by: { $0.key < $1.key }) {
            let first = rows[0]
            log.warning(
                "\(rows.count) row(s) not explained: \(reason.rawValue) (first: line \(first.line): \(first.detail))")
        }
        if result.paddedWithoutGenome > 0 {
            log.warning(
                "\(result.paddedWithoutGenome) fusion(s) have a window that starts or ends in N, perhaps padding past "
                    + "a chromosome end: without --genome the chromosome lengths are unknown, so those positions are "
                    + "written as if on the chromosome (give --genome to leave them out)")
        }
        if options.rows.last != Int.max, result.dataRowsRead < options.rows.last {
            log.warning(
                "--rows goes to row \(options.rows.last), but \(options.input) has \(result.dataRowsRead) data row(s)")
        }
        guard !result.summaries.isEmpty else {
            throw StepError(
                .nothingUsable, path: options.input,
                "no fusion was explained (\(result.dataRowsRead) data row(s) read, \(result.rejected.count) rejected): "
                    + "see the warnings above")
        }
        let gaps = result.summaries.compactMap {
            $0.completeness.map { abs($0.attributionSum - $0.referenceDifference) }
        }
        if let worst = gaps.max() {
            log.info(
                "DeepLIFT completeness: largest |attribution_sum - reference_difference| over \(gaps.count) fusion(s): "
                    + "\(worst)")
        }
        if let difference = result.ismDifference {
            log.info(
                "ISM check: largest |fast - brute force| dP over \(min(options.verifyISM, scorer.windowLength * 2)) "
                    + "positions x 3 alternatives: "
                    + "\(difference)")
        }
        return result
    }
}
