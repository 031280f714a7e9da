import Foundation
import FusionAI
import GenomicFeatures
import Results
import Support

/// `fusionai run`: prepare -> predict -> explain -> features -> report into one results folder
/// (``ResultsFolder``), each step resumable.
///
/// A finished step is marked in `.done/` with its settings and the size and modification time of
/// each file it reads; it is skipped when it would run with the same again. A step that runs makes
/// every later step run too (their inputs may have changed), with its output folder emptied first
/// so no file of an earlier run survives in it.
public enum RunJob {
    public struct Options: Sendable {
        /// Fusion calls (any supported caller format) or a FusionAI data file.
        public var input: String
        public var genome: String
        public var model: String
        /// Gene annotation (GTF) for callers that give no strands.
        public var annotation: String?
        /// Feature manifest; without one the features step is left out.
        public var features: String?
        /// Explain rows with P(fusion-positive) at least this ...
        public var threshold: Float = 0.5
        /// ... at most this many, the highest-scoring.
        public var explainMax = 20
        /// Rerun every step, even those marked done.
        public var force = false
        /// The sample's name in the MultiQC tables; nil: the input file's name. Callers name their
        /// output alike for every sample (`star-fusion.fusion_predictions.tsv`), and MultiQC keeps
        /// one sample of a name.
        public var sample: String?
        /// The results folder (created if missing).
        public var output: String
        public var threads = 1
        /// For the report's Run section.
        public var provenance: ReportStep.Provenance

        public init(input: String, genome: String, model: String, output: String, provenance: ReportStep.Provenance) {
            self.input = input
            self.genome = genome
            self.model = model
            self.output = output
            self.provenance = provenance
        }
    }

    /// Where the run's own lines and each step's go.
    public struct Logs {
        public var run: StepLog
        public var step: (ResultsFolder.Step) -> StepLog

        public init(run: StepLog, step: @escaping (ResultsFolder.Step) -> StepLog) {
            self.run = run
            self.step = step
        }

        public static var silent: Logs { Logs(run: .silent) { _ in .silent } }
    }

    public struct Result: Sendable {
        public let folder: ResultsFolder
        /// The steps that ran, in order; the others were done before (or, explain, had nothing to do).
        public let ran: [ResultsFolder.Step]
        /// The 1-based rows of the predictions explained.
        public let explainedRows: [Int]
    }

    /// A step of the run failed; the steps before it stay marked done.
    public struct StepFailure: Error, CustomStringConvertible {
        public let step: ResultsFolder.Step
        /// What the step threw.
        public let error: any Error

        public var description: String { "\(error)" }
    }

    /// - Throws: ``OutputError`` `.locked` when another run writes the same folder; ``StepFailure`` with
    ///   what the failing step threw; ``ResultsFileError`` when the
    ///   predictions cannot be read to choose the rows to explain; ``GenomeError`` for the feature manifest.
    public static func run(_ options: Options, logs: Logs = .silent) throws -> Result {
        try OutputTarget.requireNamed(options.output)
        let folder = ResultsFolder(path: options.output)
        let inputs =
            [options.input, options.genome, options.model]
            + [options.annotation, options.features]
            .compactMap { $0 }
        try OutputTarget.requireInputsOutside(inputs, of: folder.outputs)
        try OutputTarget.makeFolder(folder.path)
        // A finished run on read-only storage can still be checked: no process can write there, so
        // no lock is needed; a step that has to run fails at its first write, naming the file.
        let writable = access(folder.path, W_OK) == 0
        let lock = writable ? try OutputLock(output: folder.path, folder: true) : nil
        defer { lock?.release() }
        // After the lock: a refused run leaves nothing, not even an empty marker folder.
        try OutputTarget.makeFolder(folder.markers)
        if writable {
            OutputFile.removeStaleTemporaries(in: folder.path, recursive: true)
        } else {
            logs.run.info("\(folder.path) is read-only: checking that every step is done")
        }
        var steps = Steps(folder: folder, force: options.force, logs: logs)
        try prepare(options, folder: folder, steps: &steps)
        try predict(options, folder: folder, steps: &steps)
        let rows = try explain(options, folder: folder, steps: &steps, logs: logs)
        let explained = rows.isEmpty ? nil : folder.explain.path
        try features(options, folder: folder, explained: explained, steps: &steps)
        try report(options, folder: folder, explained: explained, explainedCount: rows.count, steps: &steps)
        let name = { (path: String) in PathNames.name(of: path) }
        logs.run.info(
            "results in \(options.output)/: \(name(folder.prepared)), \(name(folder.predictions)), "
                + "\(rows.count) fusion(s) explained, \(name(folder.report))")
        return Result(folder: folder, ran: steps.ran, explainedRows: rows)
    }

