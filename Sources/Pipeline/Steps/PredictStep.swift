import Foundation
import FusionAI
import Fusions
import Genome
import NeuralNet
import Results
import Support

/// Step 2: windows in, P(fusion-negative), P(fusion-positive) and the call out, one row per
/// scored input row.
public enum PredictStep {
    public struct Options: Sendable {
        /// A prepared file, a FusionAI data file, or (with `genome`) any caller's output; `-` is stdin.
        public var input: String
        /// Keras `.h5` / `.keras`, or fusionai `.safetensors`.
        public var model: String
        /// Reference genome, to build windows from caller output.
        public var genome: String?
        public var format: FusionFormat?
        public var annotation: String?
        /// The predictions; `-` is standard output. A file is written through `OUT.partial` with a
        /// checkpoint after every batch.
        public var output = "-"
        /// `call` is positive when P(positive) is at least this.
        public var threshold: Float = 0.5
        public var batchSize = 64
        public var rejects: String?
        /// Keep the two window columns of prepared input.
        public var keepSequences = false
        /// What to do with the `OUT.partial` an interrupted run left.
        public var interrupted = ResumableOutput.Interrupted.refuse
        public var threads = 1

        public init(input: String, model: String) {
            self.input = input
            self.model = model
        }
    }

    public struct Result: Sendable {
        public let summary: PredictJob.Summary
        /// Where the predictions went (`-`: standard output).
        public let output: String
    }

    /// - Throws: ``ModelError``, ``FusionInputError``, ``GenomeError``, ``OutputError``.
    public static func run(_ options: Options, log: StepLog = .silent) throws -> Result {
        let inputs = [options.input, options.model] + [options.genome, options.annotation].compactMap { $0 }
        let outputs = [options.output] + [options.rejects].compactMap { $0 }
        try OutputTarget.requireDistinctOutputs(outputs)
        for output in outputs { try OutputTarget.requireDistinct(output, from: inputs) }
        let loaded = try ModelFile.load(options.model)
        let scorer = try FusionScorer(model: loaded)
        log.info("model \(options.model): \(loaded.parameterCount) parameters, input \(loaded.inputShape)")
        if loaded.isUntrained {
            log.warning(
                "model \(options.model) has random, untrained weights: its scores mean nothing "
                    + "(train one, or use the published newdat_newmod_jj.h5)")
        }
        var job = PredictJob(scorer: scorer)
        job.threshold = options.threshold
        job.threads = options.threads
        job.batchSize = options.batchSize
        job.keepSequences = options.keepSequences
        if let path = options.genome {
            let genome = try ReferenceGenome(path: path)
            genome.notes.forEach(log.info)
            log.info("genome \(path): \(genome.format.rawValue), build \(genome.build.label)")
            job.genome = genome
        }
        let genes = try options.annotation.map { try GeneAnnotation(gtfPath: $0) }
        let reader = try FusionReader(path: options.input, format: options.format, annotation: genes)
        log.info("input \(options.input): \(reader.format.displayName) format")
        if options.keepSequences, reader.format != .fusionaiData {
            log.warning(
                "--keep-sequences keeps an input's window columns, and \(options.input) has none (windows built from "
                    + "--genome are not written: `fusionai prepare --genome` writes them)")
        }

        let progress = { (rows: Int, fraction: Double?) in log.progress(.rows(rows, fraction: fraction)) }
        let summary: PredictJob.Summary
        var resumedRows = 0
        // A killed earlier predict left the rejects' (and a streamed output's) temporaries behind.
        OutputFile.removeStaleTemporaries(of: [options.output] + [options.rejects].compactMap { $0 })
        let rejectsFile = try options.rejects.map { try OutputFile(path: $0) }
        try rejectsFile?.write(Rejection.rejectsHeader)
        // Standard output, a device or a named pipe is streamed to, and a `.gz` name is bgzip-compressed
        // as other outputs are (compressed blocks cannot be cut back to a checkpoint); only a plain
        // file can be resumed.
        if options.output == "-" || OutputTarget.isSpecial(options.output) || options.output.hasSuffix(".gz") {
            let out = try OutputFile(path: options.output)
            summary = try job.run(
                reader, emit: { try out.write($0) }, reject: { try rejectsFile?.write($0) }, progress: progress)
            try failIfEveryRowMalformed(summary, resumedRows: 0, options, reader: reader, rejects: rejectsFile)
            try out.commit()
        } else {
            let out = try ResumableOutput(
                path: options.output, signature: signature(options), interrupted: options.interrupted)
            if let from = out.resumedFrom {
                log.info("resuming after row \(from.rows) of \(options.input)")
                resumedRows = from.rows
            }
            if let reason = out.discarded {
                log.info("discarding the interrupted run's \(out.partialPath) (\(reason)); starting over")
            }
            summary = try job.run(
                reader, skipRows: out.resumedFrom?.rows ?? 0, writeHeader: out.resumedFrom == nil,
                emit: { out.write($0) }, reject: { try rejectsFile?.write($0) },
                checkpoint: { try out.checkpoint(rows: $0) }, progress: progress)
            do {
                try failIfEveryRowMalformed(
                    summary, resumedRows: resumedRows, options, reader: reader, rejects: rejectsFile)
            } catch {
                out.discard()
                throw error
            }
            try out.finish()
        }
        try rejectsFile?.commit()
        let earlier = resumedRows > 0 ? " (after \(resumedRows) row(s) the interrupted run handled)" : ""
        log.info(
            "\(summary.rows) row(s) read\(earlier), \(summary.scored) scored, \(summary.positives) called positive at "
                + "\(options.threshold), \(summary.totalRejected) rejected in all")
        log.rejected(summary.rejected, rows: summary.rows + resumedRows, listed: options.rejects != nil)
        log.strands(reader.strands)
        if summary.nonFinite > 0 {
            log.warning(
                "\(options.model): NaN or infinite scores for \(summary.nonFinite) of \(summary.scored) row(s), "
                    + "written as NA: its weights are damaged or training diverged")
        }
        return Result(summary: summary, output: options.output)
    }

    /// Refuses an input whose every row was malformed (committing the rejects, which say why).
    private static func failIfEveryRowMalformed(
        _ summary: PredictJob.Summary, resumedRows: Int, _ options: Options, reader: FusionReader,
        rejects: OutputFile?
    ) throws {
        guard
            let failure = StepError.everyRowMalformed(
                summary.rejected, rows: summary.rows + resumedRows, inputs: [options.input],
                formats: reader.format.displayName)
        else { return }
        try rejects?.commit()
        throw failure
    }

    /// What a checkpoint must match to be resumed: the options that shape the output, the input's
    /// size and modification time and the model's digest, so rows of an input or model since
    /// rewritten (a rerun `prepare` in `fusionai run`) are never mixed with new ones.
    private static func signature(_ options: Options) -> ResumableOutput.Signature {
        let stamp = { (path: String) in
            let file = StepSignature.Stamp(path: path)
            return "\(file.size) bytes, modified \(file.modified)"
        }
        return [
            "input": options.input, "--model": options.model, "--genome": options.genome ?? "none",
            "--format": options.format?.rawValue ?? "auto", "--threshold": "\(options.threshold)",
            "--keep-sequences": "\(options.keepSequences)", "input file": stamp(options.input),
            // The model by content: another of the same size given the old time mixed two models' scores.
            "model file": (try? ContentDigest.file(options.model)) ?? stamp(options.model),
        ]
    }
}