    private static func prepare(_ options: Options, folder: ResultsFolder, steps: inout Steps) throws {
        var prepare = PrepareStep.Options(input: options.input)
        prepare.genome = options.genome
        prepare.annotation = options.annotation
        prepare.header = true
        prepare.qc = folder.preparedQC
        prepare.rejects = folder.preparedRejects
        prepare.output = folder.prepared
        prepare.threads = options.threads
        try steps.run(
            .prepare,
            settings: [
                options.input, "-g", options.genome, "--header", "--qc", folder.preparedQC, "--rejects",
                folder.preparedRejects, "-o", folder.prepared,
            ] + (options.annotation.map { ["--annotation", $0] } ?? []),
            reads: [options.input, options.genome] + (options.annotation.map { [$0] } ?? []),
            writes: [folder.prepared, folder.preparedQC, folder.preparedRejects]
        ) { _ = try PrepareStep.run(prepare, log: $0) }
    }

    private static func predict(_ options: Options, folder: ResultsFolder, steps: inout Steps) throws {
        var predict = PredictStep.Options(input: folder.prepared, model: options.model)
        predict.threshold = options.threshold
        predict.output = folder.predictions
        predict.threads = options.threads
        // A predict killed part-way left its partial output: continue it if it is this run's, else
        // start over (the checkpoint's signature holds the prepared file's size and time).
        predict.interrupted = .resumeOrRestart
        try steps.run(
            .predict,
            settings: [
                "-m", options.model, folder.prepared, "--threshold", String(options.threshold), "-o",
                folder.predictions,
            ],
            reads: [options.model], writes: [folder.predictions]
        ) { _ = try PredictStep.run(predict, log: $0) }
    }

    /// Explains the highest-scoring rows at or above the threshold; returns their 1-based rows.
    private static func explain(_ options: Options, folder: ResultsFolder, steps: inout Steps, logs: Logs) throws
        -> [Int]
    {
        let rows = try rowsToExplain(folder.predictions, threshold: options.threshold, limit: options.explainMax)
        let explained = folder.explain.path
        if rows.isEmpty {
            try ResultsFolder.remove(explained)
            steps.upstreamRan = true
            logs.run.info("explain: no row scores at least \(options.threshold); nothing to explain")
        } else {
            let list = rows.map(String.init).joined(separator: ",")
            var explain = ExplainStep.Options(input: folder.prepared, model: options.model, output: explained)
            explain.genome = options.genome
            explain.rows = RowSelection(list) ?? .all
            explain.threads = options.threads
            try steps.run(
                .explain,
                settings: [
                    "-m", options.model, "-g", options.genome, folder.prepared, "--rows", list, "-o", explained,
                ],
                reads: [options.model, options.genome], writes: [explained], fresh: explained
            ) { _ = try ExplainStep.run(explain, log: $0) }
        }
        return rows
    }

    /// Without a feature manifest the step is left out.
    private static func features(
        _ options: Options, folder: ResultsFolder, explained: String?, steps: inout Steps
    ) throws {
        guard let manifest = options.features else { return }
        let fisSettings = explained.map { ["--fis", $0] } ?? []
        var features = FeaturesStep.Options(
            input: folder.prepared, manifest: manifest, output: folder.features.path)
        features.explained = explained
        features.threads = options.threads
        // The tracks too: a track edited in place changes the results as much as the manifest.
        let tracks = try FeatureManifest.entries(path: manifest).map(\.path)
        try steps.run(
            .features,
            settings: [folder.prepared, "--features", manifest, "-o", folder.features.path] + fisSettings,
            reads: [manifest] + tracks, writes: [folder.features.path], fresh: folder.features.path
        ) { _ = try FeaturesStep.run(features, log: $0) }
    }

    private static func report(
        _ options: Options, folder: ResultsFolder, explained: String?, explainedCount: Int, steps: inout Steps
    ) throws {
        let fisSettings = explained.map { ["--fis", $0] } ?? []
        var report = ReportStep.Options(
            predictions: folder.predictions, provenance: options.provenance, output: folder.report)
        report.explained = explained
        report.features = options.features == nil ? nil : folder.features.path
        report.facts = [
            .init("input", options.input), .init("genome", options.genome), .init("model", options.model),
            .init("annotation", options.annotation ?? "none"), .init("feature manifest", options.features ?? "none"),
            .init(
                "explain",
                "rows with P >= \(options.threshold), at most \(options.explainMax) (\(explainedCount) explained)"),
        ]
        try steps.run(
            .report,
            settings: [folder.predictions, "-o", folder.report] + fisSettings
                + (report.features.map { ["--features", $0] } ?? [])
                + report.facts.flatMap { ["--fact", "\($0.name)=\($0.value)"] }
                + (options.sample.map { ["--sample", $0] } ?? []),
            reads: [], writes: [folder.report, folder.igvSession, folder.callsBEDPE, folder.multiQC]
        ) { log in
            _ = try ReportStep.run(report, log: log)
            var igv = IGVSessionStep.Options(
                predictions: folder.predictions, genome: options.genome, session: folder.igvSession,
                calls: folder.callsBEDPE)
            igv.explained = explained
            igv.annotation = options.annotation
            igv.features = options.features
            _ = try IGVSessionStep.run(igv, log: log)
            try MultiQCStep.run(
                .init(
                    samples: [
                        try multiQCSample(options.input, name: options.sample, predictions: folder.predictions)
                    ],
                    callRule: "P >= 0.5 (predict's call column)", folder: folder.multiQC),
                log: log)
        }
    }

    /// The run's calls as one MultiQC sample, named `name`, or after the input file
    /// (`sample1.star-fusion.tsv`: `sample1.star-fusion`) as MultiQC names samples after their files.
    private static func multiQCSample(_ input: String, name given: String?, predictions: String) throws
        -> MultiQCStep.Sample
    {
        let table = try PredictionsTable.schema.read(predictions)
        let probability = try table.index(of: PredictionsTable.positiveProbability)
        let call = try table.index(of: PredictionsTable.call)
        let rows = table.rows.map(\.fields).filter { $0.count > max(probability, call) }
        var name = URL(fileURLWithPath: input).lastPathComponent
        for suffix in [".gz", ".tsv", ".txt", ".csv"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return MultiQCStep.Sample(
            name: given ?? (input == "-" ? "stdin" : name), scores: rows.map { Float($0[probability]) },
            positives: rows.filter { $0[call] == PredictionCall.positive.rawValue }.count)
    }

    /// 1-based rows of `predictions` scoring at least `threshold`, the highest `limit` of them, ascending.
    /// - Throws: ``ResultsFileError`` when the file cannot be read or has no probability column.
    public static func rowsToExplain(_ predictions: String, threshold: Float, limit: Int) throws -> [Int] {
        let table = try PredictionsTable.schema.read(predictions)
        let column = try table.index(of: PredictionsTable.positiveProbability)
        let scored = table.rows.enumerated().compactMap { i, row -> (row: Int, p: Float)? in
            guard column < row.fields.count, let p = Float(row.fields[column]), p >= threshold else { return nil }
            return (i + 1, p)
        }
        return scored.sorted { $0.p > $1.p }.prefix(max(0, limit)).map(\.row).sorted()
    }

    /// The run's steps so far: which ran, and whether a later one must rerun.
    private struct Steps {
        let folder: ResultsFolder
        let logs: Logs
        /// Once a step runs, every later one reruns too.
        var upstreamRan: Bool
        var ran: [ResultsFolder.Step] = []

        init(folder: ResultsFolder, force: Bool, logs: Logs) {
            self.folder = folder
            self.logs = logs
            upstreamRan = force
        }

        /// Runs `body` unless `step` is marked done with the same settings and inputs and its
        /// outputs are all still there as it left them (same sizes and times). Standard input cannot
        /// be compared with an earlier run's, so a step that reads it always runs.
        /// - Parameters:
        ///   - writes: the step's outputs (files or folders).
        ///   - fresh: a folder the step fills, emptied first.
        mutating func run(
            _ step: ResultsFolder.Step, settings: [String], reads files: [String], writes outputs: [String],
            fresh: String? = nil, _ body: (StepLog) throws -> Void
        ) throws {
            let finished = StepSignature(settings: settings, reads: files, writes: outputs)
            if !upstreamRan, !files.contains("-"), outputs.allSatisfy(FileManager.default.fileExists(atPath:)),
                folder.isDone(step, finished)
            {
                logs.run.info("\(step.rawValue): done before with the same arguments, skipped (--force reruns it)")
                return
            }
            upstreamRan = true
            try folder.clearMarker(step)
            if let fresh { try ResultsFolder.remove(fresh) }
            logs.run.info("\(step.rawValue)…")
            do {
                try body(logs.step(step))
            } catch {
                throw StepFailure(step: step, error: error)
            }
            try folder.markDone(step, StepSignature(settings: settings, reads: files, writes: outputs))
            ran.append(step)
        }
    }
}
